using Repro.Core.Projects.Python;

namespace Repro.Core.Projects;

/// <summary>
/// Reads one entry of <c>entry_points</c>: MLflow's <c>command</c> and <c>parameters</c>, and repro's extensions.
/// MLflow reads only <c>command</c>, <c>parameters</c> and, in a parameter, <c>type</c> and <c>default</c>
/// (mlflow/projects/_project_spec.py: <c>load_project</c>, <c>EntryPoint</c>, <c>Parameter</c>), ignoring every other key:
/// repro does the same and warns about keys it does not know either.
/// </summary>
internal static class EntryPointReader
{
    private static readonly string[] s_keys = ["command", "parameters", "description", "inputs", "outputs", "metrics", "env", "auto_seed", "needs", "code"];
    private static readonly string[] s_parameterKeys = ["type", "default", "description"];

    /// <summary>The entry point, with its warnings; an <see cref="Errors.InputException"/> where it cannot be run.</summary>
    public static EntryPoint Read(YamlTreeEntry entry)
    {
        var name = entry.Name;
        var what = $"entry point '{name}'";
        var diagnostics = new List<ProjectDiagnostic>();
        void Warn(YamlTreeNode node, string message) => diagnostics.Add(ProjectDiagnostic.Warn(node.Location, message, name));

        WarnAboutNonTextKey(entry.Key, what, $"mlflow run -e {name} cannot select it", Warn);
        var mapping = entry.Value.ExpectMapping(what);
        // Loops rather than SelectMany over the (key, first) pairs: LINQ generic over a value tuple is code ReadyToRun
        // leaves to the JIT, and every run reads its entry point.
        foreach (var node in mapping.DescendantsAndSelf())
        {
            if (node is YamlTreeMapping { Duplicates: var duplicates })
            {
                foreach (var (key, first) in duplicates)
                {
                    Warn(key, DuplicateMessage(key, first));
                }
            }
        }

        foreach (var unknown in mapping.Entries.Where(item => !s_keys.Contains(item.Name, StringComparer.Ordinal)))
        {
            Warn(unknown.Key, UnknownKeyMessage(unknown.Name, "in " + what, s_keys));
        }

        var commandEntry = mapping.Find("command")
            ?? throw entry.Key.Error($"{what} has no command{MisspeltHint(mapping, "command")}");
        var command = ReadCommand(commandEntry.Value, what);

        var parameters = new List<ParameterSpec>();
        var parametersEntry = mapping.Find("parameters");
        if (parametersEntry is { Value.IsNull: true })
        {
            Warn(parametersEntry.Value, $"the parameters of {what} are empty, on which MLflow fails; write 'parameters: {{}}' or remove the key");
        }

        foreach (var parameter in parametersEntry?.Value.ExpectMappingOrNull($"the parameters of {what}").Entries ?? [])
        {
            parameters.Add(ReadParameter(parameter, what, Warn));
        }

        var notStored = new HashSet<string>(StringComparer.Ordinal);
        var outputsEntry = mapping.Find("outputs");
        var codeEntry = mapping.Find("code");
        return new EntryPoint(
            name,
            parameters,
            command.Text,
            command.Location,
            EntryPointExtensionsReader.ReadPaths(mapping.Find("inputs"), $"an input of {what}", notStored),
            EntryPointExtensionsReader.ReadPaths(outputsEntry, $"an output of {what}", notStored),
            EntryPointExtensionsReader.ReadMetrics(mapping.Find("metrics"), what),
            EntryPointExtensionsReader.ReadEnv(mapping.Find("env"), what))
        {
            AutoSeed = EntryPointExtensionsReader.ReadAutoSeed(mapping.Find("auto_seed"), "in " + what),
            Diagnostics = diagnostics,
            NotStored = notStored,
            Location = entry.Key.Location,
            OutputLocations = EntryPointExtensionsReader.ReadLocations(outputsEntry),
            Needs = EntryPointExtensionsReader.ReadNeeds(mapping.Find("needs"), what),
            Code = codeEntry is null ? null : EntryPointExtensionsReader.ReadPaths(codeEntry, $"a code path of {what}", new HashSet<string>(StringComparer.Ordinal)),
        };
    }

    /// <summary>The warning for a key written twice in one mapping.</summary>
    public static string DuplicateMessage(YamlTreeScalar key, YamlTreeScalar first) =>
        $"duplicate key '{key.Text}' (first at line {first.Location.Line}, column {first.Location.Column}); the last one is used, as MLflow's YAML reader (PyYAML) does";

    /// <summary>The warning for a key repro and MLflow do not read; <paramref name="where"/> reads "in entry point 'main'".</summary>
    public static string UnknownKeyMessage(string key, string where, IReadOnlyCollection<string> known, string consequence = "")
    {
        var hint = KeySuggestions.For(key, known) is { } suggestion ? "; " + suggestion : string.Empty;
        return $"unknown key '{key}' {where} ignored, as MLflow ignores it{consequence}{hint}";
    }

