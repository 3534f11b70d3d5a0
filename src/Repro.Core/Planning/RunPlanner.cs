using System.Globalization;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Planning;

/// <summary>What <c>repro run --dry-run</c> shows: the run as it would start, without starting it.</summary>
/// <param name="Prepared">The loaded project and the rendered command.</param>
/// <param name="ProjectDirectory">The absolute project directory, where the command would run.</param>
/// <param name="StoreDirectory">The store the run would be recorded in (not opened, not created).</param>
/// <param name="Seed">The seed and where it comes from; its value is null when a random one would be drawn at the start.</param>
/// <param name="Environment">The variables repro would set or record for the child, with their source and reason.</param>
/// <param name="Inputs">What would be fingerprinted before the child starts.</param>
/// <param name="Outputs">What would be fingerprinted after it exits, as declared.</param>
public sealed record RunPlan(
    PreparedEntryPoint Prepared,
    string ProjectDirectory,
    string StoreDirectory,
    PlannedSeed Seed,
    IReadOnlyList<DeterminismVariable> Environment,
    IReadOnlyList<PlannedInput> Inputs,
    IReadOnlyList<string> Outputs)
{
    /// <summary>Why the run would stop before its child starts (missing inputs, as the run reports them), or null.</summary>
    public string? Refusal => Inputs.Any(input => input.Problem is not null)
        ? string.Join("; ", Inputs.Where(input => input.Problem is not null).Select(input => input.Problem))
        : null;
}

/// <summary>The seed a run would use.</summary>
/// <param name="Value">The seed, or null when a fresh random one is drawn when the run starts.</param>
/// <param name="Source"><c>cli</c>, <c>mlproject</c> or <c>random</c>, as the manifest records it.</param>
public sealed record PlannedSeed(long? Value, string Source);

/// <summary>One input spec as it would be fingerprinted.</summary>
/// <param name="Spec">The spec (an entry of <c>inputs:</c>, or a <c>path</c> parameter's resolved value).</param>
/// <param name="Origin"><c>inputs</c> or <c>parameter:NAME</c>.</param>
/// <param name="Kind"><c>file</c>, <c>directory</c>, <c>glob</c>, or <c>missing</c>.</param>
/// <param name="FileCount">How many files it covers now.</param>
/// <param name="Problem">Why it would fail the run (a missing input), or null.</param>
public sealed record PlannedInput(string Spec, string Origin, string Kind, int FileCount, string? Problem);

/// <summary>
/// Works out everything a run would do before its child starts, reading only: the project is loaded and the command
/// rendered exactly as <see cref="RunService"/> does, the inputs are listed but not hashed, and neither the store nor
/// the project is written (no run folder, no hash cache, no git status that could refresh the index).
/// </summary>
public static class RunPlanner
{
    /// <summary>Text shown for values that exist only once the run starts.</summary>
    public const string RunIdPlaceholder = "<run-id>";

    /// <summary>Plans the run <paramref name="request"/> describes.</summary>
    /// <exception cref="InputException">The run would be refused (a bad MLproject, entry point or parameter).</exception>
    public static RunPlan Plan(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var projectDirectory = Path.GetFullPath(request.ProjectDirectory);
        if (!Directory.Exists(projectDirectory))
        {
            throw new InputException($"project directory {request.ProjectDirectory} does not exist");
        }

        request.Environment.TryGetValue("SHELL", out var shell);
        var prepared = PreparedEntryPoint.Prepare(projectDirectory, request.EntryPoint, request.Parameters, shell, request.EnvManager, request.Strict);
        var entryPoint = prepared.Command.EntryPoint;
        foreach (var output in entryPoint?.Outputs ?? [])
        {
            new SpecResolver(projectDirectory).CheckDeclared(DataSpec.Output(output));
        }

        var seed = request.Seed is { } given ? new PlannedSeed(given, "cli")
            : prepared.Project.Seed is { } declared ? new PlannedSeed(declared, "mlproject")
            : new PlannedSeed(null, "random");
        return new RunPlan(
            prepared,
            projectDirectory,
            request.StoreDirectory,
            seed,
            Variables(request, projectDirectory, entryPoint, seed),
            Inputs(projectDirectory, prepared.Command),
            entryPoint?.Outputs ?? []);
    }

    private static List<DeterminismVariable> Variables(RunRequest request, string projectDirectory, EntryPoint? entryPoint, PlannedSeed seed)
    {
        var runDirectory = Path.Combine(request.StoreDirectory, "runs", RunIdPlaceholder);
        var metricsFile = entryPoint?.Metrics is { } metrics
            ? Path.GetFullPath(Path.Combine(projectDirectory, metrics.File))
            : Path.Combine(runDirectory, RunService.DefaultMetricsFileName);
        var projectVariables = entryPoint?.Env ?? new Dictionary<string, string>();
        var child = ChildEnvironmentBuilder.Build(
            new ChildEnvironmentInputs(
                RunIdPlaceholder,
                runDirectory,
                seed.Value ?? 0,
                Path.Combine(runDirectory, RunService.ParametersFileName),
                metricsFile,
                DateTimeOffset.UnixEpoch,
                request.Threads,
                projectVariables),
            request.Environment);

        var seedText = seed.Value?.ToString(CultureInfo.InvariantCulture);
        var variables = projectVariables
            .Where(variable => !child.Determinism.Any(recorded => recorded.Name == variable.Key))
            .Select(variable => new DeterminismVariable(variable.Key, variable.Value, "mlproject", "the entry point's env: in the MLproject file"))
            .ToList();
        foreach (var variable in child.Determinism)
        {
            // Values that exist only once the run starts are shown as what they will be.
            var value = variable.SetBy != "repro" ? variable.Value : variable.Name switch
            {
                "SOURCE_DATE_EPOCH" => "<committer time of HEAD, in a git repository>",
                "REPRO_SEED" or "PYTHONHASHSEED" when seedText is null => "<random seed drawn at the start>",
                _ => variable.Value,
            };
            variables.Add(variable with { Value = value });
        }

        return variables;
    }

    private static List<PlannedInput> Inputs(string projectDirectory, RenderedCommand command)
    {
        var specs = command.EntryPoint?.Inputs.Select(DataSpec.Input).ToList() ?? [];
        specs.AddRange(command.Parameters
            .Where(parameter => parameter.Type == "path")
            .Select(parameter => DataSpec.Parameter(parameter.Name, parameter.Value)));

        var resolver = new SpecResolver(projectDirectory);
        return [.. specs.Select(spec =>
        {
            var resolution = resolver.Resolve(spec);
            return resolution.MissingMessage is { } missing
                ? new PlannedInput(spec.Spec, spec.Origin, "missing", 0, missing)
                : new PlannedInput(spec.Spec, spec.Origin, resolution.Kind, resolution.Files.Count, null);
        })];
    }
}
