using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>An MLproject file as repro read it: MLflow's keys plus repro's extensions.</summary>
/// <param name="Directory">Absolute path of the project directory.</param>
/// <param name="FilePath">Absolute path of the MLproject file; null for a directory without one.</param>
/// <param name="FileName">The MLproject file's name as it is spelled on disk (<c>MLproject</c>, <c>MLproject.yaml</c>, …); null for a directory without one.</param>
/// <param name="Name">The <c>name</c> key, when given.</param>
/// <param name="Environment">The environment the file declares.</param>
/// <param name="Seed">repro's top-level <c>seed</c>, the default seed of every run; null when absent.</param>
/// <param name="EntryPoints">Declared entry points by name, in declaration order.</param>
public sealed record MLProject(
    string Directory,
    string? FilePath,
    string? FileName,
    string? Name,
    ProjectEnvironment Environment,
    uint? Seed,
    IReadOnlyDictionary<string, EntryPoint> EntryPoints)
{
    /// <summary>
    /// Entry points that cannot be run, each with the error that says why. A broken entry point stops only a run of
    /// itself: the others run as usual (MLflow, which reads every entry point at load, refuses the whole file).
    /// </summary>
    public IReadOnlyDictionary<string, ProjectDiagnostic> BrokenEntryPoints { get; init; } = new Dictionary<string, ProjectDiagnostic>();

    /// <summary>
    /// repro's top-level <c>auto_seed</c>: whether the Python start-up hook seeds runs of every entry point that does
    /// not say otherwise (docs/python.md); null when absent.
    /// </summary>
    public bool? AutoSeed { get; init; }

    /// <summary>The MLproject file's name, or a phrase saying there is none, for messages.</summary>
    public string FileDescription => FileName ?? "no MLproject file";

    /// <summary>Every entry point name: the valid ones, then the broken ones, each in declaration order.</summary>
    public IEnumerable<string> EntryPointNames => EntryPoints.Keys.Concat(BrokenEntryPoints.Keys);
}

/// <summary>The environment an MLproject file declares; at most one of <c>python_env</c>, <c>conda_env</c> and <c>docker_env</c>.</summary>
/// <param name="Kind"><c>python_env</c>, <c>conda_env</c>, <c>docker_env</c>, or null when none is declared.</param>
/// <param name="File">For <c>python_env</c> and <c>conda_env</c>, the env file as written, relative to the project.</param>
/// <param name="Image">For <c>docker_env</c>, the image.</param>
public sealed record ProjectEnvironment(string? Kind, string? File, string? Image)
{
    /// <summary>Whether the env file leads outside the project (by <c>..</c> or a symbolic link): repro then never reads it.</summary>
    public bool FileOutsideProject { get; init; }

    /// <summary>No environment declared: the command runs on the host as it is.</summary>
    public static ProjectEnvironment None { get; } = new(null, null, null);
}

