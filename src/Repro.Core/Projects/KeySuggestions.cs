using System.Text.RegularExpressions;

namespace Repro.Core.Projects;

/// <summary>"Did you mean" hints for unknown keys and type words in an MLproject file.</summary>
internal static partial class KeySuggestions
{
    private static readonly Dictionary<string, string> s_typeSynonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["str"] = "string",
        ["text"] = "string",
        ["integer"] = "int",
        ["long"] = "int",
        ["double"] = "float",
        ["number"] = "float",
        ["file"] = "path",
        ["dir"] = "path",
        ["directory"] = "path",
        ["url"] = "uri",
    };

    /// <summary>
    /// A hint for the unknown key <paramref name="key"/>: a known key run together with its value (<c>type str</c>,
    /// <c>type:int</c>, <c>default="x"</c>, which YAML reads as one key), a known key in another letter case, or
    /// one within two edits. Null when nothing is close.
    /// </summary>
    public static string? For(string key, IReadOnlyCollection<string> known)
    {
        var glued = GluedValue().Match(key);
        if (glued.Success && known.Contains(glued.Groups["key"].Value, StringComparer.Ordinal))
        {
            var written = glued.Groups["key"].Value + ": " + glued.Groups["value"].Value.Trim();
            var why = glued.Groups["separator"].Value switch
            {
                ":" => "YAML needs a space after the colon",
                "=" => "YAML separates a key from its value with ': ', not '='",
                _ => "the colon is missing",
            };
            return $"did you mean '{written}' ({why})?";
        }

        return Closest(key, known) is { } closest ? $"did you mean '{closest}'?" : null;
    }

    /// <summary>A hint for an unknown parameter type word, or null.</summary>
    public static string? ForType(string word, IReadOnlyCollection<string> known) =>
        s_typeSynonyms.TryGetValue(word, out var synonym) ? $"did you mean '{synonym}'?"
        : Closest(word, known) is { } closest ? $"did you mean '{closest}'?"
        : null;

    private static string? Closest(string word, IReadOnlyCollection<string> known)
    {
        var caseOnly = known.FirstOrDefault(candidate => string.Equals(candidate, word, StringComparison.OrdinalIgnoreCase));
        if (caseOnly is not null)
        {
            return caseOnly;
        }

        var limit = word.Length <= 4 ? 1 : 2;
        return known
            .Select(candidate => (Candidate: candidate, Distance: Distance(word.ToLowerInvariant(), candidate)))
            .Where(pair => pair.Distance <= limit)
            .OrderBy(pair => pair.Distance)
            .ThenBy(pair => pair.Candidate, StringComparer.Ordinal)
            .Select(pair => pair.Candidate)
            .FirstOrDefault();
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours count one each.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    [GeneratedRegex(@"^(?<key>[A-Za-z_]+)(?<separator>:|=|\s+)(?<value>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GluedValue();
}
