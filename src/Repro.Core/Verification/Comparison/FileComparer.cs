using System.Security.Cryptography;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Compares a recorded output file with its re-created version, as <c>repro verify</c> and <c>repro diff</c> do.
/// Equal SHA-256 means identical without reading anything. Otherwise the content decides the comparer:
/// a zip archive (two zips, by the <c>PK</c> signature) entry by entry; <c>.json</c>, <c>.jsonl</c> and
/// <c>.ndjson</c> by value; <c>.csv</c>, <c>.tsv</c> and <c>.tab</c> cell by cell; other valid UTF-8 without NUL
/// line by line; anything else byte by byte. A file that does not parse as its extension says is compared as
/// text or bytes, and a detail line says so.
/// </summary>
public static class FileComparer
{
    /// <summary>Most detail lines one result carries; the rest are counted in a closing "… and N more" line.</summary>
    public const int MaxDetails = 50;

    /// <summary>Compares two files, hashing them first.</summary>
    /// <param name="recordedPath">The recorded output, as kept in the run store.</param>
    /// <param name="actualPath">The re-created output.</param>
    /// <param name="tolerance">How far numbers in JSON and CSV may move.</param>
    /// <exception cref="StoreException">A file cannot be read.</exception>
    public static ComparisonResult Compare(string recordedPath, string actualPath, ComparisonTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(recordedPath);
        ArgumentNullException.ThrowIfNull(actualPath);
        return Compare(new ComparedFile(recordedPath, null), new ComparedFile(actualPath, null), tolerance);
    }

    /// <summary>
    /// Compares two files whose hashes may already be known. When both hashes are given and equal the files are not
    /// read. When either side has no path (its content was not kept) only the hashes can be compared.
    /// A re-created file that does not exist is <see cref="ComparisonOutcome.Different"/> ("missing").
    /// </summary>
    /// <param name="recorded">The recorded side.</param>
    /// <param name="actual">The re-created side.</param>
    /// <param name="tolerance">How far numbers in JSON and CSV may move.</param>
    /// <exception cref="ArgumentException">A side has neither a path nor a hash.</exception>
    /// <exception cref="StoreException">The recorded file is missing, or a file cannot be read.</exception>
    public static ComparisonResult Compare(ComparedFile recorded, ComparedFile actual, ComparisonTolerance tolerance)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(tolerance);
        if (recorded.Path is null && recorded.Sha256 is null)
        {
            throw new ArgumentException("The recorded side needs a path or a SHA-256.", nameof(recorded));
        }

        if (actual.Path is null && actual.Sha256 is null)
        {
            throw new ArgumentException("The re-created side needs a path or a SHA-256.", nameof(actual));
        }

        if (SameHash(recorded.Sha256, actual.Sha256))
        {
            return Identical(recorded.Sha256!);
        }

        if (actual.Path is not null && !File.Exists(actual.Path))
        {
            return new ComparisonResult(ComparisonOutcome.Different, ComparerName.Missing, "missing from the re-created run", []);
        }

        if (recorded.Path is not null && !File.Exists(recorded.Path))
        {
            throw new StoreException($"The recorded output {recorded.Path} is missing from the run store.");
        }

        try
        {
            var recordedHash = recorded.Sha256 ?? Hash(recorded.Path!);
            var actualHash = actual.Sha256 ?? Hash(actual.Path!);
            if (SameHash(recordedHash, actualHash))
            {
                return Identical(recordedHash);
            }

            if (recorded.Path is null || actual.Path is null)
            {
                var side = recorded.Path is null ? "recorded" : "re-created";
                return new ComparisonResult(
                    ComparisonOutcome.Different,
                    ComparerName.Sha256,
                    $"content differs (sha256 {Short(recordedHash)} against {Short(actualHash)}); the {side} content was not kept, so where cannot be shown",
                    []);
            }

            return ContentComparison.Compare(new FileContentSource(recorded.Path, recorded.Name), new FileContentSource(actual.Path, actual.Name), tolerance, depth: 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"Cannot compare {recorded.Path} with {actual.Path}: {exception.Message}", exception);
        }
    }

    private static ComparisonResult Identical(string sha256) =>
        new(ComparisonOutcome.Identical, ComparerName.Sha256, $"bit-identical (sha256 {Short(sha256)})", []);

    private static bool SameHash(string? recorded, string? actual) =>
        recorded is not null && actual is not null && string.Equals(recorded, actual, StringComparison.OrdinalIgnoreCase);

    private static string Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 81920, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Short(string sha256) => sha256.Length > 12 ? $"{sha256[..12]}..." : sha256;
}
