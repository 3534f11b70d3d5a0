using Repro.Core.Capture.Data;

namespace Repro.Core.Pipelines;

/// <summary>
/// Whether an input an entry point reads can be something another entry point writes. A plain path stands for itself and
/// everything below it (a file, or a folder and its files); a glob stands for the files it matches. Two specs overlap when
/// some path is covered by both: the input is the output, lies inside it, is matched by it, or is a folder holding it.
/// </summary>
internal static class PathOverlap
{
    private const string AnySegments = "**";

    /// <summary>Whether <paramref name="input"/> and <paramref name="output"/>, project-relative, can cover a common path.</summary>
    public static bool Overlaps(string input, string output) => Intersect(Segments(input), 0, Segments(output), 0);

    /// <summary>The spec with <c>.</c>, empty segments and <c>..</c> resolved, forward slashes; what two declarations of one output share.</summary>
    public static string Normalize(string spec) => string.Join('/', Segments(spec, implicitBelow: false));

    private static string[] Segments(string spec) => Segments(spec, implicitBelow: true);

    private static string[] Segments(string spec, bool implicitBelow)
    {
        var segments = new List<string>();
        foreach (var segment in spec.Replace('\\', '/').Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0)
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        // A plain path covers everything below it: a folder's files are read and written through it.
        if (implicitBelow && !GlobPattern.IsGlob(spec))
        {
            segments.Add(AnySegments);
        }

        return [.. segments];
    }

    // Intersection of two segment patterns in which ** stands for any number of segments: each ** either matches
    // nothing more or takes one segment of the other side (whatever that segment is).
    private static bool Intersect(string[] a, int i, string[] b, int j)
    {
        if (i == a.Length && j == b.Length)
        {
            return true;
        }

        if (i < a.Length && a[i] == AnySegments)
        {
            return Intersect(a, i + 1, b, j) || (j < b.Length && Intersect(a, i, b, j + 1));
        }

        if (j < b.Length && b[j] == AnySegments)
        {
            return Intersect(a, i, b, j + 1) || (i < a.Length && Intersect(a, i + 1, b, j));
        }

        return i < a.Length && j < b.Length && SegmentsMeet(a[i], b[j]) && Intersect(a, i + 1, b, j + 1);
    }

    private static bool SegmentsMeet(string a, string b)
    {
        var aGlob = GlobPattern.IsGlob(a);
        var bGlob = GlobPattern.IsGlob(b);
        if (!aGlob && !bGlob)
        {
            return string.Equals(a, b, StringComparison.Ordinal);
        }

        if (!aGlob || !bGlob)
        {
            var (pattern, name) = aGlob ? (a, b) : (b, a);
            return GlobPattern.Parse(pattern).Matches(name);
        }

        // Two wildcards: a name can match both when their fixed heads and tails agree (`*.csv` and `x*` can, `*.csv`
        // and `*.txt` cannot). This may say yes where no name fits both; a spurious edge only orders steps.
        var aHead = a[..a.AsSpan().IndexOfAny('*', '?')];
        var bHead = b[..b.AsSpan().IndexOfAny('*', '?')];
        var aTail = a[(a.AsSpan().LastIndexOfAny('*', '?') + 1)..];
        var bTail = b[(b.AsSpan().LastIndexOfAny('*', '?') + 1)..];
        return (aHead.StartsWith(bHead, StringComparison.Ordinal) || bHead.StartsWith(aHead, StringComparison.Ordinal))
            && (aTail.EndsWith(bTail, StringComparison.Ordinal) || bTail.EndsWith(aTail, StringComparison.Ordinal));
    }
}
