using System.Text.RegularExpressions;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// Values that are credentials by their look, whatever the variable or parameter holding them is called: the token
/// formats of GitHub, GitLab and Slack, AWS access key ids, <c>sk-</c> API keys (OpenAI, Anthropic and others) and
/// Stripe keys, JSON Web Tokens, and <c>password=</c>, <c>token=</c>, <c>secret=</c> (and similar) pairs in URLs and
/// query strings. A match is never recorded.
/// </summary>
public static partial class SecretPatterns
{
    /// <summary>Fragments that mark a parameter name as a likely secret, compared case-insensitively.</summary>
    private static readonly string[] SecretParameterFragments =
    [
        "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "APIKEY", "API_KEY", "API-KEY", "ACCESS_KEY", "ACCESSKEY", "PRIVATE_KEY", "PRIVATEKEY", "AUTH_KEY",
    ];

    /// <summary>Whether <paramref name="value"/> holds something shaped like a credential.</summary>
    /// <param name="value">A value about to be recorded.</param>
    /// <returns>True when it must be withheld.</returns>
    public static bool LooksLikeSecret(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length >= 8 && Credential().IsMatch(value);
    }

    /// <summary>
    /// Whether a parameter's name says it holds a secret (token, secret, password, credential, API or access key). Narrower
    /// than the names withheld among environment variables: a parameter named <c>key</c> or <c>author</c> is ordinary.
    /// </summary>
    public static bool IsSecretParameterName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return SecretParameterFragments.Any(fragment => name.Contains(fragment, StringComparison.OrdinalIgnoreCase));
    }

    // One alternation per format; each anchored on a word boundary or a separator so that ordinary words that merely
    // contain the prefix ("task-…", "desk-…") do not match.
    [GeneratedRegex("""
        (?:^|[^A-Za-z0-9_])(?:
            gh[pousr]_[A-Za-z0-9]{30,}
          | github_pat_[A-Za-z0-9_]{30,}
          | gl(?:pat|dt|rt|ptt|ft|cbt|imt|oas|soat|agent)-[A-Za-z0-9_\-]{20,}
          | xox[abposre]-[A-Za-z0-9\-]{10,}
          | xapp-[0-9]-[A-Za-z0-9\-]{10,}
          | hooks\.slack\.com/services/[A-Za-z0-9/]{20,}
          | (?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])
          | sk-[A-Za-z0-9_\-]{20,}
          | [rs]k_(?:live|test)_[A-Za-z0-9]{16,}
          | eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*
        )
        | (?:^|[?&;#,\s])[A-Za-z0-9_.\-]*(?:password|passwd|pwd|token|secret|api[_\-]?key|access[_\-]?key|credential|signature)[A-Za-z0-9_.\-]*=[^&;#\s]+
        """, RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex Credential();
}
