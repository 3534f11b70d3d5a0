using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Repro.Sdk.Seeds;

/// <summary>
/// Derives independent, named sub-seeds from a run's seed, so that data shuffling, weight initialisation and
/// splitting never share a random stream, and so that adding a stream never shifts another.
/// </summary>
/// <remarks>
/// <para>The algorithm (version 1), stable across releases, platforms and languages:</para>
/// <code>
/// digest  = SHA-256( UTF-8("repro.subseed.v1") || 0x00 || uint64_le(seed) || UTF-8(name) )
/// subSeed = uint32_le(digest[0..4])          // 0 .. 4294967295
/// int31   = subSeed &amp; 0x7FFFFFFF           // for APIs that take a non-negative int (System.Random, MLContext)
/// </code>
/// <para>The name is encoded exactly as given (no Unicode normalisation, case kept). In Python:</para>
/// <code>
/// import hashlib
/// def sub_seed(seed: int, name: str) -> int:
///     data = b"repro.subseed.v1\x00" + seed.to_bytes(8, "little") + name.encode("utf-8")
///     return int.from_bytes(hashlib.sha256(data).digest()[:4], "little")
/// </code>
/// </remarks>
public static class SubSeeds
{
    /// <summary>The domain tag hashed before the seed; it names the algorithm version.</summary>
    public const string DomainTag = "repro.subseed.v1";

    /// <summary>Derives the sub-seed called <paramref name="name"/> from <paramref name="seed"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="name">The stream's name, for example <c>"shuffle"</c>; not empty or white space.</param>
    /// <returns>A 32-bit unsigned sub-seed, usable by numpy, PyTorch and any 64-bit seed API as is.</returns>
    public static uint Derive(ulong seed, string name)
    {
        ValidateName(name);
        var tag = Encoding.UTF8.GetBytes(DomainTag);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var data = new byte[tag.Length + 1 + sizeof(ulong) + nameBytes.Length];
        tag.CopyTo(data, 0);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(tag.Length + 1), seed);
        nameBytes.CopyTo(data, tag.Length + 1 + sizeof(ulong));
        var digest = SHA256.HashData(data);
        return BinaryPrimitives.ReadUInt32LittleEndian(digest);
    }

    /// <summary>
    /// The sub-seed's low 31 bits, for .NET APIs that take a non-negative <see cref="int"/> seed
    /// (<see cref="Random(int)"/>, <c>MLContext(int?)</c>); a negative seed there would collide with its absolute value.
    /// </summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="name">The stream's name.</param>
    /// <returns><c>Derive(seed, name) &amp; 0x7FFFFFFF</c>.</returns>
    public static int DeriveInt32(ulong seed, string name) => (int)(Derive(seed, name) & 0x7FFFFFFF);

    internal static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("A sub-seed name must not be empty or white space.", nameof(name));
        }
    }
}
