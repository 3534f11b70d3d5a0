using Repro.Core.Caching;
using Repro.Core.Capture.Data;
using Repro.Core.Checkout;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Processes;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Verification;

/// <summary><c>repro verify PIPELINE</c>: every step of a recorded pipeline re-executed, upstream first, in one checkout.</summary>
public static partial class VerifyService
{
    /// <summary>
    /// Verifies a recorded pipeline. Every step, reused ones included (a reused step is never evidence), is re-executed
    /// in dependency order in ONE throwaway checkout of the recorded code, so a step reads the outputs the re-execution
    /// of the steps above it wrote, never the recorded or the workspace's ones. Each step's outputs and metrics are
    /// compared with its recorded run; the pipeline's verdict is the worst step's. Nothing runs when any step cannot be
    /// re-created (a changed input that cannot be restored, steps recorded from different code).
    /// </summary>
    /// <exception cref="InputException">The pipeline does not exist, or <c>--in-place</c> was asked for.</exception>
    /// <exception cref="StoreException">The store or a file could not be read or written.</exception>
    /// <exception cref="InterruptedException">A step's re-run was interrupted.</exception>
    public static async Task<PipelineVerifyOutcome> VerifyPipelineAsync(VerifyRequest request, string pipelineId, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(interruption);
        if (request.InPlace)
        {
            throw new InputException("--in-place verifies a single run; a pipeline is re-executed in one throwaway checkout (omit --in-place)");
        }

        var record = new PipelineStore(request.Store).Load(pipelineId);
        if (record.Status != RunStatus.Finished)
        {
            return PipelineVerifyOutcome.NotVerifiable(record, $"pipeline {record.PipelineId} ended {record.Status.Name()}{(record.StatusMessage is { } why ? $" ({why})" : string.Empty)}: only a finished pipeline has every step's outputs to re-create");
        }

        var warnings = new List<string>();
        var originals = new List<(PipelineStepRecord Step, RunManifest Run, string? RecordedRoot)>();
        foreach (var step in record.Steps)
        {
            if (step.RunId is null)
            {
                return PipelineVerifyOutcome.NotVerifiable(record, $"step {step.Name} has no run in pipeline {record.PipelineId}");
            }

            var run = request.Store.Load(step.RunId, warnings);
            if (run.Source is not null)
            {
                return PipelineVerifyOutcome.NotVerifiable(record, $"step {step.Name}: run {run.RunId} ran in a copy of {run.Source.Uri}; verify its runs one by one");
            }

            // Path parameters were recorded as absolute paths under the repository where the run happened.
            var recordedRoot = run.Git.RepositoryRoot;
            if (!Directory.Exists(run.Project.Directory))
            {
                run = Relocated(run, request.CurrentDirectory)
                    ?? throw new InputException($"step {step.Name}: the project directory {run.Project.Directory} does not exist here (run repro verify inside a clone of the pipeline's repository)");
            }

            originals.Add((step, run, recordedRoot));
        }

        var first = originals[0].Run;
        if (first.Git.State != GitState.Repository || first.Git.Commit is null)
        {
            return PipelineVerifyOutcome.NotVerifiable(record, $"step {originals[0].Step.Name}: run {first.RunId} recorded no commit (git state '{first.Git.State.Name()}'): its code cannot be re-created");
        }

        // One checkout serves every step, so every step must have run on the same code.
        foreach (var (step, run, _) in originals.Skip(1))
        {
            if (!string.Equals(run.Git.Commit, first.Git.Commit, StringComparison.Ordinal)
                || !string.Equals(run.Git.Patch?.Sha256, first.Git.Patch?.Sha256, StringComparison.Ordinal)
                || !string.Equals(run.Git.ProjectPath, first.Git.ProjectPath, StringComparison.Ordinal))
            {
                return PipelineVerifyOutcome.NotVerifiable(record, $"step {step.Name}: run {run.RunId} recorded other code (commit {run.Git.Commit}, patch {run.Git.Patch?.Sha256 ?? "none"}) than step {originals[0].Step.Name} (commit {first.Git.Commit}, patch {first.Git.Patch?.Sha256 ?? "none"}); one checkout cannot re-create both");
            }
        }

        using var hashCache = HashCache.Open(request.Store.Root, warning =>
        {
            lock (warnings)
            {
                warnings.Add(warning);
            }
        });
        var fingerprinter = new Fingerprinter(new FingerprintOptions { Cache = hashCache, Rehash = request.Rehash, Progress = request.HashProgress });
        var objects = new ObjectStore(request.Store.Root);
        using var remote = new DefaultRemote(request.OpenDefaultRemote, first.Project.Directory);

        // What an earlier step writes, the re-execution of that step writes in the checkout: it is neither checked in the
        // workspace nor brought into the checkout.
        var planned = new List<(PipelineStepRecord Step, RunManifest Run, string? RecordedRoot, RunManifest OwnInputs, List<RestoredInput> Restore)>();
        var produced = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (step, run, recordedRoot) in originals)
        {
            var ownInputs = WithoutProduced(run, produced);
            var issues = await CheckInputsAsync(ownInputs, fingerprinter, InputsAt.Recorded(ownInputs), cancellationToken).ConfigureAwait(false);
            List<RestoredInput> restore = [];
            List<string> stepProblems = [];
            if (issues.Count > 0)
            {
                (restore, stepProblems) = await PlanRestoresAsync(ownInputs, issues, objects, remote, cancellationToken).ConfigureAwait(false);
            }

            problems.AddRange(stepProblems.Select(problem => $"step {step.Name}: {problem}"));
            planned.Add((step, run, recordedRoot, ownInputs, restore));
            produced.UnionWith(run.Outputs.SelectMany(output => output.Files).Select(file => ProjectRelative(run, file.Path)));
        }

