using System.Globalization;

namespace Repro.Core.Capture.Environment;

/// <summary>Reads the processor model and its vector instruction sets from <c>/proc/cpuinfo</c> text.</summary>
internal static class CpuInfoParser
{
    // ARM Ltd.'s server and common cores, from the "CPU part" field; aarch64 kernels print no model name.
    private static readonly Dictionary<int, string> ArmLimitedParts = new()
    {
        [0xd03] = "ARM Cortex-A53",
        [0xd07] = "ARM Cortex-A57",
        [0xd08] = "ARM Cortex-A72",
        [0xd0b] = "ARM Cortex-A76",
        [0xd0c] = "ARM Neoverse-N1",
        [0xd40] = "ARM Neoverse-V1",
        [0xd49] = "ARM Neoverse-N2",
        [0xd4f] = "ARM Neoverse-V2",
    };

    /// <summary>Parses <c>/proc/cpuinfo</c> content; only the first processor block is read.</summary>
    /// <param name="text">The file's text.</param>
    /// <returns>The model (null when the kernel names none) and the vector ISA (null when no flag line exists).</returns>
    public static (string? Model, IReadOnlyList<string>? VectorIsa) Parse(string text)
    {
        var fields = FirstProcessorFields(text);
        var model = fields.GetValueOrDefault("model name")
            ?? fields.GetValueOrDefault("Processor")
            ?? ArmModel(fields.GetValueOrDefault("CPU implementer"), fields.GetValueOrDefault("CPU part"))
            ?? fields.GetValueOrDefault("Hardware");
        var flags = fields.GetValueOrDefault("flags") ?? fields.GetValueOrDefault("Features");
        var isa = flags is null ? null : VectorIsa.FromCpuFlags(flags.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return (model, isa);
    }

    private static Dictionary<string, string> FirstProcessorFields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        var seenProcessor = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var colon = rawLine.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = rawLine[..colon].Trim();
            var value = rawLine[(colon + 1)..].Trim();
            if (key == "processor")
            {
                // The second block starts: everything per-processor has been seen once.
                if (seenProcessor)
                {
                    break;
                }

                seenProcessor = true;
                continue;
            }

            if (value.Length > 0)
            {
                fields.TryAdd(key, value);
            }
        }

        return fields;
    }

    private static string? ArmModel(string? implementer, string? part)
    {
        if (implementer is null || part is null)
        {
            return null;
        }

        if (TryParseHex(implementer, out var implementerCode) && implementerCode == 0x41
            && TryParseHex(part, out var partCode) && ArmLimitedParts.TryGetValue(partCode, out var name))
        {
            return name;
        }

        return $"CPU implementer {implementer} part {part}";
    }

    private static bool TryParseHex(string text, out int value) =>
        int.TryParse(text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
}
