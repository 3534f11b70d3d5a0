using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Repro.Core.Caching;
using Repro.Core.Capture.Git;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Sources;

/// <summary>
/// Git repositories of project URIs, cloned once into the cache and checked out once per commit:
/// <c>git/NAME-HASH/repository.git</c> (bare, no remote configured) and <c>git/NAME-HASH/checkouts/COMMIT/</c>, with
/// <c>git/NAME-HASH.lock</c> held while either changes. The repository is fetched only when the version asked for is
/// not in it yet (or on <see cref="GitCheckoutRequest.Refresh"/>).
/// </summary>
/// <remarks>
/// <para>Fetching, checking out and submodules go through the <c>git</c> executable, as <c>mlflow run</c> does through
/// GitPython: the user's credential helpers, SSH configuration and agent, proxies and <c>url.*.insteadOf</c> then work
/// as in their shell, which LibGit2Sharp (no SSH in its bundled libgit2, no credential helpers) cannot offer. Reading
/// refs of the cached repository is done in process with LibGit2Sharp, so a cached version costs no process at all.</para>
/// <para>Credentials in a URL are passed to git on its command line only: the cached repository has no remote, FETCH_HEAD
/// and reflogs are not written, a checkout's <c>origin</c> is the URL without credentials, and git's messages are
/// redacted before they are shown.</para>
/// <para>A checkout is built in a temporary folder beside the final one and renamed into place, so a folder under
/// <c>checkouts/</c> is always complete; submodules use relative paths to their git folders and survive the rename.</para>
/// </remarks>
public sealed class GitProjectCache
{
    private const string RepositoryFolder = "repository.git";
    private const string CheckoutsFolder = "checkouts";
    private const string TemporaryPrefix = "tmp-";
    private const string DefaultHeadRef = "refs/repro/default-head";
    private const string FetchedCommitsRef = "refs/repro/commits/";

    // Variables that tell git how to authenticate and connect; GitExecutable drops every GIT_* variable, these come back.
    private static readonly string[] TransportVariables =
    [
        "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "GIT_ASKPASS", "GIT_PROXY_COMMAND",
        "GIT_SSL_CAINFO", "GIT_SSL_CAPATH", "GIT_SSL_CERT", "GIT_SSL_KEY", "GIT_SSL_NO_VERIFY", "GIT_HTTP_PROXY_AUTHMETHOD",
    ];

    /// <summary>Creates the cache under <paramref name="cacheRoot"/> (see <see cref="CacheRoot.Resolve"/>).</summary>
    /// <param name="cacheRoot">The repro cache folder; repositories go in its <c>git/</c> folder.</param>
    public GitProjectCache(string cacheRoot)
    {
        ArgumentNullException.ThrowIfNull(cacheRoot);
        Root = Path.Combine(Path.GetFullPath(cacheRoot), "git");
    }

    /// <summary>The <c>git/</c> folder of the cache.</summary>
    public string Root { get; }

