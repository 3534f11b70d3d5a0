using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Runs;

namespace Repro.Core.AutoSeed;

/// <summary>What the Python processes of a run reported, and what could not be read.</summary>
/// <param name="Processes">One record per well-formed line, ordered by stream (file order among equal streams).</param>
/// <param name="Warnings">One located warning (<c>FILE:LINE:COL: message</c>) per line that was skipped.</param>
public sealed record PythonReport(IReadOnlyList<PythonProcessRecord> Processes, IReadOnlyList<string> Warnings);

/// <summary>
/// Reads the JSON-lines report the Python hook appends to (<see cref="AutoSeedEnvironment.ReportVariable"/>): one
/// object per process, written in one <c>O_APPEND</c> write at the process's exit. A line that cannot be read becomes
/// a warning and never costs the other lines.
/// </summary>
public static class PythonReportReader
{
    /// <summary>The report format this reader understands (the <c>report</c> field of every line).</summary>
    public const int Format = 1;

    /// <summary>Reads the report; a missing file is an empty report (no Python process ran, or none reached its exit).</summary>
    /// <param name="path">The report file.</param>
    public static PythonReport Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            return new PythonReport([], []);
        }

        // Stray processes of the run may still append: share the file and read what is there.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false));
        return Parse(reader.ReadToEnd(), path);
    }

    /// <summary>Parses report text; <paramref name="fileName"/> only names the file in warnings.</summary>
    /// <param name="text">The whole report.</param>
    /// <param name="fileName">How warnings name the file.</param>
    public static PythonReport Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var processes = new List<PythonProcessRecord>();
        var warnings = new List<string>();
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var line = lines[index].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var location = $"{fileName}:{(index + 1).ToString(CultureInfo.InvariantCulture)}";
            try
            {
                processes.Add(ReadProcess(JsonNode.Parse(line)));
            }
            catch (JsonException error)
            {
                var column = (error.BytePositionInLine ?? 0) + 1;
                warnings.Add($"{location}:{column.ToString(CultureInfo.InvariantCulture)}: not a Python hook report line: {FirstLine(error.Message)}");
            }
            catch (InvalidReportLineException error)
            {
                warnings.Add($"{location}:1: not a Python hook report line: {error.Message}");
            }
        }

        var ordered = processes
            .Select((process, order) => (process, order))
            .OrderBy(entry => entry.process.Stream, StreamOrder.Instance)
            .ThenBy(entry => entry.order)
            .Select(entry => entry.process)
            .ToList();
        return new PythonReport(ordered, warnings);
    }

    private static PythonProcessRecord ReadProcess(JsonNode? node)
    {
        if (node is not JsonObject line)
        {
            throw new InvalidReportLineException("expected a JSON object");
        }

        var format = Integer(line, "report", required: true)!.Value;
        if (format != Format)
        {
            throw new InvalidReportLineException($"report format {format.ToString(CultureInfo.InvariantCulture)} is not {Format.ToString(CultureInfo.InvariantCulture)}, the one this repro reads");
        }

        var status = Text(line, "status", required: true) switch
        {
            "seeded" => PythonHookStatus.Seeded,
            "not-seeded" => PythonHookStatus.NotSeeded,
            "unsupported" => PythonHookStatus.Unsupported,
            var other => throw new InvalidReportLineException($"status \"{other}\" is not seeded, not-seeded or unsupported"),
        };
        var seeded = status == PythonHookStatus.Seeded;
        return new PythonProcessRecord(
            Pid: ProcessId(Integer(line, "pid", required: true), "pid")!.Value,
            Ppid: ProcessId(Integer(line, "ppid", required: false), "ppid"),
            Executable: Text(line, "executable", required: false),
            PythonVersion: Text(line, "pythonVersion", required: false),
            Implementation: Text(line, "implementation", required: false),
            Status: status,
            Stream: Text(line, "stream", required: seeded),
            RunSeed: Integer(line, "runSeed", required: seeded),
            Seed: Integer(line, "seed", required: seeded),
            Libraries: Libraries(line),
            Flags: Flags(line),
            Errors: Errors(line));
    }

    private static List<PythonLibraryRecord> Libraries(JsonObject line)
    {
        var libraries = new List<PythonLibraryRecord>();
        switch (line["libraries"])
        {
            case null:
                return libraries;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not JsonObject library)
                    {
                        throw new InvalidReportLineException("libraries holds something other than objects");
                    }

                    libraries.Add(new PythonLibraryRecord(
                        Text(library, "name", required: true)!,
                        Text(library, "version", required: false),
                        Integer(library, "seed", required: true)!.Value,
                        Text(library, "at", required: true)!));
                }

                return libraries;
            default:
                throw new InvalidReportLineException("libraries is not an array");
        }
    }

    private static JsonObject Flags(JsonObject line)
    {
        var flags = new JsonObject();
        switch (line["flags"])
        {
            case null:
                return flags;
            case JsonObject given:
                foreach (var (name, value) in given)
                {
                    if (value is JsonObject or JsonArray)
                    {
                        throw new InvalidReportLineException($"flag {name} is not a boolean, number, text or null");
                    }

                    flags[name] = value?.DeepClone();
                }

                return flags;
            default:
                throw new InvalidReportLineException("flags is not an object");
        }
    }

    private static List<string> Errors(JsonObject line) => line["errors"] switch
    {
        null => [],
        JsonArray array => array.Select(item => item is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new InvalidReportLineException("errors holds something other than text")).ToList(),
        _ => throw new InvalidReportLineException("errors is not an array"),
    };

    private static string? Text(JsonObject line, string name, bool required)
    {
        var node = line[name];
        if (node is null)
        {
            return required ? throw new InvalidReportLineException($"{name} is missing") : null;
        }

        return node is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new InvalidReportLineException($"{name} is not text");
    }

    private static long? Integer(JsonObject line, string name, bool required)
    {
        var node = line[name];
        if (node is null)
        {
            return required ? throw new InvalidReportLineException($"{name} is missing") : null;
        }

        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var number)
            ? number
            : throw new InvalidReportLineException($"{name} is not a whole number");
    }

    private static int? ProcessId(long? value, string name) => value switch
    {
        null => null,
        >= 0 and <= int.MaxValue => (int)value.Value,
        _ => throw new InvalidReportLineException($"{name} {value.Value.ToString(CultureInfo.InvariantCulture)} is not a process id"),
    };

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }

    /// <summary>Streams in tree order: <c>/</c> first, then its children, numbers compared as numbers (mp:2 before mp:10).</summary>
    private sealed class StreamOrder : IComparer<string?>
    {
        public static readonly StreamOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null)
            {
                return x is null ? (y is null ? 0 : 1) : -1;
            }

            var partsX = x.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var partsY = y.Split('/', StringSplitOptions.RemoveEmptyEntries);
            for (var index = 0; index < Math.Min(partsX.Length, partsY.Length); index++)
            {
                var order = CompareStep(partsX[index], partsY[index]);
                if (order != 0)
                {
                    return order;
                }
            }

            return partsX.Length.CompareTo(partsY.Length);
        }

        private static int CompareStep(string x, string y)
        {
            var (kindX, numberX) = Split(x);
            var (kindY, numberY) = Split(y);
            var order = string.CompareOrdinal(kindX, kindY);
            if (order != 0)
            {
                return order;
            }

            return numberX is not null && numberY is not null ? numberX.Value.CompareTo(numberY.Value) : string.CompareOrdinal(x, y);
        }

        private static (string Kind, long? Number) Split(string step)
        {
            var colon = step.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && long.TryParse(step.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                ? (step[..colon], number)
                : (step, null);
        }
    }

    private sealed class InvalidReportLineException(string message) : Exception(message);
}
