using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.ML;

namespace Repro.Sdk.MLNet;

/// <summary>
/// Saves ML.NET models as byte-identical files for identical models. <c>MLContext.Model.Save</c> stamps every zip
/// entry with the time it was written, so two identical trainings give different bytes; this rewrites the zip with
/// entries sorted by name (ordinal), one fixed entry time and one compression level.
/// </summary>
/// <remarks>
/// The entry time is <c>SOURCE_DATE_EPOCH</c> (seconds since 1970, UTC) when set, else 1980-01-01 00:00:00, the
/// earliest time a zip can hold. Deflate output comes from the runtime's zlib and the zip header names the OS
/// family, so the bytes repeat for the same .NET runtime version on the same OS family (both are in the report).
/// </remarks>
public static class DeterministicModelFile
{
    /// <summary>The entry time when <c>SOURCE_DATE_EPOCH</c> is not set: the earliest a zip entry can hold.</summary>
    public static readonly DateTimeOffset DefaultEntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset LatestEntryTime = new(2107, 12, 31, 23, 59, 58, TimeSpan.Zero);

    /// <summary>Saves <paramref name="model"/> to <paramref name="path"/> (atomically) and returns the file's SHA-256.</summary>
    /// <param name="mlContext">The context the model was trained in.</param>
    /// <param name="model">The trained model.</param>
    /// <param name="inputSchema">The schema of the data the model takes, as for <c>MLContext.Model.Save</c>.</param>
    /// <param name="path">The model file; its folder is created.</param>
    /// <param name="entryTime">Time stamped on every entry; null for <see cref="EntryTimeFromEnvironment"/>.</param>
    /// <returns>The SHA-256 of the written file, lowercase hexadecimal.</returns>
    public static string Save(MLContext mlContext, ITransformer model, DataViewSchema? inputSchema, string path, DateTimeOffset? entryTime = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        using var saved = new MemoryStream();
        mlContext.Model.Save(model, inputSchema, saved);
        saved.Position = 0;

        using var normalized = new MemoryStream();
        Normalize(saved, normalized, entryTime ?? EntryTimeFromEnvironment());
        var bytes = normalized.ToArray();

        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? ".";
        var temp = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, fullPath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            throw new ReproSdkException($"Cannot write the model file {fullPath}: {e.Message}", e);
        }

        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>
    /// Copies the zip in <paramref name="source"/> to <paramref name="destination"/> with entries sorted by name,
    /// stamped with <paramref name="entryTime"/> (clamped to what a zip can hold), no external attributes and
    /// optimal compression. The entries' contents are unchanged.
    /// </summary>
    /// <param name="source">A readable zip.</param>
    /// <param name="destination">Where the normalized zip is written.</param>
    /// <param name="entryTime">Time for every entry.</param>
    public static void Normalize(Stream source, Stream destination, DateTimeOffset entryTime)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);

        var time = ClampToZipRange(entryTime);
        using var input = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        using var output = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var entry in input.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            var copy = output.CreateEntry(entry.FullName, CompressionLevel.Optimal);
            copy.LastWriteTime = time;
            copy.ExternalAttributes = 0;
            using var from = entry.Open();
            using var to = copy.Open();
            from.CopyTo(to);
        }
    }

    /// <summary>
    /// <c>SOURCE_DATE_EPOCH</c> as a UTC time when set, else <see cref="DefaultEntryTime"/>.
    /// </summary>
    /// <returns>The entry time.</returns>
    /// <exception cref="ReproSdkException"><c>SOURCE_DATE_EPOCH</c> is not a whole number of seconds.</exception>
    public static DateTimeOffset EntryTimeFromEnvironment() =>
        EntryTimeFrom(Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH"));

    internal static DateTimeOffset EntryTimeFrom(string? sourceDateEpoch)
    {
        if (string.IsNullOrWhiteSpace(sourceDateEpoch))
        {
            return DefaultEntryTime;
        }

        return long.TryParse(sourceDateEpoch, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? ClampToZipRange(DateTimeOffset.FromUnixTimeSeconds(seconds))
            : throw new ReproSdkException($"SOURCE_DATE_EPOCH is '{sourceDateEpoch}', not a whole number of seconds since 1970-01-01.");
    }

    private static DateTimeOffset ClampToZipRange(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc < DefaultEntryTime ? DefaultEntryTime : utc > LatestEntryTime ? LatestEntryTime : utc;
    }
}
