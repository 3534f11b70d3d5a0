namespace Repro.Core.Runs;

/// <summary>
/// A Python environment repro built (or reused) from a <c>python_env</c> file: enough to rebuild it, and to tell a
/// rebuild that resolved differently.
/// </summary>
/// <param name="Key">The environment key: SHA-256 of the interpreter's identity, the python_env file and every requirements file it reaches.</param>
/// <param name="Interpreter">The interpreter it was made from.</param>
/// <param name="Requested">What the project asked for.</param>
/// <param name="Resolved">What pip installed.</param>
public sealed record PythonEnvironmentRecord(string Key, PythonInterpreterRecord Interpreter, PythonRequestedRecord Requested, PythonResolvedRecord Resolved);

/// <summary>The interpreter a Python environment was made from.</summary>
/// <param name="Path">The real executable, links resolved.</param>
/// <param name="Version">Its version (<c>3.11.7</c>).</param>
public sealed record PythonInterpreterRecord(string Path, string Version);

/// <summary>What a python_env file asked for.</summary>
/// <param name="File">The python_env file relative to the project, forward slashes.</param>
/// <param name="Python">The Python version it names; null when it names none.</param>
/// <param name="BuildDependencies">Its <c>build_dependencies</c>, as written.</param>
/// <param name="Dependencies">Its <c>dependencies</c>, as written.</param>
/// <param name="RequirementFiles">Every requirements or constraints file those lines reach, with its SHA-256.</param>
public sealed record PythonRequestedRecord(
    string File, string? Python, IReadOnlyList<string> BuildDependencies, IReadOnlyList<string> Dependencies, IReadOnlyList<LockFileRecord> RequirementFiles);

/// <summary>What pip installed.</summary>
/// <param name="Packages">Every distribution in the environment, from <c>pip list --format=json</c>.</param>
/// <param name="FreezeSha256">SHA-256 of <c>pip freeze</c>'s output.</param>
public sealed record PythonResolvedRecord(IReadOnlyList<PythonPackageRecord> Packages, string FreezeSha256);

/// <summary>One installed distribution.</summary>
/// <param name="Name">Its name, as pip lists it.</param>
/// <param name="Version">Its version.</param>
public sealed record PythonPackageRecord(string Name, string Version);
