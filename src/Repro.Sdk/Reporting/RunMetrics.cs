using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Repro.Sdk.Reporting;

/// <summary>
/// Metrics logged by the entry point: a flat JSON object name -> number in the metrics file, merged into what
/// the file already holds and replaced atomically on every call; the last value of a name wins.
/// </summary>
internal sealed class RunMetrics
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    public RunMetrics(string? path) => FilePath = path;

    public string? FilePath { get; }

    public IReadOnlyDictionary<string, double> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, double>(_values, StringComparer.Ordinal);
        }
    }

    public void Log(IEnumerable<KeyValuePair<string, double>> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var batch = metrics.ToList();
        foreach (var (name, value) in batch)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException("A metric name must not be empty or white space.", nameof(metrics));
            }

            if (!double.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(metrics), value, $"Metric '{name}' is {value}; JSON holds finite numbers only.");
            }
        }

        lock (_gate)
        {
            var update = new JsonObject();
            foreach (var (name, value) in batch)
            {
                _values[name] = value;
                update[name] = value;
            }

            if (FilePath is null)
            {
                return;
            }

            var merged = JsonObjectFile.Read(FilePath);
            JsonObjectFile.MergeInto(merged, update, FrozenSet<string>.Empty);
            JsonObjectFile.Write(FilePath, merged);
        }
    }
}
