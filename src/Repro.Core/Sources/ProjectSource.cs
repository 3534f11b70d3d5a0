using LibGit2Sharp;
using Repro.Core.Capture.Git;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Sources;

/// <summary>Where a project URI led: the project directory to load the MLproject file from, and how it was obtained.</summary>
/// <param name="Uri">The URI as parsed.</param>
/// <param name="Version">The version asked for; null when none was given.</param>
/// <param name="ProjectDirectory">Absolute path of the project directory (the checkout or local folder, then the subdirectory).</param>
/// <param name="Checkout">The git checkout in the cache; null when the project is a local folder used in place.</param>
public sealed record ProjectSource(ProjectUri Uri, string? Version, string ProjectDirectory, GitCheckout? Checkout)
{
    /// <summary>
    /// Whether the project goes through the git cache: every git URL, a local bare repository, and a local repository
    /// root given with a version. A local folder without a version is used in place.
    /// </summary>
    /// <param name="uri">The parsed URI.</param>
    /// <param name="version">The version; null for none.</param>
    public static bool UsesCache(ProjectUri uri, string? version)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.Kind == ProjectUriKind.GitUrl
            || version is not null
            || (Directory.Exists(uri.Location) && IsBareRepositoryRoot(uri.Location));
    }

    /// <summary>Resolves a project URI and version the way <c>mlflow run</c> does.</summary>
    /// <remarks>
    /// A local folder without a version is used in place, as today. A local git repository with a version, a local bare
    /// repository, and every git URL are checked out in <paramref name="cache"/> (MLflow refuses a version for a local
    /// folder that is not a git repository, and so does repro). The subdirectory must exist and, links resolved, stay
    /// inside the checkout or folder.
    /// </remarks>
    /// <param name="uri">The parsed URI.</param>
    /// <param name="version">The version; null for none.</param>
    /// <param name="cache">The git cache that checks repositories out.</param>
    /// <param name="refresh">Fetch even when the cache already has the version.</param>
    /// <param name="log">Receives one line per slow step; may be null.</param>
    /// <param name="cancellationToken">Stops git.</param>
    /// <returns>The project directory and its origin.</returns>
    /// <exception cref="InputException">The folder, repository, version or subdirectory does not exist, or a version names no git repository.</exception>
    public static async Task<ProjectSource> ResolveAsync(
        ProjectUri uri, string? version, GitProjectCache cache, bool refresh, Action<string>? log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(cache);
        version = ProjectVersion.Validate(version);
        if (InPlace(uri, version) is { } inPlace)
        {
            return inPlace;
        }

        var checkout = await cache.CheckoutAsync(new GitCheckoutRequest(uri.Location, version) { Refresh = refresh, Log = log }, cancellationToken);
        return InCheckout(uri, version, checkout);
    }

    /// <summary>
    /// Resolves a project URI and version from what is already on this machine: a local folder in place, or a version
    /// the cache holds; fetches nothing, writes nothing and starts no process.
    /// </summary>
    /// <param name="uri">The parsed URI.</param>
    /// <param name="version">The version; null for none.</param>
    /// <param name="cache">The git cache.</param>
    /// <returns>The project directory and its origin, or null when the cache does not have the version yet.</returns>
    /// <exception cref="InputException">The folder or subdirectory does not exist, or a version names no git repository.</exception>
    public static ProjectSource? FindCached(ProjectUri uri, string? version, GitProjectCache cache)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(cache);
        version = ProjectVersion.Validate(version);
        if (InPlace(uri, version) is { } inPlace)
        {
            return inPlace;
        }

        return cache.FindCached(new GitCheckoutRequest(uri.Location, version)) is { } checkout ? InCheckout(uri, version, checkout) : null;
    }

    /// <summary>What a run manifest records about where the project came from, never a credential; null for a local folder used in place (its git record says it all).</summary>
    public ProjectSourceRecord? ToRecord() =>
        Checkout is null ? null : new(Uri.SafeLocation, Uri.Subdirectory, Version, Checkout.RefKind, Checkout.Commit);

    /// <inheritdoc />
    public override string ToString() => Checkout is null ? Uri.ToString() : $"{Uri} at {Checkout.Commit}";

    // A local folder without a version is used where it is; a local repository root with a version, or a bare one, is
    // checked out through the cache like any git URL.
    private static ProjectSource? InPlace(ProjectUri uri, string? version)
    {
        if (uri.Kind != ProjectUriKind.LocalPath)
        {
            return null;
        }

        if (!Directory.Exists(uri.Location))
        {
            throw new InputException($"project '{uri}': {uri.Location} is not a folder");
        }

        if (version is null && !IsBareRepositoryRoot(uri.Location))
        {
            return new ProjectSource(uri, null, Within(uri.Location, uri.Subdirectory, uri.Location), null);
        }

        return Repository.IsValid(uri.Location)
            ? null
            : throw new InputException($"a version needs a git repository, and {uri.Location} is not the root of one");
    }

    private static ProjectSource InCheckout(ProjectUri uri, string? version, GitCheckout checkout) =>
        new(uri, version, Within(checkout.Directory, uri.Subdirectory, $"{uri.SafeLocation} at {checkout.Commit}"), checkout);

    // Whether the folder is the root of a bare repository, which goes through the cache like a git URL. Every local run
    // asks (twice: for its store's place and for its project), so the common answers, a working tree whose .git is an
    // ordinary repository folder or a folder that is no repository root at all, come from a few stats and the config
    // file; libgit2 answers everything else as before.
    private static bool IsBareRepositoryRoot(string location) =>
        !IsPlainWorkingTreeRoot(location) && !IsOutsideAnyRepositoryRoot(location) && Repository.IsValid(location) && IsBare(location);

    // libgit2 takes a folder for a repository (without searching upwards) only when its .git, or the folder itself,
    // holds a HEAD file: with neither a .git entry nor a HEAD file, it is no repository root (a project in a subfolder).
    internal static bool IsOutsideAnyRepositoryRoot(string location) =>
        !Path.Exists(Path.Combine(location, ".git")) && !File.Exists(Path.Combine(location, "HEAD"));

    private static bool IsBare(string path)
    {
        using var repository = new Repository(path);
        return repository.Info.IsBare;
    }

    /// <summary>
    /// Whether <paramref name="location"/> is certainly the root of a working tree, not a bare repository, read from its
    /// files as libgit2 reads them: a <c>.git</c> folder with <c>HEAD</c>, <c>objects/</c> and <c>refs/</c> (what libgit2
    /// requires of a repository) whose config leaves <c>core.bare</c> false. False means "ask libgit2": no <c>.git</c>
    /// folder, a <c>.git</c> file (a linked worktree or a submodule), a <c>commondir</c>, a config that cannot be read or
    /// has a form <see cref="GitConfigText"/> leaves to libgit2, includes other files, or sets <c>core.bare</c> to
    /// anything but false.
    /// </summary>
    /// <remarks>
    /// Loading libgit2 (and the OpenSSL libraries it links) and opening the repository twice cost a local run
    /// 15–25 ms on its main thread before anything else could start; the git capture opens it later on another thread.
    /// </remarks>
    internal static bool IsPlainWorkingTreeRoot(string location)
    {
        var gitDirectory = Path.Combine(location, ".git");
        if (!Directory.Exists(Path.Combine(gitDirectory, "objects"))
            || !Directory.Exists(Path.Combine(gitDirectory, "refs"))
            || !File.Exists(Path.Combine(gitDirectory, "HEAD"))
            || File.Exists(Path.Combine(gitDirectory, "commondir")))
        {
            return false;
        }

        List<GitConfigEntry>? config;
        try
        {
            config = GitConfigText.Parse(File.ReadAllBytes(Path.Combine(gitDirectory, "config")));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        if (config is null)
        {
            return false;
        }

        foreach (var entry in config)
        {
            if (entry.Section is "include" or "includeif"
                || (entry is { Section: "core", Key: "bare" } && GitConfigText.ParseBoolean(entry.Value) != false))
            {
                return false;
            }
        }

        return true;
    }

    private static string Within(string root, string subdirectory, string description)
    {
        if (subdirectory.Length == 0)
        {
            return root;
        }

        var directory = Path.GetFullPath(Path.Combine(root, subdirectory));
        if (!Directory.Exists(directory))
        {
            throw new InputException($"the subdirectory '{subdirectory}' does not exist in {description}");
        }

        // A link inside a repository may point anywhere; the project must stay in what was checked out.
        var realRoot = NativeFiles.RealPath(root) ?? root;
        var realDirectory = NativeFiles.RealPath(directory) ?? directory;
        var relative = Path.GetRelativePath(realRoot, realDirectory);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new InputException($"the subdirectory '{subdirectory}' of {description} is a link that leads out of it");
        }

        return directory;
    }
}
