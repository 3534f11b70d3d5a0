using System.Globalization;
using System.Text;
using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Finds the repository of a project and reads its <see cref="RepositoryFacts"/> from the repository's files, the
/// answers libgit2 (<see cref="RepositoryFacts.Read"/>) gives, without loading libgit2: a run in a small repository
/// otherwise spends a good part of its start loading that library and compiling its marshalling stubs.
/// </summary>
/// <remarks>
/// <para>It follows libgit2 1.8 as LibGit2Sharp calls it (<c>Repository.Discover</c>, then <c>new Repository</c>:
/// no environment variables, no crossing of file systems): from the project folder, its real path, upwards and
/// never at <c>/</c> itself, the first <c>DIR/.git</c> or <c>DIR</c> that holds a <c>HEAD</c> file and
/// <c>objects</c> and <c>refs</c> folders; the working tree is the folder above <c>.git</c>; its owner and that of
/// <c>.git</c> must be the current user.</para>
/// <para>It knows the common case only, and says <see cref="Fallback"/> with the reason for anything else, so that
/// the caller asks libgit2 and recorded facts never change: a <c>.git</c> file (a linked worktree or a submodule), a
/// bare repository, <c>commondir</c> or <c>gitdir</c> files, a folder owned by someone else (libgit2's
/// <c>safe.directory</c>), <c>GIT_DIR</c> and the other variables that point git elsewhere, configuration that
/// moves or redefines things (<c>core.worktree</c>, <c>core.bare</c>, <c>include</c>, <c>includeIf</c>,
/// <c>url.*.insteadOf</c>, any <c>extensions</c>, a remote defined outside the repository, a remote key it does not
/// know), grafts, reftable, a HEAD that is not a local branch or a commit, a delta-compressed commit
/// (<see cref="GitObjectFiles"/>), a file that does not parse.</para>
/// </remarks>
internal static class RepositoryFiles
{
    private const string LocalBranchPrefix = "refs/heads/";
    private const int ShaLength = 40;

    // Variables that make git look elsewhere. LibGit2Sharp's open does not read them, but the git processes of the
    // same capture do; with any of them set, both readers of the repository are left to agree as they did before.
    private static readonly string[] RedirectingVariables =
    [
        "GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_CEILING_DIRECTORIES", "GIT_DISCOVERY_ACROSS_FILESYSTEM",
        "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_INDEX_FILE",
    ];

    // Keys of a [remote] section that libgit2's remote lookup reads without failing whatever their value, or that it
    // does not read; a key not listed here sends the repository to libgit2.
    private static readonly HashSet<string> HarmlessRemoteKeys = ["tagopt", "gh-resolved", "skipdefaultupdate", "skipfetchall"];

    private static readonly HashSet<string> BooleanRemoteKeys = ["prune", "prunetags", "mirror"];

