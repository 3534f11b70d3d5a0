using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>
/// <c>repro pipeline</c>: the targets and everything upstream of them, in dependency order, each step an ordinary run
/// (<see cref="RunService"/>) with the run cache's stages added: a step whose key matches an earlier successful run is
/// reused (its outputs restored, no child started). A failing step stops the steps below it. The pipeline's record is
/// saved after every step.
/// </summary>
public static class PipelineService
{
    /// <summary>The steps to run, validated: graph, targets, <c>-P</c> routing, and every step's command renders.</summary>
    /// <exception cref="InputException">A bad graph, target, parameter or entry point; nothing ran.</exception>
    public static Task<IReadOnlyList<PlannedStep>> ResolveAsync(PipelineRequest request, CancellationToken cancellationToken) =>
        ResolveAsync(request, new ProjectLoads(), cancellationToken);

    /// <summary>As <see cref="ResolveAsync(PipelineRequest, CancellationToken)"/>, loading the MLproject through <paramref name="loads"/>.</summary>
    internal static Task<IReadOnlyList<PlannedStep>> ResolveAsync(PipelineRequest request, ProjectLoads loads, CancellationToken cancellationToken) =>
        ResolveAsync(request, loads, null, cancellationToken);

    /// <summary>As <see cref="ResolveAsync(PipelineRequest, ProjectLoads, CancellationToken)"/>, adding each step's data specs, in order, to <paramref name="data"/>.</summary>
    internal static async Task<IReadOnlyList<PlannedStep>> ResolveAsync(PipelineRequest request, ProjectLoads loads, List<StepData>? data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(loads);
        var loaded = loads.Load(request.Run.ProjectDirectory);
        var graph = PipelineGraph.Build(loaded.Project);
        var targets = request.Targets.Count > 0 ? request.Targets : graph.DefaultTargets;
        if (targets.Count == 0)
        {
            throw new InputException($"{loaded.Project.FileDescription}: no entry point declares inputs, outputs or needs, so there is no pipeline to run; name targets with -e");
        }

        var order = graph.Plan(targets);
        foreach (var step in request.ForceSteps.Where(step => !order.Contains(step, StringComparer.Ordinal)))
        {
            throw new InputException($"--force-step {step}: '{step}' is not a step of this pipeline ({string.Join(", ", order)})");
        }

        foreach (var (name, _) in request.Run.Parameters)
        {
            if (!order.Any(step => Declares(loaded.Project, step, name)))
            {
                throw new InputException($"-P {name}: no step of this pipeline ({string.Join(", ", order)}) declares parameter '{name}'");
            }
        }

        var steps = order.Select(step => new PlannedStep(
            step,
            GivenParameters.From(request.Run.Parameters.Where(pair => Declares(loaded.Project, step, pair.Key))),
            graph.UpstreamOf(step).Where(edge => order.Contains(edge.Upstream, StringComparer.Ordinal)).ToList())).ToList();

        // Every step's command must render before the first one runs: a bad value fails the pipeline, not its third step.
        foreach (var step in steps)
        {
            using var context = new RunContext(StepRequest(request, step), new Interruption());
            foreach (var stage in ResolveStages(loads))
            {
                await stage.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }

            data?.Add(new StepData(context.ProjectDirectory, context.InputSpecs, context.OutputSpecs)
            {
                Command = context.Command.Command,
                InheritedEnvironment = context.InheritedEnvironment,
            });
        }

        return steps;
    }

    /// <summary>What a run of the pipeline would do, step by step, without running or writing anything.</summary>
    /// <exception cref="InputException">As <see cref="ResolveAsync(PipelineRequest, CancellationToken)"/>.</exception>
    public static async Task<PipelinePlan> PlanAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        var steps = await ResolveAsync(request, cancellationToken).ConfigureAwait(false);
        var store = Directory.Exists(request.Run.StoreDirectory) ? RunStore.OpenExisting(request.Run.StoreDirectory) : null;
        var executes = new HashSet<string>(StringComparer.Ordinal);
        var planned = new List<PipelineStepRecord>();
        using var probe = new StepProbe();
        foreach (var step in steps)
        {
            var upstream = step.Upstream.Select(edge => edge.Upstream).ToList();
            string reason;
            RunManifest? reused = null;
            if (IsForced(request, step.Name))
            {
                reason = "forced";
            }
            else if (upstream.FirstOrDefault(executes.Contains) is { } running)
            {
                reason = $"upstream step {running} runs first, so its inputs are not known yet";
            }
            else
            {
                (reused, reason) = await ProbeAsync(request, step, store, probe, cancellationToken).ConfigureAwait(false);
            }

            if (reused is null)
            {
                executes.Add(step.Name);
            }

            planned.Add(new PipelineStepRecord(step.Name, upstream, PipelineStepState.Pending, reused is null ? "run: " + reason : "reuse: " + reason, null, reused?.RunId, null));
        }

