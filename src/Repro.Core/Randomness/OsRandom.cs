namespace Repro.Core.Randomness;

/// <summary>
/// Random bytes from the operating system's cryptographically secure generator, taken through
/// <see cref="Guid.NewGuid"/>: .NET documents that, since .NET 6 on Linux and macOS, it calls that generator for its
/// 16 bytes (on Windows it is <c>CoCreateGuid</c>, whose version 4 GUIDs come from the system's secure generator).
/// </summary>
/// <remarks>
/// Not <c>RandomNumberGenerator</c>: on Linux it goes through OpenSSL, and loading libssl, libcrypto and OpenSSL's
/// configuration costs a process about 5 ms of CPU (a console program drawing 4 bytes that way took 6 to 7 ms more
/// task-clock than one drawing them through a GUID): a no-op <c>repro run</c> paid it for its seed, its run id and
/// temporary file names alone.
/// </remarks>
public static class OsRandom
{
    // A version 4 GUID is 122 random bits: the version (the high nibble of byte 7 as TryWriteBytes lays the GUID out)
    // and the variant (the two high bits of byte 8) are fixed. Only the bytes with no fixed bit are taken.
    private static ReadOnlySpan<byte> RandomByteOffsets => [0, 1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15];

    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    /// <param name="destination">The bytes to fill.</param>
    public static void Fill(Span<byte> destination)
    {
        Span<byte> guid = stackalloc byte[16];
        var offsets = RandomByteOffsets;
        var taken = offsets.Length;
        for (var i = 0; i < destination.Length; i++)
        {
            if (taken == offsets.Length)
            {
                _ = Guid.NewGuid().TryWriteBytes(guid);
                taken = 0;
            }

            destination[i] = guid[offsets[taken++]];
        }
    }

    /// <summary>A random unsigned 32-bit number.</summary>
    public static uint NextUInt32()
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        Fill(bytes);
        return BitConverter.ToUInt32(bytes);
    }

    /// <summary>
    /// <paramref name="length"/> random lower-case hexadecimal digits, as
    /// <c>RandomNumberGenerator.GetHexString(length, lowercase: true)</c> gives them.
    /// </summary>
    /// <param name="length">How many digits; even.</param>
    public static string HexString(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length % 2 != 0)
        {
            throw new ArgumentException("an even number of digits: each random byte gives two", nameof(length));
        }

        Span<byte> bytes = length <= 256 ? stackalloc byte[length / 2] : new byte[length / 2];
        Fill(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
