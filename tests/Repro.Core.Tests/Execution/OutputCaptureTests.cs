using System.Security.Cryptography;
using Repro.Core.Execution.Backends;

namespace Repro.Core.Tests.Execution;

public sealed class OutputCaptureTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "repro-output-capture-" + Guid.NewGuid().ToString("N"));

    public OutputCaptureTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void EmptySha256_IsTheSha256OfNoBytes()
    {
        Assert.Equal(OutputCapture.EmptySha256, Convert.ToHexStringLower(SHA256.HashData([])));
    }

    [Fact]
    public async Task RunAsync_StreamWithNothing_SavesAnEmptyFileWithTheDigestOfNoBytes()
    {
        var path = Path.Combine(_directory, "stdout.log");
        var capture = new OutputCapture(new MemoryStream(), path, echo: null, CancellationToken.None);

        await capture.RunAsync();

        Assert.Equal(new CapturedStream(path, Convert.ToHexStringLower(SHA256.HashData([])), 0), capture.Captured);
        Assert.Empty(await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task RunAsync_StreamWithBytes_SavesThemWithTheirDigest()
    {
        var content = new byte[3 << 20];
        new Random(11).NextBytes(content);
        var path = Path.Combine(_directory, "stdout.log");
        var echo = new MemoryStream();
        var capture = new OutputCapture(new MemoryStream(content), path, echo, CancellationToken.None);

        await capture.RunAsync();

        Assert.Equal(new CapturedStream(path, Convert.ToHexStringLower(SHA256.HashData(content)), content.Length), capture.Captured);
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal(content, echo.ToArray());
    }
}
