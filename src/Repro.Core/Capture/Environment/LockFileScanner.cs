using System.Security.Cryptography;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// Finds the lock and environment files of a project and hashes them. The search is recursive because a solution
/// keeps a <c>packages.lock.json</c> beside each project, but it stays out of build output, version control, repro's
/// store, package caches and virtual environments, and stops at <see cref="MaxDepth"/>.
/// </summary>
internal static class LockFileScanner
{
    /// <summary>Deepest folder level searched below the project directory (the project directory is level 0).</summary>
    public const int MaxDepth = 6;

    private static readonly HashSet<string> FileNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "packages.lock.json", "global.json", "Directory.Packages.props",
        "uv.lock", "poetry.lock", "Pipfile.lock",
        "python_env.yaml", "conda.yaml", "conda.yml", "environment.yml", "environment.yaml",
    };

    // Hidden folders (.git, .repro, .venv, .tox, .idea) are skipped by their leading dot.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", "node_modules", "__pycache__", "site-packages",
    };

    /// <summary>Whether a file name is one this scanner records.</summary>
    /// <param name="fileName">A file name without folders.</param>
    /// <returns>True for the lock and environment file names, and <c>requirements*.txt</c>.</returns>
    public static bool IsLockFileName(string fileName) =>
        FileNames.Contains(fileName)
        || (fileName.StartsWith("requirements", StringComparison.OrdinalIgnoreCase) && fileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase));

    /// <summary>Finds and hashes the lock files under <paramref name="projectDirectory"/>.</summary>
    /// <param name="projectDirectory">The project directory.</param>
    /// <param name="warnings">Receives one line per file that was found but could not be read.</param>
    /// <param name="cancellationToken">Stops the search.</param>
    /// <returns>The files, paths relative to the project with forward slashes, sorted by path (ordinal).</returns>
    public static IReadOnlyList<LockFileRecord> Scan(string projectDirectory, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        var root = new DirectoryInfo(projectDirectory);
        var found = new List<LockFileRecord>();
        if (root.Exists)
        {
            Visit(root, root.FullName, 0, found, warnings, cancellationToken);
        }

        found.Sort((left, right) => string.CompareOrdinal(left.Path, right.Path));
        return found;
    }

    private static void Visit(DirectoryInfo directory, string root, int depth, List<LockFileRecord> found, ICollection<string> warnings, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        FileSystemInfo[] entries;
        try
        {
            entries = directory.GetFileSystemInfos();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder below the project cannot hold a file the run used through repro.
            return;
        }

        foreach (var entry in entries)
        {
            if (entry is FileInfo file && IsLockFileName(file.Name))
            {
                var relative = Path.GetRelativePath(root, file.FullName).Replace('\\', '/');
                if (file.LinkTarget is not null && !PathContainment.ResolvesInside(root, file.FullName).Inside)
                {
                    // repro reads nothing outside the project, not even to hash it.
                    warnings.Add($"Lock file {relative} is a symbolic link leading outside the project: not read, not recorded");
                    continue;
                }

                try
                {
                    found.Add(new LockFileRecord(relative, Sha256Hex(file.FullName)));
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    warnings.Add($"Lock file {relative} could not be read and was not recorded: {exception.Message}");
                }
            }
            else if (entry is DirectoryInfo child && depth < MaxDepth && ShouldDescend(child))
            {
                Visit(child, root, depth + 1, found, warnings, cancellationToken);
            }
        }
    }

    private static bool ShouldDescend(DirectoryInfo directory) =>
        directory.LinkTarget is null
        && !directory.Name.StartsWith('.')
        && !SkippedFolders.Contains(directory.Name)
        && !IsEnvironmentRoot(directory);

    // A virtual environment (pyvenv.cfg) or conda environment (conda-meta) holds thousands of installed files,
    // some named requirements.txt, none of them the project's.
    private static bool IsEnvironmentRoot(DirectoryInfo directory) =>
        File.Exists(Path.Combine(directory.FullName, "pyvenv.cfg")) || Directory.Exists(Path.Combine(directory.FullName, "conda-meta"));

    private static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
