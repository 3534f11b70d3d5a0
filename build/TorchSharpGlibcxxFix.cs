// Compiled by RoslynCodeTaskFactory against netstandard2.0 (see TorchSharpGlibcxxFix.targets):
// no Span, no BinaryPrimitives, no implicit usings, nullable context off unless enabled here.
#nullable enable
namespace Repro.Build;

using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Lets TorchSharp 0.107's native shim load on Linux distributions whose libstdc++ predates GCC 13.
/// <para>
/// libLibTorchSharp.so lists GLIBCXX_3.4.32 in its version needs for a single symbol,
/// <c>std::ios_base_library_init()</c>, which GCC 13's &lt;iostream&gt; references as a link-time marker
/// with no relocation: nothing ever binds to it. The dynamic loader still refuses the whole library when
/// the system libstdc++ does not define that version (Debian 12 stops at GLIBCXX_3.4.30). Marking the
/// version need weak (VER_FLG_WEAK) in the application's copy makes the loader accept it, with no other
/// change in behaviour.
/// </para>
/// <para>
/// The task patches only copies in an output or publish folder, writes the patched bytes to a new file
/// and renames it over the copy, so a hard or symbolic link into the NuGet cache is replaced, never
/// written through. It refuses when the version is needed by any symbol other than the marker.
/// </para>
/// </summary>
public sealed class WeakenTorchSharpGlibcxxNeed : Task
{
    private const string NeededVersion = "GLIBCXX_3.4.32";
    private const string MarkerSymbol = "_ZSt21ios_base_library_initv";

    /// <summary>The copies of libLibTorchSharp.so to patch.</summary>
    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>
    /// <c>auto</c>: patch on Linux when the system libstdc++ lacks GLIBCXX_3.4.32;
    /// <c>always</c>: patch regardless of the system; <c>off</c>: do nothing.
    /// </summary>
    public string Mode { get; set; } = "auto";

    /// <inheritdoc />
    public override bool Execute()
    {
        var mode = (Mode ?? "auto").Trim().ToLowerInvariant();
        if (mode == "off")
        {
            return true;
        }

        if (mode != "auto" && mode != "always")
        {
            Log.LogError($"TorchSharpGlibcxxFix is '{Mode}'; expected auto, always or off.");
            return false;
        }

        if (mode == "auto")
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return true;
            }

            var libstdcxx = LoadedLibstdcxxPath();
            if (libstdcxx != null && ElfVersions.Defines(File.ReadAllBytes(libstdcxx), NeededVersion))
            {
                Log.LogMessage(MessageImportance.Low, $"{libstdcxx} defines {NeededVersion}; libLibTorchSharp.so left as shipped.");
                return true;
            }
        }

        foreach (var item in Files)
        {
            PatchOne(item.GetMetadata("FullPath"));
        }

        return !Log.HasLoggedErrors;
    }

    private void PatchOne(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        var bytes = File.ReadAllBytes(path);
        ElfVersions.NeedLookup need;
        try
        {
            need = ElfVersions.FindNeed(bytes, NeededVersion);
        }
        catch (InvalidDataException e)
        {
            Log.LogWarning($"{path}: not patched for {NeededVersion}: {e.Message}");
            return;
        }

        if (need.FlagsOffset < 0)
        {
            Log.LogMessage(MessageImportance.Low, $"{path} does not need {NeededVersion}; left as is.");
            return;
        }

        if (need.IsWeak)
        {
            Log.LogMessage(MessageImportance.Low, $"{path}: {NeededVersion} already weak.");
            return;
        }

        foreach (var symbol in need.Symbols)
        {
            if (symbol != MarkerSymbol)
            {
                Log.LogWarning($"{path}: {NeededVersion} is needed by {symbol}, not only by {MarkerSymbol}; not patched, TorchSharp will not load on this system.");
                return;
            }
        }

        bytes[need.FlagsOffset] |= ElfVersions.VerFlagWeak;

        // A new file renamed over the copy: a link into the NuGet cache is replaced, not written through.
        // Keeping the copy's time lets the next incremental build's Copy see it as unchanged.
        var lastWrite = File.GetLastWriteTimeUtc(path);
        var temp = path + ".glibcxx-fix.tmp";
        File.WriteAllBytes(temp, bytes);
        File.SetLastWriteTimeUtc(temp, lastWrite);
        File.Replace(temp, path, null);
        Log.LogMessage(MessageImportance.High, $"TorchSharp: marked {NeededVersion} weak in {path} (this system's libstdc++ predates GCC 13).");
    }

    private static string? LoadedLibstdcxxPath()
    {
        // The SDK's own runtime (libcoreclr) links libstdc++, so the loader's choice is already mapped here.
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
        {
            return null;
        }

        foreach (var line in File.ReadAllLines(maps))
        {
            var slash = line.IndexOf('/');
            if (slash < 0)
            {
                continue;
            }

            var file = line.Substring(slash);
            if (Path.GetFileName(file).StartsWith("libstdc++.so", StringComparison.Ordinal) && File.Exists(file))
            {
                return file;
            }
        }

        return null;
    }
}

/// <summary>Reads and locates the symbol-versioning sections of a little-endian ELF64 shared object.</summary>
internal static class ElfVersions
{
    public const byte VerFlagWeak = 0x2;

    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;

    /// <summary>Where a version need's flags byte is, and which dynamic symbols use that version.</summary>
    public sealed class NeedLookup
    {
        public int FlagsOffset { get; set; } = -1;

        public bool IsWeak { get; set; }

        public List<string> Symbols { get; } = new List<string>();
    }

