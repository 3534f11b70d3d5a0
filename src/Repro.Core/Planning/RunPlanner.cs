using System.Globalization;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Planning;

/// <summary>What <c>repro run --dry-run</c> shows: the run as it would start, without starting it.</summary>
/// <param name="Project">The loaded project.</param>
/// <param name="Command">The rendered command and its parameters.</param>
/// <param name="ProjectDirectory">The absolute project directory, where the command would run.</param>
/// <param name="StoreDirectory">The store the run would be recorded in (not opened, not created).</param>
/// <param name="Seed">The seed and where it comes from; its value is null when a random one would be drawn at the start.</param>
/// <param name="Environment">The variables repro would set or record for the child, with their source and reason.</param>
/// <param name="Inputs">What would be fingerprinted before the child starts.</param>
/// <param name="Outputs">What would be fingerprinted after it exits, as declared.</param>
/// <param name="Warnings">The warnings the run would record, as printed.</param>
public sealed record RunPlan(
    MLProject Project,
    RenderedCommand Command,
    string ProjectDirectory,
    string StoreDirectory,
    PlannedSeed Seed,
    IReadOnlyList<DeterminismVariable> Environment,
    IReadOnlyList<PlannedInput> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Why the run would stop before its child starts (missing inputs, as the run reports them), or null.</summary>
    public string? Refusal => Inputs.Any(input => input.Problem is not null)
        ? string.Join("; ", Inputs.Where(input => input.Problem is not null).Select(input => input.Problem))
        : null;
}

/// <summary>The seed a run would use.</summary>
/// <param name="Value">The seed, or null when a fresh random one is drawn when the run starts.</param>
/// <param name="Source">Where it comes from, as the manifest records it.</param>
public sealed record PlannedSeed(uint? Value, SeedSource Source);

/// <summary>One input spec as it would be fingerprinted.</summary>
/// <param name="Spec">The spec (an entry of <c>inputs:</c>, or a <c>path</c> parameter's resolved value).</param>
/// <param name="Origin">The entry point's <c>inputs</c>, or a <c>path</c> parameter.</param>
/// <param name="Kind">What it is now; null when it is missing.</param>
/// <param name="FileCount">How many files it covers now.</param>
/// <param name="Problem">Why it would fail the run (a missing input), or null.</param>
public sealed record PlannedInput(string Spec, DataOrigin Origin, DataKind? Kind, int FileCount, string? Problem);

/// <summary>
/// Works out everything a run would do before its child starts, reading only: it runs the run's resolve stages
/// (<see cref="RunStages.Resolve"/>), the very code <c>repro run</c> runs, so the project is loaded, checked and rendered
/// exactly as a run does it; the inputs are listed but not hashed, and neither the store nor the project is written
/// (no run folder, no hash cache, no git status that could refresh the index).
/// </summary>
public static class RunPlanner
{
    /// <summary>Text shown for values that exist only once the run starts.</summary>
    public const string RunIdPlaceholder = "<run-id>";

    /// <summary>Plans the run <paramref name="request"/> describes.</summary>
    /// <exception cref="InputException">The run would be refused (a bad MLproject, entry point or parameter).</exception>
    public static async Task<RunPlan> PlanAsync(RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var run = new RunContext(request, new Interruption());
        foreach (var stage in RunStages.Resolve)
        {
            await stage.RunAsync(run, cancellationToken).ConfigureAwait(false);
        }

        // The resolve stage draws a random seed; the run would draw its own when it starts.
        var seed = run.Seed.Source == SeedSource.Random ? new PlannedSeed(null, SeedSource.Random) : new PlannedSeed(run.Seed.Value, run.Seed.Source);
        return new RunPlan(
            run.Project,
            run.Command,
            run.ProjectDirectory,
            request.StoreDirectory,
            seed,
            Variables(run, seed),
            Inputs(run.ProjectDirectory, run.InputSpecs),
            [.. run.OutputSpecs.Select(output => output.Spec)],
            [.. run.Warnings]);
    }

    private static List<DeterminismVariable> Variables(RunContext run, PlannedSeed seed)
    {
        var folder = new RunFolder(Path.Combine(run.Request.StoreDirectory, StoreLayout.RunsFolderName, RunIdPlaceholder));
        var entryPoint = run.Command.EntryPoint;
        var metricsFile = entryPoint?.Metrics is { } metrics
            ? Path.GetFullPath(Path.Combine(run.ProjectDirectory, metrics.File))
            : folder.DefaultMetrics;
        var projectVariables = entryPoint?.Env ?? new Dictionary<string, string>();
        var child = ChildEnvironmentBuilder.Build(
            new ChildEnvironmentInputs(
                RunIdPlaceholder,
                folder.Path,
                seed.Value ?? 0,
                folder.Parameters,
                metricsFile,
                DateTimeOffset.UnixEpoch,
                run.Request.Threads,
                projectVariables)
            {
                AdditionalSwitches = run.AdditionalSwitches,
            },
            run.InheritedEnvironment);

        var seedText = seed.Value?.ToString(CultureInfo.InvariantCulture);
        var variables = projectVariables
            .Where(variable => !child.Determinism.Any(recorded => recorded.Name == variable.Key))
            .Select(variable => new DeterminismVariable(variable.Key, variable.Value, VariableSetter.MLproject, "the entry point's env: in the MLproject file"))
            .ToList();
        foreach (var variable in child.Determinism)
        {
            // Values that exist only once the run starts are shown as what they will be.
            var value = variable.SetBy != VariableSetter.Repro ? variable.Value : variable.Name switch
            {
                "SOURCE_DATE_EPOCH" => "<committer time of HEAD, in a git repository>",
                "REPRO_SEED" or "PYTHONHASHSEED" when seedText is null => "<random seed drawn at the start>",
                _ => variable.Value,
            };
            variables.Add(variable with { Value = value });
        }

        return variables;
    }

    private static List<PlannedInput> Inputs(string projectDirectory, IReadOnlyList<DataSpec> specs)
    {
        var resolver = new SpecResolver(projectDirectory);
        return [.. specs.Select(spec =>
        {
            var resolution = resolver.Resolve(spec);
            return resolution.MissingMessage is { } missing
                ? new PlannedInput(spec.Spec, spec.Origin, null, 0, missing)
                : new PlannedInput(spec.Spec, spec.Origin, resolution.Kind, resolution.Files.Count, null);
        })];
    }
}
