namespace Repro.TestInfrastructure;

/// <summary>
/// A project's upstream for one test: a working repository with history (tags, a branch) and its bare copy
/// <c>upstream.git</c>, which tests reach by plain path and by <c>file://</c>. Everything lives in one temporary folder,
/// with the cache in <see cref="CacheRoot"/>. Deleted on dispose.
/// </summary>
public sealed class GitUpstream : IDisposable
{
    private readonly List<GitRepository> _others = [];

    public GitUpstream()
    {
        Work = new GitRepository();
        Bare = Path.Combine(Work.Folder, "upstream.git");
        CacheRoot = Path.Combine(Work.Folder, "cache");
    }

    /// <summary>The working repository commits are made in.</summary>
    public GitRepository Work { get; }

    /// <summary>The bare repository the cache fetches from.</summary>
    public string Bare { get; }

    /// <summary>The repro cache folder (not created).</summary>
    public string CacheRoot { get; }

    /// <summary><see cref="Bare"/> as a <c>file://</c> URL.</summary>
    public string BareUrl => new Uri(Bare).AbsoluteUri;

    /// <summary>Makes <see cref="Bare"/> hold every branch and tag of <see cref="Work"/>.</summary>
    public void Publish()
    {
        if (!Directory.Exists(Bare))
        {
            GitRepository.Run(Work.Folder, "clone", "--quiet", "--bare", Work.Root, Bare);
            return;
        }

        GitRepository.Run(Bare, "fetch", "--quiet", Work.Root, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*");
    }

    /// <summary>Creates another repository with one commit of <paramref name="files"/>, published bare as <c>NAME.git</c> next to <see cref="Bare"/>.</summary>
    /// <returns>The commit.</returns>
    public string PublishRepository(string name, IReadOnlyDictionary<string, string> files, IReadOnlyDictionary<string, string>? submodules = null)
    {
        var repository = new GitRepository();
        _others.Add(repository);
        foreach (var (path, content) in files)
        {
            repository.Write(path, content);
        }

        AddSubmodules(repository, submodules);
        var commit = repository.CommitAll(name);
        GitRepository.Run(Work.Folder, "clone", "--quiet", "--bare", repository.Root, Path.Combine(Work.Folder, name + ".git"));
        return commit;
    }

    /// <summary>
    /// Records submodules in <paramref name="repository"/>'s index: path → "URL COMMIT". The URL is written to
    /// .gitmodules as given (relative URLs resolve against the superproject's origin).
    /// </summary>
    public static void AddSubmodules(GitRepository repository, IReadOnlyDictionary<string, string>? submodules)
    {
        if (submodules is null || submodules.Count == 0)
        {
            return;
        }

        var gitmodules = new System.Text.StringBuilder();
        foreach (var (path, target) in submodules)
        {
            var (url, commit) = (target.Split(' ')[0], target.Split(' ')[1]);
            gitmodules.Append($"[submodule \"{path}\"]\n\tpath = {path}\n\turl = {url}\n");

            // An unpopulated submodule is an empty folder; `git add --all` then keeps the recorded commit.
            Directory.CreateDirectory(Path.Combine(repository.Root, path));
            repository.Git("update-index", "--add", "--cacheinfo", $"160000,{commit},{path}");
        }

        repository.Write(".gitmodules", gitmodules.ToString());
    }

    public void Dispose()
    {
        foreach (var other in _others)
        {
            other.Dispose();
        }

        MakeWritable(Work.Folder);
        Work.Dispose();
    }

    // git writes pack files read-only; Windows refuses to delete those.
    private static void MakeWritable(string folder)
    {
        if (!OperatingSystem.IsWindows() || !Directory.Exists(folder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
    }
}
