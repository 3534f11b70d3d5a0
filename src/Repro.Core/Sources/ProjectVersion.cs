using Repro.Core.Errors;

namespace Repro.Core.Sources;

/// <summary>
/// The <c>--version</c> of a git project: a branch, a tag or a commit id (full or abbreviated). Checked before it reaches
/// git so that it can only ever be read as a name: it may not start with '-' (an option) or use revision syntax
/// (<c>main~2</c>, <c>HEAD@{1}</c>, <c>:/message</c>).
/// </summary>
public static class ProjectVersion
{
    /// <summary>Fewest hexadecimal digits read as an abbreviated commit id, as git requires.</summary>
    public const int ShortestCommitPrefix = 4;

    /// <summary>Checks <paramref name="version"/> and returns it; null stays null (the repository's default branch).</summary>
    /// <param name="version">The version as given.</param>
    /// <returns>The same text.</returns>
    /// <exception cref="InputException">It is empty or cannot be a branch, tag or commit name.</exception>
    public static string? Validate(string? version)
    {
        if (version is null)
        {
            return null;
        }

        if (Problem(version) is { } problem)
        {
            throw new InputException($"version '{version}' cannot be a branch, tag or commit: {problem}");
        }

        return version;
    }

    /// <summary>Whether <paramref name="version"/> could be a commit id or an abbreviation of one.</summary>
    public static bool IsCommitPrefix(string version) =>
        version.Length is >= ShortestCommitPrefix and <= 64 && version.All(char.IsAsciiHexDigit);

    /// <summary>Whether <paramref name="version"/> is a full SHA-1 or SHA-256 commit id.</summary>
    public static bool IsFullCommitId(string version) =>
        version.Length is 40 or 64 && version.All(char.IsAsciiHexDigit);

    // The rules of `git check-ref-format`, which every branch and tag name satisfies, minus what a user never types.
    private static string? Problem(string version)
    {
        if (version.Length == 0)
        {
            return "it is empty";
        }

        if (version[0] == '-')
        {
            return "it starts with '-'";
        }

        if (version.Any(c => char.IsControl(c) || c == ' ' || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\'))
        {
            return "it contains a space, a control character or one of ~ ^ : ? * [ \\";
        }

        if (version.Contains("..", StringComparison.Ordinal) || version.Contains("@{", StringComparison.Ordinal) || version == "@")
        {
            return "it contains '..' or '@{', or is '@'";
        }

        if (version.EndsWith('/') || version.StartsWith('/') || version.Contains("//", StringComparison.Ordinal)
            || version.EndsWith('.') || version.EndsWith(".lock", StringComparison.Ordinal)
            || version.Split('/').Any(component => component.StartsWith('.')))
        {
            return "a component is empty, starts with '.' or ends with '.lock', or it ends with '.'";
        }

        return null;
    }
}
