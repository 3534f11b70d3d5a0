using System.Globalization;
using System.IO.Compression;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Compares zip archives by entry name and decompressed content, ignoring entry times, order and compression:
/// an ML.NET model stamps each entry with the time it was written, so two identical trainings never give the same
/// bytes. A changed entry is compared again by its own kind (JSON, CSV, text, a nested zip or bytes).
/// </summary>
internal static class ZipComparer
{
    private const int MaxDetailsPerEntry = 10;
    private const int MaxNamesInSummary = 3;

    /// <summary>The comparison, or null when either side is not a readable zip archive.</summary>
    public static ComparisonResult? Compare(ContentSource recorded, ContentSource actual, ComparisonTolerance tolerance, int depth)
    {
        using var recordedStream = recorded.Open();
        using var actualStream = actual.Open();
        ZipArchive recordedArchive;
        ZipArchive actualArchive;
        try
        {
            recordedArchive = new ZipArchive(Seekable(recordedStream), ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            return null;
        }

        using (recordedArchive)
        {
            try
            {
                actualArchive = new ZipArchive(Seekable(actualStream), ZipArchiveMode.Read);
            }
            catch (InvalidDataException)
            {
                return null;
            }

            using (actualArchive)
            {
                return CompareArchives(recordedArchive, actualArchive, tolerance, depth);
            }
        }
    }

    private static ComparisonResult CompareArchives(ZipArchive recordedArchive, ZipArchive actualArchive, ComparisonTolerance tolerance, int depth)
    {
        var recordedEntries = ByName(recordedArchive);
        var actualEntries = ByName(actualArchive);
        var removed = recordedEntries.Keys.Where(name => !actualEntries.ContainsKey(name)).ToList();
        var added = actualEntries.Keys.Where(name => !recordedEntries.ContainsKey(name)).ToList();
        var changed = new List<string>();
        var equivalent = new List<string>();
        var details = new DetailList();
        var metadata = new MetadataDifferences();
        NumericDifference? largest = null;

        foreach (var name in removed)
        {
            details.Add($"removed: {name} ({DisplayText.Count(recordedEntries[name].Length, "byte")})");
        }

        foreach (var name in added)
        {
            details.Add($"added: {name} ({DisplayText.Count(actualEntries[name].Length, "byte")})");
        }

        foreach (var (name, recordedEntry) in recordedEntries)
        {
            if (!actualEntries.TryGetValue(name, out var actualEntry))
            {
                continue;
            }

            metadata.Observe(recordedEntry, actualEntry);
            var result = CompareEntry(recordedEntry, actualEntry, tolerance, depth);
            if (result.Outcome == ComparisonOutcome.Identical)
            {
                continue;
            }

            (result.Outcome == ComparisonOutcome.Different ? changed : equivalent).Add(name);
            details.Add($"{(result.Outcome == ComparisonOutcome.Different ? "changed" : "equivalent")}: {name}: {result.Summary}");
            foreach (var line in result.Details.Take(MaxDetailsPerEntry))
            {
                details.Add($"  {line}");
            }

            if (result.Details.Count > MaxDetailsPerEntry)
            {
                details.Add(string.Create(CultureInfo.InvariantCulture, $"  ... and {result.Details.Count - MaxDetailsPerEntry} more"));
            }

            if (result.LargestDifference is { } difference && (largest is null || difference.AbsoluteDifference > largest.AbsoluteDifference))
            {
                largest = difference with { Location = $"{name}: {difference.Location}" };
            }
        }

        var recordedOrder = recordedEntries.Keys.Where(actualEntries.ContainsKey);
        var actualOrder = actualEntries.Keys.Where(recordedEntries.ContainsKey);
        metadata.OrderDiffers = !recordedOrder.SequenceEqual(actualOrder, StringComparer.Ordinal);
        metadata.ArchiveCommentDiffers = !string.Equals(recordedArchive.Comment, actualArchive.Comment, StringComparison.Ordinal);

        if (removed.Count + added.Count + changed.Count > 0)
        {
            var parts = new List<string>();
            AddPart(parts, changed, "changed");
            AddPart(parts, added, "added");
            AddPart(parts, removed, "removed");
            var summary = $"zip differs: {string.Join("; ", parts)}; recorded has {DisplayText.Count(recordedEntries.Count, "entry", "entries")}";
            return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Zip, summary, details.ToList())
            {
                LargestDifference = largest,
            };
        }

        foreach (var line in metadata.Describe(recordedEntries.Count))
        {
            details.Add(line);
        }

        var outcomeSummary = equivalent.Count > 0
            ? $"same zip entries; {DisplayText.Count(equivalent.Count, "entry", "entries")} equivalent ({Names(equivalent)}), the others hold the same bytes"
            : "same content, container metadata differs";
        return new ComparisonResult(ComparisonOutcome.Equivalent, ComparerName.Zip, outcomeSummary, details.ToList()) { LargestDifference = largest };
    }

