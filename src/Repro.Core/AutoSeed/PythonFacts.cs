using System.Text.Json.Nodes;
using Repro.Core.Runs;

namespace Repro.Core.AutoSeed;

/// <summary>
/// The facts of a <see cref="PythonRecord"/> that can explain why two runs differ, as stable dotted keys with text
/// values, for <c>repro diff</c> and verify's likely causes: the hook on or off and its digest, the interpreters,
/// each seeded library's version, each flag read back, and the hook's errors. A fact that differs between processes
/// of one run (a flag a worker changed) is the sorted, distinct values joined with <c>", "</c>. Process ids, streams
/// and per-process seeds are left out: they differ between any two runs or follow from the run's seed.
/// </summary>
public static class PythonFacts
{
    /// <summary>The facts, ordered by key.</summary>
    /// <param name="python">The manifest's <c>python</c> section; null for a manifest written before it existed.</param>
    public static IReadOnlyDictionary<string, string> Of(PythonRecord? python)
    {
        var facts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (python is null)
        {
            return facts;
        }

        facts["python.autoSeed"] = python.AutoSeed ? "on" : "off";
        if (python.Hook is not null)
        {
            facts["python.hook"] = python.Hook;
        }

        var values = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var process in python.Processes)
        {
            Add(values, "python.interpreter", $"{process.Implementation ?? "python"} {process.PythonVersion ?? "unknown"}");
            if (process.Status != PythonHookStatus.Seeded)
            {
                Add(values, "python.unseeded", process.Status == PythonHookStatus.Unsupported ? "interpreter too old" : "no usable seed");
            }

            foreach (var library in process.Libraries)
            {
                Add(values, $"python.libraries.{library.Name}.version", library.Version ?? (library.Name == "random" ? process.PythonVersion ?? "unknown" : "unknown"));
            }

            foreach (var (name, value) in process.Flags)
            {
                Add(values, $"python.flags.{name}", Text(value));
            }

            foreach (var error in process.Errors)
            {
                Add(values, "python.errors", error);
            }
        }

        foreach (var (key, set) in values)
        {
            facts[key] = string.Join(", ", set);
        }

        return facts;
    }

    private static void Add(SortedDictionary<string, SortedSet<string>> values, string key, string value)
    {
        if (!values.TryGetValue(key, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            values[key] = set;
        }

        set.Add(value);
    }

    private static string Text(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue scalar when scalar.TryGetValue<string>(out var text) => text,
        _ => value.ToJsonString(),
    };
}
