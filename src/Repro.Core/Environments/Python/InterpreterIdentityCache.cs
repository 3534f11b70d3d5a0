using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Repro.Core.FileSystem;

namespace Repro.Core.Environments.Python;

/// <summary>
/// What interpreters said about themselves, kept in the cache (<c>interpreters/SHA.json</c>, one file per candidate
/// path), so that a run whose environment is reused starts no Python before its child: asking an interpreter who it is
/// means starting it, which costs tens of milliseconds. An answer is used while the executable (links followed) keeps
/// its size, modification and change times, inode and device: installing, upgrading or replacing it changes them. On a
/// file system that cannot report change time, inode and device, nothing is cached.
/// </summary>
internal sealed class InterpreterIdentityCache(string folder)
{
    private const int SchemaVersion = 1;

    /// <summary>The answer recorded for <paramref name="candidate"/>, or null when there is none or it is stale.</summary>
    public PythonInterpreter? Read(string candidate)
    {
        if (Stamp(candidate) is not { } stamp)
        {
            return null;
        }

        try
        {
            var entry = JsonSerializer.Deserialize(File.ReadAllBytes(FileFor(candidate)), PythonEnvironmentJsonContext.Default.InterpreterCacheEntry);
            return entry is { SchemaVersion: SchemaVersion } && entry.Candidate == candidate && entry.Stamp == stamp ? entry.Interpreter : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Records the answer of <paramref name="candidate"/>; a cache that cannot be written is left as it is.</summary>
    public void Write(string candidate, PythonInterpreter interpreter)
    {
        if (Stamp(candidate) is not { } stamp)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
            var entry = new InterpreterCacheEntry(SchemaVersion, candidate, stamp, interpreter);
            AtomicFile.WriteAllBytes(FileFor(candidate), JsonSerializer.SerializeToUtf8Bytes(entry, PythonEnvironmentJsonContext.Default.InterpreterCacheEntry));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only an optimisation: the next run asks the interpreter again.
        }
    }

    private string FileFor(string candidate) =>
        Path.Combine(folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(candidate))) + ".json");

    private static string? Stamp(string candidate)
    {
        try
        {
            return FileStatus.Of(candidate, followLinks: true) is { HasIdentity: true } status
                ? $"{status.Size} {status.ModifiedNs} {status.ChangedNs} {status.Inode} {status.Device}"
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>One answer in the <see cref="InterpreterIdentityCache"/>.</summary>
/// <param name="SchemaVersion">Format of this file.</param>
/// <param name="Candidate">The path that was asked (on <c>PATH</c>, under pyenv, or given with <c>--python</c>).</param>
/// <param name="Stamp">Size, modification and change time (ns), inode and device of the executable it leads to.</param>
/// <param name="Interpreter">What it answered.</param>
internal sealed record InterpreterCacheEntry(int SchemaVersion, string Candidate, string Stamp, PythonInterpreter Interpreter);
