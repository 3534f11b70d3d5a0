using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// The vector instruction sets that can change floating-point results: libraries (MKL, oneDNN, cuBLAS host paths,
/// numpy) dispatch on them, and fused multiply-add or a wider vector changes rounding and summation order.
/// </summary>
internal static class VectorIsa
{
    private static readonly HashSet<string> ExactFlags = new(StringComparer.Ordinal)
    {
        "sse4_1", "sse4_2", "avx", "avx2", "fma", "fma4",
        "asimd", "asimddp", "asimdfhm", "asimdhp", "fphp", "bf16", "i8mm",
        "sve", "sve2", "svebf16", "svei8mm", "svef32mm", "svef64mm",
    };

    // Arm's SME is left out: AMD's "sme" flag means memory encryption. Arm's SVE crypto flags (sveaes) are not arithmetic.
    private static readonly string[] FlagPrefixes = ["avx512", "avx_", "amx"];

    /// <summary>Keeps the relevant flags of a <c>/proc/cpuinfo</c> flag list, named as the kernel names them except <c>sse4.1</c> and <c>sse4.2</c>.</summary>
    /// <param name="flags">The flags or features, in any order.</param>
    /// <returns>The relevant ones, distinct and sorted (ordinal).</returns>
    public static IReadOnlyList<string> FromCpuFlags(IEnumerable<string> flags)
    {
        var kept = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var flag in flags)
        {
            if (ExactFlags.Contains(flag) || FlagPrefixes.Any(prefix => flag.StartsWith(prefix, StringComparison.Ordinal)))
            {
                kept.Add(flag.Replace("sse4_", "sse4.", StringComparison.Ordinal));
            }
        }

        return [.. kept];
    }

    /// <summary>
    /// The same facts from the runtime's hardware intrinsics, where no flag list can be read (Windows, macOS).
    /// These reflect what the runtime was allowed to use, so <c>DOTNET_EnableAVX=0</c> hides AVX.
    /// </summary>
    /// <returns>The supported sets, sorted (ordinal), named as <c>/proc/cpuinfo</c> would name them.</returns>
    public static IReadOnlyList<string> FromRuntimeIntrinsics()
    {
        var supported = new SortedSet<string>(StringComparer.Ordinal);
        AddIf(supported, Sse41.IsSupported, "sse4.1");
        AddIf(supported, Sse42.IsSupported, "sse4.2");
        AddIf(supported, Avx.IsSupported, "avx");
        AddIf(supported, Avx2.IsSupported, "avx2");
        AddIf(supported, Fma.IsSupported, "fma");
        AddIf(supported, AvxVnni.IsSupported, "avx_vnni");
        AddIf(supported, Avx512F.IsSupported, "avx512f");
        AddIf(supported, Avx512BW.IsSupported, "avx512bw");
        AddIf(supported, Avx512CD.IsSupported, "avx512cd");
        AddIf(supported, Avx512DQ.IsSupported, "avx512dq");
        AddIf(supported, Avx512F.VL.IsSupported, "avx512vl");
        AddIf(supported, Avx512Vbmi.IsSupported, "avx512vbmi");
        AddIf(supported, AdvSimd.IsSupported, "asimd");
        AddIf(supported, Dp.IsSupported, "asimddp");
        return [.. supported];
    }

    private static void AddIf(SortedSet<string> set, bool condition, string name)
    {
        if (condition)
        {
            set.Add(name);
        }
    }
}
