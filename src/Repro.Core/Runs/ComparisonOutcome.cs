using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>How a re-created output or metric compares with the recorded one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparisonOutcome>))]
public enum ComparisonOutcome
{
    /// <summary>Bit-identical: the same bytes, or the same number to the last bit.</summary>
    [JsonStringEnumMemberName("identical")]
    Identical,

    /// <summary>
    /// Not bit-identical but the same for every purpose the comparison can judge: the same content in a different
    /// container (zip entry times, JSON key order, line endings) or numbers within tolerance. The summary says which.
    /// </summary>
    [JsonStringEnumMemberName("equivalent")]
    Equivalent,

    /// <summary>The content differs; the summary and details say what, where and by how much.</summary>
    [JsonStringEnumMemberName("different")]
    Different,
}
