using System.Text;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Projects.Python;
using Repro.Core.Runs;

namespace Repro.Core.Projects;

/// <summary>
/// Renders the command of an entry point with its parameters as <c>mlflow run</c> does
/// (mlflow/projects/_project_spec.py: <c>Project.get_entry_point</c>, <c>EntryPoint.compute_command</c>).
/// </summary>
public static class CommandRenderer
{
    /// <summary>The entry point run when none is named.</summary>
    public const string DefaultEntryPoint = "main";

    /// <summary>
    /// Fills the command of <paramref name="entryPointName"/>: declared parameters take the value given or their default,
    /// checked against their type and shell-quoted, and replace <c>{name}</c>; parameters that are not declared are appended
    /// as <c> --KEY VALUE</c> in the order given. A name that is not declared but is a <c>.py</c>, <c>.sh</c> or <c>.R</c>
    /// file in the project runs that file with <c>python</c>, the shell or <c>Rscript</c>.
    /// </summary>
    /// <param name="project">The loaded project.</param>
    /// <param name="entryPointName">The name given with <c>-e</c> (<see cref="DefaultEntryPoint"/> when none was given).</param>
    /// <param name="userParameters">The <c>-P</c> pairs from <see cref="ParameterArguments.Parse"/>, in order, each name once.</param>
    /// <param name="shell">The value of <c>$SHELL</c>, used for <c>.sh</c> scripts; null or empty means <c>bash</c>.</param>
    /// <exception cref="InputException">
    /// The entry point does not exist or is broken, a required parameter has no value, a value does not fit its type, or
    /// the command template is malformed (reported at the command's <c>FILE:LINE:COL</c>).
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

        if (project.BrokenEntryPoints.TryGetValue(entryPointName, out var broken))
        {
            throw broken.Location is { } location ? new InputException(location, broken.Message) : new InputException(broken.Message);
        }