    /// <summary>Finds the repository holding <paramref name="projectDirectory"/> as libgit2 would.</summary>
    /// <param name="projectDirectory">An existing folder, full path.</param>
    /// <param name="configuration">Where the configuration files other than the repository's own lie.</param>
    public static Discovery Discover(string projectDirectory, GitConfigurationFiles configuration)
    {
        try
        {
            return DiscoverOrThrow(projectDirectory, configuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Fallback($"a file could not be read: {e.Message}");
        }
    }

    /// <summary>
    /// Finds the repository holding <paramref name="projectDirectory"/> as libgit2 would, with the current user's
    /// configuration files; without a home folder to find them in, a <see cref="Fallback"/>.
    /// </summary>
    /// <param name="projectDirectory">An existing folder, full path.</param>
    public static Discovery DiscoverForCurrentUser(string projectDirectory) =>
        GitConfigurationFiles.ForCurrentUser() is { } configuration
            ? Discover(projectDirectory, configuration)
            : new Fallback("HOME is not set");

    /// <summary>Reads HEAD, its commit's committer time, the branch and the remote of a repository <see cref="Discover"/> found.</summary>
    public static FactsRead ReadFacts(Found repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        try
        {
            return ReadFactsOrThrow(repository);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or OverflowException)
        {
            // A truncated or corrupt object, or an offset past what a pack can hold: libgit2 says what is wrong.
            return new FactsFallback($"a file could not be read: {e.Message}");
        }
    }

    private static Discovery DiscoverOrThrow(string projectDirectory, GitConfigurationFiles configuration)
    {
        if (!OperatingSystem.IsLinux() || !NativeFiles.HasStatx)
        {
            return new Fallback("file ownership and devices are only read on Linux");
        }

        foreach (var variable in RedirectingVariables)
        {
            if (System.Environment.GetEnvironmentVariable(variable) is not null)
            {
                return new Fallback($"{variable} is set");
            }
        }

        if (NativeFiles.RealPath(projectDirectory) is not { } start || !PathText.IsPlain(start) || start.Length > 2048 || start == "/")
        {
            return new Fallback("the project's real path is not a plain one");
        }

        ulong? device = null;
        for (var folder = start; folder != "/"; folder = Path.GetDirectoryName(folder)!)
        {
            foreach (var candidate in (ReadOnlySpan<string>)[Path.Join(folder, ".git"), folder])
            {
                if (NativeFiles.Status(candidate, followLinks: true) is not { } status)
                {
                    continue;
                }

                if (!status.HasIdentity)
                {
                    return new Fallback("no device number");
                }

                device ??= status.Device;
                if (status.Device != device)
                {
                    // libgit2 stops at a file system boundary.
                    return new NotARepository();
                }

                if (status.Kind == FileKind.Regular && candidate != folder)
                {
                    return new Fallback($"{candidate} is a file (a linked worktree or a submodule)");
                }

                if (status.Kind != FileKind.Directory)
                {
                    continue;
                }

                if (File.Exists(Path.Join(candidate, "commondir")))
                {
                    return new Fallback($"{candidate} has a commondir file");
                }

                if (!File.Exists(Path.Join(candidate, "HEAD"))
                    || !Directory.Exists(Path.Join(candidate, "objects"))
                    || !Directory.Exists(Path.Join(candidate, "refs")))
                {
                    continue;
                }

                return candidate == folder
                    ? new Fallback($"{folder} is itself a git directory (a bare repository, or inside .git)")
                    : Open(folder, candidate, configuration);
            }
        }

        return new NotARepository();
    }

    // What `new Repository(gitDirectory)` then checks and reads.
    private static Discovery Open(string root, string gitDirectory, GitConfigurationFiles configuration)
    {
        if (Directory.Exists(Path.Join(gitDirectory, ".git")) || File.Exists(Path.Join(gitDirectory, ".git")))
        {
            return new Fallback($"{gitDirectory} holds a .git of its own");
        }

        if (File.Exists(Path.Join(gitDirectory, "gitdir")))
        {
            return new Fallback($"{gitDirectory} has a gitdir file (a linked worktree)");
        }

        if (NativeFiles.IsOwnedByEffectiveUser(root + "/") != true || NativeFiles.IsOwnedByEffectiveUser(gitDirectory + "/") != true)
        {
            return new Fallback("the repository is not owned by the current user (libgit2 checks safe.directory)");
        }

        if (File.Exists(Path.Join(gitDirectory, "info", "grafts")))
        {
            return new Fallback("the repository has grafts");
        }

        var shallow = Path.Join(gitDirectory, "shallow");
        if (File.Exists(shallow) && !IsShallowFile(File.ReadAllBytes(shallow)))
        {
            return new Fallback("the shallow file is not a list of object names");
        }

        var local = Path.Join(gitDirectory, "config");
        if (!File.Exists(local) || GitConfigText.Parse(File.ReadAllBytes(local)) is not { } localEntries)
        {
            return new Fallback("the repository's configuration is missing or has a form left to libgit2");
        }

        foreach (var path in configuration.Others)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            if (GitConfigText.Parse(File.ReadAllBytes(path)) is not { } entries)
            {
                return new Fallback($"{path} has a form left to libgit2");
            }

            if (CheckShared(entries, local: false) is { } reason)
            {
                return new Fallback($"{path}: {reason}");
            }
        }

        if (CheckShared(localEntries, local: true) is { } localReason)
        {
            return new Fallback($"{local}: {localReason}");
        }

        return ReadRemotes(localEntries) is { } remotes
            ? new Found(root, gitDirectory, remotes)
            : new Fallback($"{local}: a remote this reader leaves to libgit2");
    }

