using Repro.Core.Runs;

namespace Repro.Core.Remotes;

/// <summary>The objects a run's manifest names: every input and output file with a digest, and the metrics file.</summary>
internal static class RunReferences
{
    /// <summary>One object a run references.</summary>
    /// <param name="Sha256">The object.</param>
    /// <param name="Path">The first file recorded with it, for messages.</param>
    /// <param name="Stored">Whether the run recorded that it kept a copy.</param>
    public sealed record Reference(string Sha256, string Path, bool Stored);

    /// <summary>Each digest once, in manifest order, stored if any file with it was stored.</summary>
    public static IReadOnlyList<Reference> Of(RunManifest manifest)
    {
        var found = new Dictionary<string, Reference>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string? sha256, string path, bool stored)
        {
            if (sha256 is null || !Capture.Data.ObjectStore.IsSha256(sha256))
            {
                return;
            }

            if (found.TryGetValue(sha256, out var known))
            {
                found[sha256] = known with { Stored = known.Stored || stored };
                return;
            }

            found[sha256] = new Reference(sha256, path, stored);
            order.Add(sha256);
        }

        foreach (var file in manifest.Inputs.Concat(manifest.Outputs).SelectMany(record => record.Files))
        {
            Add(file.Sha256, file.Path, file.Stored);
        }

        if (manifest.Metrics is { File: { } metricsFile, Sha256: { } metricsSha })
        {
            Add(metricsSha, metricsFile, stored: false);
        }

        return order.Select(sha => found[sha]).ToList();
    }
}
