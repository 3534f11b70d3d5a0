using System.Text.Json.Nodes;

namespace Repro.Core.Runs;

/// <summary>
/// The manifest's <c>python</c> section: whether repro's start-up hook seeded the run's Python processes, with which
/// hook, and what each process reported (docs/python.md; <c>$defs/python</c> of docs/run-manifest.schema.json).
/// </summary>
/// <param name="AutoSeed">Whether the hook was on for the run.</param>
/// <param name="Hook">SHA-256 of the hook's files; null when the hook was off.</param>
/// <param name="Processes">One record per Python process that reported, ordered by <see cref="PythonProcessRecord.Stream"/>; empty until the child has exited.</param>
public sealed record PythonRecord(bool AutoSeed, string? Hook, IReadOnlyList<PythonProcessRecord> Processes)
{
    /// <summary>The section for a run whose child ran without the hook.</summary>
    public static PythonRecord Off { get; } = new(false, null, []);
}

/// <summary>What one Python process of a run reported.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="Ppid">Its parent's process id.</param>
/// <param name="Executable">The interpreter (<c>sys.executable</c>).</param>
/// <param name="PythonVersion">Major.minor.micro of the interpreter.</param>
/// <param name="Implementation"><c>cpython</c>, <c>pypy</c>, ...</param>
/// <param name="Status">Whether the hook seeded it.</param>
/// <param name="Stream">
/// Which seed stream it used: <c>/</c> for the first process of every interpreter the run starts, <c>PARENT/fork:N</c>
/// for the N-th fork of a process, <c>CREATOR/mp:N</c> for a multiprocessing worker; null when not seeded.
/// </param>
/// <param name="RunSeed">The run's seed, as the process read it; null when not seeded.</param>
/// <param name="Seed">The seed of its stream (the run seed for <c>/</c>); null when not seeded.</param>
/// <param name="Libraries">Each library the hook seeded in it, in the order they were seeded.</param>
/// <param name="Flags">Switches read back at exit, by dotted name (<c>torch.backends.cudnn.benchmark</c>): booleans, numbers or text.</param>
/// <param name="Errors">What the hook could not do in it; the program went on regardless.</param>
public sealed record PythonProcessRecord(
    int Pid,
    int? Ppid,
    string? Executable,
    string? PythonVersion,
    string? Implementation,
    PythonHookStatus Status,
    string? Stream,
    long? RunSeed,
    long? Seed,
    IReadOnlyList<PythonLibraryRecord> Libraries,
    JsonObject Flags,
    IReadOnlyList<string> Errors);

/// <summary>One library the hook seeded in a process.</summary>
/// <param name="Name"><c>random</c>, <c>numpy</c>, <c>torch</c> or <c>tensorflow</c>.</param>
/// <param name="Version">Its <c>__version__</c> at exit; null for <c>random</c> (it is the interpreter's).</param>
/// <param name="Seed">The seed it was given last.</param>
/// <param name="At">When it was seeded last: at <c>import</c>, after a <c>fork</c>, or at the start of a multiprocessing <c>worker</c>.</param>
public sealed record PythonLibraryRecord(string Name, string? Version, long Seed, string At);
