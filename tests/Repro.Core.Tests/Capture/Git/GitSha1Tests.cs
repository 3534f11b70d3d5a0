using System.Security.Cryptography;
using Repro.Core.Capture.Git;

namespace Repro.Core.Tests.Capture.Git;

public sealed class GitSha1Tests
{
    [Fact]
    public void HashData_EveryLengthUpToFourBlocks_IsWhatSha1HashDataGives()
    {
        // Every length from empty to four blocks and a bit covers each way the padding falls: a tail with room for the
        // length, one without (55 and 56 bytes), whole blocks.
        var random = new Random(20261130);
        for (var length = 0; length <= 4 * 64 + 3; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

#pragma warning disable CA5350 // SHA-1 is what git names objects with; here it is the reference the checksum is tested against.
            Assert.Equal(SHA1.HashData(data), GitSha1.HashData(data));
#pragma warning restore CA5350
        }
    }

    [Fact]
    public void HashData_LargeInput_IsWhatSha1HashDataGives()
    {
        var data = new byte[1_000_003];
        new Random(7).NextBytes(data);

#pragma warning disable CA5350 // As above.
        Assert.Equal(SHA1.HashData(data), GitSha1.HashData(data));
#pragma warning restore CA5350
    }

    [Fact]
    public void HashData_GitBlobOfHelloWorld_IsItsObjectName()
    {
        // `printf 'hello world\n' | git hash-object --stdin`
        var blob = "blob 12\0hello world\n"u8;

        Assert.Equal("3b18e512dba79e4c8300dd08aeb37f8e728b8dad", Convert.ToHexStringLower(GitSha1.HashData(blob)));
    }
}
