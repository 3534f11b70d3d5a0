using System.Security.Cryptography;
using Repro.Core.Capture.Data;
using Repro.Core.FileSystem;
using Repro.Core.Json;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Results;

/// <summary>
/// The file an entry point writes its metrics to: a JSON object of name to number. Its state is noted before the child
/// starts, so that a file the run did not rewrite is not taken for this run's metrics.
/// </summary>
public sealed class MetricsFile
{
    private readonly FileStamp? _before;

    private MetricsFile(string path, string displayPath)
    {
        Path = path;
        DisplayPath = displayPath;
        _before = FileStamp.Of(path);
    }

    /// <summary>Absolute path of the file (<c>REPRO_METRICS_FILE</c>).</summary>
    public string Path { get; }

    /// <summary>How the manifest names it: relative to the project, or to the run folder when repro chose it.</summary>
    public string DisplayPath { get; }

    /// <summary>
    /// The metrics file of a run: the entry point's declared <c>metrics:</c> file in the project, else
    /// <see cref="RunFolder.DefaultMetricsFileName"/> in the run folder. Notes its state now, before the child starts.
    /// </summary>
    /// <param name="declared">The declared file relative to the project, or null.</param>
    /// <param name="projectDirectory">The project directory (absolute).</param>
    /// <param name="folder">The run folder.</param>
    public static MetricsFile Before(string? declared, string projectDirectory, RunFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = declared is not null ? System.IO.Path.GetFullPath(System.IO.Path.Combine(projectDirectory, declared)) : folder.DefaultMetrics;
        var display = PathContainment.RelativeInside(projectDirectory, path)
            ?? PathContainment.RelativeInside(folder.Path, path)
            ?? path;
        return new MetricsFile(path, display);
    }

    /// <summary>
    /// Reads the metrics after the child exited. Every number is recorded, NaN and the infinities included (as Python's
    /// json module writes them, bare or as strings); a value that is not a number is left out with a warning, and never
    /// costs the others. The file is copied into the object store when one is given.
    /// </summary>
    /// <param name="objects">Where a copy of the file goes; null for none.</param>
    /// <param name="warnings">Receives one line per problem.</param>
    /// <returns>The metrics; null when the file does not exist or was not rewritten by this run.</returns>
    public MetricsRecord? Read(ObjectStore? objects, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var after = FileStamp.Of(Path);
        if (after is null)
        {
            return null;
        }

        if (_before is not null && _before == after)
        {
            warnings.Add($"metrics file {DisplayPath} was not rewritten by this run: its metrics are not recorded");
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"cannot read metrics file {DisplayPath}: {exception.Message}");
            return null;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        objects?.TryPut(Path, sha);
        return new MetricsRecord(DisplayPath, sha, Parse(bytes, DisplayPath, warnings));
    }

    /// <summary>The metrics in <paramref name="bytes"/>, name to number, sorted by name.</summary>
    /// <param name="bytes">The file's content.</param>
    /// <param name="displayPath">How warnings name the file.</param>
    /// <param name="warnings">Receives one line per value left out, or for a file that is not a JSON object.</param>
    public static SortedDictionary<string, double> Parse(byte[] bytes, string displayPath, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        JsonTree document;
        try
        {
            document = ProgramJson.Parse(bytes);
        }
        catch (JsonSyntaxException exception)
        {
            warnings.Add($"metrics file {displayPath} is not valid JSON ({exception.Describe()}): ignored");
            return values;
        }

        if (document.Kind != JsonKind.Object)
        {
            warnings.Add($"metrics file {displayPath} is not a JSON object of name to number: ignored");
            return values;
        }

        foreach (var name in document.Keys)
        {
            if (ProgramJson.TryGetNumber(document.Members[name], out var number))
            {
                values[name] = number;
            }
            else
            {
                warnings.Add($"metrics file {displayPath}: '{name}' is not a number: ignored");
            }
        }

        return values;
    }
}