    /// <summary>A warning when MLflow's YAML reader reads a key as something other than text (<c>on</c>, <c>1</c>, <c>null</c>).</summary>
    public static void WarnAboutNonTextKey(YamlTreeScalar key, string what, string consequence, Action<YamlTreeNode, string> warn)
    {
        if (key.TryResolve(out var value, out _) && value is not PythonString)
        {
            warn(key, $"MLflow's YAML reader (PyYAML) reads the name of {what} as the {value.TypeName} {value.Str()}, not as text, so {consequence}; quote it ('{key.Text}')");
        }
    }

    private static YamlTreeScalar ReadCommand(YamlTreeNode node, string what)
    {
        var command = node.ExpectScalar($"the command of {what}");
        var value = command.ToPython();
        return value is PythonString
            ? command
            : throw command.Error($"the command of {what} is read by MLflow's YAML reader as the {value.TypeName} {value.Str()}, not as text, and MLflow fails on it; quote it");
    }

    private static ParameterSpec ReadParameter(YamlTreeEntry entry, string entryPoint, Action<YamlTreeNode, string> warn)
    {
        var what = $"parameter '{entry.Name}' of {entryPoint}";
        WarnAboutNonTextKey(entry.Key, what, $"MLflow matches neither -P {entry.Name}=VALUE nor {{{entry.Name}}} to it", warn);
        switch (entry.Value)
        {
            case YamlTreeScalar { IsString: true } type:
                // The short form NAME: TYPE (mlflow/projects/_project_spec.py, Parameter: is_string_type(yaml_obj)).
                WarnAboutType(type.Text, type, what, warn);
                return new ParameterSpec(entry.Name, type.Text, null, entry.Key.Location);
            case YamlTreeMapping mapping:
                foreach (var unknown in mapping.Entries.Where(item => !s_parameterKeys.Contains(item.Name, StringComparer.Ordinal)))
                {
                    warn(unknown.Key, UnknownKeyMessage(unknown.Name, "in " + what, s_parameterKeys, NoDefaultNote(unknown.Name, mapping)));
                }

                var typeWord = ReadType(mapping.Find("type")?.Value, what, warn);
                var defaultSource = ReadDefault(mapping.Find("default")?.Value);
                return new ParameterSpec(entry.Name, typeWord, defaultSource?.Value.Str(), entry.Key.Location) { DefaultSource = defaultSource };
            case YamlTreeScalar scalar when !scalar.IsNullScalar:
                var read = scalar.ToPython();
                throw scalar.Error($"{what} is read by MLflow's YAML reader as the {read.TypeName} {read.Str()}, on which MLflow fails; write a type word (alpha: float) or a mapping {{type: float, default: {scalar.Text}}}");
            default:
                throw entry.Value.Error($"{what} must be a type word (alpha: float) or a mapping {{type: float, default: 0.1}}, not {entry.Value.ShapeName}; MLflow fails on it too");
        }
    }

    // MLflow uses whatever type it reads (yaml_obj.get("type", "string")) and only acts on "path" and "uri": any other
    // value, null included, passes the value unchanged, as a string does.
    private static string ReadType(YamlTreeNode? node, string what, Action<YamlTreeNode, string> warn)
    {
        if (node is null || node.IsNull)
        {
            return "string";
        }

        if (node is not YamlTreeScalar scalar)
        {
            warn(node, $"the type of {what} is {node.ShapeName}; it is passed as a string, as MLflow does");
            return "string";
        }

        var value = scalar.ToPython();
        var word = value.Str();
        if (value is not PythonString)
        {
            warn(scalar, $"the type of {what} is read by MLflow's YAML reader as the {value.TypeName} {word}; it is passed as a string, as MLflow does");
            return word;
        }

        WarnAboutType(word, scalar, what, warn);
        return word;
    }

    private static void WarnAboutType(string word, YamlTreeNode node, string what, Action<YamlTreeNode, string> warn)
    {
        if (ParameterValues.IsKnownType(word))
        {
            return;
        }

        var hint = KeySuggestions.ForType(word, ParameterValues.KnownTypes) is { } suggestion ? "; " + suggestion : string.Empty;
        var handling = word.Equals("path", StringComparison.OrdinalIgnoreCase) ? " without path handling" : string.Empty;
        warn(node, $"{what} has unknown type '{word}'; its value is passed as a string{handling}, as MLflow does{hint}");
    }

    private static DefaultValue? ReadDefault(YamlTreeNode? node)
    {
        if (node is null || node.IsNull)
        {
            return null;
        }

        // MLflow passes str(value) of what PyYAML read (mlflow/projects/_project_spec.py, _sanitize_param_dict).
        return new DefaultValue(node.ToPython(), (node as YamlTreeScalar)?.Text, node.Location);
    }

    // `{type:int, default:10}`, `default="x"` and `defualt: 1` are not the key `default`, so the parameter has no default at all.
    private static string NoDefaultNote(string key, YamlTreeMapping mapping) =>
        mapping.Find("default") is null && KeySuggestions.For(key, ["default"]) is not null
            ? ", so the parameter has no default and must be given with -P"
            : string.Empty;

    private static string MisspeltHint(YamlTreeMapping mapping, string key) =>
        mapping.Entries.Select(entry => (entry, hint: KeySuggestions.For(entry.Name, [key])))
            .FirstOrDefault(pair => pair.hint is not null) is { hint: not null } found
            ? $" (line {found.entry.Key.Location.Line} has '{found.entry.Name}': {found.hint})"
            : string.Empty;
}
