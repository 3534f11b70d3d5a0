using System.Buffers.Binary;
using System.Numerics;

namespace Repro.Core.Capture.Git;

/// <summary>
/// SHA-1 (FIPS 180-4) of a git object read from the repository's files, to check it against its name, as git and
/// libgit2 do: a checksum of something small (a commit is a few hundred bytes), not a security measure.
/// </summary>
/// <remarks>
/// Not <c>SHA1.HashData</c>: on Linux that loads OpenSSL (libssl, libcrypto and its configuration, about 5 ms of a
/// process's CPU), which a no-op <c>repro run</c> otherwise no longer needs, for one commit object of a few hundred
/// bytes. Tests compare it with <c>SHA1.HashData</c>.
/// </remarks>
internal static class GitSha1
{
    /// <summary>Length of a digest in bytes.</summary>
    public const int Length = 20;

    private const int BlockLength = 64;

    /// <summary>The SHA-1 of <paramref name="data"/>.</summary>
    /// <param name="data">The bytes to hash.</param>
    public static byte[] HashData(ReadOnlySpan<byte> data)
    {
        Span<uint> state = stackalloc uint[5];
        state[0] = 0x67452301u;
        state[1] = 0xEFCDAB89u;
        state[2] = 0x98BADCFEu;
        state[3] = 0x10325476u;
        state[4] = 0xC3D2E1F0u;
        Span<uint> schedule = stackalloc uint[80];
        var whole = data.Length - (data.Length % BlockLength);
        for (var offset = 0; offset < whole; offset += BlockLength)
        {
            Compress(state, schedule, data.Slice(offset, BlockLength));
        }

        // The tail, a 1 bit, zeros, and the message's length in bits (big-endian): one block, or two when the tail
        // leaves no room for the length.
        Span<byte> last = stackalloc byte[2 * BlockLength];
        last.Clear();
        var tail = data[whole..];
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        var blocks = tail.Length + 1 + sizeof(ulong) <= BlockLength ? 1 : 2;
        BinaryPrimitives.WriteUInt64BigEndian(last.Slice((blocks * BlockLength) - sizeof(ulong)), (ulong)data.Length * 8);
        for (var block = 0; block < blocks; block++)
        {
            Compress(state, schedule, last.Slice(block * BlockLength, BlockLength));
        }

        var digest = new byte[Length];
        for (var i = 0; i < state.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(digest.AsSpan(i * sizeof(uint)), state[i]);
        }

        return digest;
    }

    private static void Compress(Span<uint> state, Span<uint> w, ReadOnlySpan<byte> block)
    {
        for (var t = 0; t < 16; t++)
        {
            w[t] = BinaryPrimitives.ReadUInt32BigEndian(block.Slice(t * sizeof(uint)));
        }

        for (var t = 16; t < 80; t++)
        {
            w[t] = BitOperations.RotateLeft(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
        }

        uint a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
        for (var t = 0; t < 80; t++)
        {
            uint f, k;
            if (t < 20)
            {
                f = (b & c) | (~b & d);
                k = 0x5A827999u;
            }
            else if (t < 40)
            {
                f = b ^ c ^ d;
                k = 0x6ED9EBA1u;
            }
            else if (t < 60)
            {
                f = (b & c) | (b & d) | (c & d);
                k = 0x8F1BBCDCu;
            }
            else
            {
                f = b ^ c ^ d;
                k = 0xCA62C1D6u;
            }

            var next = BitOperations.RotateLeft(a, 5) + f + e + k + w[t];
            e = d;
            d = c;
            c = BitOperations.RotateLeft(b, 30);
            b = a;
            a = next;
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
    }
}