        return new PipelinePlan(planned);
    }

    /// <summary>Runs the pipeline and records it.</summary>
    /// <exception cref="InputException">Bad input found before any step started; nothing was recorded.</exception>
    /// <exception cref="InterruptedException">Interrupted before any step started.</exception>
    public static Task<PipelineOutcome> RunAsync(PipelineRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(interruption);
        // The outcome through a completion source: a suspended async method whose result is a reference type runs in a
        // generic box that ReadyToRun code lacks (six methods the JIT compiled as the first step started), a non-generic
        // one does not. A failure faults the task with the exception thrown, which its awaiter gets as before.
        var completion = new TaskCompletionSource<PipelineOutcome>();
        _ = RunIntoAsync(request, interruption, completion, cancellationToken);
        return completion.Task;
    }

    private static async Task RunIntoAsync(PipelineRequest request, Interruption interruption, TaskCompletionSource<PipelineOutcome> completion, CancellationToken cancellationToken)
    {
        var outcome = new PipelineOutcome?[1];
        try
        {
            await RunAsync(request, interruption, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            completion.SetException(exception);
            return;
        }

        completion.SetResult(outcome[0]!);
    }

    private static async Task RunAsync(PipelineRequest request, Interruption interruption, PipelineOutcome?[] outcome, CancellationToken cancellationToken)
    {
        // Git and the environment are captured once for the steps, and again only after a step may have changed them.
        // The code's capture (a pass over the whole working tree) overlaps resolving the steps, as status's does.
        using var captures = new PipelineCaptures();
        if (request.Run.Uri is null)
        {
            captures.StartGit(Path.GetFullPath(request.Run.ProjectDirectory));
        }

        // The steps' runs load the MLproject again, each: the loads are shared, parsed again only if the file changes.
        var loads = new ProjectLoads();
        var data = new List<StepData>();
        var steps = await ResolveAsync(request, loads, data, cancellationToken).ConfigureAwait(false);
        if (request.Run.Uri is null && data.Count > 0)
        {
            // The first step's environment, captured while the code's capture runs rather than after it.
            captures.StartEnvironment(data[0].ProjectDirectory, data[0].Command, data[0].InheritedEnvironment);
        }

        var store = RunStore.Open(request.Run.StoreDirectory);
        if (request.Run.Uri is null && !request.Run.Rehash)
        {
            var sources = SourceInputs(data);
            var prefetch = new List<PrefetchStep>(sources.Count);
            for (var index = 0; index < sources.Count; index++)
            {
                prefetch.Add(new PrefetchStep(steps[index].Name, sources[index].ProjectDirectory, sources[index].Inputs));
            }

            captures.StartPrefetch(store, prefetch);
        }

        var pipelines = new PipelineStore(store);
        var startedAt = DateTimeOffset.UtcNow;
        var id = pipelines.Create(startedAt);
        var records = steps.Select(step => new PipelineStepRecord(step.Name, [.. step.Upstream.Select(edge => edge.Upstream)], PipelineStepState.Pending, string.Empty, null, null, null)).ToList();
        var record = new PipelineRecord
        {
            PipelineId = id,
            Status = RunStatus.Running,
            Repro = new ToolRecord(RunService.ToolVersion),
            ProjectDirectory = Path.GetFullPath(request.Run.ProjectDirectory),
            Targets = request.Targets.Count > 0 ? request.Targets : [.. steps.Select(step => step.Name).Where(name => !steps.Any(other => other.Upstream.Any(edge => edge.Upstream == name)))],
            Parameters = request.Run.Parameters.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
            StartedAt = startedAt,
            Steps = records,
        };
        // Not saved yet: the first save that matters writes it (before a step's child starts, after a step that did not
        // finish, at the end). Until then nothing the pipeline did is durable either (reused steps' files wait for the
        // same save), and a pipeline folder without a record is not listed.
        var recorder = new PipelineRecorder(pipelines, store, record, onDisk: false);

        RunStatus? ending = null;
        string? endingMessage = null;
        var jobs = Math.Max(1, request.Jobs);
        // The steps in flight and their indexes, side by side: a dictionary's key collection handed to Task.WhenAny is a
        // generic instantiation ReadyToRun code lacks, compiled by the JIT on the critical path.
        var running = new List<Task<PipelineStepRecord>>();
        var runningIndexes = new List<int>();
        var started = new HashSet<int>();
        try
        {
            while (true)
            {
                // Steps whose upstream did not finish will never run; the others start as slots free up, upstream first.
                for (var index = 0; index < steps.Count; index++)
                {
                    if (started.Contains(index) || records[index].State != PipelineStepState.Pending)
                    {
                        continue;
                    }

                    var upstreamNames = steps[index].Upstream.Select(edge => edge.Upstream).ToHashSet(StringComparer.Ordinal);
                    var blocked = records.FirstOrDefault(other => upstreamNames.Contains(other.Name) && (other.State == PipelineStepState.NotRun || (other.Status is { } status && status != RunStatus.Finished)));
                    if (blocked is not null || ending == RunStatus.Killed)
                    {
                        records[index] = records[index] with { State = PipelineStepState.NotRun, Reason = blocked is not null ? $"upstream step {blocked.Name} did not finish" : "the pipeline was interrupted" };
                        request.StepChanged?.Invoke(records[index]);
                        continue;
                    }

                    var ready = records.Where(other => upstreamNames.Contains(other.Name)).All(other => other.Status == RunStatus.Finished);
                    if (ready && running.Count < jobs)
                    {
                        started.Add(index);
                        request.StepChanged?.Invoke(records[index] with { Reason = "starting" });
                        running.Add(RunStepAsync(request, steps[index], records[index], jobs > 1, new StepCache { Force = IsForced(request, steps[index].Name), Captures = captures, Recorder = recorder, Projects = loads }, interruption, cancellationToken));
                        runningIndexes.Add(index);
                    }
                }

                if (running.Count == 0)
                {
                    break;
                }

                var done = running.Count == 1 ? running[0] : await Task.WhenAny(running).ConfigureAwait(false);
                var position = running.IndexOf(done);
                var doneIndex = runningIndexes[position];
                running.RemoveAt(position);
                runningIndexes.RemoveAt(position);
                var step = await done.ConfigureAwait(false);
                records[doneIndex] = step;
                if (step.Status == RunStatus.Killed || (step.State == PipelineStepState.NotRun && interruption.IsRequested))
                {
                    ending = RunStatus.Killed;
                    endingMessage = $"interrupted during step {step.Name}";
                }
                else if (step.Status != RunStatus.Finished)
                {
                    ending ??= RunStatus.Failed;
                    endingMessage ??= $"step {step.Name} failed: {step.Reason}";
                }

                request.StepChanged?.Invoke(step);
                record = record with { Steps = [.. records] };
                recorder.Update(record, saveNow: step is not { State: PipelineStepState.Reused, Status: RunStatus.Finished });
            }
        }
        catch
        {
            // repro's own failure stopped the loop: the steps' runs so far are indexed and recorded all the same.
            recorder.Flush();
            throw;
        }

        record = record with
        {
            Status = ending ?? RunStatus.Finished,
            StatusMessage = endingMessage,
            EndedAt = DateTimeOffset.UtcNow,
            Steps = [.. records],
        };
        recorder.Update(record, saveNow: true);
        outcome[0] = new PipelineOutcome(record, pipelines.PathOf(id));
    }

    // One step as an ordinary run with the run cache's stages; how it ended, never an exception for the step's own failure.
    // Its record through a completion source, for the reason RunAsync gives.
    private static Task<PipelineStepRecord> RunStepAsync(
        PipelineRequest request,
        PlannedStep step,
        PipelineStepRecord record,
        bool prefixOutput,
        StepCache cache,
        Interruption interruption,
        CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<PipelineStepRecord>();
        _ = RunStepIntoAsync(request, step, record, prefixOutput, cache, interruption, completion, cancellationToken);
        return completion.Task;
    }

    private static async Task RunStepIntoAsync(
        PipelineRequest request,
        PlannedStep step,
        PipelineStepRecord record,
        bool prefixOutput,
        StepCache cache,
        Interruption interruption,
        TaskCompletionSource<PipelineStepRecord> completion,
        CancellationToken cancellationToken)
    {
        var ended = new PipelineStepRecord?[1];
        try
        {
            await RunStepAsync(request, step, record, prefixOutput, cache, interruption, ended, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            completion.SetException(exception);
            return;
        }

        completion.SetResult(ended[0]!);
    }

    private static async Task RunStepAsync(
        PipelineRequest request,
        PlannedStep step,
        PipelineStepRecord record,
        bool prefixOutput,
        StepCache cache,
        Interruption interruption,
        PipelineStepRecord?[] ended,
        CancellationToken cancellationToken)
    {
        var captures = cache.Captures!;
        captures.Starting(step.Name);
        var reused = false;
        var runRequest = StepRequest(request, step);
        using var stdout = prefixOutput && runRequest.EchoStdout is { } echoOut ? new LinePrefixStream(echoOut, $"[{step.Name}] ") : null;
        using var stderr = prefixOutput && runRequest.EchoStderr is { } echoErr ? new LinePrefixStream(echoErr, $"[{step.Name}] ") : null;
        if (prefixOutput)
        {
            runRequest = runRequest with { EchoStdout = stdout, EchoStderr = stderr };
        }

        try
        {
            // Yield first, so that steps started together run together. One at a time, the step runs on: a hop to the
            // thread pool per step is a wait for a thread on a loaded machine.
            if (prefixOutput)
            {
                await Task.Yield();
            }

            var outcome = await RunService.RunAsync(runRequest, interruption, cache.Stages(), cancellationToken).ConfigureAwait(false);
            var manifest = outcome.Manifest;
            reused = manifest.ReusedFrom is not null && manifest.Status == RunStatus.Finished;
            ended[0] = record with
            {
                State = manifest.ReusedFrom is null ? PipelineStepState.Executed : PipelineStepState.Reused,
                Reason = manifest.ReusedFrom is null ? (manifest.StatusMessage ?? cache.Reason) : $"run {manifest.ReusedFrom} has the same key",
                RunId = manifest.RunId,
                ReusedFrom = manifest.ReusedFrom,
                Status = manifest.Status,
            };
        }
        catch (InterruptedException exception)
        {
            ended[0] = record with { State = PipelineStepState.NotRun, Reason = exception.Message };
        }
        catch (InputException exception)
        {
            // The steps before it ran and are recorded; this one could not start (an input no step wrote, for one).
            ended[0] = record with { State = PipelineStepState.NotRun, Reason = exception.Message, Status = RunStatus.Failed };
        }
        finally
        {
            // Unless the step was reused (its restore said what it wrote), its child may have written anything.
            if (!reused)
            {
                captures.Executed();
            }

            cache.Settle();

            stdout?.Flush();
            stderr?.Flush();
        }
    }

    /// <summary>A resolved step's project directory and data specs.</summary>
    internal sealed record StepData(string ProjectDirectory, IReadOnlyList<DataSpec> Inputs, IReadOnlyList<DataSpec> Outputs)
    {
        /// <summary>The rendered command, as the resolve stages left it.</summary>
        public string Command { get; init; } = string.Empty;

        /// <summary>The environment the step's child inherits, as the resolve stages left it (a Python environment's PATH).</summary>
        public IReadOnlyDictionary<string, string> InheritedEnvironment { get; init; } = new Dictionary<string, string>();
    }

    /// <summary>
    /// Each step's declared inputs that no step of the pipeline writes (its source data, not an upstream output): what
    /// can be fingerprinted before the step's turn, since nothing the pipeline does in between changes it.
    /// </summary>
    /// <remarks>Loops over classes rather than LINQ over tuples: no generic instantiation that ReadyToRun code lacks.</remarks>
    internal static IReadOnlyList<StepData> SourceInputs(IReadOnlyList<StepData> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var sources = new List<StepData>(steps.Count);
        foreach (var step in steps)
        {
            var inputs = new List<DataSpec>(step.Inputs.Count);
            foreach (var input in step.Inputs)
            {
                if (input.ParameterName is null && !WrittenByAStep(steps, step.ProjectDirectory, input))
                {
                    inputs.Add(input);
                }
            }

            sources.Add(step with { Inputs = inputs });
        }

        return sources;
    }

    // Whether a step of the pipeline declares an output, in the same project, that the input is, holds or matches.
    private static bool WrittenByAStep(IReadOnlyList<StepData> steps, string projectDirectory, DataSpec input)
    {
        foreach (var step in steps)
        {
            if (!string.Equals(step.ProjectDirectory, projectDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var output in step.Outputs)
            {
                if (PathOverlap.Overlaps(input.Spec, output.Spec))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The resolve stages, loading the MLproject through <paramref name="loads"/>.</summary>
    internal static IEnumerable<IRunStage> ResolveStages(ProjectLoads loads) =>
        RunStages.Resolve.Select(stage => stage is ResolveProjectStage ? new ResolveProjectStage(loads.Load) : stage);

    private static bool IsForced(PipelineRequest request, string step) =>
        request.Force || request.ForceSteps.Contains(step, StringComparer.Ordinal);

    private static bool Declares(MLProject project, string step, string parameter) =>
        project.EntryPoints.TryGetValue(step, out var entry) && entry.Parameters.Any(spec => spec.Name == parameter);

    private static async Task<(RunManifest? Reused, string Reason)> ProbeAsync(PipelineRequest request, PlannedStep step, RunStore? store, StepProbe probe, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return (null, "never run (no store yet)");
        }

        var probed = await probe.CaptureAsync(StepRequest(request, step), store, new Fingerprinter(new FingerprintOptions()), cancellationToken).ConfigureAwait(false);
        return probed.Key is { } key ? new RunCache(store).Find(key) : (null, probed.Problem!);
    }

    /// <summary>The run request of one step.</summary>
    internal static RunRequest StepRequest(PipelineRequest request, PlannedStep step) =>
        request.Run with { EntryPoint = step.Name, Parameters = step.Parameters };
}
