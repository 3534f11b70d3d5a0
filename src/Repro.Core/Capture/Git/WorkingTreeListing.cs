using Repro.Core.FileSystem;

namespace Repro.Core.Capture.Git;

/// <summary>
/// Every file of a working tree as git saw it during one capture, so that whoever looks for files by name (the lock-file
/// search) need not walk the tree a second time: tracked files by path, untracked and ignored files by path, and the
/// folders git did not look into (ignored folders, repositories of their own, submodules), which a search must still
/// walk itself. Paths are relative to <see cref="Root"/>, forward slashes, in <see cref="PathText"/>'s native form;
/// folders end with a slash.
/// </summary>
internal sealed class WorkingTreeListing
{
    private readonly GitIndexFile.Snapshot? _index;
    private readonly byte[]? _lsFiles;

    /// <param name="root">The working-tree root.</param>
    /// <param name="projectPath">The project folder relative to the root (empty for the root itself).</param>
    /// <param name="tracked">
    /// The index, walked in process (<see cref="GitIndexFile.Snapshot.TryWalk"/> answered true), or, when it was left
    /// to git, the output of <c>git ls-files -z --stage</c> run at the root.
    /// </param>
    /// <param name="untrackedOrIgnored">Untracked and ignored files and folders, as <c>git status</c> listed them.</param>
    /// <param name="gitlinkChanged">Whether status showed a changed path that is a submodule in HEAD, the index or the working tree.</param>
    public WorkingTreeListing(string root, string projectPath, GitCliWorkingTreeReader.IndexListing tracked, IReadOnlyList<string> untrackedOrIgnored, bool gitlinkChanged)
    {
        Root = root;
        ProjectPath = projectPath;
        // git's listing when the index was left to git; the index itself otherwise.
        _lsFiles = tracked.Staged;
        _index = _lsFiles is null ? tracked.Index : null;
        var files = new List<string>();
        var folders = new List<string>();
        foreach (var path in untrackedOrIgnored)
        {
            (path.EndsWith('/') ? folders : files).Add(path);
        }

        // The index walk noted whether there is a gitlink. In git's listing a gitlink's entry starts "160000 ": when
        // those bytes are nowhere in it (a path could hold them, so finding them proves nothing), there is none,
        // without parsing 100,000 entries.
        var mayHaveSubmodules = _lsFiles is null ? _index?.HasGitlink == true : _lsFiles.AsSpan().IndexOf("160000 "u8) >= 0;
        var submodules = mayHaveSubmodules ? TrackedEntries(static (gitlink, _) => gitlink) : [];
        foreach (var submodule in submodules)
        {
            folders.Add(submodule + "/");
        }

        HasSubmodules = gitlinkChanged || submodules.Count > 0;

        OtherFiles = files;
        Folders = folders;
    }

    /// <summary>The working-tree root, as LibGit2Sharp reports it (symbolic links resolved).</summary>
    public string Root { get; }

    /// <summary>The project folder relative to the root, without a trailing slash; empty when it is the root.</summary>
    public string ProjectPath { get; }

    /// <summary>Whether the index or HEAD has a submodule (a gitlink): when not, and there is no <c>.gitmodules</c>, there is none to record.</summary>
    public bool HasSubmodules { get; }

    /// <summary>Untracked and ignored files.</summary>
    public IReadOnlyList<string> OtherFiles { get; }

    /// <summary>Folders whose files git did not list: ignored folders, untracked repositories and submodules.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>Tracked files (submodules excepted) whose file name <paramref name="isWanted"/> accepts.</summary>
    /// <param name="isWanted">Called with each file name (the last path component) only.</param>
    public IEnumerable<string> TrackedFiles(Func<string, bool> isWanted) => TrackedFiles(isWanted, static _ => true);

    /// <summary>
    /// Tracked files (submodules excepted) whose file name <paramref name="isWanted"/> accepts, asked only of names
    /// whose bytes <paramref name="mayBeWanted"/> lets through: on 100,000 entries, most names are then never made into
    /// strings.
    /// </summary>
    /// <param name="isWanted">Called with each file name (the last path component) that passed <paramref name="mayBeWanted"/>.</param>
    /// <param name="mayBeWanted">Called with each file name's bytes as git wrote them; false only for names <paramref name="isWanted"/> would refuse.</param>
    public IEnumerable<string> TrackedFiles(Func<string, bool> isWanted, NamePrefilter mayBeWanted) =>
        TrackedEntries((gitlink, name) => !gitlink && mayBeWanted(name) && isWanted(PathText.FromBytes(name)));

    // Strings are made only for the entries kept: on 100,000 files, that is the difference between a few and 100,000
    // allocations. The index is walked where it lies, as bytes; git's listing is parsed.
    private List<string> TrackedEntries(EntryFilter keep) => _lsFiles is null ? _index?.Paths(keep) ?? [] : ParseLsFiles(_lsFiles, keep);

    // Entries are "MODE OBJECT STAGE\tPATH\0"; a path may hold any byte but NUL.
    private static List<string> ParseLsFiles(byte[] lsFiles, EntryFilter keep)
    {
        var kept = new List<string>();
        var span = lsFiles.AsSpan();
        string? previous = null;
        while (span.Length > 0)
        {
            var end = span.IndexOf((byte)0);
            var entry = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            var tab = entry.IndexOf((byte)'\t');
            var space = entry.IndexOf((byte)' ');
            if (tab < 0 || space < 0 || space > tab)
            {
                continue;
            }

            var path = entry[(tab + 1)..];
            var name = path[(path.LastIndexOf((byte)'/') + 1)..];
            if (keep(entry[..space].SequenceEqual("160000"u8), name))
            {
                var text = PathText.FromBytes(path);
                // A conflicted file has up to three entries, one per stage.
                if (text != previous)
                {
                    kept.Add(text);
                }

                previous = text;
            }
        }

        return kept;
    }

    /// <summary>Decides from a file name's bytes whether it can be wanted at all.</summary>
    /// <param name="name">The name's bytes.</param>
    public delegate bool NamePrefilter(ReadOnlySpan<byte> name);

    /// <summary>Decides from an entry's kind and file name's bytes whether it is kept.</summary>
    /// <param name="isGitlink">Whether the entry is a submodule.</param>
    /// <param name="name">The file name (the last path component) as git holds it.</param>
    internal delegate bool EntryFilter(bool isGitlink, ReadOnlySpan<byte> name);
}
