using Microsoft.Win32.SafeHandles;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;

namespace Repro.Core.Tests.Capture.Data;

public sealed class FileHasherTests : IDisposable
{
    private readonly DataTestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(FileHasher.BufferSize - 1)]
    [InlineData(FileHasher.BufferSize)]
    [InlineData(FileHasher.BufferSize + 1)]
    [InlineData((3 * FileHasher.BufferSize) + 17)]
    public async Task HashFileAsync_FileOfGivenSize_EqualsSha256sum(int size)
    {
        var content = new byte[size];
        new Random(size).NextBytes(content);
        var path = _directory.Write("file.bin", content);

        var sha256 = await FileHasher.HashFileAsync(path);

        Assert.Equal(DataTestDirectory.ReferenceSha256(path), sha256);
    }

    [Fact]
    public async Task HashFilesAsync_GibScaleSparseFiles_EqualReferenceDigests()
    {
        // Sparse files cost no disk; the marks make every file and every region distinct.
        var exact = Sparse("exact-1gib.bin", 1L << 30, [0, FileHasher.BufferSize, (1L << 30) - 1]);
        var odd = Sparse("odd-1gib.bin", (1L << 30) + 1, [17, (1L << 29) + 3, 1L << 30]);

        var digests = await FileHasher.HashFilesAsync([exact, odd], progress: null);

        Assert.Equal(DataTestDirectory.ReferenceSha256(exact, large: true), digests[0]);
        Assert.Equal(DataTestDirectory.ReferenceSha256(odd, large: true), digests[1]);
    }

    [Fact]
    public async Task HashFilesAsync_ManyFiles_ReturnsDigestsInTheOrderGiven()
    {
        var paths = Enumerable.Range(0, 40)
            .Select(i => _directory.Write($"f{i}.txt", new string('x', i * 1000)))
            .ToList();

        var digests = await FileHasher.HashFilesAsync(paths, progress: null);

        Assert.Equal(paths.Select(p => DataTestDirectory.ReferenceSha256(p)), digests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HashAllAsync_ManyFilesOfManyChunks_EqualSha256sumWithAndWithoutReadAhead(bool readAhead)
    {
        var random = new Random(3);
        var paths = Enumerable.Range(0, 9).Select(i =>
        {
            var content = new byte[(i * 5000) + 4095 + (i % 2)];
            random.NextBytes(content);
            return _directory.Write($"chunks-{i}.bin", content);
        }).ToList();

        var outcomes = await FileHasher.HashAllAsync(
            paths.Select(p => new HashJob(p, p, new FileInfo(p).Length)).ToList(),
            new HashEngineOptions { BufferSize = 4096, ReadAhead = readAhead },
            CancellationToken.None);

        Assert.Equal(paths.Select(p => DataTestDirectory.ReferenceSha256(p)), outcomes.Select(o => o.Sha256));
        Assert.Equal(paths.Select(p => new FileInfo(p).Length), outcomes.Select(o => o.Status.Size));
    }

    [Fact]
    public async Task HashFileAsync_MissingFile_ThrowsInputExceptionNamingIt()
    {
        var path = Path.Combine(_directory.Project, "absent.csv");

        var error = await Assert.ThrowsAsync<InputException>(() => FileHasher.HashFileAsync(path));

        Assert.Contains("absent.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HashFileAsync_UnreadableFile_ThrowsInputExceptionSayingPermissionDenied()
    {
        var path = _directory.Write("secret.csv", "a,b\n");
        Task<HashOutcome[]> Hash(Func<string, SafeFileHandle> open) => FileHasher.HashAllAsync(
            [new HashJob(path, "secret.csv", 4)],
            new HashEngineOptions { Open = open },
            CancellationToken.None);

        InputException error;
        if (DataTestDirectory.PermissionsEnforced)
        {
            DataTestDirectory.Chmod(path, UnixFileMode.None);
            error = await Assert.ThrowsAsync<InputException>(() => Hash(HashEngineOptions.OpenForHashing));
        }
        else
        {
            // root reads anything: make the open fail the way the kernel would for anyone else.
            error = await Assert.ThrowsAsync<InputException>(() => Hash(_ => throw new UnauthorizedAccessException()));
        }

        Assert.Equal("cannot read secret.csv: permission denied", error.Message);
    }

    [Fact]
    public async Task HashAllAsync_ProgressReporter_EndsWithACompleteReportOfAllBytesAndFiles()
    {
        var paths = Enumerable.Range(0, 5).Select(i => _directory.Write($"p{i}.bin", new byte[(i + 1) * 300_000])).ToList();
        var reports = new List<HashProgress>();
        var progress = new SynchronousProgress(reports);
        var options = new HashEngineOptions { Progress = progress, ProgressDelay = TimeSpan.Zero, ProgressInterval = TimeSpan.FromMilliseconds(1), BufferSize = 4096 };

        await FileHasher.HashAllAsync(paths.Select(p => new HashJob(p, p, new FileInfo(p).Length)).ToList(), options, CancellationToken.None);

        var last = reports[^1];
        Assert.True(last.IsComplete);
        Assert.Equal(15 * 300_000, last.BytesDone);
        Assert.Equal(15 * 300_000, last.BytesTotal);
        Assert.Equal(5, last.FilesTotal);
        Assert.All(reports, r => Assert.InRange(r.BytesDone, 0, r.BytesTotal));
    }

    [Fact]
    public async Task HashAllAsync_FileThatKeepsChangingWhileRead_ThrowsInputExceptionNamingIt()
    {
        var path = _directory.Write("growing.log", new byte[3 * 4096]);

        // Every pass over the file appends to it while reading, as a writer racing the hash would.
        int ReadAndAppend(SafeFileHandle handle, byte[] buffer, long offset)
        {
            if (offset == 0)
            {
                File.AppendAllText(path, "more");
            }

            return RandomAccess.Read(handle, buffer, offset);
        }

        var error = await Assert.ThrowsAsync<InputException>(() => FileHasher.HashAllAsync(
            [new HashJob(path, "growing.log", 3 * 4096)],
            new HashEngineOptions { Read = ReadAndAppend, BufferSize = 4096 },
            CancellationToken.None));

        Assert.StartsWith("growing.log kept changing while it was being hashed", error.Message, StringComparison.Ordinal);
    }

    private string Sparse(string name, long length, long[] marks)
    {
        var path = Path.Combine(_directory.Project, name);
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(length);
        foreach (var mark in marks)
        {
            stream.Position = mark;
            stream.WriteByte((byte)(mark % 251 + 1));
        }

        return path;
    }

    private sealed class SynchronousProgress(List<HashProgress> reports) : IProgress<HashProgress>
    {
        public void Report(HashProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
