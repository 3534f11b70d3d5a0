using System.Security.Cryptography;
using LibGit2Sharp;
using Repro.Core.Capture.Git;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Checkout;

/// <summary>
/// A recorded commit, and the run's <c>code.patch</c> on top of it, written into a temporary folder for
/// <c>repro verify</c>. The user's repository is only read: no branch, ref, worktree, stash or index changes there.
/// The folder is deleted on dispose.
/// </summary>
public sealed class CodeCheckout : IDisposable, IAsyncDisposable
{
    private const string FolderPrefix = "repro-checkout-";
    private const UnixFileMode ExecutableFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly List<string> _warnings = [];
    private bool _disposed;

    private CodeCheckout(string root, string commit)
    {
        Root = root;
        Commit = commit;
    }

    /// <summary>The folder holding the materialised working tree (the repository's root).</summary>
    public string Root { get; }

    /// <summary>The commit that was written out.</summary>
    public string Commit { get; }

    /// <summary>What could not be materialised, such as the contents of submodules.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>
    /// Writes <paramref name="commit"/> of the repository at <paramref name="repositoryRoot"/> into a new temporary
    /// folder (regular files, executable bits, symbolic links; submodules as empty folders), then applies
    /// <paramref name="patchFile"/> there with <c>git apply --binary</c> when one is given.
    /// </summary>
    /// <param name="repositoryRoot">The user's working tree (or any folder of that repository).</param>
    /// <param name="commit">The full commit id.</param>
    /// <param name="patchFile">A patch made by <see cref="GitCapture"/>, or null.</param>
    /// <param name="parentDirectory">Where to create the folder; the system temporary folder when null.</param>
    /// <param name="cancellationToken">Stops writing; the folder is removed.</param>
    /// <returns>The checkout; dispose it to delete the folder.</returns>
    /// <exception cref="InputException">The repository or the commit does not exist.</exception>
    /// <exception cref="StoreException">The folder could not be written.</exception>
    /// <exception cref="GitException">git is missing, or the patch does not apply.</exception>
    public static async Task<CodeCheckout> MaterializeAsync(
        string repositoryRoot, string commit, string? patchFile, string? parentDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repositoryRoot);
        ArgumentNullException.ThrowIfNull(commit);
        if (!IsFullCommitId(commit))
        {
            throw new InputException($"'{commit}' is not a full commit id (40 or 64 hexadecimal digits)");
        }

        var git = patchFile is null ? null : GitExecutable.OnPath
            ?? throw new GitException($"git is needed to apply {patchFile} but was not found on PATH");
        using var repository = Open(repositoryRoot);
        var target = repository.Lookup<Commit>(commit)
            ?? throw new InputException($"commit {commit} is not in the repository at {repositoryRoot}; fetch it there first");

