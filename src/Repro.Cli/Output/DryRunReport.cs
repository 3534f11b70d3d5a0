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
        var rendered = plan.Prepared.Command;
        if (asJson)
        {
            var report = new DryRunJson(
                DryRun: true,
                plan.ProjectDirectory,
                plan.Prepared.Project.FileName,
                rendered.EntryPointRecord,
                rendered.Command,
                rendered.Argv,
                plan.ProjectDirectory,
                rendered.Parameters,
                new SeedJson(plan.Seed.Value, plan.Seed.Source),
                plan.Environment,
                plan.Inputs,
                plan.Outputs,
                plan.StoreDirectory,
                plan.Prepared.Warnings);
            Console.Out.WriteLine(JsonOutput.Serialize(report, CheckJsonContext.Default.DryRunJson));
            return;
        }

        foreach (var warning in plan.Prepared.Warnings)
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
        Line("project", $"{plan.ProjectDirectory} ({plan.Prepared.Project.FileName})");
        Line("entry point", $"{rendered.EntryPointRecord.Name} ({rendered.EntryPointRecord.Kind})");
        Line("command", rendered.Command);
        Line("argv", "[" + string.Join(", ", rendered.Argv.Select(Quote)) + "]");
        Line("working dir", plan.ProjectDirectory);
        Lines("parameters", rendered.Parameters, ShowParameter, "(none)");
        Line("seed", plan.Seed.Value is { } seed ? $"{seed.ToString(CultureInfo.InvariantCulture)} ({plan.Seed.Source})" : "a random seed, drawn when the run starts (random)");
        Lines("environment", plan.Environment, variable => $"{variable.Name}={variable.Value} ({variable.SetBy})", "(none)");
        Lines("inputs", plan.Inputs, ShowInput, "(none)");
        Lines("outputs", plan.Outputs, output => output, "(none)");
        Line("store", $"{plan.StoreDirectory} (the run would be recorded here)");
        Console.Out.Write(text.ToString());
    }

    private static string ShowParameter(ParameterRecord parameter) =>
        parameter.Given == parameter.Value
            ? $"{parameter.Name}={parameter.Value} ({parameter.Source})"
            : $"{parameter.Name}={parameter.Value} ({parameter.Source}: {parameter.Given})";

    private static string ShowInput(PlannedInput input)
    {
        var origin = input.Origin.StartsWith("parameter:", StringComparison.Ordinal) ? $"parameter {input.Origin["parameter:".Length..]}: " : string.Empty;
        return input.Problem is { } problem
            ? $"{origin}{input.Spec}: MISSING ({problem})"
            : $"{origin}{input.Spec}: {input.Kind}, {input.FileCount} file(s)";
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}

/// <summary>The seed in a dry run: its value is null when a random one would be drawn.</summary>
internal sealed record SeedJson(long? Value, string Source);

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
    IReadOnlyList<PlannedInput> Inputs,
    IReadOnlyList<string> Outputs,
    string Store,
    IReadOnlyList<string> Warnings);
