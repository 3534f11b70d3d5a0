namespace Repro.Core.Capture.Git;

/// <summary>Makes a git remote URL safe to record: credentials never reach a run manifest.</summary>
public static class RemoteUrl
{
    /// <summary>
    /// Removes credentials from a remote URL. For URLs with a scheme other than ssh the whole user part is dropped,
    /// because hosts accept a bare token as the user name (<c>https://TOKEN@host/x</c>); the query is dropped too,
    /// because some hosts take tokens there. For <c>ssh://</c> URLs and scp-like <c>user@host:path</c> addresses the
    /// user name is kept (<c>git@</c> names an account, not a secret) and only a password after it is dropped.
    /// Local paths come back unchanged.
    /// </summary>
    /// <param name="url">The URL as configured in the repository.</param>
    /// <returns>The URL without credentials.</returns>
    public static string RemoveCredentials(string url)
    {
        ArgumentNullException.ThrowIfNull(url);

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && IsScheme(url.AsSpan(0, schemeEnd)))
        {
            return RemoveFromSchemeUrl(url, schemeEnd);
        }

        return RemoveFromScpLikeAddress(url);
    }

    private static string RemoveFromSchemeUrl(string url, int schemeEnd)
    {
        var scheme = url[..schemeEnd];
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        // The last '@' ends the user part: a password typed into a URL may itself contain an unescaped '@'.
        var at = url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart);
        var rest = url[authorityEnd..];
        var keepsUser = IsSsh(scheme);
        if (!keepsUser)
        {
            var query = rest.IndexOfAny(['?', '#']);
            if (query >= 0)
            {
                rest = rest[..query];
            }
        }

        if (at < 0)
        {
            return url[..authorityEnd] + rest;
        }

        var host = url[(at + 1)..authorityEnd];
        var prefix = url[..authorityStart];
        if (!keepsUser)
        {
            return prefix + host + rest;
        }

        var userInfo = url[authorityStart..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? userInfo : userInfo[..colon];
        return user.Length == 0 ? prefix + host + rest : prefix + user + "@" + host + rest;
    }

    private static string RemoveFromScpLikeAddress(string url)
    {
        // git reads "[user@]host:path" as ssh only when a ':' comes before any '/'; anything else is a local path.
        var slash = url.IndexOf('/', StringComparison.Ordinal);
        var head = slash < 0 ? url : url[..slash];
        var at = head.LastIndexOf('@');
        if (at <= 0 || !head.AsSpan(at + 1).Contains(':'))
        {
            return url;
        }

        var passwordStart = url.AsSpan(0, at).IndexOf(':');
        return passwordStart < 0 ? url : url[..passwordStart] + url[at..];
    }

    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSsh(string scheme) =>
        scheme.Equals("ssh", StringComparison.OrdinalIgnoreCase)
        || scheme.Equals("git+ssh", StringComparison.OrdinalIgnoreCase)
        || scheme.Equals("ssh+git", StringComparison.OrdinalIgnoreCase);
}
