namespace Repro.Core.Projects;

/// <summary>Reads one entry of <c>entry_points</c>: MLflow's <c>command</c> and <c>parameters</c>, and repro's extensions.</summary>
internal static class EntryPointReader
{
    private static readonly string[] s_keys = ["command", "parameters", "inputs", "outputs", "metrics", "env"];
    private static readonly string[] s_parameterKeys = ["type", "default"];

    /// <summary>The entry point, or the first problem at its location.</summary>
    public static EntryPoint Read(YamlTreeEntry entry)
    {
        var what = $"entry point '{entry.Name}'";
        var mapping = entry.Value.ExpectMapping(what);
        mapping.RejectUnknownKeys(what, s_keys);

        var command = (mapping.Find("command") ?? throw entry.Key.Error($"{what} has no command"))
            .Value.ExpectScalar($"the command of {what}");

        var parameters = new List<ParameterSpec>();
        foreach (var parameter in (mapping.Find("parameters")?.Value)?.ExpectMappingOrNull($"the parameters of {what}").Entries ?? [])
        {
            parameters.Add(ReadParameter(parameter, what));
        }

        return new EntryPoint(
            entry.Name,
            parameters,
            command.Text,
            command.Location,
            EntryPointExtensionsReader.ReadPaths(mapping.Find("inputs"), $"an input of {what}"),
            EntryPointExtensionsReader.ReadPaths(mapping.Find("outputs"), $"an output of {what}"),
            EntryPointExtensionsReader.ReadMetrics(mapping.Find("metrics"), what),
            EntryPointExtensionsReader.ReadEnv(mapping.Find("env"), what));
    }

    private static ParameterSpec ReadParameter(YamlTreeEntry entry, string entryPoint)
    {
        var what = $"parameter '{entry.Name}' of {entryPoint}";
        switch (entry.Value)
        {
            case YamlTreeScalar { IsNullScalar: false } type:
                return new ParameterSpec(entry.Name, type.Text, null, entry.Key.Location);
            case YamlTreeMapping mapping:
                mapping.RejectUnknownKeys(what, s_parameterKeys);
                var typeNode = mapping.Find("type")?.Value;
                var typeWord = typeNode is null || typeNode.IsNull ? "string" : typeNode.ExpectScalar($"the type of {what}").Text;
                return new ParameterSpec(entry.Name, typeWord, ReadDefault(mapping.Find("default")?.Value, what), entry.Key.Location);
            default:
                throw entry.Value.Error($"{what} must be a type word (alpha: float) or a mapping {{type: float, default: 0.1}}, not {entry.Value.ShapeName}");
        }
    }

    private static string? ReadDefault(YamlTreeNode? node, string what)
    {
        if (node is null || node.IsNull)
        {
            return null;
        }

        var scalar = node.ExpectScalar($"the default of {what}");

        // MLflow reads the file with PyYAML and passes str(value): a YAML boolean reaches the command as
        // Python's True/False. Numbers keep their source text instead, so 0.10 is not turned into 0.1.
        return scalar.AsBoolean() switch
        {
            true => "True",
            false => "False",
            null => scalar.Text,
        };
    }
}
