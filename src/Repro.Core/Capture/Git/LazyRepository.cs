using LibGit2Sharp;

namespace Repro.Core.Capture.Git;

/// <summary>
/// LibGit2Sharp's repository, opened only when a part of the capture needs it: the working tree without the git
/// executable, submodules, or facts <see cref="RepositoryFiles"/> left to libgit2. Every use of LibGit2Sharp types by
/// the capture goes through here, so that a capture that needs none never loads libgit2.
/// </summary>
internal sealed class LazyRepository : IDisposable
{
    private readonly string _gitDirectory;
    private Repository? _repository;

    /// <summary>Opens nothing yet.</summary>
    /// <param name="gitDirectory">The repository's git directory, as libgit2's discovery gives it or <see cref="RepositoryFiles"/> found it.</param>
    public LazyRepository(string gitDirectory) => _gitDirectory = gitDirectory;

    /// <summary>The repository, opened on first use.</summary>
    public Repository Value => _repository ??= new Repository(_gitDirectory);

    /// <summary>Whether <paramref name="exception"/> is LibGit2Sharp's report of a failure.</summary>
    public static bool IsLibGit2Failure(Exception exception) => exception is LibGit2SharpException;

    /// <summary>Reads HEAD, branch and remote with LibGit2Sharp (<see cref="RepositoryFacts.Read"/>).</summary>
    public RepositoryFacts ReadFacts() => RepositoryFacts.Read(Value);

    /// <summary>Reads working-tree changes with LibGit2Sharp (<see cref="LibGit2WorkingTreeReader"/>).</summary>
    public Task<WorkingTreeChanges> ReadWorkingTreeAsync(string root, string patchFile, string? excludedPrefix, CancellationToken cancellationToken) =>
        LibGit2WorkingTreeReader.ReadAsync(Value, root, patchFile, excludedPrefix, cancellationToken);

    /// <summary>Captures the submodules (<see cref="SubmoduleCapture"/>).</summary>
    public Task<(List<Runs.SubmoduleRecord> Submodules, List<string> Warnings)> CaptureSubmodulesAsync(
        string root, string runDirectory, GitExecutable? git, CancellationToken cancellationToken) =>
        SubmoduleCapture.CaptureAsync(Value, root, runDirectory, git, cancellationToken);

    /// <summary>The repository if it was opened, which the caller now owns; null if it was not. Dispose closes nothing after.</summary>
    public Repository? Release()
    {
        var repository = _repository;
        _repository = null;
        return repository;
    }

    /// <inheritdoc />
    public void Dispose() => _repository?.Dispose();
}