    /// <summary>Whether the object defines <paramref name="version"/> in its .gnu.version_d section.</summary>
    public static bool Defines(byte[] elf, string version)
    {
        var sections = Sections(elf);
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerdef)
            {
                continue;
            }

            var strings = Linked(sections, section);

            // Elf64_Verdef: vd_version u16, vd_flags u16, vd_ndx u16, vd_cnt u16, vd_hash u32, vd_aux u32, vd_next u32;
            // the first Elf64_Verdaux (vda_name u32, vda_next u32) names the version.
            var entry = section.Offset;
            for (var i = 0L; i < section.Info; i++)
            {
                var aux = entry + Offset(U32(elf, entry + 12));
                if (CString(elf, strings.Offset + Offset(U32(elf, aux))) == version)
                {
                    return true;
                }

                var next = Offset(U32(elf, entry + 16));
                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return false;
    }

    /// <summary>Finds <paramref name="version"/> among the version needs and the dynamic symbols bound to it.</summary>
    public static NeedLookup FindNeed(byte[] elf, string version)
    {
        var result = new NeedLookup();
        var sections = Sections(elf);
        var versionIndex = -1;
        foreach (var section in sections)
        {
            if (section.Type != ShtGnuVerneed)
            {
                continue;
            }

            var strings = Linked(sections, section);

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            var need = section.Offset;
            for (var i = 0L; i < section.Info; i++)
            {
                var count = U16(elf, need + 2);

                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                var aux = need + Offset(U32(elf, need + 8));
                for (var j = 0; j < count; j++)
                {
                    if (CString(elf, strings.Offset + Offset(U32(elf, aux + 8))) == version)
                    {
                        result.FlagsOffset = aux + 4;
                        result.IsWeak = (elf[aux + 4] & VerFlagWeak) != 0;
                        versionIndex = U16(elf, aux + 6) & 0x7fff;
                    }

                    aux += Offset(U32(elf, aux + 12));
                }

                var next = Offset(U32(elf, need + 12));
                if (next == 0)
                {
                    break;
                }

                need += next;
            }
        }

        if (versionIndex < 0)
        {
            return result;
        }

        Section? dynsym = null;
        Section? versym = null;
        foreach (var section in sections)
        {
            if (section.Type == ShtDynsym)
            {
                dynsym = section;
            }
            else if (section.Type == ShtGnuVersym)
            {
                versym = section;
            }
        }

        if (dynsym == null || versym == null)
        {
            throw new InvalidDataException("version needs without .dynsym and .gnu.version sections");
        }

        var symbolNames = Linked(sections, dynsym);

        // Elf64_Sym is 24 bytes with st_name first; .gnu.version holds one u16 per symbol, high bit = hidden.
        var symbolCount = (int)(dynsym.Size / 24);
        for (var i = 0; i < symbolCount; i++)
        {
            if ((U16(elf, versym.Offset + (2 * i)) & 0x7fff) == versionIndex)
            {
                result.Symbols.Add(CString(elf, symbolNames.Offset + Offset(U32(elf, dynsym.Offset + (24 * i)))));
            }
        }

        return result;
    }

    private sealed class Section
    {
        public long Type { get; set; }

        public int Offset { get; set; }

        public long Size { get; set; }

        public int Link { get; set; }

        public long Info { get; set; }
    }

    private static List<Section> Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("not a little-endian ELF64 file");
        }

        // Elf64_Ehdr: e_shoff at 0x28, e_shentsize at 0x3A, e_shnum at 0x3C.
        var tableOffset = Offset(U64(elf, 0x28));
        var entrySize = U16(elf, 0x3A);
        var count = U16(elf, 0x3C);
        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            // Elf64_Shdr: sh_type +4, sh_offset +0x18, sh_size +0x20, sh_link +0x28, sh_info +0x2C.
            var header = tableOffset + (i * entrySize);
            sections.Add(new Section
            {
                Type = U32(elf, header + 4),
                Offset = Offset(U64(elf, header + 0x18)),
                Size = U64(elf, header + 0x20),
                Link = Offset(U32(elf, header + 0x28)),
                Info = U32(elf, header + 0x2C),
            });
        }

        return sections;
    }

    private static Section Linked(List<Section> sections, Section section)
    {
        if (section.Link <= 0 || section.Link >= sections.Count)
        {
            throw new InvalidDataException($"section link {section.Link} out of range");
        }

        return sections[section.Link];
    }

    private static string CString(byte[] elf, int offset)
    {
        Check(elf, offset, 1);
        var end = offset;
        while (end < elf.Length && elf[end] != 0)
        {
            end++;
        }

        return Encoding.ASCII.GetString(elf, offset, end - offset);
    }

    private static int U16(byte[] elf, int offset)
    {
        Check(elf, offset, 2);
        return elf[offset] | (elf[offset + 1] << 8);
    }

    private static long U32(byte[] elf, int offset)
    {
        Check(elf, offset, 4);
        return (long)U16(elf, offset) | ((long)U16(elf, offset + 2) << 16);
    }

    private static long U64(byte[] elf, int offset)
    {
        Check(elf, offset, 8);
        var high = U32(elf, offset + 4);
        if (high > int.MaxValue)
        {
            throw new InvalidDataException($"value at 0x{offset:x} out of range");
        }

        return U32(elf, offset) | (high << 32);
    }

    private static int Offset(long value)
    {
        if (value < 0 || value > int.MaxValue)
        {
            throw new InvalidDataException($"offset 0x{value:x} out of range");
        }

        return (int)value;
    }

    private static void Check(byte[] elf, int offset, int length)
    {
        if (offset < 0 || offset > elf.Length - length)
        {
            throw new InvalidDataException($"truncated at 0x{offset:x}");
        }
    }
}
