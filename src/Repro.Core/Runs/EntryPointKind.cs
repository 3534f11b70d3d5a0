using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>What kind of entry point ran (<see cref="EntryPointRecord.Kind"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EntryPointKind>))]
public enum EntryPointKind
{
    /// <summary>Declared under <c>entry_points</c> in the MLproject file.</summary>
    [JsonStringEnumMemberName("declared")]
    Declared,

    /// <summary>A <c>.py</c> file of the project, run with <c>python</c>.</summary>
    [JsonStringEnumMemberName("python-script")]
    PythonScript,

    /// <summary>A <c>.sh</c> file of the project, run with the shell.</summary>
    [JsonStringEnumMemberName("shell-script")]
    ShellScript,

    /// <summary>A <c>.R</c> file of the project, run with <c>Rscript</c> through <c>mlflow::mlflow_source</c>, as MLflow does.</summary>
    [JsonStringEnumMemberName("r-script")]
    RScript,
}
