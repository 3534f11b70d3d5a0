using System.Text.Json.Serialization;

namespace Repro.Core.Environments.Python;

/// <summary>What an interpreter says about itself (see <see cref="PythonInterpreterLocator"/>).</summary>
internal sealed record InterpreterIdentity(string Path, string Version, string? Build, string? Implementation, string? Machine);

/// <summary>One entry of <c>pip list --format=json</c>.</summary>
internal sealed record PipListEntry(string Name, string Version);

/// <summary>
/// The completion marker of a cached environment, <c>python/NAME.json</c>, written last and atomically: an environment
/// folder without it is unfinished and is never used.
/// </summary>
/// <param name="SchemaVersion">Format of this file.</param>
/// <param name="Key">The full environment key.</param>
/// <param name="Interpreter">The interpreter the environment was made from.</param>
/// <param name="Packages">What <c>pip list</c> reported after the install.</param>
/// <param name="FreezeSha256">SHA-256 of <c>pip freeze</c>'s output.</param>
/// <param name="BuiltAt">When the build finished (UTC).</param>
internal sealed record EnvironmentMarker(
    int SchemaVersion,
    string Key,
    PythonInterpreter Interpreter,
    IReadOnlyList<PythonPackage> Packages,
    string FreezeSha256,
    DateTimeOffset BuiltAt);

/// <summary>Source-generated JSON for the files and outputs of Python environments: camelCase, as the manifest.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(InterpreterIdentity))]
[JsonSerializable(typeof(List<PipListEntry>))]
[JsonSerializable(typeof(EnvironmentMarker))]
[JsonSerializable(typeof(InterpreterCacheEntry))]
internal sealed partial class PythonEnvironmentJsonContext : JsonSerializerContext;