        return project.EntryPoints.TryGetValue(entryPointName, out var entryPoint)
            ? RenderDeclared(project, entryPoint, userParameters, leaveRequired: false)
            : RenderScript(project, entryPointName, userParameters, shell);
    }

    /// <summary>
    /// Renders a declared entry point with its defaults only, for <c>repro check</c>: a required parameter is not
    /// invented but left as its <c>{name}</c> placeholder in the command and listed in <see cref="RenderedCommand.Required"/>.
    /// </summary>
    /// <exception cref="InputException">The entry point cannot be rendered.</exception>
    public static RenderedCommand RenderWithDefaults(MLProject project, EntryPoint entryPoint)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(entryPoint);
        return RenderDeclared(project, entryPoint, GivenParameters.None, leaveRequired: true);
    }

    private static RenderedCommand RenderDeclared(MLProject project, EntryPoint entryPoint, GivenParameters given, bool leaveRequired)
    {
        var missing = entryPoint.Parameters.Where(parameter => parameter.IsRequired && !given.Contains(parameter.Name)).ToList();
        if (missing.Count > 0 && !leaveRequired)
        {
            var names = MessageList.Join(missing.Select(parameter => $"'{parameter.Name}'"));
            var noun = missing.Count == 1 ? "parameter" : "parameters";
            throw new InputException($"entry point '{entryPoint.Name}' needs a value for {noun} {names}; give it with -P NAME=VALUE");
        }

        var records = new List<ParameterRecord>();
        var diagnostics = new List<ProjectDiagnostic>(entryPoint.Diagnostics);
        var quoted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in entryPoint.Parameters)
        {
            if (given.TryGetValue(parameter.Name, out var text))
            {
                RejectNul(parameter.Name, text);
                var value = ParameterValues.Resolve(parameter.Name, parameter.Type, text, project.Directory);
                records.Add(new ParameterRecord(parameter.Name, new ParameterType(parameter.Type), ParameterSource.User, text, value));
                quoted[parameter.Name] = ShellQuote.Quote(value);
            }
            else if (parameter.DefaultSource is { } source)
            {
                var value = ResolveDefault(project, entryPoint, parameter, source, diagnostics);
                records.Add(new ParameterRecord(parameter.Name, new ParameterType(parameter.Type), ParameterSource.Default, parameter.Default!, value));
                quoted[parameter.Name] = ShellQuote.Quote(value);
            }
            else
            {
                // Only for RenderWithDefaults: the placeholder stays as written.
                quoted[parameter.Name] = "{" + parameter.Name + "}";
            }
        }

        // A loop, not Where(...).ToList() over key-value pairs: LINQ generic over a struct is left to the JIT by
        // ReadyToRun, and every run renders its command.
        var extras = new List<KeyValuePair<string, string>>();
        foreach (var pair in given)
        {
            if (!quoted.ContainsKey(pair.Key))
            {
                extras.Add(pair);
            }
        }

        var command = CommandTemplate.Fill(entryPoint, quoted) + Extras(extras, records);
        return Rendered(entryPoint, new EntryPointRecord(entryPoint.Name, EntryPointKind.Declared), records, command, diagnostics) with
        {
            Required = [.. missing.Select(parameter => parameter.Name)],
        };
    }

    // MLflow passes str(default) for every type but path and uri, which it hands to urlparse as read: a default that
    // PyYAML did not read as text fails there (mlflow/projects/_project_spec.py, Parameter.compute_value).
    private static string ResolveDefault(MLProject project, EntryPoint entryPoint, ParameterSpec parameter, DefaultValue source, List<ProjectDiagnostic> diagnostics)
    {
        var text = parameter.Default!;
        RejectNul(parameter.Name, text);
        void Warn(string message) => diagnostics.Add(ProjectDiagnostic.Warn(source.Location, message, entryPoint.Name));
        var what = $"the default of parameter '{parameter.Name}'";
        if (parameter.Type is "path" or "uri" && source.Value is not PythonString)
        {
            throw new InputException(source.Location, $"{what} ({parameter.Type}) is read by MLflow's YAML reader as the {source.Value.TypeName} {text}, not as text, and MLflow fails on it; quote it");
        }

        if (source.Text is null)
        {
            Warn($"{what} is a {source.Value.TypeName}; it is passed as Python prints it, {text}, as MLflow does");
        }
        else if (source.Value is not PythonString && source.Text != text)
        {
            Warn($"{what}, {source.Text}, is read by MLflow's YAML reader as the {source.Value.TypeName} {text} and passed as '{text}'; quote it to pass '{source.Text}'");
        }

        if (ParameterValues.NumberProblem(parameter.Type, text) is { } problem)
        {
            Warn($"{what} ({parameter.Type}), '{text}', is not {problem}; it is passed unchanged, as MLflow does (a value given with -P is checked)");
        }

        try
        {
            return ParameterValues.Resolve(parameter.Name, parameter.Type, text, project.Directory, checkNumbers: false);
        }
        catch (InputException exception)
        {
            // MLflow fails on a path default that does not exist, or a uri default without a scheme, as repro does.
            throw new InputException(source.Location, exception.Message + " (the default)");
        }
    }

    // Project.get_entry_point: an undeclared name runs as a script by its extension (os.path.splitext, case-sensitive).
    private static RenderedCommand RenderScript(MLProject project, string name, GivenParameters given, string? shell)
    {
        var extension = PythonExtension(name);
        (string Prefix, EntryPointKind Kind)? script = extension switch
        {
            ".py" => ("python " + ShellQuote.Quote(name), EntryPointKind.PythonScript),
            ".sh" => ((string.IsNullOrEmpty(shell) ? "bash" : shell) + " " + ShellQuote.Quote(name), EntryPointKind.ShellScript),
            ".R" => ($"Rscript -e \"mlflow::mlflow_source('{ShellQuote.Quote(name)}')\" --args", EntryPointKind.RScript),
            _ => null,
        };
        var path = Path.Join(project.Directory, name);
        var exists = ProjectRelativePath.StaysInside(name) && File.Exists(path);
        if (script is null || !exists)
        {
            var notScript = script is null ? "is not a .py, .sh or .R file" : "is not a file in the project";
            if (project.FileName is null)
            {
                throw new InputException(
                    $"entry point '{name}' {notScript}, and the project has no MLproject file to declare it ({ProjectFileLocator.LookedFor}); name a script of the project, such as -e train.py");
            }

            var declared = !project.EntryPointNames.Any() ? "it declares none" : "declared: " + MessageList.Join(project.EntryPointNames);
            throw new InputException($"entry point '{name}' is not declared in {project.FileName} ({declared}) and {notScript}");
        }

        // A script run as the entry point is the run's code: one that leads out of the project (a symbolic link) is code
        // that git does not record and verify could not re-create.
        if (PathContainment.ResolvesInside(project.Directory, path) is { Inside: false } resolved)
        {
            throw new InputException($"entry point '{name}' leads to {resolved.Target}, outside the project: repro runs only scripts inside the project, whose code it records; copy it in, or declare an entry point that runs it");
        }

        var records = new List<ParameterRecord>();
        var command = script.Value.Prefix + Extras([.. given], records);
        return Rendered(null, new EntryPointRecord(name, script.Value.Kind), records, command, []);
    }

    // Python's os.path.splitext: the extension starts at the last dot of the file name, unless every dot before it
    // leads the name (".py" has none).
    private static string PythonExtension(string path)
    {
        var fileName = path[(path.LastIndexOf('/') + 1)..];
        var dot = fileName.LastIndexOf('.');
        return dot > 0 && fileName[..dot].TrimStart('.').Length > 0 ? fileName[dot..] : string.Empty;
    }

    // MLflow appends parameters the entry point does not declare as "--KEY VALUE" with the value quoted; repro quotes
    // the key too, which MLflow does not (a key with shell syntax in it would run as shell code there).
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
        EntryPoint? entryPoint, EntryPointRecord record, List<ParameterRecord> parameters, string command, List<ProjectDiagnostic> diagnostics) =>
        new(entryPoint, record, parameters, command, ["bash", "-c", command], diagnostics);

    private static void RejectNul(string name, string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new InputException($"parameter '{name}' contains a NUL character, which a command line cannot carry");
        }
    }
}
