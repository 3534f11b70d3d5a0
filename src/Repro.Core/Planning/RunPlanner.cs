using System.Globalization;
using Repro.Core.Caching;
using Repro.Core.AutoSeed;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Sources;

namespace Repro.Core.Planning;

/// <summary>What <c>repro run --dry-run</c> shows: the run as it would start, without starting it.</summary>
/// <param name="Project">The loaded project.</param>
/// <param name="Command">The rendered command and its parameters.</param>
/// <param name="ProjectDirectory">The absolute project directory, where the command would run.</param>
/// <param name="StoreDirectory">The store the run would be recorded in (not opened, not created).</param>
/// <param name="Seed">The seed and where it comes from; its value is null when a random one would be drawn at the start.</param>
/// <param name="AutoSeed">Whether repro's Python start-up hook would seed the run, and why.</param>
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
    AutoSeedChoice AutoSeed,
    IReadOnlyList<DeterminismVariable> Environment,
    IReadOnlyList<PlannedInput> Inputs,
    IReadOnlyList<string> Outputs,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Where the project URI led: the cached commit; null for a project directory used in place.</summary>
    public ProjectSourceRecord? Source { get; init; }

    /// <summary>How the declared environment would be provided (<c>local</c> or <c>virtualenv</c>).</summary>
    public string EnvironmentManager { get; init; } = EnvironmentManagerStage.Local;

    /// <summary>What the run would fetch, copy or build before it starts, one line each.</summary>
    public IReadOnlyList<string> Preparation { get; init; } = [];

    /// <summary>Why the run would stop before its child starts (missing inputs, as the run reports them), or null.</summary>
    public string? Refusal => Inputs.Any(input => input.Problem is not null)
        ? MessageList.Join(Inputs.Where(input => input.Problem is not null).Select(input => input.Problem!), separator: "; ")
        : null;
}

/// <summary>A project URI whose version the cache does not hold yet: a run would fetch it, and a dry run cannot read its MLproject.</summary>
/// <param name="Uri">The URI as it may be shown (no credentials).</param>
/// <param name="Version">The version asked for; null for the default branch.</param>
/// <param name="CacheFolder">Where the cache keeps the repository.</param>
public sealed record UnfetchedSource(string Uri, string? Version, string CacheFolder);

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
        using var run = new RunContext(request, new Interruption()) { PlanOnly = true };
        foreach (var stage in RunStages.Resolve)
        {
            await stage.RunAsync(run, cancellationToken).ConfigureAwait(false);
        }

        // The resolve stage draws a random seed; the run would draw its own when it starts.
        var seed = run.Seed.Source == SeedSource.Random ? new PlannedSeed(null, SeedSource.Random) : new PlannedSeed(run.Seed.Value, run.Seed.Source);

        // A run of a cached checkout works in a copy made when it starts: paths are shown where that copy would be.
        var relocate = run.Source?.Checkout is { } checkout
            ? Relocation(checkout.Directory, Path.Combine(request.StoreDirectory, ResolveProjectStage.WorkFolderName, ResolveProjectStage.WorkingCopyPlaceholder))
            : static (string text) => text;
        var command = run.Command with
        {
            Command = relocate(run.Command.Command),
            Argv = [.. run.Command.Argv.Select(relocate)],
            Parameters = [.. run.Command.Parameters.Select(parameter => parameter with { Value = relocate(parameter.Value) })],
        };
        return new RunPlan(
            run.Project,
            command,
            relocate(run.ProjectDirectory),
            request.StoreDirectory,
            seed,
            run.AutoSeed,
            [.. Variables(run, seed).Select(variable => variable with { Value = relocate(variable.Value) })],
            [.. Inputs(run.ProjectDirectory, run.InputSpecs).Select(input => input with { Spec = relocate(input.Spec) })],
            [.. run.OutputSpecs.Select(output => output.Spec)],
            [.. run.Warnings])
        {
            Source = run.Source?.ToRecord(),
            EnvironmentManager = run.EnvironmentManager,
            Preparation = [.. run.PlannedSteps],
        };
    }

    /// <summary>
    /// The project URI of <paramref name="request"/> when the cache does not hold its version yet, so that a dry run can
    /// say a run would fetch it instead of planning it; null when there is nothing to fetch. Reads only.
    /// </summary>
    /// <exception cref="InputException">The URI names a local folder that does not exist, or a malformed version.</exception>
    public static UnfetchedSource? FindUnfetched(RunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Uri is not { } uri || !ProjectSource.UsesCache(uri, request.Version))
        {
            return null;
        }

        var cache = new GitProjectCache(CacheRoot.Resolve(request.Environment));
        return ProjectSource.FindCached(uri, request.Version, cache) is null
            ? new UnfetchedSource(uri.ToString(), request.Version, cache.FolderFor(uri.Location))
            : null;
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
                // The hook's folder as the run would write it (this planner writes nothing).
                AdditionalRunVariables = run.AutoSeed.On
                    ? PreparePythonHookStage.HookVariables(run, new PythonHookFolder(PreparePythonHookStage.HookFolder(run.Request.StoreDirectory), PythonHook.Sha256), folder.PythonReport)
                    : [],
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
                "REPRO_SEED" or "PYTHONHASHSEED" or AutoSeedEnvironment.LightningSeedVariable when seedText is null => "<random seed drawn at the start>",
                _ => variable.Value,
            };
            variables.Add(variable with { Value = value });
        }

        return variables;
    }

    // Replaces the checkout's path, wherever it stands as a whole path, with where the run's copy would be.
    private static Func<string, string> Relocation(string checkoutRoot, string copyRoot)
    {
        var root = Path.TrimEndingDirectorySeparator(checkoutRoot);
        return text =>
        {
            var result = new System.Text.StringBuilder(text.Length);
            var position = 0;
            int found;
            while ((found = text.IndexOf(root, position, StringComparison.Ordinal)) >= 0)
            {
                var end = found + root.Length;
                var wholePath = end == text.Length || text[end] is '/' or '\\' or '\'' or '"' or ' ';
                result.Append(text, position, found - position).Append(wholePath ? copyRoot : root);
                position = end;
            }

            return result.Append(text, position, text.Length - position).ToString();
        };
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
