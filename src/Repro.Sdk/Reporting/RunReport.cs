using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Repro.Sdk.Reporting;

/// <summary>
/// What the SDK set and read back inside the entry point, written as one JSON object to <c>sdk.json</c> in the
/// run folder after every change; <c>repro run</c> merges it into the manifest's <c>sdk</c> field.
/// </summary>
/// <remarks>
/// Several components (Repro.Sdk, Repro.Sdk.Torch, another process of the same run) may write the same file: each
/// write merges into what is there (objects key by key, the <c>warnings</c> array as a union) and replaces the
/// file atomically. Concurrent writes from two processes may lose one side's update; write from one at a time.
/// </remarks>
public sealed class RunReport
{
    /// <summary>The report format this code writes.</summary>
    public const int SchemaVersion = 1;

    /// <summary>The file name of the report inside the run folder.</summary>
    public const string FileName = "sdk.json";

    private static readonly FrozenSet<string> ReservedSections =
        FrozenSet.Create(StringComparer.Ordinal, "schemaVersion", "warnings", "subSeeds");

    private static readonly FrozenSet<string> UnionArrays = FrozenSet.Create(StringComparer.Ordinal, "warnings");

    private readonly Lock _gate = new();
    private readonly JsonObject _content;
    private readonly TextWriter _warningSink;

    internal RunReport(string? path, JsonObject initialSections, TextWriter warningSink)
    {
        FilePath = path;
        _warningSink = warningSink;
        _content = new JsonObject
        {
            ["schemaVersion"] = SchemaVersion,
        };
        foreach (var (key, value) in initialSections)
        {
            _content[key] = value?.DeepClone();
        }

        _content["subSeeds"] = new JsonObject();
        _content["warnings"] = new JsonArray();
        Flush();
    }

    /// <summary>Where the report is written; null when it stays in memory (standalone, no output folder).</summary>
    public string? FilePath { get; }

    /// <summary>Sets a top-level section (for example <c>mlnet</c> or <c>torch</c>) and writes the report.</summary>
    /// <param name="section">Section name; <c>schemaVersion</c>, <c>warnings</c> and <c>subSeeds</c> are kept by the SDK.</param>
    /// <param name="value">The section's content.</param>
    public void Set(string section, JsonNode? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        if (ReservedSections.Contains(section))
        {
            throw new ArgumentException($"Report section '{section}' is maintained by the SDK.", nameof(section));
        }

        lock (_gate)
        {
            _content[section] = value?.DeepClone();
            Flush();
        }
    }

    /// <summary>
    /// Records a warning in the report's <c>warnings</c> array and prints it on standard error, for something that
    /// may break reproducibility but does not stop the run.
    /// </summary>
    /// <param name="message">One line for a person.</param>
    public void Warn(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        lock (_gate)
        {
            var warnings = (JsonArray)_content["warnings"]!;
            if (warnings.Any(w => w?.GetValue<string>() == message))
            {
                return;
            }

            warnings.Add(message);
            _warningSink.WriteLine($"repro-sdk: warning: {message}");
            Flush();
        }
    }

    /// <summary>A copy of the report as this process knows it (without other writers' sections).</summary>
    /// <returns>A deep copy; changing it changes nothing.</returns>
    public JsonObject ToJsonObject()
    {
        lock (_gate)
        {
            return (JsonObject)_content.DeepClone();
        }
    }

    /// <summary>Sets the value at a path of object keys (section first), creating objects on the way, and writes the report.</summary>
    internal void SetAt(JsonNode? value, params string[] path)
    {
        lock (_gate)
        {
            var target = _content;
            foreach (var key in path[..^1])
            {
                if (target[key] is not JsonObject next)
                {
                    next = [];
                    target[key] = next;
                }

                target = next;
            }

            target[path[^1]] = value;
            Flush();
        }
    }

    internal void RecordSubSeed(string name, uint value)
    {
        lock (_gate)
        {
            var subSeeds = (JsonObject)_content["subSeeds"]!;
            if (subSeeds[name] is not null)
            {
                return;
            }

            subSeeds[name] = value;
            Flush();
        }
    }

    private void Flush()
    {
        if (FilePath is null)
        {
            return;
        }

        var merged = JsonObjectFile.Read(FilePath);
        JsonObjectFile.MergeInto(merged, _content, UnionArrays);
        JsonObjectFile.Write(FilePath, merged);
    }
}
