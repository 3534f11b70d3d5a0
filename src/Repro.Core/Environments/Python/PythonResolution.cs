using Repro.Core.Runs;

namespace Repro.Core.Environments.Python;

/// <summary>
/// Compares what pip installed in two environments built from the same request: the packages by name and version,
/// then the SHA-256 of <c>pip freeze</c>, which also catches a changed direct reference (a URL or VCS commit) that
/// <c>pip list</c> does not show.
/// </summary>
public static class PythonResolution
{
    /// <summary>Every difference between <paramref name="recorded"/> and <paramref name="now"/>, one phrase each; empty when they resolved the same.</summary>
    /// <param name="recorded">What the recorded run's environment held.</param>
    /// <param name="now">What the environment holds now.</param>
    /// <returns>Phrases such as <c>numpy 1.26.4 -> 1.26.3</c>, <c>scipy added (1.13.0)</c>, <c>six removed (was 1.16.0)</c>.</returns>
    public static IReadOnlyList<string> Differences(PythonResolvedRecord recorded, PythonResolvedRecord now)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(now);
        var before = ByName(recorded.Packages);
        var after = ByName(now.Packages);
        var differences = new List<string>();
        foreach (var name in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var was = before.GetValueOrDefault(name);
            var isNow = after.GetValueOrDefault(name);
            if (was is null)
            {
                differences.Add($"{isNow!.Name} added ({isNow.Version})");
            }
            else if (isNow is null)
            {
                differences.Add($"{was.Name} removed (was {was.Version})");
            }
            else if (!string.Equals(was.Version, isNow.Version, StringComparison.Ordinal))
            {
                differences.Add($"{isNow.Name} {was.Version} -> {isNow.Version}");
            }
        }

        if (differences.Count == 0 && !string.Equals(recorded.FreezeSha256, now.FreezeSha256, StringComparison.Ordinal))
        {
            differences.Add($"pip freeze output changed (sha256 {recorded.FreezeSha256[..Math.Min(12, recorded.FreezeSha256.Length)]} -> {now.FreezeSha256[..Math.Min(12, now.FreezeSha256.Length)]})");
        }

        return differences;
    }

    /// <summary>A distribution name as pip compares names (PEP 503): case-insensitive, runs of <c>-</c>, <c>_</c> and <c>.</c> alike.</summary>
    /// <param name="name">The name as listed.</param>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var text = new System.Text.StringBuilder(name.Length);
        var separator = false;
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                separator = true;
                continue;
            }

            if (separator && text.Length > 0)
            {
                text.Append('-');
            }

            separator = false;
            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private static Dictionary<string, PythonPackageRecord> ByName(IEnumerable<PythonPackageRecord> packages)
    {
        var byName = new Dictionary<string, PythonPackageRecord>(StringComparer.Ordinal);
        foreach (var package in packages)
        {
            byName.TryAdd(Normalize(package.Name), package);
        }

        return byName;
    }
}