        var checkout = new CodeCheckout(CreateFolder(parentDirectory), target.Sha);
        try
        {
            checkout.WriteTree(target.Tree, checkout.Root, "", cancellationToken);
            if (patchFile is not null)
            {
                await checkout.ApplyAsync(git!, Path.GetFullPath(patchFile), cancellationToken);
            }

            return checkout;
        }
        catch (Exception e)
        {
            checkout.Dispose();
            if (e is IOException or UnauthorizedAccessException)
            {
                throw new StoreException($"cannot write the checkout of {commit} in {checkout.Root}: {e.Message}", e);
            }

            throw;
        }
    }

    /// <summary>
    /// Materialises the code a run recorded: its commit from its repository (or <paramref name="repositoryRoot"/>)
    /// and its <c>code.patch</c> from <paramref name="runDirectory"/>, after checking the patch is the one recorded.
    /// </summary>
    /// <param name="record">The run's <c>git</c> section.</param>
    /// <param name="runDirectory">The run folder holding <c>code.patch</c>.</param>
    /// <param name="repositoryRoot">The repository to read the commit from; the recorded root when null.</param>
    /// <param name="parentDirectory">Where to create the folder; the system temporary folder when null.</param>
    /// <param name="cancellationToken">Stops writing; the folder is removed.</param>
    /// <exception cref="InputException">The run recorded no commit, or the repository or commit is missing.</exception>
    /// <exception cref="StoreException">The stored patch is missing or differs from its record.</exception>
    /// <exception cref="GitException">The patch does not apply.</exception>
    public static async Task<CodeCheckout> MaterializeAsync(
        GitRecord record, string runDirectory, string? repositoryRoot = null, string? parentDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(runDirectory);
        if (record.State != GitState.Repository || record.Commit is null)
        {
            throw new InputException($"the run in {runDirectory} recorded no commit (git state '{record.State.Name()}'), so its code cannot be checked out");
        }

        var root = repositoryRoot ?? record.RepositoryRoot
            ?? throw new InputException($"the run in {runDirectory} recorded no repository root; name the repository to check out from");
        string? patchFile = null;
        if (record.Patch is { } patch)
        {
            patchFile = Path.Combine(runDirectory, patch.File);
            CheckStoredPatch(patchFile, patch);
        }

        return await MaterializeAsync(root, record.Commit, patchFile, parentDirectory, cancellationToken);
    }

    /// <summary>Synchronous form of <see cref="MaterializeAsync(string, string, string?, string?, CancellationToken)"/>.</summary>
    public static CodeCheckout Materialize(
        string repositoryRoot, string commit, string? patchFile, string? parentDirectory = null, CancellationToken cancellationToken = default) =>
        MaterializeAsync(repositoryRoot, commit, patchFile, parentDirectory, cancellationToken).GetAwaiter().GetResult();

    /// <summary>The folder of a project inside the checkout, from the recorded <see cref="GitRecord.ProjectPath"/>.</summary>
    public string ProjectDirectory(string? projectPath) =>
        string.IsNullOrEmpty(projectPath) ? Root : Path.Combine(Root, RelativeInside(projectPath, "project path"));

    /// <summary>
    /// Copies files the run listed as untracked from <paramref name="sourceRoot"/> (the user's working tree) into the
    /// checkout, and checks each copy against its recorded SHA-256. Symbolic links are copied as links.
    /// </summary>
    /// <param name="sourceRoot">The working-tree root the recorded paths are relative to.</param>
    /// <param name="files">The recorded untracked files.</param>
    /// <param name="cancellationToken">Stops between files.</param>
    /// <exception cref="InputException">Some files are missing or differ; the message names each with its recorded and current hash.</exception>
    public async Task CopyUntrackedAsync(string sourceRoot, IReadOnlyList<FileRecord> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceRoot);
        ArgumentNullException.ThrowIfNull(files);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var problems = new List<string>();
        foreach (var file in files)
        {
            var relative = RelativeInside(file.Path, "untracked file");
            var source = Path.Combine(sourceRoot, relative);
            var destination = Path.Combine(Root, relative);
            var info = new FileInfo(source);
            if (!info.Exists && info.LinkTarget is null)
            {
                problems.Add($"{file.Path} (recorded sha256 {file.Sha256}, now missing)");
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Delete(destination);
            if (info.LinkTarget is { } target)
            {
                File.CreateSymbolicLink(destination, target);
            }
            else
            {
                File.Copy(source, destination);
            }

            // The copy is what verify runs on, so the copy is what gets checked.
            var copied = await UntrackedFiles.FingerprintAsync(Root, relative, cancellationToken);
            if (copied?.Sha256 != file.Sha256)
            {
                problems.Add($"{file.Path} (recorded sha256 {file.Sha256}, current {copied?.Sha256})");
            }
        }

        if (problems.Count > 0)
        {
            throw new InputException($"untracked files differ from the run: {string.Join("; ", problems)}");
        }
    }

    /// <summary>Deletes the folder.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        DeleteFolder(Root);
    }

    /// <summary>Deletes the folder.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void WriteTree(Tree tree, string folder, string treePath, CancellationToken cancellationToken)
    {
        foreach (var entry in tree)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = CheckedName(entry.Name, treePath);
            var path = Path.Combine(folder, name);
            var entryPath = treePath + name;
            switch (entry.Mode)
            {
                case Mode.Directory:
                    Directory.CreateDirectory(path);
                    WriteTree((Tree)entry.Target, path, entryPath + "/", cancellationToken);
                    break;
                case Mode.SymbolicLink:
                    File.CreateSymbolicLink(path, ReadText((Blob)entry.Target));
                    break;
                case Mode.GitLink:
                    Directory.CreateDirectory(path);
                    _warnings.Add($"submodule {entryPath} (commit {entry.Target.Sha}) is checked out as an empty folder");
                    break;
                default:
                    WriteBlob((Blob)entry.Target, path, entry.Mode == Mode.ExecutableFile);
                    break;
            }
        }
    }

    private static void WriteBlob(Blob blob, string path, bool executable)
    {
        // The raw blob, without smudge filters or line-ending conversion: exactly what code.patch was made against.
        using (var content = blob.GetContentStream())
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920))
        {
            content.CopyTo(file);
        }

        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, ExecutableFileMode);
        }
    }

    private async Task ApplyAsync(GitExecutable git, string patchFile, CancellationToken cancellationToken)
    {
        if (!File.Exists(patchFile))
        {
            throw new StoreException($"patch {patchFile} does not exist");
        }

        // Outside any repository git apply works like patch(1) and never touches an index. The ceiling stops git
        // from finding a repository above the checkout, such as the user's own when the checkout is inside it.
        var environment = new Dictionary<string, string>
        {
            ["GIT_CEILING_DIRECTORIES"] = Path.GetDirectoryName(Root)!,
        };
        string[] arguments = ["apply", "--binary", "--whitespace=nowarn", "-p1", patchFile];
        try
        {
            await git.RunAsync(Root, arguments, userConfiguration: false, (output, ct) => output.CopyToAsync(Stream.Null, ct), cancellationToken, environment);
        }
        catch (GitException e)
        {
            throw new GitException($"{patchFile} does not apply to commit {Commit}: {e.Message}", e);
        }
    }

    private static void CheckStoredPatch(string patchFile, StoredFileRecord record)
    {
        if (!File.Exists(patchFile))
        {
            throw new StoreException($"the run's patch {patchFile} is missing");
        }

        using var stream = File.OpenRead(patchFile);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (sha256 != record.Sha256 || stream.Length != record.Bytes)
        {
            throw new StoreException($"the run's patch {patchFile} changed since the run (sha256 {sha256}, recorded {record.Sha256})");
        }
    }

    private static Repository Open(string repositoryRoot)
    {
        var gitDirectory = Directory.Exists(repositoryRoot) ? Repository.Discover(repositoryRoot) : null;
        if (gitDirectory is null)
        {
            throw new InputException($"{repositoryRoot} is not a git repository");
        }

        try
        {
            return new Repository(gitDirectory);
        }
        catch (LibGit2SharpException e)
        {
            throw new GitException($"cannot open the git repository at {repositoryRoot}: {e.Message}", e);
        }
    }

    private static string CreateFolder(string? parentDirectory)
    {
        var parent = Path.GetFullPath(parentDirectory ?? Path.GetTempPath());
        Directory.CreateDirectory(parent);
        while (true)
        {
            var folder = Path.Combine(parent, FolderPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)));
            if (!Path.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                return folder;
            }
        }
    }

    private static void DeleteFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // A verified entry point may have left read-only folders behind; open them up and try once more.
            if (!OperatingSystem.IsWindows())
            {
                foreach (var sub in Directory.EnumerateDirectories(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                {
                    File.SetUnixFileMode(sub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    private static string CheckedName(string name, string treePath)
    {
        // git itself refuses such names; a crafted tree must still not write outside the checkout.
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal)
            || name.Contains('\0', StringComparison.Ordinal) || name.Equals(".git", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException($"the commit holds an unsafe path '{treePath}{name}'");
        }

        return name;
    }

    private static string RelativeInside(string path, string what)
    {
        var segments = path.Split('/');
        if (Path.IsPathRooted(path) || segments.Any(s => s is "" or "." or ".."))
        {
            throw new InputException($"the run records {what} '{path}', which is not a path inside the repository");
        }

        return Path.Combine(segments);
    }

    private static string ReadText(Blob blob)
    {
        using var reader = new StreamReader(blob.GetContentStream(), System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static bool IsFullCommitId(string commit) =>
        commit.Length is 40 or 64 && commit.All(char.IsAsciiHexDigitLower);
}
