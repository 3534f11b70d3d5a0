using Repro.Core.Capture.Git;
using Repro.Core.Errors;

namespace Repro.Core.Sources;

/// <summary>
/// A project URI in MLflow's syntax: a local path, a <c>file://</c> URL or a git URL, optionally followed by
/// <c>#sub/directory</c>. The location may carry credentials (<c>https://TOKEN@host/repo</c>) because git needs them to
/// fetch; <see cref="ToString"/> and <see cref="SafeLocation"/> never show them, so neither may reach a manifest or a message.
/// </summary>
/// <param name="Kind">Whether the location is on this machine or reached over the network.</param>
/// <param name="Location">For <see cref="ProjectUriKind.LocalPath"/>, an absolute path; for <see cref="ProjectUriKind.GitUrl"/>, the URL as given, credentials included.</param>
/// <param name="Subdirectory">The project folder inside the location, relative with forward slashes; empty for the root.</param>
public sealed record ProjectUri(ProjectUriKind Kind, string Location, string Subdirectory)
{
    // Transports git reaches over the network. Other schemes MLflow knows (s3, dbfs, gs, hdfs) hold zip files or
    // artifacts, not git repositories.
    private static readonly string[] GitSchemes = ["https", "http", "ssh", "git", "git+ssh", "ssh+git"];

    /// <summary>The location with credentials removed, as it may be shown and recorded.</summary>
    public string SafeLocation => Kind == ProjectUriKind.GitUrl ? RemoteUrl.RemoveCredentials(Location) : Location;

    /// <summary>
    /// Reads a project URI as <c>mlflow run</c> does: surrounding quotes are dropped, the first <c>#</c> starts the
    /// subdirectory, a <c>file://</c> URL or a path is local, a URL with a git transport or an scp-like
    /// <c>[user@]host:path</c> is a git URL. As in MLflow, a text that names an existing local folder is local even
    /// when it contains a colon.
    /// </summary>
    /// <param name="text">The URI as the user typed it.</param>
    /// <param name="workingDirectory">The folder a relative path is resolved against.</param>
    /// <param name="directoryExists">Tells whether a path names an existing folder; <see cref="Directory.Exists"/> when null.</param>
    /// <returns>The parsed URI.</returns>
    /// <exception cref="InputException">The URI is empty, uses a scheme repro cannot fetch, or its subdirectory leaves the project.</exception>
    /// <remarks>
    /// MLflow refuses any '.' in the subdirectory; repro accepts dotted folder names and refuses only what could leave
    /// the checkout (<c>..</c>, an absolute path).
    /// </remarks>
    public static ProjectUri Parse(string text, string workingDirectory, Func<string, bool>? directoryExists = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(workingDirectory);
        directoryExists ??= Directory.Exists;

        var unquoted = text.Trim('\'', '"');
        if (unquoted.Trim().Length == 0)
        {
            throw new InputException("the project URI is empty");
        }

        var hash = unquoted.IndexOf('#', StringComparison.Ordinal);
        var location = hash < 0 ? unquoted : unquoted[..hash];
        var subdirectory = hash < 0 ? string.Empty : NormalizeSubdirectory(unquoted[(hash + 1)..], RedactedForMessage(location));
        if (location.Length == 0)
        {
            throw new InputException($"the project URI '{unquoted}' names no location before '#'");
        }

        if (location.Any(char.IsControl))
        {
            throw new InputException("the project URI contains a control character");
        }

        var schemeEnd = location.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd > 0 && Uri.CheckSchemeName(location[..schemeEnd]))
        {
            var scheme = location[..schemeEnd].ToLowerInvariant();
            if (scheme == "file")
            {
                return new ProjectUri(ProjectUriKind.LocalPath, FileUrlPath(location), subdirectory);
            }

            if (!GitSchemes.Contains(scheme, StringComparer.Ordinal))
            {
                throw new InputException(
                    $"'{RedactedForMessage(location)}' uses the scheme '{scheme}', which repro cannot fetch; "
                    + "name a local path, a file:// URL or a git URL (https://, http://, ssh://, git://, user@host:path)");
            }

            var authority = location[(schemeEnd + 3)..];
            var authorityEnd = authority.IndexOfAny(['/', '?']);
            CheckHost(authorityEnd < 0 ? authority : authority[..authorityEnd], location);
            return new ProjectUri(ProjectUriKind.GitUrl, location, subdirectory);
        }

        if (location.Contains("::", StringComparison.Ordinal))
        {
            // git reads <transport>::<address> as a remote helper (ext:: runs a command); a project URI never needs one.
            throw new InputException($"'{RedactedForMessage(location)}' uses git's transport::address form, which repro does not run");
        }

        if (IsScpLike(location) && !directoryExists(Path.GetFullPath(location, workingDirectory)))
        {
            CheckHost(location[..location.IndexOf(':', StringComparison.Ordinal)], location);
            return new ProjectUri(ProjectUriKind.GitUrl, location, subdirectory);
        }

        return new ProjectUri(ProjectUriKind.LocalPath, Path.GetFullPath(location, workingDirectory), subdirectory);
    }

    /// <summary>The URI as it may be shown and recorded: <see cref="SafeLocation"/>, then <c>#</c> and the subdirectory when there is one.</summary>
    public override string ToString() => Subdirectory.Length == 0 ? SafeLocation : $"{SafeLocation}#{Subdirectory}";

    private static string NormalizeSubdirectory(string subdirectory, string location)
    {
        if (subdirectory.StartsWith('/') || (OperatingSystem.IsWindows() && (subdirectory.Contains('\\', StringComparison.Ordinal) || subdirectory.Contains(':', StringComparison.Ordinal))))
        {
            throw new InputException($"the subdirectory '{subdirectory}' after '#' in '{location}' must be a relative path with '/' between folders");
        }

        var segments = new List<string>();
        foreach (var segment in subdirectory.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == ".." || segment.Any(char.IsControl))
            {
                throw new InputException($"the subdirectory '{subdirectory}' after '#' in '{location}' may not contain '..' or control characters");
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    private static void CheckHost(string authority, string location)
    {
        // A host starting with '-' would reach ssh as an option (-oProxyCommand=...).
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        if (host.Length == 0 || host[0] == '-')
        {
            throw new InputException($"'{RedactedForMessage(location)}' names no host, or a host starting with '-'");
        }
    }

    private static string FileUrlPath(string location)
    {
        // file:///abs/path and file://localhost/abs/path name a local path; git refuses any other host.
        var rest = location["file://".Length..];
        if (rest.StartsWith("localhost/", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest["localhost".Length..];
        }

        if (!rest.StartsWith('/'))
        {
            throw new InputException($"'{location}' must name an absolute path on this machine, as file:///absolute/path");
        }

        var path = Uri.UnescapeDataString(rest);
        if (OperatingSystem.IsWindows() && path.Length > 2 && path[2] == ':')
        {
            path = path[1..];
        }

        return Path.GetFullPath(path);
    }

    // git's rule: a ':' before the first '/' makes "[user@]host:path" an ssh address, except a DOS drive letter.
    private static bool IsScpLike(string location)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var slash = location.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0 && slash < colon)
        {
            return false;
        }

        return !(OperatingSystem.IsWindows() && colon == 1 && char.IsAsciiLetter(location[0]));
    }

    private static string RedactedForMessage(string location) => RemoteUrl.RemoveCredentials(location);
}
