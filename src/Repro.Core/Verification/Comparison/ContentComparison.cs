using Repro.Core.Json;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Picks the comparer for two contents already known to differ in bytes, and falls back to a plainer one (with a
/// note saying why) when the content is not what its name promises.
/// </summary>
internal static class ContentComparison
{
    /// <summary>
    /// Largest content held in memory: a JSON document to parse, or a zip inside a zip (ZipArchive must seek).
    /// Larger JSON is compared as text, a larger nested zip as bytes.
    /// </summary>
    public const long MaxInMemoryBytes = 256L * 1024 * 1024;

    /// <summary>How many zips inside zips are opened before nested archives are compared as bytes.</summary>
    public const int MaxZipDepth = 4;

    public static ComparisonResult Compare(ContentSource recorded, ContentSource actual, ComparisonTolerance tolerance, int depth)
    {
        var notes = new List<string>();
        var recordedZip = recorded.LooksLikeZip();
        var actualZip = actual.LooksLikeZip();
        if (recordedZip && actualZip)
        {
            var seekable = recorded is FileContentSource || Math.Max(recorded.Length, actual.Length) <= MaxInMemoryBytes;
            if (depth < MaxZipDepth && seekable && ZipComparer.Compare(recorded, actual, tolerance, depth) is { } zip)
            {
                return zip;
            }

            notes.Add(
                depth >= MaxZipDepth ? "zip nested too deep; compared as bytes"
                : !seekable ? $"nested zip larger than {MaxInMemoryBytes / (1024 * 1024)} MiB; compared as bytes"
                : "not a readable zip archive; compared as bytes");
            return WithNotes(BinaryComparer.Compare(recorded, actual), notes);
        }

        if (recordedZip != actualZip)
        {
            notes.Add(recordedZip ? "recorded is a zip archive, re-created is not" : "re-created is a zip archive, recorded is not");
            return WithNotes(BinaryComparer.Compare(recorded, actual), notes);
        }

        if (recorded.HasExtension(".json", ".jsonl", ".ndjson") && CompareJson(recorded, actual, tolerance, notes) is { } json)
        {
            return json;
        }

        if (recorded.HasExtension(".csv", ".tsv", ".tab"))
        {
            try
            {
                return WithNotes(CsvComparer.Compare(recorded, actual, tolerance), notes);
            }
            catch (CsvSyntaxException exception)
            {
                notes.Add($"not valid CSV ({exception.Message}); compared as text");
            }
        }

        if (recorded.IsText() && actual.IsText())
        {
            return WithNotes(TextComparer.Compare(recorded, actual), notes);
        }

        return WithNotes(BinaryComparer.Compare(recorded, actual), notes);
    }

    private static ComparisonResult? CompareJson(ContentSource recorded, ContentSource actual, ComparisonTolerance tolerance, List<string> notes)
    {
        if (recorded.Length > MaxInMemoryBytes || actual.Length > MaxInMemoryBytes)
        {
            notes.Add($"larger than {MaxInMemoryBytes / (1024 * 1024)} MiB; compared as text, not as JSON");
            return null;
        }

        var lines = recorded.HasExtension(".jsonl", ".ndjson");
        var recordedTrees = Parse(recorded, lines, "recorded", notes);
        var actualTrees = Parse(actual, lines, "re-created", notes);
        return recordedTrees is null || actualTrees is null
            ? null
            : JsonComparer.Compare(recordedTrees, actualTrees, lines, tolerance);
    }

    private static IReadOnlyList<JsonTree>? Parse(ContentSource source, bool lines, string side, List<string> notes)
    {
        try
        {
            var text = source.ReadAllText();
            return lines ? LenientJsonParser.ParseLines(text) : [LenientJsonParser.Parse(text)];
        }
        catch (JsonSyntaxException exception)
        {
            notes.Add($"{side} is not valid JSON ({exception.Describe()}); compared as text");
            return null;
        }
    }

    private static ComparisonResult WithNotes(ComparisonResult result, List<string> notes) =>
        notes.Count == 0 ? result : result with { Details = [.. notes, .. result.Details] };
}