        if (problems.Count > 0)
        {
            return PipelineVerifyOutcome.NotVerifiable(record, problems) with { Warnings = warnings };
        }

        var verified = new List<PipelineStepVerification>();
        CodeCheckout? checkout = null;
        try
        {
            try
            {
                // The first step's recorded code, as for a single run, less two things: outputs of an earlier pipeline
                // run are untracked files of this one's record, and the re-execution writes them; each step's inputs are
                // brought in just before it runs, after the steps above it wrote theirs.
                bool Kept(FileRecord file) => !produced.Contains(Path.GetFullPath(PathText.FromRecorded(file.Path), first.Git.RepositoryRoot!));
                var code = first with
                {
                    Inputs = [],
                    Git = first.Git with
                    {
                        Untracked = [.. first.Git.Untracked.Where(Kept)],
                        Submodules = [.. first.Git.Submodules.Select(submodule => submodule with { Untracked = [.. submodule.Untracked.Where(Kept)] })],
                    },
                };
                checkout = await RunSnapshot.MaterializeAsync(code, request.Store.GetRunDirectory(first.RunId), request.CheckoutParent, [], objects, cancellationToken).ConfigureAwait(false);
            }
            catch (InputException exception)
            {
                return PipelineVerifyOutcome.NotVerifiable(record, exception.Message) with { Warnings = warnings };
            }

            var projectDirectory = checkout.ProjectDirectory(first.Git.ProjectPath);
            string? failedUpstream = null;
            foreach (var (step, run, recordedRoot, ownInputs, restore) in planned)
            {
                if (failedUpstream is not null)
                {
                    verified.Add(new PipelineStepVerification(step.Name, step.ReusedFrom, NotVerifiable(run, $"not re-executed: step {failedUpstream} did not finish in the re-execution, so its outputs are missing")));
                    continue;
                }

                request.Log?.Invoke($"verifying step {step.Name} (run {run.RunId}{(step.ReusedFrom is { } from ? $", reused from {from}" : string.Empty)})");
                await RunSnapshot.BringInputsOutsideGitAsync(ownInputs, checkout.Root, restore, objects, cancellationToken).ConfigureAwait(false);
                var outcome = await ReexecuteAsync(request, run, recordedRoot, projectDirectory, inCheckout: true, restore, [], objects, remote, interruption, cancellationToken).ConfigureAwait(false);
                verified.Add(new PipelineStepVerification(step.Name, step.ReusedFrom, outcome));
                if (outcome.Verification?.Status != RunStatus.Finished)
                {
                    failedUpstream = step.Name;
                }
            }
        }
        finally
        {
            checkout?.Dispose();
        }

