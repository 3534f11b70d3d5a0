namespace Repro.Core.Capture.Data;

/// <summary>
/// A glob over project-relative paths with forward slashes: <c>*</c> matches any run of characters inside one
/// path segment, <c>?</c> exactly one character, and a segment that is exactly <c>**</c> any number of segments,
/// none included. Matching is ordinal and case-sensitive, like the Linux file system, and a leading dot is an
/// ordinary character. Only files match, never directories.
/// </summary>
internal sealed class GlobPattern
{
    private const string AnySegments = "**";

    private readonly string[] _segments;

    private GlobPattern(string[] segments, int literalCount)
    {
        _segments = segments;
        LiteralPrefix = string.Join('/', segments, 0, literalCount);
        MaxDepth = Array.IndexOf(segments, AnySegments) >= 0 ? null : segments.Length - literalCount;
    }

    /// <summary>The leading segments without wildcards: the folder the search starts from ("" for the project).</summary>
    public string LiteralPrefix { get; }

    /// <summary>How many segments below <see cref="LiteralPrefix"/> a match can lie; null when <c>**</c> makes it unbounded.</summary>
    public int? MaxDepth { get; }

    /// <summary>Whether <paramref name="spec"/> is a glob rather than a plain path.</summary>
    public static bool IsGlob(string spec) => spec.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Parses a normalized, project-relative pattern with forward slashes.</summary>
    public static GlobPattern Parse(string relativePattern)
    {
        var segments = relativePattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var literalCount = 0;
        while (literalCount < segments.Length && !IsGlob(segments[literalCount]))
        {
            literalCount++;
        }

        return new GlobPattern(segments, literalCount);
    }

    /// <summary>Whether a project-relative file path with forward slashes matches.</summary>
    public bool Matches(string relativePath) => MatchSegments(relativePath.Split('/'), 0, 0);

    private bool MatchSegments(string[] path, int p, int s)
    {
        while (s < _segments.Length)
        {
            if (_segments[s] == AnySegments)
            {
                // Collapse runs of ** and try every number of skipped path segments.
                while (s < _segments.Length && _segments[s] == AnySegments)
                {
                    s++;
                }

                if (s == _segments.Length)
                {
                    return p < path.Length;
                }

                for (var skip = p; skip < path.Length; skip++)
                {
                    if (MatchSegments(path, skip, s))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (p >= path.Length || !MatchSegment(_segments[s], path[p]))
            {
                return false;
            }

            s++;
            p++;
        }

        return p == path.Length;
    }

    private static bool MatchSegment(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        // Iterative wildcard match with backtracking to the last star: linear in practice, no recursion.
        int p = 0, n = 0, starP = -1, starN = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == name[n]))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starN = n;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                n = ++starN;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
