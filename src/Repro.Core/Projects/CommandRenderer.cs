using System.Text;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Projects;

/// <summary>Renders the command of an entry point with its parameters exactly as <c>mlflow run</c> would.</summary>
public static class CommandRenderer
{
    /// <summary>The entry point run when none is named.</summary>
    public const string DefaultEntryPoint = "main";

    /// <summary>
    /// Fills the command of <paramref name="entryPointName"/>: declared parameters take the value given or their default,
    /// checked against their type and shell-quoted, and replace <c>{name}</c>; parameters that are not declared are appended
    /// as <c> --KEY VALUE</c> in the order given. A name that is not declared but is a <c>.py</c> or <c>.sh</c> file in the
    /// project runs that file with <c>python</c> or the shell.
    /// </summary>
    /// <param name="project">The loaded project.</param>
    /// <param name="entryPointName">The name given with <c>-e</c> (<see cref="DefaultEntryPoint"/> when none was given).</param>
    /// <param name="userParameters">The <c>-P</c> pairs from <see cref="ParameterArguments.Parse"/>, in order, each name once.</param>
    /// <param name="shell">The value of <c>$SHELL</c>, used for <c>.sh</c> scripts; null or empty means <c>bash</c>.</param>
    /// <exception cref="InputException">
    /// The entry point does not exist, a required parameter has no value, a value does not fit its type, or the command
    /// template is malformed (reported at the command's <c>FILE:LINE:COL</c>).
    /// </exception>
    public static RenderedCommand Render(
        MLProject project,
        string entryPointName,
        GivenParameters userParameters,
        string? shell)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(entryPointName);
        ArgumentNullException.ThrowIfNull(userParameters);

        foreach (var (key, value) in userParameters)
        {
            RejectNul(key, key + value);
        }

        return project.EntryPoints.TryGetValue(entryPointName, out var entryPoint)
            ? RenderDeclared(project, entryPoint, userParameters)
            : RenderScript(project, entryPointName, userParameters, shell);
    }

    private static RenderedCommand RenderDeclared(MLProject project, EntryPoint entryPoint, GivenParameters given)
    {
        var missing = entryPoint.Parameters.Where(parameter => parameter.IsRequired && !given.Contains(parameter.Name)).ToList();
        if (missing.Count > 0)
        {
            var names = string.Join(", ", missing.Select(parameter => $"'{parameter.Name}'"));
            var noun = missing.Count == 1 ? "parameter" : "parameters";
            throw new InputException($"entry point '{entryPoint.Name}' needs a value for {noun} {names}; give it with -P NAME=VALUE");
        }

        var records = new List<ParameterRecord>();
        var warnings = new List<string>();
        var quoted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in entryPoint.Parameters)
        {
            var isUser = given.TryGetValue(parameter.Name, out var text);
            text = isUser ? text! : parameter.Default!;
            RejectNul(parameter.Name, text);
            if (!ParameterValues.IsKnownType(parameter.Type))
            {
                warnings.Add($"{parameter.Location}: parameter '{parameter.Name}' has unknown type '{parameter.Type}'; treated as string");
            }

            var value = ParameterValues.Resolve(parameter.Name, parameter.Type, text, project.Directory);
            records.Add(new ParameterRecord(parameter.Name, new ParameterType(parameter.Type), isUser ? ParameterSource.User : ParameterSource.Default, text, value));
            quoted[parameter.Name] = ShellQuote.Quote(value);
        }

        var extras = given.Where(pair => !quoted.ContainsKey(pair.Key)).ToList();
        var command = CommandTemplate.Fill(entryPoint, quoted) + Extras(extras, records);
        return Rendered(entryPoint, new EntryPointRecord(entryPoint.Name, EntryPointKind.Declared), records, command, warnings);
    }

    private static RenderedCommand RenderScript(MLProject project, string name, GivenParameters given, string? shell)
    {
        var extension = Path.GetExtension(name);
        var interpreter = extension switch
        {
            ".py" => "python",
            ".sh" => string.IsNullOrEmpty(shell) ? "bash" : shell,
            _ => null,
        };
        var exists = ProjectRelativePath.StaysInside(name) && File.Exists(Path.Join(project.Directory, name));
        if (interpreter is null || !exists)
        {
            var declared = project.EntryPoints.Count == 0 ? "it declares none" : "declared: " + string.Join(", ", project.EntryPoints.Keys);
            var notScript = interpreter is null ? "is not a .py or .sh file" : "is not a file in the project";
            throw new InputException($"entry point '{name}' is not declared in {project.FileName} ({declared}) and {notScript}");
        }

        var records = new List<ParameterRecord>();
        var command = $"{interpreter} {ShellQuote.Quote(name)}" + Extras([.. given], records);
        var kind = extension == ".py" ? EntryPointKind.PythonScript : EntryPointKind.ShellScript;
        return Rendered(null, new EntryPointRecord(name, kind), records, command, []);
    }

    // MLflow appends parameters the entry point does not declare as "--KEY VALUE", both quoted.
    private static string Extras(List<KeyValuePair<string, string>> extras, List<ParameterRecord> records)
    {
        var appended = new StringBuilder();
        foreach (var (key, value) in extras)
        {
            records.Add(new ParameterRecord(key, ParameterType.String, ParameterSource.Extra, value, value));
            appended.Append(" --").Append(ShellQuote.Quote(key)).Append(' ').Append(ShellQuote.Quote(value));
        }

        return appended.ToString();
    }

    private static RenderedCommand Rendered(
        EntryPoint? entryPoint, EntryPointRecord record, List<ParameterRecord> parameters, string command, List<string> warnings) =>
        new(entryPoint, record, parameters, command, ["bash", "-c", command], warnings);

    private static void RejectNul(string name, string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new InputException($"parameter '{name}' contains a NUL character, which a command line cannot carry");
        }
    }
}
