using System.IO.Enumeration;
using System.Security.Cryptography;
using Repro.Core.Capture.Git;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// Finds the lock and environment files of a project and hashes them. The search is recursive because a solution
/// keeps a <c>packages.lock.json</c> beside each project, but it stays out of build output, version control, repro's
/// store, package caches and virtual environments, and stops at <see cref="MaxDepth"/>. In a git working tree that git
/// capture has just listed (<see cref="WorkingTreeListing"/>), the same rules are applied to git's list instead of a
/// walk: only the folders git did not look into (ignored ones, repositories of their own, submodules) are walked, so a
/// project of 100,000 files is not read twice.
/// </summary>
internal static class LockFileScanner
{
    /// <summary>Deepest folder level searched below the project directory (the project directory is level 0).</summary>
    public const int MaxDepth = 6;

    private const string VirtualEnvironmentMarker = "pyvenv.cfg";
    private const string CondaMetaFolder = "conda-meta";

    private static readonly HashSet<string> FileNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "packages.lock.json", "global.json", "Directory.Packages.props",
        "uv.lock", "poetry.lock", "Pipfile.lock",
        "python_env.yaml", "conda.yaml", "conda.yml", "environment.yml", "environment.yaml",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FileNameLookup = FileNames.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly byte[][] AsciiFileNames = [.. FileNames.Select(System.Text.Encoding.ASCII.GetBytes)];

