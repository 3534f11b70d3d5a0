using System.Text.RegularExpressions;
using Repro.Core.Errors;
using Repro.Core.Projects;
using Repro.Core.Projects.Python;

namespace Repro.Core.Environments.Python;

/// <summary>
/// Reads <c>python_env.yaml</c>. MLflow loads it with PyYAML and passes the mapping to <c>_PythonEnv(**mapping)</c>,
/// which refuses unknown keys, a non-string <c>python</c> and non-list dependencies; repro refuses the same, each at
/// <c>FILE:LINE:COL</c>, and nothing MLflow accepts.
/// </summary>
public static partial class PythonEnvFileReader
{
    private const string PythonKey = "python";
    private const string BuildDependenciesKey = "build_dependencies";
    private const string DependenciesKey = "dependencies";

    /// <summary>Reads and checks the file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="displayName">The file as the user would name it in messages (for example relative to the project); the path when null.</param>
    /// <returns>The environment it describes.</returns>
    /// <exception cref="InputException">The file is missing or unreadable, not YAML, or not in MLflow's format.</exception>
    public static PythonEnvSpec Read(string path, string? displayName = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = Path.GetFullPath(path);
        displayName ??= path;
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{displayName}: cannot read the python_env file: {e.Message}", e);
        }

        return Parse(fullPath, displayName, text);
    }

    /// <summary>Checks the text of a python_env file.</summary>
    /// <param name="fullPath">Absolute path recorded in the result.</param>
    /// <param name="displayName">The file as named in messages.</param>
    /// <param name="text">The file's content.</param>
    /// <returns>The environment it describes.</returns>
    /// <exception cref="InputException">It is not YAML or not in MLflow's format.</exception>
    public static PythonEnvSpec Parse(string fullPath, string displayName, string text)
    {
        var root = LocatedYamlReader.Read(displayName, text);
        if (root is null || root.IsNull)
        {
            throw new InputException(new SourceLocation(displayName, 1, 1), "the file is empty; it must be a mapping with python, build_dependencies and dependencies");
        }

        var mapping = root.ExpectMapping("a python_env file");
        mapping.RejectUnknownKeys("a python_env file", PythonKey, BuildDependenciesKey, DependenciesKey);
        return new PythonEnvSpec(
            fullPath,
            ReadPython(mapping.Find(PythonKey)?.Value),
            ReadLines(mapping.Find(BuildDependenciesKey)?.Value, BuildDependenciesKey),
            ReadLines(mapping.Find(DependenciesKey)?.Value, DependenciesKey));
    }

    private static string? ReadPython(YamlTreeNode? node)
    {
        if (node is null || node.IsNull)
        {
            return null;
        }

        var scalar = node.ExpectScalar(PythonKey);

        // PyYAML reads a plain 3.10 as the float 3.1 and MLflow then refuses it; saying why helps more than "not a string".
        if (scalar.TryResolve(out var value, out _) && value is not PythonString)
        {
            throw scalar.Error($"python must be a string, and YAML reads {scalar.Text} as a {value.TypeName} ({value.Str()}); quote it: python: \"{scalar.Text}\"");
        }

        var version = scalar.Text.Trim();
        return PythonVersion().IsMatch(version)
            ? version
            : throw scalar.Error($"python must be a version such as \"3.11\" or \"3.11.7\", not '{scalar.Text}'");
    }

    private static List<RequirementLine> ReadLines(YamlTreeNode? node, string key)
    {
        if (node is null)
        {
            return [];
        }

        var lines = new List<RequirementLine>();
        foreach (var item in node.ExpectSequenceOrNull(key).Items)
        {
            if (item.IsNull)
            {
                throw item.Error($"an item of {key} is empty");
            }

            lines.Add(new RequirementLine(item.ExpectScalar($"an item of {key}").Text, item.Location));
        }

        return lines;
    }

    [GeneratedRegex(@"^[0-9]+(?:\.[0-9]+(?:\.[0-9]+(?:[A-Za-z]+[0-9]*)?)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PythonVersion();
}