        return PipelineVerifyOutcome.Of(record, verified) with { Warnings = warnings };
    }

    /// <summary>The run with the input files an earlier step of its pipeline writes left out (an input made only of them, dropped).</summary>
    private static RunManifest WithoutProduced(RunManifest run, HashSet<string> produced)
    {
        var inputs = new List<DataRecord>();
        foreach (var input in run.Inputs)
        {
            var own = input.Files.Where(file => !produced.Contains(ProjectRelative(run, file.Path))).ToList();
            if (own.Count == input.Files.Count)
            {
                inputs.Add(input);
            }
            else if (own.Count > 0)
            {
                inputs.Add(input with { Files = own });
            }
        }

        return run with { Inputs = inputs };
    }

    /// <summary>A recorded file path as a full path, so inputs and outputs recorded relative to the same project meet.</summary>
    private static string ProjectRelative(RunManifest run, string recordedPath) =>
        Path.GetFullPath(PathText.FromRecorded(recordedPath), run.Project.Directory);
}

/// <summary>What <c>repro verify PIPELINE</c> found.</summary>
/// <param name="Verdict">The worst step's verdict.</param>
/// <param name="Summary">One line.</param>
/// <param name="Pipeline">The verified pipeline's record (unchanged).</param>
/// <param name="Steps">Each step, upstream first; empty when nothing could be re-executed.</param>
/// <param name="Problems">Why the pipeline is not verifiable, one line each.</param>
public sealed record PipelineVerifyOutcome(Verdict Verdict, string Summary, PipelineRecord Pipeline, IReadOnlyList<PipelineStepVerification> Steps, IReadOnlyList<string> Problems)
{
    /// <summary>What verify repaired or worked around on the way.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The outcome of re-executing every step.</summary>
    public static PipelineVerifyOutcome Of(PipelineRecord pipeline, IReadOnlyList<PipelineStepVerification> steps)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(steps);
        var verdict = steps.Max(step => step.Outcome.Verdict);
        var worst = steps.Where(step => step.Outcome.Verdict == verdict).Select(step => step.Name).ToList();
        var summary = verdict is Verdict.Reproduced
            ? $"all {steps.Count} steps reproduced"
            : $"{MessageList.Join(worst)}: {verdict.Name()} ({steps.Count(step => step.Outcome.Verdict == Verdict.Reproduced)} of {steps.Count} steps reproduced)";
        return new PipelineVerifyOutcome(verdict, summary, pipeline, steps, []);
    }

    /// <summary>A pipeline none of whose steps could be re-executed.</summary>
    public static PipelineVerifyOutcome NotVerifiable(PipelineRecord pipeline, string problem) => NotVerifiable(pipeline, [problem]);

    /// <summary>A pipeline none of whose steps could be re-executed, for several reasons.</summary>
    public static PipelineVerifyOutcome NotVerifiable(PipelineRecord pipeline, IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return new(Verdict.NotVerifiable, problems.Count == 1 ? problems[0] : $"{problems.Count} problems prevent re-creating the pipeline", pipeline, [], problems);
    }
}

/// <summary>One step of a verified pipeline.</summary>
/// <param name="Name">The step (entry point).</param>
/// <param name="ReusedFrom">For a step the pipeline reused, the run whose outputs it restored; it was re-executed all the same.</param>
/// <param name="Outcome">Its verification, against the step's recorded run.</param>
public sealed record PipelineStepVerification(string Name, string? ReusedFrom, VerifyOutcome Outcome);