/// <summary>A declared entry point.</summary>
/// <param name="Name">Its key under <c>entry_points</c>.</param>
/// <param name="Parameters">Declared parameters, in declaration order.</param>
/// <param name="Command">The command template, with <c>{name}</c> placeholders and <c>{{</c>/<c>}}</c> for literal braces.</param>
/// <param name="CommandLocation">Where the command is written, for errors found while rendering it.</param>
/// <param name="Inputs">repro's <c>inputs</c>: files, directories or globs relative to the project, fingerprinted before the run.</param>
/// <param name="Outputs">repro's <c>outputs</c>: files, directories or globs relative to the project, fingerprinted after the run.</param>
/// <param name="Metrics">repro's <c>metrics</c>: where the entry point writes its metrics, and verification tolerances.</param>
/// <param name="Env">repro's <c>env</c>: extra environment variables for the child, in declaration order.</param>
public sealed record EntryPoint(
    string Name,
    IReadOnlyList<ParameterSpec> Parameters,
    string Command,
    SourceLocation CommandLocation,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs,
    MetricsSpec? Metrics,
    IReadOnlyDictionary<string, string> Env)
{
    /// <summary>Warnings about this entry point found while reading it (unknown keys, duplicates, unknown types).</summary>
    public IReadOnlyList<ProjectDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>repro's per-entry-point <c>auto_seed</c>, which wins over the top-level one; null when absent.</summary>
    public bool? AutoSeed { get; init; }

    /// <summary>
    /// The <see cref="Inputs"/> and <see cref="Outputs"/> declared <c>{path: PATH, store: false}</c>: fingerprinted,
    /// but not kept in the object store (huge reference data).
    /// </summary>
    public IReadOnlySet<string> NotStored { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Where the entry point's name is written, for errors about the entry point as a whole (a cycle).</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>Where each of <see cref="Outputs"/> is written, in the same order; empty when not read from a file.</summary>
    public IReadOnlyList<SourceLocation> OutputLocations { get; init; } = [];

    /// <summary>repro's <c>needs</c>: entry points that must run before this one in a pipeline, with where each is named.</summary>
    public IReadOnlyList<LocatedName> Needs { get; init; } = [];

    /// <summary>
    /// repro's <c>code</c>: the files, directories or globs whose content is this entry point's code for the run cache of
    /// <c>repro pipeline</c>; null when absent, in which case the whole git tree of the project is its code.
    /// </summary>
    public IReadOnlyList<string>? Code { get; init; }
}

/// <summary>A name written in an MLproject file, with where it is written.</summary>
/// <param name="Name">The name.</param>
/// <param name="Location">Where it is written.</param>
public sealed record LocatedName(string Name, SourceLocation Location);

/// <summary>A declared parameter.</summary>
/// <param name="Name">Parameter name (case-sensitive).</param>
/// <param name="Type">Type word as written: <c>string</c>, <c>float</c>, <c>int</c>, <c>path</c>, <c>uri</c>; any other word acts as <c>string</c>.</param>
/// <param name="Default">
/// The default as MLflow passes it: the value PyYAML reads (YAML 1.1) converted with Python's <c>str()</c>, so
/// <c>0.10</c> becomes <c>0.1</c>, <c>010</c> becomes <c>8</c> and <c>yes</c> becomes <c>True</c>. Null when the
/// parameter is required.
/// </param>
/// <param name="Location">Where the parameter is declared.</param>
public sealed record ParameterSpec(string Name, string Type, string? Default, SourceLocation Location)
{
    /// <summary>Whether a value must be given with <c>-P</c>: the default is missing or null.</summary>
    public bool IsRequired => Default is null;

    /// <summary>The default as PyYAML read it, with its text and location; null when there is none.</summary>
    internal DefaultValue? DefaultSource { get; init; }
}

/// <summary>A parameter's default as PyYAML reads it.</summary>
/// <param name="Value">The Python value.</param>
/// <param name="Text">The scalar's text as written (after unquoting); null for a list or mapping.</param>
/// <param name="Location">Where the default is written.</param>
internal sealed record DefaultValue(Python.PythonValue Value, string? Text, SourceLocation Location);

/// <summary>repro's <c>metrics</c> extension of an entry point.</summary>
/// <param name="File">The JSON file (an object of name to number) the entry point writes, relative to the project.</param>
/// <param name="Tolerances">Per-metric tolerances <c>repro verify</c> allows, by metric name; metrics not listed must match exactly.</param>
public sealed record MetricsSpec(string File, IReadOnlyDictionary<string, Tolerance> Tolerances);

/// <summary>How far a re-run's metric may drift: it matches when <c>|a - b| &lt;= Atol + Rtol * |b|</c>.</summary>
/// <param name="Rtol">Relative tolerance, non-negative.</param>
/// <param name="Atol">Absolute tolerance, non-negative.</param>
public sealed record Tolerance(double Rtol, double Atol)
{
    /// <summary>No drift allowed.</summary>
    public static Tolerance Exact { get; } = new(0, 0);
}

/// <summary>A loaded MLproject file and what reading its top level found.</summary>
/// <param name="Project">The project; its entry points carry their own findings.</param>
/// <param name="Diagnostics">Warnings about the file as a whole (top-level keys, the environment, YAML PyYAML fails on).</param>
public sealed record LoadedProject(MLProject Project, IReadOnlyList<ProjectDiagnostic> Diagnostics)
{
    /// <summary>The file-wide warnings as printed: <c>FILE:LINE:COL: warning: message</c>.</summary>
    public IReadOnlyList<string> Warnings => [.. Diagnostics.Select(diagnostic => diagnostic.ToString())];
}
