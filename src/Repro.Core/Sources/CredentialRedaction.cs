using System.Text.RegularExpressions;
using Repro.Core.Capture.Git;

namespace Repro.Core.Sources;

/// <summary>Removes the credentials of a URL from a message (git's error output) before repro shows it.</summary>
internal static partial class CredentialRedaction
{
    /// <summary>
    /// Rewrites every URL in <paramref name="text"/> without credentials, then replaces any remaining copy of the user
    /// part of <paramref name="url"/> (as given or percent-decoded) with <c>***</c>.
    /// </summary>
    /// <param name="text">The message.</param>
    /// <param name="url">The URL whose credentials must not appear.</param>
    /// <returns>The message without them.</returns>
    public static string Redact(string text, string url)
    {
        var redacted = text.Replace(url, RemoteUrl.RemoveCredentials(url), StringComparison.Ordinal);
        redacted = UrlPattern().Replace(redacted, match => RemoteUrl.RemoveCredentials(match.Value));
        // Short values are left alone: replacing every "x" in a message would ruin it, and git prints credentials
        // only inside URLs, which the line above already rewrote.
        if (SecretPart(url) is { Length: >= 4 } user)
        {
            redacted = redacted.Replace(user, "***", StringComparison.Ordinal);
            var decoded = Uri.UnescapeDataString(user);
            if (decoded.Length > 0)
            {
                redacted = redacted.Replace(decoded, "***", StringComparison.Ordinal);
            }
        }

        return redacted;
    }

    // The part RemoteUrl.RemoveCredentials drops: user and password for https and others, the password for ssh.
    private static string? SecretPart(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            // scp-like user:password@host:path
            var atSign = url.IndexOf('@', StringComparison.Ordinal);
            var colon = url.IndexOf(':', StringComparison.Ordinal);
            return atSign > 0 && colon >= 0 && colon < atSign ? url[(colon + 1)..atSign] : null;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? url[authorityStart..] : url[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        if (at <= 0)
        {
            return null;
        }

        var userInfo = authority[..at];
        var scheme = url[..schemeEnd];
        if (scheme.Contains("ssh", StringComparison.OrdinalIgnoreCase))
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : userInfo[(colon + 1)..];
        }

        return userInfo;
    }

    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'""<>]+", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPattern();
}
