using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>Whether the hook seeded a Python process.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PythonHookStatus>))]
public enum PythonHookStatus
{
    /// <summary>The hook ran; <see cref="PythonProcessRecord.Libraries"/> lists what it seeded.</summary>
    [JsonStringEnumMemberName("seeded")]
    Seeded,

    /// <summary>The hook ran but had no usable seed (<c>REPRO_SEED</c> unset or invalid) and seeded nothing.</summary>
    [JsonStringEnumMemberName("not-seeded")]
    NotSeeded,

    /// <summary>The interpreter is older than the hook supports (3.8): the process ran unseeded.</summary>
    [JsonStringEnumMemberName("unsupported")]
    Unsupported,
}
