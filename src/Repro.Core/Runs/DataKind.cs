using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>What a declared input or output turned out to be (<see cref="DataRecord.Kind"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataKind>))]
public enum DataKind
{
    /// <summary>One file (or a symbolic link to one).</summary>
    [JsonStringEnumMemberName("file")]
    File,

    /// <summary>A directory, with every file below it.</summary>
    [JsonStringEnumMemberName("directory")]
    Directory,

    /// <summary>A glob pattern, with every file it matches.</summary>
    [JsonStringEnumMemberName("glob")]
    Glob,
}
