using System.Globalization;
using System.Text;
using Repro.Core.Planning;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Cli.Output;

/// <summary>What <c>repro run --dry-run</c> prints: the run as it would start.</summary>
internal static class DryRunReport
{
    public static void Write(RunPlan plan, bool asJson)
    {
        var rendered = plan.Command;
        if (asJson)
        {
            var report = new DryRunJson(
                DryRun: true,
                plan.ProjectDirectory,
                plan.Project.FileName,
                rendered.EntryPointRecord,
                rendered.Command,
                rendered.Argv,
                plan.ProjectDirectory,
                rendered.Parameters,
                new SeedJson(plan.Seed.Value, plan.Seed.Source),
                plan.Environment,
                [.. plan.Inputs.Select(PlannedInputJson.Of)],
                plan.Outputs,
                plan.StoreDirectory,
                plan.Warnings);
            Console.Out.WriteLine(JsonOutput.Serialize(report, CliJsonContext.Default.DryRunJson));
            return;
        }

        foreach (var warning in plan.Warnings)
        {
            Console.Error.WriteLine(WarningLines.Format(warning));
        }

        var text = new StringBuilder();
        void Line(string label, string value) => text.Append(CultureInfo.InvariantCulture, $"{label,-12} {value}\n");
        void Lines<T>(string label, IReadOnlyList<T> items, Func<T, string> show, string none)
        {
            if (items.Count == 0)
            {
                Line(label, none);
            }

            for (var index = 0; index < items.Count; index++)
            {
                Line(index == 0 ? label : string.Empty, show(items[index]));
            }
        }

        Line("dry run", "nothing was run, written or hashed");
        Line("project", $"{plan.ProjectDirectory} ({plan.Project.FileName})");
        Line("entry point", $"{rendered.EntryPointRecord.Name} ({rendered.EntryPointRecord.Kind.Name()})");
        Line("command", rendered.Command);
        Line("argv", "[" + string.Join(", ", rendered.Argv.Select(Quote)) + "]");
        Line("working dir", plan.ProjectDirectory);
        Lines("parameters", rendered.Parameters, ShowParameter, "(none)");
        Line("seed", plan.Seed.Value is { } seed ? $"{seed.ToString(CultureInfo.InvariantCulture)} ({plan.Seed.Source.Name()})" : $"a random seed, drawn when the run starts ({plan.Seed.Source.Name()})");
        Lines("environment", plan.Environment, variable => $"{variable.Name}={variable.Value} ({variable.SetBy.Name()})", "(none)");
        Lines("inputs", plan.Inputs, ShowInput, "(none)");
        Lines("outputs", plan.Outputs, output => output, "(none)");
        Line("store", $"{plan.StoreDirectory} (the run would be recorded here)");
        Console.Out.Write(text.ToString());
    }

    private static string ShowParameter(ParameterRecord parameter) =>
        parameter.Given == parameter.Value
            ? $"{parameter.Name}={parameter.Value} ({parameter.Source.Name()})"
            : $"{parameter.Name}={parameter.Value} ({parameter.Source.Name()}: {parameter.Given})";

    private static string ShowInput(PlannedInput input)
    {
        var origin = input.Origin.ParameterName is { } name ? $"parameter {name}: " : string.Empty;
        return input.Kind is { } kind
            ? $"{origin}{input.Spec}: {kind.Name()}, {input.FileCount} file(s)"
            : $"{origin}{input.Spec}: MISSING ({input.Problem})";
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>The seed in a dry run: its value is null when a random one would be drawn.</summary>
internal sealed record SeedJson(uint? Value, SeedSource Source);

/// <summary>One input in a dry run: its kind is <c>missing</c> when it does not exist.</summary>
internal sealed record PlannedInputJson(string Spec, DataOrigin Origin, string Kind, int FileCount, string? Problem)
{
    public static PlannedInputJson Of(PlannedInput input) =>
        new(input.Spec, input.Origin, input.Kind?.Name() ?? "missing", input.FileCount, input.Problem);
}

/// <summary>The JSON object <c>repro run --dry-run --json</c> prints.</summary>
internal sealed record DryRunJson(
    bool DryRun,
    string ProjectDirectory,
    string MlprojectFile,
    EntryPointRecord EntryPoint,
    string Command,
    IReadOnlyList<string> Argv,
    string WorkingDirectory,
    IReadOnlyList<ParameterRecord> Parameters,
    SeedJson Seed,
    IReadOnlyList<DeterminismVariable> Environment,
    IReadOnlyList<PlannedInputJson> Inputs,
    IReadOnlyList<string> Outputs,
    string Store,
    IReadOnlyList<string> Warnings);
