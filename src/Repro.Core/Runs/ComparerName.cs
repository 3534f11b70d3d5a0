using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>Which comparison decided how a re-created output compares with the recorded one (<see cref="OutputCheck.Comparer"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparerName>))]
public enum ComparerName
{
    /// <summary>The SHA-256 (or bytes) are equal, or only the hashes were available.</summary>
    [JsonStringEnumMemberName("sha256")]
    Sha256,

    /// <summary>A zip archive (an ML.NET model, for one) compared entry by entry.</summary>
    [JsonStringEnumMemberName("zip")]
    Zip,

    /// <summary>JSON (or JSON Lines) compared value by value.</summary>
    [JsonStringEnumMemberName("json")]
    Json,

    /// <summary>CSV or TSV compared cell by cell.</summary>
    [JsonStringEnumMemberName("csv")]
    Csv,

    /// <summary>UTF-8 text compared line by line.</summary>
    [JsonStringEnumMemberName("text")]
    Text,

    /// <summary>Bytes compared offset by offset.</summary>
    [JsonStringEnumMemberName("binary")]
    Binary,

    /// <summary>The re-created file does not exist (or the original run did not write it).</summary>
    [JsonStringEnumMemberName("missing")]
    Missing,
}
