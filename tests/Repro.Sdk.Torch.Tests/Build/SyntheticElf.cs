using System.Buffers.Binary;
using System.Text;

namespace Repro.Sdk.Torch.Tests.Build;

/// <summary>
/// A minimal little-endian ELF64 shared object with the sections symbol versioning uses (.dynstr, .dynsym,
/// .gnu.version, .gnu.version_r), shaped like libLibTorchSharp.so's needs on libc and libstdc++.
/// </summary>
internal sealed class SyntheticElf
{
    public const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    private SyntheticElf(byte[] bytes, int markerFlagsOffset)
    {
        Bytes = bytes;
        MarkerFlagsOffset = markerFlagsOffset;
    }

    public byte[] Bytes { get; }

    /// <summary>Offset of vna_flags of the GLIBCXX_3.4.32 need; -1 when the file does not need it.</summary>
    public int MarkerFlagsOffset { get; }

    /// <param name="needsGlibcxx332">Whether libstdc++'s needs include GLIBCXX_3.4.32.</param>
    /// <param name="symbolsOn332">Dynamic symbols bound to GLIBCXX_3.4.32 (each gets version index 4).</param>
    public static SyntheticElf Build(bool needsGlibcxx332, params string[] symbolsOn332)
    {
        var strings = new List<byte> { 0 };
        int Add(string s)
        {
            var offset = strings.Count;
            strings.AddRange(Encoding.ASCII.GetBytes(s));
            strings.Add(0);
            return offset;
        }

        var libc = Add("libc.so.6");
        var libstdcxx = Add("libstdc++.so.6");
        var glibc234 = Add("GLIBC_2.34");
        var glibcxx330 = Add("GLIBCXX_3.4.30");
        var glibcxx332 = Add("GLIBCXX_3.4.32");

        // (name, version index): 0 is the null symbol, 2 GLIBC_2.34, 3 GLIBCXX_3.4.30, 4 GLIBCXX_3.4.32.
        var symbols = new List<(int Name, ushort Version)> { (0, 0), (Add("puts"), 2), (Add("_ZNSt8ios_base4InitC1Ev"), 3) };
        symbols.AddRange(symbolsOn332.Select(s => (Add(s), (ushort)4)));

        var dynstr = strings.ToArray();
        var dynsym = new byte[24 * symbols.Count];
        var versym = new byte[2 * symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(dynsym.AsSpan(24 * i), (uint)symbols[i].Name);
            BinaryPrimitives.WriteUInt16LittleEndian(versym.AsSpan(2 * i), symbols[i].Version);
        }

        // Verneed libc (1 aux) then libstdc++ (1 or 2 aux); each Verneed 16 bytes, each Vernaux 16 bytes.
        var libstdcxxAux = needsGlibcxx332 ? 2 : 1;
        var verneed = new byte[16 + 16 + 16 + (16 * libstdcxxAux)];
        WriteNeed(verneed, 0, count: 1, file: libc, aux: 16, next: 32);
        WriteAux(verneed, 16, hash: 0x06969194, flags: 0, other: 2, name: glibc234, next: 0);
        WriteNeed(verneed, 32, count: (ushort)libstdcxxAux, file: libstdcxx, aux: 16, next: 0);
        WriteAux(verneed, 48, hash: 0x0297f870, flags: 0, other: 3, name: glibcxx330, next: needsGlibcxx332 ? 16u : 0u);
        if (needsGlibcxx332)
        {
            WriteAux(verneed, 64, hash: 0x0297f872, flags: 0, other: 4, name: glibcxx332, next: 0);
        }

        // Layout: header, then the four sections, then the section header table (null + 4).
        (uint Type, byte[] Data, uint Link, uint Info)[] sections =
        [(3, dynstr, 0, 0), (11, dynsym, 1, 1), (0x6fffffff, versym, 2, 0), (0x6ffffffe, verneed, 1, 2)];
        var offsets = new int[sections.Length];
        var position = 64;
        for (var i = 0; i < sections.Length; i++)
        {
            position = (position + 7) & ~7;
            offsets[i] = position;
            position += sections[i].Data.Length;
        }

        var tableOffset = (position + 7) & ~7;
        var bytes = new byte[tableOffset + (64 * (sections.Length + 1))];
        "\u007fELF"u8.CopyTo(bytes);
        bytes[4] = 2;
        bytes[5] = 1;
        bytes[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x10), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x12), 62);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(0x14), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(0x28), (ulong)tableOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x34), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x3A), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0x3C), (ushort)(sections.Length + 1));
        for (var i = 0; i < sections.Length; i++)
        {
            sections[i].Data.CopyTo(bytes, offsets[i]);
            var header = bytes.AsSpan(tableOffset + (64 * (i + 1)));
            BinaryPrimitives.WriteUInt32LittleEndian(header[4..], sections[i].Type);
            BinaryPrimitives.WriteUInt64LittleEndian(header[0x18..], (ulong)offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(header[0x20..], (ulong)sections[i].Data.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header[0x28..], sections[i].Link);
            BinaryPrimitives.WriteUInt32LittleEndian(header[0x2C..], sections[i].Info);
        }

        return new SyntheticElf(bytes, needsGlibcxx332 ? offsets[3] + 64 + 4 : -1);
    }

    private static void WriteNeed(byte[] data, int at, ushort count, int file, uint aux, uint next)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at + 2), count);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 4), (uint)file);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 8), aux);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 12), next);
    }

    private static void WriteAux(byte[] data, int at, uint hash, ushort flags, ushort other, int name, uint next)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), hash);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at + 4), flags);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(at + 6), other);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 8), (uint)name);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at + 12), next);
    }
}
