using Repro.Core.Errors;

namespace Repro.Core.Remotes;

/// <summary>What kind of storage a remote is.</summary>
public enum RemoteKind
{
    /// <summary>A folder: a shared drive, an NFS mount, another disk.</summary>
    Directory,

    /// <summary>An S3 bucket (or an S3-compatible store such as MinIO, Ceph or R2), under a key prefix.</summary>
    S3,
}

/// <summary>Where a remote is, parsed from its URL.</summary>
public sealed record RemoteLocation
{
    private const string Usage = "use a folder path, file:///PATH or s3://BUCKET/PREFIX";

    /// <summary>The kind of storage.</summary>
    public required RemoteKind Kind { get; init; }

    /// <summary>The URL as written in the remotes file.</summary>
    public required string Url { get; init; }

    /// <summary>For a directory remote, its absolute path.</summary>
    public string? DirectoryPath { get; init; }

    /// <summary>For an S3 remote, the bucket.</summary>
    public string? Bucket { get; init; }

    /// <summary>For an S3 remote, the key prefix without leading or trailing <c>/</c> (empty for the bucket's root).</summary>
    public string Prefix { get; init; } = string.Empty;

    /// <summary>
    /// Parses a remote URL: an absolute or relative folder path, <c>file:///PATH</c>, or <c>s3://BUCKET[/PREFIX]</c>.
    /// Credentials are refused wherever they could hide (<c>s3://KEY:SECRET@bucket</c>).
    /// </summary>
    /// <param name="url">The URL as written.</param>
    /// <param name="baseDirectory">What a relative folder path is relative to (the project directory).</param>
    /// <exception cref="InputException">The URL is malformed, of an unsupported kind, or carries credentials.</exception>
    public static RemoteLocation Parse(string url, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = url.Trim();
        if (text.Length == 0)
        {
            throw new InputException($"a remote URL cannot be empty: {Usage}");
        }

        if (text.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            return ParseS3(url, text["s3://".Length..]);
        }

        if (text.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            return ParseFile(url, text);
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (colon > 0 && (slash < 0 || colon < slash))
        {
            throw new InputException($"unsupported remote URL '{url}': {Usage}");
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new InputException($"remote URL '{url}' is not a usable path");
        }

        return new RemoteLocation
        {
            Kind = RemoteKind.Directory,
            Url = url,
            DirectoryPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(text, Path.GetFullPath(baseDirectory))),
        };
    }

    /// <inheritdoc />
    public override string ToString() => Url;

    private static RemoteLocation ParseFile(string url, string text)
    {
        var rest = text["file://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            throw new InputException($"remote URL '{url}' carries credentials: a remote URL never does");
        }

        if (authority.Length > 0 && !string.Equals(authority, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputException($"remote URL '{url}' names the host '{authority}': a file:// remote is a local folder (mount the share and give its path)");
        }

        if (slash < 0 || rest.IndexOfAny(['?', '#']) >= 0)
        {
            throw new InputException($"malformed remote URL '{url}': {Usage}");
        }

        var path = Uri.UnescapeDataString(rest[slash..]);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new InputException($"remote URL '{url}' is not a usable path");
        }

        return new RemoteLocation
        {
            Kind = RemoteKind.Directory,
            Url = url,
            DirectoryPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)),
        };
    }

    private static RemoteLocation ParseS3(string url, string rest)
    {
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (bucket.Contains('@', StringComparison.Ordinal))
        {
            throw new InputException($"remote URL '{url}' carries credentials: S3 takes them from the AWS chain (environment, profile, instance role), never from the URL");
        }

        if (bucket.Length == 0)
        {
            throw new InputException($"malformed remote URL '{url}': it names no bucket (s3://BUCKET/PREFIX)");
        }

        if (!IsBucketName(bucket))
        {
            throw new InputException($"malformed remote URL '{url}': '{bucket}' is not a bucket name (3 to 63 lower-case letters, digits, '.', '-' or '_', starting and ending with a letter or digit)");
        }

        if (prefix.Contains('?', StringComparison.Ordinal) || prefix.Contains('#', StringComparison.Ordinal) || prefix.Contains('\\', StringComparison.Ordinal))
        {
            throw new InputException($"malformed remote URL '{url}': the prefix may not contain '?', '#' or '\\'");
        }

        if (prefix.Length > 0 && prefix.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new InputException($"malformed remote URL '{url}': the prefix has an empty, '.' or '..' segment");
        }

        return new RemoteLocation { Kind = RemoteKind.S3, Url = url, Bucket = bucket, Prefix = prefix };
    }

    private static bool IsBucketName(string name) =>
        name.Length is >= 3 and <= 63
        && name.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789.-_") < 0
        && char.IsAsciiLetterOrDigit(name[0])
        && char.IsAsciiLetterOrDigit(name[^1]);
}
