using System.Text.RegularExpressions;

namespace Repro.Core.Tests.Layers;

/// <summary>
/// The folders of Repro.Core form layers (docs/architecture.md): a folder may use the folders of lower layers only,
/// never a higher one or another folder of its own layer, and the namespaces inside a folder use each other without
/// a cycle. Read from the <c>using</c> lines of every source file, so a new edge fails here, naming the file.
/// </summary>
public sealed partial class LayeringTests
{
    /// <summary>Bottom first. A new folder gets a place here deliberately: the test fails until it has one.</summary>
    private static readonly string[][] Layers =
    [
        ["Diagnostics", "Randomness"],
        ["Errors", "Runs"],
        ["Caching", "FileSystem", "Json", "Processes"],
        ["AutoSeed", "Projects", "Store"],
        ["Capture", "Environments"],
        ["Remotes"],
        ["Checkout", "Sources"],
        ["Execution"],
        ["Planning", "Verification"],
        ["Pipelines", "Scheduling"],
        ["Sweeps"],
    ];

    private static readonly Lazy<IReadOnlyList<SourceFile>> Sources = new(ReadSources);

    [Fact]
    public void EveryFolder_HasALayer()
    {
        var placed = Layers.SelectMany(layer => layer).ToHashSet(StringComparer.Ordinal);
        Assert.True(Sources.Value.Count > 100, $"only {Sources.Value.Count} source files found under src/Repro.Core");

        var unplaced = Sources.Value.Select(file => file.Folder).Distinct().Where(folder => !placed.Contains(folder)).ToList();

        Assert.True(unplaced.Count == 0, $"add these folders of src/Repro.Core to a layer in {nameof(LayeringTests)} and docs/architecture.md: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void EveryUsing_PointsToTheSameFolderOrALowerLayer()
    {
        var rank = Layers.SelectMany((layer, index) => layer.Select(folder => (folder, index))).ToDictionary(pair => pair.folder, pair => pair.index, StringComparer.Ordinal);
        var upward = new List<string>();
        foreach (var file in Sources.Value.Where(file => rank.ContainsKey(file.Folder)))
        {
            foreach (var (used, line) in file.Usings)
            {
                var usedFolder = used.Split('.')[0];
                if (usedFolder != file.Folder && (!rank.TryGetValue(usedFolder, out var usedRank) || usedRank >= rank[file.Folder]))
                {
                    upward.Add($"{file.Path}:{line}: {file.Namespace} uses {used}");
                }
            }
        }

        Assert.True(upward.Count == 0, "uses of a higher layer or a sibling:\n" + string.Join('\n', upward));
    }

    [Fact]
    public void NamespacesInsideAFolder_HaveNoCycle()
    {
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Sources.Value)
        {
            var from = edges.TryGetValue(file.Namespace, out var existing) ? existing : edges[file.Namespace] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (used, _) in file.Usings.Where(pair => pair.Namespace.Split('.')[0] == file.Folder && pair.Namespace != file.Namespace))
            {
                from.Add(used);
            }
        }

        var cycle = FindCycle(edges);

        Assert.True(cycle is null, $"namespaces using each other in a cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void Core_NeverWritesToTheConsole()
    {
        var writes = Sources.Value.SelectMany(file => file.Lines.Select((text, index) => (file.Path, Line: index + 1, Text: text)))
            .Where(line => ConsoleUse().IsMatch(line.Text))
            .Select(line => $"{line.Path}:{line.Line}: {line.Text.Trim()}")
            .ToList();

        Assert.True(writes.Count == 0, "Core returns results and raises typed errors; the CLI prints:\n" + string.Join('\n', writes));
    }

    [Fact]
    public void TheRule_CatchesAnUpwardUse()
    {
        var file = SourceFile.Parse("Runs/Example.cs", ["using Repro.Core.Verification.Comparison;", "", "namespace Repro.Core.Runs;"]);

        Assert.Equal([("Verification.Comparison", 1)], file.Usings);
        Assert.Equal(("Runs", "Runs"), (file.Folder, file.Namespace));
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                var seen = state.GetValueOrDefault(next);
                if (seen == 1)
                {
                    return [.. path.SkipWhile(step => step != next), next];
                }

                if (seen == 0 && Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        return edges.Keys.Order(StringComparer.Ordinal).Where(node => state.GetValueOrDefault(node) == 0).Select(Visit).FirstOrDefault(cycle => cycle is not null);
    }

    private static List<SourceFile> ReadSources()
    {
        var core = Path.Combine(DotnetHost.RepositoryRoot(), "src", "Repro.Core");
        return Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(core, path).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Select(path => SourceFile.Parse(path, File.ReadAllLines(Path.Combine(core, path))))
            .ToList();
    }

    [GeneratedRegex(@"^\s*(global\s+)?using\s+(static\s+)?Repro\.Core\.(?<namespace>[\w.]+)\s*;")]
    private static partial Regex CoreUsing();

    [GeneratedRegex(@"^namespace\s+Repro\.Core\.(?<namespace>[\w.]+)\s*;")]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"(?<![\w.])(System\.)?Console\.(Write|Out|Error|Open|Read)")]
    private static partial Regex ConsoleUse();

    private sealed record SourceFile(string Path, string Namespace, IReadOnlyList<(string Namespace, int Line)> Usings, IReadOnlyList<string> Lines)
    {
        public string Folder => Namespace.Split('.')[0];

        public static SourceFile Parse(string path, IReadOnlyList<string> lines)
        {
            var usings = new List<(string, int)>();
            string? ns = null;
            for (var i = 0; i < lines.Count; i++)
            {
                if (CoreUsing().Match(lines[i]) is { Success: true } use)
                {
                    usings.Add((use.Groups["namespace"].Value, i + 1));
                }
                else if (NamespaceLine().Match(lines[i]) is { Success: true } declared)
                {
                    ns = declared.Groups["namespace"].Value;
                }
            }

            return new SourceFile(path, ns ?? throw new InvalidOperationException($"{path} declares no Repro.Core namespace"), usings, lines);
        }
    }
}