    // What any configuration file must not hold for these answers to be libgit2's.
    private static string? CheckShared(List<GitConfigEntry> entries, bool local)
    {
        foreach (var entry in entries)
        {
            switch (entry.Section)
            {
                case "include" or "includeif":
                    return "includes other configuration";
                case "url" when entry.Key is "insteadof" or "pushinsteadof":
                    return "rewrites URLs (insteadOf)";
                case "extensions" when local:
                    return "uses repository extensions";
                case "remote" when !local:
                    return "defines a remote";
                case "core" when entry.Key == "worktree":
                    return "sets core.worktree";
                case "core" when entry.Key == "bare" && (!local || GitConfigText.ParseBoolean(entry.Value) != false):
                    return "sets core.bare";
                case "core" when local && entry.Key == "repositoryformatversion" && entry.Value is not ("0" or "1"):
                    return "has a repository format version other than 0 or 1";
            }
        }

        return null;
    }

    // The remotes as libgit2 lists them (every remote.NAME.url or pushurl) and looks them up; null when one is left to libgit2.
    private static List<(string Name, string Url)>? ReadRemotes(List<GitConfigEntry> entries)
    {
        var urls = new Dictionary<string, List<string?>>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(entry => entry.Section == "remote"))
        {
            if (entry.Subsection is not { } name || !IsPlainRemoteName(name))
            {
                return null;
            }

            if (!urls.TryGetValue(name, out var values))
            {
                urls[name] = values = [];
            }

            switch (entry.Key)
            {
                case "url":
                    values.Add(entry.Value);
                    break;
                case "fetch" or "push" when entry.Value is { } refspec && IsPlainRefspec(refspec):
                case "pushurl" when entry.Value is { Length: > 0 }:
                    break;
                case var key when HarmlessRemoteKeys.Contains(key):
                    break;
                case var key when BooleanRemoteKeys.Contains(key) && GitConfigText.ParseBoolean(entry.Value) is not null:
                    break;
                default:
                    return null;
            }
        }

        var remotes = new List<(string, string)>();
        foreach (var (name, values) in urls)
        {
            // One URL, written plainly: several (libgit2 takes the last), none (a push-only remote), or one with blanks
            // or control characters are left to libgit2.
            if (values is not [{ Length: > 0 } url] || url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return null;
            }

            remotes.Add((name, url));
        }

