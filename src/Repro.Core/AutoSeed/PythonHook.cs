using Repro.Core.FileSystem;

namespace Repro.Core.AutoSeed;

/// <summary>
/// repro's Python start-up hook (<c>sitecustomize.py</c>, <c>_repro_autoseed.py</c> and <c>_repro_autoseed_libraries.py</c>, embedded in this assembly):
/// put first on a child's <c>PYTHONPATH</c>, it seeds <c>random</c>, NumPy, PyTorch and TensorFlow in every Python
/// process of the run as the program imports them, and reports what it did (docs/python.md).
/// </summary>
public static class PythonHook
{
    /// <summary>The oldest Python the hook seeds; older interpreters run unseeded and say so on stderr and in the report.</summary>
    public static readonly Version MinimumPython = new(3, 8);

    /// <summary>The files of the hook, in the order they are hashed.</summary>
    public static readonly IReadOnlyList<string> FileNames = ["_repro_autoseed.py", "_repro_autoseed_libraries.py", "sitecustomize.py"];

    private const string ResourcePrefix = "Repro.Core.AutoSeed.Hook.";

    // An array of a class and plain loops, not a LINQ projection to tuples: every run materialises the hook, and LINQ
    // over value tuples is generic code that the ReadyToRun image lacks, so the JIT compiled it at each start.
    private static readonly Lazy<HookFile[]> Files = new(LoadFiles);

    /// <summary>
    /// Identifies the hook's code, so that a manifest says which hook seeded a run and verify can name a changed hook:
    /// lowercase hex SHA-256 over, for each file in <see cref="FileNames"/> order, its UTF-8 name, a NUL byte, its
    /// length in decimal, a NUL byte and its bytes.
    /// </summary>
    /// <remarks>
    /// Computed when repro is built (Repro.Core.csproj): at run time it loaded the cryptography library into every run.
    /// </remarks>
    public static string Sha256 => PythonHookDigest.Sha256;

    /// <summary>The content of one hook file, exactly as it is written.</summary>
    /// <param name="fileName">One of <see cref="FileNames"/>.</param>
    public static ReadOnlyMemory<byte> Content(string fileName)
    {
        foreach (var file in Files.Value)
        {
            if (string.Equals(file.Name, fileName, StringComparison.Ordinal))
            {
                return file.Content;
            }
        }

        throw new ArgumentException($"{fileName} is not a file of the Python hook.", nameof(fileName));
    }

    /// <summary>
    /// A name for a folder that holds this version of the hook and no other (<c>python-hook-</c> and the first 16 hex
    /// digits of <see cref="Sha256"/>). Materialised once in a place shared by runs, such as the store, the hook is
    /// compiled to bytecode once, by the first Python process that uses it, instead of once per run.
    /// </summary>
    public static string VersionedFolderName => "python-hook-" + Sha256[..16];

    /// <summary>
    /// Writes the hook's files into <paramref name="folder"/> (created if needed). A file that already holds the
    /// right bytes is left untouched, so Python's bytecode cache beside it stays valid; any other is replaced
    /// atomically, so concurrent runs materialising the same folder never see a torn file.
    /// </summary>
    /// <param name="folder">A folder repro owns: <see cref="VersionedFolderName"/> in the store, or one in the run folder.</param>
    /// <returns>The folder, as an absolute path, and the hook's digest.</returns>
    public static PythonHookFolder Materialize(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var path = Path.GetFullPath(folder);
        Directory.CreateDirectory(path);
        foreach (var hookFile in Files.Value)
        {
            var file = Path.Combine(path, hookFile.Name);
            if (!HoldsExactly(file, hookFile.Content))
            {
                AtomicFile.WriteAllBytes(file, hookFile.Content);
            }
        }

        return new PythonHookFolder(path, Sha256);
    }

    /// <summary>The value of <c>PYTHONPATH</c> that puts the hook folder first and keeps what was there after it.</summary>
    /// <param name="hookFolder">The folder <see cref="Materialize"/> returned.</param>
    /// <param name="inherited">The <c>PYTHONPATH</c> the child would have had; null or empty when none.</param>
    public static string PythonPath(string hookFolder, string? inherited)
    {
        ArgumentException.ThrowIfNullOrEmpty(hookFolder);
        return string.IsNullOrEmpty(inherited) ? hookFolder : hookFolder + Path.PathSeparator + inherited;
    }

    private static bool HoldsExactly(string file, byte[] content)
    {
        try
        {
            // One open and a length from the handle instead of a stat, then an open: the hook is checked on every run.
            using var handle = File.OpenHandle(file);
            if (RandomAccess.GetLength(handle) != content.Length)
            {
                return false;
            }

            var buffer = new byte[content.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                var count = RandomAccess.Read(handle, buffer.AsSpan(read), read);
                if (count == 0)
                {
                    return false;
                }

                read += count;
            }

            return buffer.AsSpan().SequenceEqual(content);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static HookFile[] LoadFiles()
    {
        var assembly = typeof(PythonHook).Assembly;
        var files = new HookFile[FileNames.Count];
        for (var i = 0; i < files.Length; i++)
        {
            var name = FileNames[i];
            using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name)
                ?? throw new InvalidOperationException($"The Python hook file {name} is not embedded in {assembly.GetName().Name}.");
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            files[i] = new HookFile(name, content);
        }

        return files;
    }

    private sealed record HookFile(string Name, byte[] Content);
}

/// <summary>A folder holding the Python hook.</summary>
/// <param name="Path">Absolute path of the folder: the first entry of the child's <c>PYTHONPATH</c>.</param>
/// <param name="Sha256">The hook's digest (<see cref="PythonHook.Sha256"/>).</param>
public sealed record PythonHookFolder(string Path, string Sha256);
