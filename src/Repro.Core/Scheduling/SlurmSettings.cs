using System.Globalization;
using System.Text.RegularExpressions;
using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Scheduling;

/// <summary>
/// The <c>--backend-config</c> file of <c>--backend slurm</c> (docs/scale-out.md): what <c>sbatch</c> is told, and the
/// lines the job script runs before repro (such as <c>module load</c>). Every field is optional.
/// </summary>
public sealed partial record SlurmSettings
{
    /// <summary>The keys a config file may hold, in the order the docs list them.</summary>
    public static readonly string[] Keys = ["partition", "time", "cpus", "memory", "gpus", "gres", "account", "directives", "setup"];

    /// <summary>No settings: Slurm's defaults.</summary>
    public static SlurmSettings Default { get; } = new();

    /// <summary><c>--partition</c>.</summary>
    public string? Partition { get; init; }

    /// <summary><c>--time</c>, in one of Slurm's forms (<c>MM</c>, <c>MM:SS</c>, <c>HH:MM:SS</c>, <c>D-HH</c>, <c>D-HH:MM</c>, <c>D-HH:MM:SS</c>).</summary>
    public string? Time { get; init; }

    /// <summary><c>--cpus-per-task</c>.</summary>
    public int? Cpus { get; init; }

    /// <summary><c>--mem</c>, such as <c>4G</c>.</summary>
    public string? Memory { get; init; }

    /// <summary><c>--gpus</c>.</summary>
    public int? Gpus { get; init; }

    /// <summary><c>--gres</c>, such as <c>gpu:a100:2</c>.</summary>
    public string? Gres { get; init; }

    /// <summary><c>--account</c>.</summary>
    public string? Account { get; init; }

    /// <summary>Further <c>sbatch</c> options, each one argument such as <c>--constraint=avx2</c>.</summary>
    public IReadOnlyList<string> Directives { get; init; } = [];

    /// <summary>Shell lines the job runs before repro, such as <c>module load cuda/12</c>.</summary>
    public IReadOnlyList<string> Setup { get; init; } = [];

    /// <summary>The <c>sbatch</c> options these settings give, in a fixed order.</summary>
    public IReadOnlyList<string> SbatchOptions()
    {
        var options = new List<string>();
        Add(options, "--partition", Partition);
        Add(options, "--time", Time);
        Add(options, "--cpus-per-task", Cpus?.ToString(CultureInfo.InvariantCulture));
        Add(options, "--mem", Memory);
        Add(options, "--gpus", Gpus?.ToString(CultureInfo.InvariantCulture));
        Add(options, "--gres", Gres);
        Add(options, "--account", Account);
        options.AddRange(Directives);
        return options;
    }

    /// <summary>Reads a config file (YAML or JSON); every problem is one <c>FILE:LINE:COL: message</c>.</summary>
    /// <exception cref="InputException">The file cannot be read or holds something repro does not accept.</exception>
    public static SlurmSettings Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"--backend-config {path}: {exception.Message}", exception);
        }

        return Parse(path, text);
    }

    /// <summary>Reads the text of a config file named <paramref name="file"/> in messages.</summary>
    /// <exception cref="InputException">Something repro does not accept, located.</exception>
    public static SlurmSettings Parse(string file, string text)
    {
        var root = LocatedYamlReader.Read(file, text);
        if (root is null || root.IsNull)
        {
            return Default;
        }

        var mapping = root.ExpectMapping("a Slurm backend config");
        mapping.RejectUnknownKeys("a Slurm backend config", Keys);
        var settings = Default;
        foreach (var entry in mapping.Entries)
        {
            var value = entry.Value;
            settings = entry.Name switch
            {
                "partition" => settings with { Partition = Word(value, "partition") },
                "time" => settings with { Time = Matching(value, "time", TimeForm(), "a Slurm time limit such as 30, 10:00, 2:00:00 or 1-12:00:00") },
                "cpus" => settings with { Cpus = Positive(value, "cpus") },
                "memory" => settings with { Memory = Matching(value, "memory", MemoryForm(), "a size such as 512M, 4G or 1T") },
                "gpus" => settings with { Gpus = Positive(value, "gpus") },
                "gres" => settings with { Gres = Word(value, "gres") },
                "account" => settings with { Account = Word(value, "account") },
                "directives" => settings with { Directives = Lines(value, "directives", directive: true) },
                _ => settings with { Setup = Lines(value, "setup", directive: false) },
            };
        }

        return settings;
    }

    private static void Add(List<string> options, string name, string? value)
    {
        if (value is not null)
        {
            options.Add($"{name}={value}");
        }
    }

    private static string Text(YamlTreeNode node, string key)
    {
        var text = node.ExpectScalar($"'{key}'").Text;
        if (text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal))
        {
            throw node.Error($"'{key}' must be one line");
        }

        return text;
    }

    private static string Word(YamlTreeNode node, string key)
    {
        var text = Text(node, key);
        if (text.Length == 0 || text.Any(char.IsWhiteSpace))
        {
            throw node.Error($"'{key}' must be one word, not '{text}'");
        }

        return text;
    }

    private static string Matching(YamlTreeNode node, string key, Regex form, string expected)
    {
        var text = Text(node, key);
        return form.IsMatch(text) ? text : throw node.Error($"'{key}' must be {expected}, not '{text}'");
    }

    private static int Positive(YamlTreeNode node, string key)
    {
        var text = Text(node, key);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw node.Error($"'{key}' must be a whole number of at least 1, not '{text}'");
    }

    private static IReadOnlyList<string> Lines(YamlTreeNode node, string key, bool directive)
    {
        var lines = new List<string>();
        foreach (var item in node.ExpectSequenceOrNull($"'{key}'").Items)
        {
            var text = Text(item, key);
            if (directive && (!text.StartsWith("--", StringComparison.Ordinal) || text.Length == 2))
            {
                throw item.Error($"each of '{key}' must be one sbatch option such as --constraint=avx2, not '{text}'");
            }

            lines.Add(text);
        }

        return lines;
    }

    [GeneratedRegex(@"^(\d+-\d+(:\d+(:\d+)?)?|\d+(:\d+(:\d+)?)?|UNLIMITED|INFINITE)$", RegexOptions.CultureInvariant)]
    private static partial Regex TimeForm();

    [GeneratedRegex(@"^\d+[KMGT]?$", RegexOptions.CultureInvariant)]
    private static partial Regex MemoryForm();
}