    /// <summary>The folder that holds the clone and checkouts of <paramref name="repository"/>: a readable name and a hash of the URL without credentials.</summary>
    /// <param name="repository">A URL or an absolute path.</param>
    public string FolderFor(string repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var safe = RemoteUrl.RemoveCredentials(repository);
        var trimmed = safe.TrimEnd('/', '\\');
        var name = trimmed[(trimmed.LastIndexOfAny(['/', ':', '\\']) + 1)..];
        if (name.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        var slug = new string(name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').Take(40).ToArray()).TrimStart('.');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(safe)))[..20];
        return Path.Combine(Root, slug.Length == 0 ? hash : $"{slug}-{hash}");
    }

    /// <summary>
    /// Resolves the version to a commit and returns its checkout, cloning, fetching and checking out only what the cache
    /// lacks. Safe when several processes ask at once: they wait for each other and share the result.
    /// </summary>
    /// <param name="request">The repository and version.</param>
    /// <param name="cancellationToken">Stops git; a half-made clone or checkout is removed.</param>
    /// <returns>The checkout.</returns>
    /// <exception cref="InputException">The version is malformed, the repository cannot be fetched, or the version is not in it.</exception>
    /// <exception cref="GitException">git is missing, or fails on the cache itself.</exception>
    /// <exception cref="StoreException">The cached clone cannot be read.</exception>
    public async Task<GitCheckout> CheckoutAsync(GitCheckoutRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = ProjectVersion.Validate(request.Version);
        var safe = RemoteUrl.RemoveCredentials(request.Repository);
        var folder = FolderFor(request.Repository);
        var repository = Path.Combine(folder, RepositoryFolder);

        // The common case, a version already checked out, takes no lock and starts no process: checkouts only ever
        // appear by rename and are never changed.
        if (!request.Refresh && FindCached(request) is { } cachedCheckout)
        {
            return cachedCheckout;
        }

        var git = GitExecutable.OnPath
            ?? throw new GitException($"git is needed to fetch {safe} but was not found on PATH");
        using var held = await CacheLock.AcquireAsync(
            folder + ".lock", CacheLockMode.Exclusive, () => request.Log?.Invoke($"waiting for another repro using the cache of {safe}"), cancellationToken);
        RemoveAbandoned(folder);

        var fetched = false;
        if (!Directory.Exists(repository))
        {
            request.Log?.Invoke($"cloning {safe} into {folder}");
            await CloneAsync(git, request, version, folder, repository, cancellationToken);
            fetched = true;
        }
        else if (request.Refresh)
        {
            request.Log?.Invoke($"fetching {safe}");
            await FetchAsync(git, request, version, repository, cancellationToken);
            fetched = true;
        }

        var resolved = Resolve(repository, version, safe);
        if (resolved is null && !fetched)
        {
            request.Log?.Invoke($"fetching {safe}: {Describe(version)} is not in the cache");
            await FetchAsync(git, request, version, repository, cancellationToken);
            fetched = true;
            resolved = Resolve(repository, version, safe);
        }

        string? byIdFailure = null;
        if (resolved is null && version is not null && ProjectVersion.IsFullCommitId(version))
        {
            // A commit no branch or tag reaches (an old force-pushed commit, a pull request) can still be fetched by id
            // from servers that allow it.
            byIdFailure = await TryFetchCommitAsync(git, request, version, repository, cancellationToken);
            fetched = true;
            resolved = Resolve(repository, version, safe);
        }

        if (resolved is null)
        {
            throw new InputException(version is null
                ? $"{safe} has no default branch (its HEAD names no commit); give a version"
                : $"version '{version}' is not a branch, tag or commit of {safe}{(byIdFailure is null ? string.Empty : $" (fetching it by id failed: {byIdFailure})")}");
        }

        var checkout = CheckoutPath(folder, resolved.Commit);
        var created = false;
        if (!Directory.Exists(checkout))
        {
            request.Log?.Invoke($"checking out {resolved.Commit[..12]} of {safe}");
            await CreateCheckoutAsync(git, request, folder, repository, resolved.Commit, checkout, cancellationToken);
            created = true;
        }

        return new GitCheckout(safe, version, resolved.Kind, resolved.Commit, checkout, fetched, created);
    }

    /// <summary>
    /// The checkout of the version when the cache already has it, without fetching, locking or starting a process;
    /// null when the repository, the version or its checkout is not in the cache yet. A branch resolves to the tip the
    /// cache last fetched.
    /// </summary>
    /// <param name="request">The repository and version (<see cref="GitCheckoutRequest.Refresh"/> is ignored).</param>
    /// <returns>The cached checkout, or null.</returns>
    /// <exception cref="InputException">The version is malformed or ambiguous.</exception>
    /// <exception cref="StoreException">The cached clone cannot be read.</exception>
    public GitCheckout? FindCached(GitCheckoutRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var version = ProjectVersion.Validate(request.Version);
        var safe = RemoteUrl.RemoveCredentials(request.Repository);
        var folder = FolderFor(request.Repository);
        var repository = Path.Combine(folder, RepositoryFolder);
        return Directory.Exists(repository)
            && Resolve(repository, version, safe) is { } cached
            && Directory.Exists(CheckoutPath(folder, cached.Commit))
            ? new GitCheckout(safe, version, cached.Kind, cached.Commit, CheckoutPath(folder, cached.Commit), Fetched: false, Created: false)
            : null;
    }

    // GitExecutable reports "git VERB failed in FOLDER (exit N): LINE"; the folder is a temporary one in the cache and
    // means nothing to the user, git's own line does.
    private static string GitSaid(GitException failure, string url)
    {
        var message = failure.Message;
        var reason = message.IndexOf("): ", StringComparison.Ordinal);
        return CredentialRedaction.Redact(message.StartsWith("git ", StringComparison.Ordinal) && reason > 0 ? message[(reason + 3)..] : message, url);
    }

    private static bool IsLocal(string repository) =>
        Path.IsPathFullyQualified(repository) || repository.StartsWith("file://", StringComparison.OrdinalIgnoreCase);

    private static string CheckoutPath(string folder, string commit) => Path.Combine(folder, CheckoutsFolder, commit);

    private static string Describe(string? version) => version is null ? "the default branch" : $"'{version}'";

    private static async Task CloneAsync(
        GitExecutable git, GitCheckoutRequest request, string? version, string folder, string repository, CancellationToken cancellationToken)
    {
        var temporary = CreateTemporary(folder);
        try
        {
            await RunAsync(git, folder, ["init", "--quiet", "--bare", "--", temporary], userConfiguration: false, cancellationToken);
            await FetchAsync(git, request, version, temporary, cancellationToken);
            Directory.Move(temporary, repository);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    private static async Task FetchAsync(GitExecutable git, GitCheckoutRequest request, string? version, string repository, CancellationToken cancellationToken)
    {
        List<string> refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];
        if (version is null)
        {
            // Only when asked for: a remote whose HEAD names no branch must still serve its branches and tags.
            refspecs.Add($"+HEAD:{DefaultHeadRef}");
        }

        try
        {
            await RunAsync(git, repository, [.. FetchArguments(request.Repository), .. refspecs], userConfiguration: true, cancellationToken);
        }
        catch (GitException e)
        {
            throw new InputException($"cannot fetch {RemoteUrl.RemoveCredentials(request.Repository)}: {GitSaid(e, request.Repository)}");
        }
    }

    private static async Task<string?> TryFetchCommitAsync(
        GitExecutable git, GitCheckoutRequest request, string commit, string repository, CancellationToken cancellationToken)
    {
        request.Log?.Invoke($"fetching commit {commit} of {RemoteUrl.RemoveCredentials(request.Repository)} by id");
        try
        {
            await RunAsync(git, repository, [.. FetchArguments(request.Repository), $"+{commit}:{FetchedCommitsRef}{commit}"], userConfiguration: true, cancellationToken);
            return null;
        }
        catch (GitException e)
        {
            return GitSaid(e, request.Repository);
        }
    }

    private static string[] FetchArguments(string url) =>
    [
        // Reflogs would keep the command line, credentials included; bare repositories skip them already.
        "-c", "core.logAllRefUpdates=false",
        "-c", "protocol.ext.allow=never",
        "fetch", "--quiet", "--no-write-fetch-head", "--no-recurse-submodules", "--end-of-options", url,
    ];

    private static async Task CreateCheckoutAsync(
        GitExecutable git, GitCheckoutRequest request, string folder, string repository, string commit, string checkout, CancellationToken cancellationToken)
    {
        var temporary = CreateTemporary(folder);
        var safe = RemoteUrl.RemoveCredentials(request.Repository);
        try
        {
            // A local clone hard-links the cached objects: the checkout owns them, so nothing done to the cache can break it.
            await RunAsync(git, folder, ["clone", "--quiet", "--no-checkout", "--", repository, temporary], userConfiguration: false, cancellationToken);
            string[] checkoutSettings =
            [
                // The tree is written byte for byte as committed, whatever the user's line-ending settings; hooks the
                // user configured globally do not run in the cache.
                "-c", "core.autocrlf=false",
                "-c", "core.hooksPath=" + Path.Combine(temporary, ".git", "repro-no-hooks"),
                "-c", "advice.detachedHead=false",
                "-c", "protocol.ext.allow=never",
            ];
            await RunAsync(git, temporary, [.. checkoutSettings, "checkout", "--quiet", "--detach", commit], userConfiguration: true, cancellationToken);

            // Relative submodule URLs resolve against origin, which must be the project's URL, without its credentials.
            await RunAsync(git, temporary, ["config", "remote.origin.url", safe], userConfiguration: false, cancellationToken);
            if (File.Exists(Path.Combine(temporary, ".gitmodules")))
            {
                request.Log?.Invoke($"initialising the submodules of {commit[..12]}");

                // git refuses file:// submodules unless told otherwise (CVE-2022-39253). A local project may use local
                // submodules; a remote one may not reach into this machine's repositories.
                string[] submoduleSettings = IsLocal(request.Repository) ? ["-c", "protocol.file.allow=always"] : [];
                try
                {
                    await RunAsync(
                        git, temporary, [.. checkoutSettings, .. submoduleSettings, "submodule", "update", "--init", "--recursive", "--quiet"], userConfiguration: true, cancellationToken);
                }
                catch (GitException e)
                {
                    throw new InputException($"cannot fetch the submodules of {safe} at {commit}: {GitSaid(e, request.Repository)}");
                }
            }

            Directory.CreateDirectory(Path.GetDirectoryName(checkout)!);
            Directory.Move(temporary, checkout);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    private static Task RunAsync(GitExecutable git, string workingDirectory, IReadOnlyList<string> arguments, bool userConfiguration, CancellationToken cancellationToken)
    {
        var transport = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in TransportVariables)
        {
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                transport[name] = value;
            }
        }

        return git.RunAsync(workingDirectory, arguments, userConfiguration, static (output, token) => output.CopyToAsync(Stream.Null, token), cancellationToken, transport);
    }

    private static ResolvedVersion? Resolve(string repository, string? version, string safe)
    {
        try
        {
            using var repo = new Repository(repository);
            return Resolve(repo, version, safe);
        }
        catch (LibGit2SharpException e) when (e is not AmbiguousSpecificationException)
        {
            throw new StoreException($"the cached clone of {safe} in {repository} cannot be read ({e.Message}); delete that folder and run again", e);
        }
    }

    private static ResolvedVersion? Resolve(Repository repo, string? version, string safe)
    {
        if (version is null)
        {
            return Peel(repo.Refs[DefaultHeadRef], GitRefKind.DefaultBranch);
        }

        (string Name, GitRefKind Kind)[] candidates = version switch
        {
            _ when version.StartsWith("refs/heads/", StringComparison.Ordinal) => [(version, GitRefKind.Branch)],
            _ when version.StartsWith("refs/tags/", StringComparison.Ordinal) => [(version, GitRefKind.Tag)],

            // A branch wins over a tag of the same name, as `git checkout NAME` (what MLflow runs) decides.
            _ => [("refs/heads/" + version, GitRefKind.Branch), ("refs/tags/" + version, GitRefKind.Tag)],
        };
        foreach (var (name, kind) in candidates)
        {
            if (Peel(repo.Refs[name], kind) is { } found)
            {
                return found;
            }
        }

        if (!ProjectVersion.IsCommitPrefix(version))
        {
            return null;
        }

        try
        {
            return PeelToCommit(repo.Lookup(version)) is { } commit ? new ResolvedVersion(commit.Sha, GitRefKind.Commit) : null;
        }
        catch (AmbiguousSpecificationException)
        {
            throw new InputException($"version '{version}' is ambiguous in {safe}: more than one object starts with it; give more digits");
        }
    }

    private static ResolvedVersion? Peel(Reference? reference, GitRefKind kind) =>
        PeelToCommit(reference?.ResolveToDirectReference()?.Target) is { } commit ? new ResolvedVersion(commit.Sha, kind) : null;

    private static Commit? PeelToCommit(GitObject? target)
    {
        // Annotated tags may point at other tags; a tag of a tree or blob names no commit.
        while (target is TagAnnotation annotation)
        {
            target = annotation.Target;
        }

        return target as Commit;
    }

    private static string CreateTemporary(string folder)
    {
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, TemporaryPrefix + RandomNumberGenerator.GetHexString(12, lowercase: true));
    }

    // Left behind by a process that died mid-clone; only the holder of the exclusive lock creates them.
    private static void RemoveAbandoned(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (var abandoned in Directory.EnumerateDirectories(folder, TemporaryPrefix + "*"))
        {
            DeleteQuietly(abandoned);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The failure being reported matters more; the next holder of the lock removes what is left.
        }
    }

    private sealed record ResolvedVersion(string Commit, GitRefKind Kind);
}