        return remotes;
    }

    private static bool IsPlainRemoteName(string name) =>
        name.Length > 0
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
        && !name.Contains("..", StringComparison.Ordinal)
        && !name.EndsWith('.')
        && !name.EndsWith(".lock", StringComparison.Ordinal);

    // "+refs/heads/*:refs/remotes/origin/*" and the like: both sides plain ref names under refs/, with one '*' each or none.
    private static bool IsPlainRefspec(string refspec)
    {
        var body = refspec.StartsWith('+') ? refspec[1..] : refspec;
        var colon = body.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        var source = body[..colon];
        var destination = body[(colon + 1)..];
        return IsPlainRefPattern(source) && IsPlainRefPattern(destination)
            && source.Count(c => c == '*') == destination.Count(c => c == '*');
    }

    private static bool IsPlainRefPattern(string name) =>
        name.StartsWith("refs/", StringComparison.Ordinal)
        && name.Count(c => c == '*') <= 1
        && IsPlainRefName(name.Replace('*', 'x'));

    // A ref name that libgit2 accepts, in a conservative subset: slash-separated parts of letters, digits and ._-,
    // none empty, none starting with a dot or ending with ".lock", no "..".
    private static bool IsPlainRefName(string name) =>
        name.Split('/').All(part =>
            part.Length > 0
            && part[0] != '.'
            && !part.EndsWith(".lock", StringComparison.Ordinal)
            && !part.EndsWith('.')
            && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        && !name.Contains("..", StringComparison.Ordinal);

    private static bool IsShallowFile(byte[] bytes)
    {
        var text = Encoding.ASCII.GetString(bytes);
        return text.Split('\n').All(line => line.Length == 0 || IsSha(line));
    }

    private static bool IsSha(string text) => text.Length == ShaLength && text.All(char.IsAsciiHexDigitLower);

    private static FactsRead ReadFactsOrThrow(Found repository)
    {
        var head = ReadRefFile(Path.Join(repository.GitDirectory, "HEAD"));
        string? commit;
        string? branch = null;
        switch (head)
        {
            case { Sha: { } sha }:
                commit = sha;
                break;
            case { Target: { } target } when target.StartsWith(LocalBranchPrefix, StringComparison.Ordinal) && IsPlainRefName(target):
                branch = target[LocalBranchPrefix.Length..];
                if (ResolveBranch(repository.GitDirectory, target) is not { } resolved)
                {
                    return new FactsFallback($"{target} could not be read");
                }

                commit = resolved.Length == 0 ? null : resolved;
                break;
            default:
                return new FactsFallback("HEAD is not a local branch or a commit");
        }

        DateTimeOffset? time = null;
        if (commit is not null)
        {
            if (GitObjectFiles.TryReadCommit(repository.GitDirectory, commit) is not { } body)
            {
                return new FactsFallback($"commit {commit} is not a whole object in the repository's own files");
            }

            if (CommitterTime(body) is not { } committed)
            {
                return new FactsFallback($"commit {commit} has a header this reader leaves to libgit2");
            }

            time = committed;
        }

        // origin when there is one, else the first by name: RepositoryFacts.Read's rule.
        string? remoteName = null;
        string? remoteUrl = null;
        foreach (var (name, url) in repository.Remotes)
        {
            var preferred = name == RepositoryFacts.PreferredRemote;
            var first = remoteName is null || (remoteName != RepositoryFacts.PreferredRemote && string.CompareOrdinal(name, remoteName) < 0);
            if (preferred || first)
            {
                remoteName = name;
                remoteUrl = RemoteUrl.RemoveCredentials(url);
            }
        }

        return new FactsFound(new RepositoryFacts(commit, time, branch, Detached: branch is null, remoteName, remoteUrl));
    }

    private readonly record struct RefContent(string? Sha, string? Target, bool Malformed);

    // A loose ref: 40 hex digits, or "ref: NAME", then blanks.
    private static RefContent ReadRefFile(string path)
    {
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(path)).TrimEnd(' ', '\t', '\n', '\r', '\v', '\f');
        if (IsSha(text))
        {
            return new RefContent(text, null, false);
        }

        return text.StartsWith("ref: ", StringComparison.Ordinal) && text.Length > 5 && !text.AsSpan(5).ContainsAny(" \t\n")
            ? new RefContent(null, text[5..], false)
            : new RefContent(null, null, true);
    }

    // The SHA a branch points to, "" when it does not exist (HEAD unborn), null when it is left to libgit2.
    private static string? ResolveBranch(string gitDirectory, string name)
    {
        var loose = Path.Join(gitDirectory, name);
        if (Directory.Exists(loose))
        {
            return null;
        }

        if (File.Exists(loose))
        {
            return ReadRefFile(loose).Sha;
        }

        var packed = Path.Join(gitDirectory, "packed-refs");
        if (!File.Exists(packed))
        {
            return "";
        }

        var lines = Encoding.UTF8.GetString(File.ReadAllBytes(packed)).Split('\n');
        string? found = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 && i == lines.Length - 1)
            {
                break;
            }

            if (i == 0 && line.StartsWith("# pack-refs with:", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.Length == ShaLength + 1 && line[0] == '^' && IsSha(line[1..]) && i > 0)
            {
                continue;
            }

            if (line.Length <= ShaLength + 1 || line[ShaLength] != ' ' || !IsSha(line[..ShaLength]))
            {
                return null;
            }

            if (found is null && string.Equals(line[(ShaLength + 1)..], name, StringComparison.Ordinal))
            {
                found = line[..ShaLength];
            }
        }

        return found ?? "";
    }

    // The committer time of a commit, as libgit2 parses it: "tree", any "parent", "author" (extra ones skipped), then
    // "committer NAME <EMAIL> SECONDS +HHMM". Null for anything libgit2 might read otherwise or refuse.
    internal static DateTimeOffset? CommitterTime(ReadOnlySpan<byte> body)
    {
        if (!TryTakeLine(ref body, "tree "u8, out var tree) || !IsSha(Encoding.ASCII.GetString(tree)))
        {
            return null;
        }

        while (body.StartsWith("parent "u8))
        {
            if (!TryTakeLine(ref body, "parent "u8, out var parent) || !IsSha(Encoding.ASCII.GetString(parent)))
            {
                return null;
            }
        }

        if (!TryTakeLine(ref body, "author "u8, out var author) || SignatureTime(author) is null)
        {
            return null;
        }

        while (body.StartsWith("author "u8))
        {
            TryTakeLine(ref body, "author "u8, out _);
        }

        return TryTakeLine(ref body, "committer "u8, out var committer) ? SignatureTime(committer) : null;
    }

    private static bool TryTakeLine(ref ReadOnlySpan<byte> body, ReadOnlySpan<byte> prefix, out ReadOnlySpan<byte> rest)
    {
        rest = default;
        var end = body.IndexOf((byte)'\n');
        if (!body.StartsWith(prefix) || end < 0)
        {
            return false;
        }

        rest = body[prefix.Length..end];
        body = body[(end + 1)..];
        return true;
    }

    // "NAME <EMAIL> SECONDS +HHMM", the e-mail found by the last '<' and '>' as libgit2 finds it.
    private static DateTimeOffset? SignatureTime(ReadOnlySpan<byte> signature)
    {
        var open = signature.LastIndexOf((byte)'<');
        var close = signature.LastIndexOf((byte)'>');
        if (open < 0 || close <= open)
        {
            return null;
        }

        var tail = signature[(close + 1)..];
        if (tail.Length < 8 || tail[0] != ' ' || tail[^6] != ' ' || tail[^5] is not ((byte)'+' or (byte)'-'))
        {
            return null;
        }

        var seconds = tail[1..^6];
        var zone = tail[^4..];
        if (seconds.Length is 0 or > 15 || seconds.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
            || zone.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
        {
            return null;
        }

        var zoneValue = int.Parse(zone, NumberStyles.None, CultureInfo.InvariantCulture);
        var hours = zoneValue / 100;
        var minutes = zoneValue % 100;
        // libgit2 drops an offset past 14:59, and .NET refuses one past 14:00: left to them.
        if (hours > 14 || minutes > 59 || (hours * 60) + minutes > 14 * 60)
        {
            return null;
        }

        var value = long.Parse(seconds, NumberStyles.None, CultureInfo.InvariantCulture);
        return value > 253402300799 ? null : DateTimeOffset.FromUnixTimeSeconds(value);
    }

    /// <summary>What <see cref="Discover"/> found.</summary>
    internal abstract record Discovery;

    /// <summary>What <see cref="ReadFacts"/> read.</summary>
    internal abstract record FactsRead;

    /// <summary>No repository holds the project (libgit2's <c>Repository.Discover</c> gives null).</summary>
    internal sealed record NotARepository : Discovery;

    /// <summary>A plain repository whose facts can be read from its files.</summary>
    /// <param name="Root">The working-tree root, without a trailing slash, as libgit2 reports it.</param>
    /// <param name="GitDirectory">Its <c>.git</c> folder.</param>
    /// <param name="Remotes">The remotes of its configuration and their URLs, as written.</param>
    internal sealed record Found(string Root, string GitDirectory, IReadOnlyList<(string Name, string Url)> Remotes) : Discovery;

    /// <summary>The facts, as libgit2 would give them.</summary>
    internal sealed record FactsFound(RepositoryFacts Facts) : FactsRead;

    /// <summary>Something this reader leaves to libgit2.</summary>
    /// <param name="Reason">What it was, for tests and timings.</param>
    internal sealed record Fallback(string Reason) : Discovery;

    /// <summary>Facts left to libgit2.</summary>
    /// <param name="Reason">What it was.</param>
    internal sealed record FactsFallback(string Reason) : FactsRead;
}

/// <summary>The configuration files libgit2 reads besides the repository's own, in no particular order.</summary>
/// <param name="Others">Global, XDG and system files (those missing are skipped).</param>
internal sealed record GitConfigurationFiles(IReadOnlyList<string> Others)
{
    /// <summary>None: for tests that point LibGit2Sharp's search paths at an empty folder.</summary>
    public static GitConfigurationFiles None { get; } = new([]);

    /// <summary>
    /// Where libgit2 looks on Linux by default: <c>$HOME/.gitconfig</c>, <c>$XDG_CONFIG_HOME/git/config</c> (or
    /// <c>$HOME/.config/git/config</c>) and <c>/etc/gitconfig</c>; null when <c>HOME</c> is not set (libgit2 then asks
    /// the password database).
    /// </summary>
    public static GitConfigurationFiles? ForCurrentUser()
    {
        if (System.Environment.GetEnvironmentVariable("HOME") is not { Length: > 0 } home)
        {
            return null;
        }

        var xdg = System.Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } configHome
            ? Path.Join(configHome, "git", "config")
            : Path.Join(home, ".config", "git", "config");
        return new GitConfigurationFiles([Path.Join(home, ".gitconfig"), xdg, "/etc/gitconfig"]);
    }
}
