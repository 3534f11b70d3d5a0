using System.Globalization;

namespace Repro.Core.Remotes;

/// <summary>The checks every remote setting goes through, whether it comes from a file or the command line.</summary>
public static class RemoteSettingValues
{
    /// <summary>Checks a remote name: a letter or digit, then letters, digits, '.', '_' or '-'.</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= 64
        && char.IsAsciiLetterOrDigit(name[0])
        && name.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") < 0;

    /// <summary>Checks an S3 endpoint: an absolute http or https URL without credentials.</summary>
    /// <returns>Null when valid, else why not.</returns>
    public static string? EndpointProblem(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Host.Length == 0)
        {
            return $"endpoint '{endpoint}' is not an http:// or https:// URL";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"endpoint '{endpoint}' carries credentials: S3 takes them from the AWS chain, never from a URL";
        }

        return null;
    }

    /// <summary>Parses a size: a number of bytes, or a number with KiB, MiB or GiB.</summary>
    public static bool TryParseSize(string text, out long bytes)
    {
        bytes = 0;
        var trimmed = text.Trim();
        long factor = 1;
        foreach (var (suffix, unit) in new[] { ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30) })
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[..^suffix.Length].TrimEnd();
                factor = unit;
                break;
            }
        }

        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / factor)
        {
            return false;
        }

        bytes = number * factor;
        return true;
    }

    /// <summary>Checks a region name, such as <c>us-east-1</c>.</summary>
    public static bool IsRegionName(string region) =>
        region.Length > 0 && region.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789-") < 0;
}