    // Every entry, hidden ones included (the rules below decide), of folders that can be read.
    private static readonly EnumerationOptions ListingOptions = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
    };

    // Hidden folders (.git, .repro, .venv, .tox, .idea) are skipped by their leading dot.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", "node_modules", "__pycache__", "site-packages",
    };

    /// <summary>Finds and hashes the lock files under <paramref name="projectDirectory"/>.</summary>
    /// <param name="projectDirectory">The project directory.</param>
    /// <param name="warnings">Receives one line per file that was found but could not be read.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The files, paths relative to the project with forward slashes, sorted by path (ordinal).</returns>
    public static IReadOnlyList<LockFileRecord> Scan(string projectDirectory, ICollection<string> warnings, CancellationToken cancellationToken) =>
        Scan(projectDirectory, listing: null, warnings, cancellationToken);

    /// <summary>
    /// Finds and hashes the lock files under <paramref name="projectDirectory"/>, from git's listing of its working tree
    /// when there is one: the result is the same as a walk's.
    /// </summary>
    /// <param name="projectDirectory">The project directory.</param>
    /// <param name="listing">What git saw in the working tree that holds the project, or null to walk.</param>
    /// <param name="warnings">Receives one line per file that was found but could not be read.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The files, paths relative to the project with forward slashes, sorted by path (ordinal).</returns>
    public static IReadOnlyList<LockFileRecord> Scan(
        string projectDirectory, WorkingTreeListing? listing, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(projectDirectory);
        var found = new List<LockFileRecord>();
        if (Directory.Exists(root))
        {
            if (listing is null || !FromListing(root, listing, found, warnings, cancellationToken))
            {
                found.Clear();
                Visit(root, root, 0, found, warnings, cancellationToken);
            }
        }

        found.Sort((left, right) => string.CompareOrdinal(left.Path, right.Path));
        return found;
    }

    /// <summary>
    /// Applies the walk's rules to git's listing: each listed file with a lock file's name counts when every folder on
    /// its way down from the project may be walked; each folder git did not look into is walked from its level.
    /// Returns false, having found nothing, when the listing cannot stand in for a walk of this project.
    /// </summary>
    private static bool FromListing(string root, WorkingTreeListing listing, List<LockFileRecord> found, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        var projectPath = listing.ProjectPath;
        if (projectPath.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(projectPath))
        {
            return false;
        }

        var prefix = projectPath.Length == 0 ? "" : projectPath + "/";
        // A project inside a folder git did not look into (an ignored one, a submodule) is not covered by the listing.
        if (listing.Folders.Any(folder => prefix.StartsWith(folder, StringComparison.Ordinal)))
        {
            return false;
        }

        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in listing.TrackedFiles(IsLockFileName, MayBeLockFileName).Concat(listing.OtherFiles))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!file.StartsWith(prefix, StringComparison.Ordinal) || !IsLockFileName(FileName(file)))
            {
                continue;
            }

            var relative = file[prefix.Length..];
            var slash = relative.LastIndexOf('/');
            if (!seen.Add(relative) || (slash >= 0 && !MayWalk(root, relative[..slash], verdicts)))
            {
                continue;
            }

            var path = Path.Join(root, relative);
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(path);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone since git listed it, or a name .NET cannot pass back (not valid UTF-8): the walk could not read it either.
                continue;
            }

            // Like the walk, a link to a folder is not taken for a file.
            if (!Directory.Exists(path))
            {
                Record(path, root, (attributes & FileAttributes.ReparsePoint) != 0, found, warnings);
            }
        }

        foreach (var folder in listing.Folders)
        {
            if (!folder.StartsWith(prefix, StringComparison.Ordinal) || folder.Length == prefix.Length)
            {
                continue;
            }

            var relative = folder[prefix.Length..^1];
            var depth = relative.Count(c => c == '/') + 1;
            if (depth <= MaxDepth && MayWalk(root, relative, verdicts))
            {
                // Files listed by git inside it (tracked files in an ignored folder, say) were recorded above.
                var inside = new List<LockFileRecord>();
                Visit(Path.Join(root, relative), root, depth, inside, warnings, cancellationToken);
                found.AddRange(inside.Where(record => seen.Add(record.Path)));
            }
        }

        return true;
    }

    /// <summary>Whether the walk would enter the folder at <paramref name="relative"/> (below the project) and every folder above it.</summary>
    private static bool MayWalk(string root, string relative, Dictionary<string, bool> verdicts)
    {
        if (verdicts.TryGetValue(relative, out var known))
        {
            return known;
        }

        var slash = relative.LastIndexOf('/');
        var name = relative[(slash + 1)..];
        var depth = relative.Count(c => c == '/') + 1;
        var path = Path.Join(root, relative);
        var verdict = (slash < 0 || MayWalk(root, relative[..slash], verdicts))
            && depth <= MaxDepth
            && !name.StartsWith('.')
            && !SkippedFolders.Contains(name)
            && Directory.Exists(path)
            && (File.GetAttributes(path) & FileAttributes.ReparsePoint) == 0
            && !IsEnvironment(path);
        verdicts[relative] = verdict;
        return verdict;
    }

    private static bool IsEnvironment(string folder) =>
        File.Exists(Path.Join(folder, VirtualEnvironmentMarker)) || Directory.Exists(Path.Join(folder, CondaMetaFolder));

    private static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    // A project of 100,000 files is 100,000 directory entries: each folder is listed once, names and kinds come from
    // the listing itself (no stat per file), and only folders and files with a lock file's name become strings.
    private static void Visit(string directory, string root, int depth, List<LockFileRecord> found, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<Entry> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<Entry>(directory, static (ref entry) => new Entry(entry.FileName.ToString(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0), ListingOptions)
            {
                ShouldIncludePredicate = static (ref entry) => entry.IsDirectory || IsLockFileName(entry.FileName) || entry.FileName.SequenceEqual(VirtualEnvironmentMarker),
            }];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder below the project cannot hold a file the run used through repro.
            return;
        }

        // A virtual environment (pyvenv.cfg) or conda environment (conda-meta) holds thousands of installed files,
        // some named requirements.txt, none of them the project's.
        if (depth > 0 && entries.Exists(entry => entry.IsDirectory ? entry.Name == CondaMetaFolder : entry.Name == VirtualEnvironmentMarker))
        {
            return;
        }

        foreach (var entry in entries)
        {
            var path = Path.Join(directory, entry.Name);
            if (!entry.IsDirectory)
            {
                if (IsLockFileName(entry.Name))
                {
                    Record(path, root, entry.IsLink, found, warnings);
                }
            }
            else if (depth < MaxDepth && !entry.IsLink && !entry.Name.StartsWith('.') && !SkippedFolders.Contains(entry.Name))
            {
                Visit(path, root, depth + 1, found, warnings, cancellationToken);
            }
        }
    }

    private static void Record(string path, string root, bool isLink, List<LockFileRecord> found, ICollection<string> warnings)
    {
        var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
        if (isLink && !PathContainment.ResolvesInside(root, path).Inside)
        {
            // repro reads nothing outside the project, not even to hash it.
            warnings.Add($"Lock file {relative} is a symbolic link leading outside the project: not read, not recorded");
            return;
        }

        // Only a regular file (or a link to one) has content to hash: opening a FIFO named like a lock file would wait
        // for a writer that may never come, and the run with it.
        if (NativeFiles.Status(path, followLinks: true) is { Kind: not FileKind.Regular } other)
        {
            warnings.Add($"Lock file {relative} is not a regular file ({other.Kind}): not read, not recorded");
            return;
        }

        try
        {
            found.Add(new LockFileRecord(relative, Sha256Hex(path)));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"Lock file {relative} could not be read and was not recorded: {exception.Message}");
        }
    }

    /// <summary>Whether a file of this name, written into the project, can change what the lock-file scan finds.</summary>
    /// <param name="fileName">The file's name, without its folder.</param>
    internal static bool Affects(string fileName) =>
        IsLockFileName(fileName) || string.Equals(fileName, VirtualEnvironmentMarker, StringComparison.Ordinal);

    /// <summary>The lock and environment file names, and <c>requirements*.txt</c>.</summary>
    private static bool IsLockFileName(string fileName) => IsLockFileName(fileName.AsSpan());

    private static bool IsLockFileName(ReadOnlySpan<char> fileName) =>
        FileNameLookup.Contains(fileName)
        || (fileName.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && fileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <see cref="IsLockFileName(string)"/> on a name's UTF-8 bytes, without making a string: for a name of ASCII bytes
    /// alone it is the same answer (the names are ASCII, and case-insensitive comparison of ASCII text is ASCII's),
    /// and any other name is let through for the string comparison to decide.
    /// </summary>
    internal static bool MayBeLockFileName(ReadOnlySpan<byte> name)
    {
        if (!System.Text.Ascii.IsValid(name))
        {
            return true;
        }

        foreach (var candidate in AsciiFileNames)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, candidate))
            {
                return true;
            }
        }

        return name.Length >= "requirements.txt".Length
            && System.Text.Ascii.EqualsIgnoreCase(name[.."requirements".Length], "requirements"u8)
            && System.Text.Ascii.EqualsIgnoreCase(name[^".txt".Length..], ".txt"u8);
    }

    private static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>What the walk needs of one directory entry.</summary>
    private readonly record struct Entry(string Name, bool IsDirectory, bool IsLink);
}
