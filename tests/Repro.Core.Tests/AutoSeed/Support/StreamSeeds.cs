using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Repro.Core.Tests.AutoSeed.Support;

/// <summary>The seed derivation docs/python.md documents, computed independently of the hook.</summary>
public static class StreamSeeds
{
    public static long Derive(long runSeed, string stream)
    {
        if (stream == "/")
        {
            return runSeed;
        }

        var digest = SHA512.HashData(Encoding.UTF8.GetBytes($"repro-autoseed\0{runSeed.ToString(CultureInfo.InvariantCulture)}\0{stream}"));
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }
}