    private static ComparisonResult CompareEntry(ZipArchiveEntry recordedEntry, ZipArchiveEntry actualEntry, ComparisonTolerance tolerance, int depth)
    {
        var recorded = new ZipEntryContentSource(recordedEntry);
        var actual = new ZipEntryContentSource(actualEntry);
        try
        {
            return BinaryComparer.SameBytes(recorded, actual)
                ? new ComparisonResult(ComparisonOutcome.Identical, ComparerName.Binary, "same bytes", [])
                : ContentComparison.Compare(recorded, actual, tolerance, depth + 1);
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException)
        {
            return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Binary, $"cannot be decompressed: {exception.Message}", []);
        }
    }

    /// <summary>Entries by name in archive order; a repeated name gets a "#2" suffix so neither copy is lost.</summary>
    private static Dictionary<string, ZipArchiveEntry> ByName(ZipArchive archive)
    {
        var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            for (var copy = 2; entries.ContainsKey(name); copy++)
            {
                name = string.Create(CultureInfo.InvariantCulture, $"{entry.FullName}#{copy}");
            }

            entries.Add(name, entry);
        }

        return entries;
    }

    private static void AddPart(List<string> parts, List<string> names, string verb)
    {
        if (names.Count == 1)
        {
            parts.Add($"{verb} {names[0]}");
        }
        else if (names.Count > 1)
        {
            parts.Add($"{verb} {DisplayText.Count(names.Count, "entry", "entries")} ({Names(names)})");
        }
    }

    private static string Names(List<string> names) =>
        string.Join(", ", names.Take(MaxNamesInSummary)) + (names.Count > MaxNamesInSummary ? ", ..." : string.Empty);

    /// <summary>ZipArchive needs to seek; a nested archive read from an entry is copied to memory first.</summary>
    private static Stream Seekable(Stream stream)
    {
        if (stream.CanSeek)
        {
            return stream;
        }

        var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return copy;
    }

    /// <summary>What differs between archives whose entries hold the same bytes, so the report can say why it still counts.</summary>
    private sealed class MetadataDifferences
    {
        private int _times;
        private int _compression;
        private int _attributes;
        private int _comments;

        public bool OrderDiffers { get; set; }

        public bool ArchiveCommentDiffers { get; set; }

        public void Observe(ZipArchiveEntry recorded, ZipArchiveEntry actual)
        {
            _times += recorded.LastWriteTime != actual.LastWriteTime ? 1 : 0;
            _compression += recorded.CompressedLength != actual.CompressedLength ? 1 : 0;
            _attributes += recorded.ExternalAttributes != actual.ExternalAttributes ? 1 : 0;
            _comments += string.Equals(recorded.Comment, actual.Comment, StringComparison.Ordinal) ? 0 : 1;
        }

        public IEnumerable<string> Describe(int entries)
        {
            var any = false;
            if (_times > 0)
            {
                any = true;
                yield return string.Create(CultureInfo.InvariantCulture, $"entry times differ for {_times} of {entries} entries");
            }

            if (OrderDiffers)
            {
                any = true;
                yield return "entry order differs";
            }

            if (_compression > 0)
            {
                any = true;
                yield return string.Create(CultureInfo.InvariantCulture, $"compressed sizes differ for {_compression} of {entries} entries (compression method or level)");
            }

            if (_attributes > 0)
            {
                any = true;
                yield return string.Create(CultureInfo.InvariantCulture, $"file attributes differ for {_attributes} of {entries} entries");
            }

            if (_comments > 0 || ArchiveCommentDiffers)
            {
                any = true;
                yield return "zip comments differ";
            }

            if (!any)
            {
                yield return "only header fields differ (extra fields, flags or versions)";
            }
        }
    }
}
