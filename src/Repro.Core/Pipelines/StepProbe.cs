using System.Collections.Concurrent;
using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.Processes;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>What a step would be if it ran now: its key and its inputs' fingerprints, or why they cannot be known.</summary>
/// <param name="Key">The run-cache key; null when the capture failed.</param>
/// <param name="Inputs">The inputs' fingerprints.</param>
/// <param name="OutputSpecs">The declared outputs.</param>
/// <param name="Problem">Why there is no key (an input is missing), or null.</param>
internal sealed record ProbedStep(RunCacheKey? Key, IReadOnlyList<DataRecord> Inputs, IReadOnlyList<DataSpec> OutputSpecs, string? Problem);

/// <summary>
/// Dry captures of the steps of one pipeline: the resolve stages of a run, then its capture without starting
/// anything, in a throwaway folder outside the store, so nothing of the store's runs or the workspace changes; hashing
/// goes through the given fingerprinter (the store's hash cache for <c>repro status</c>, none for <c>--dry-run</c>).
/// The code and the machine are the same for every step of one call, so git is captured once and the environment once
/// per interpreter the steps' commands name: capturing them per step walked the whole working tree (git status, the
/// lock-file scan) and started the SDK probe once per step.
/// </summary>
internal sealed class StepProbe : IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("repro-probe-");
    private readonly ConcurrentDictionary<string, Task<GitCaptureResult>> _git = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<EnvironmentCaptureResult>> _environments = new(StringComparer.Ordinal);

    /// <summary>Starts capturing the code of <paramref name="codeDirectory"/>, so it overlaps what comes before the first step.</summary>
    public void StartGit(string codeDirectory) => _ = Git(codeDirectory);

    public async Task<ProbedStep> CaptureAsync(RunRequest request, RunStore store, Fingerprinter fingerprinter, CancellationToken cancellationToken)
    {
        using var context = new RunContext(request, new Interruption());
        foreach (var stage in RunStages.Resolve)
        {
            await stage.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }

        context.Store = store;
        context.Folder = new RunFolder(_scratch.FullName);
        context.Fingerprinter = fingerprinter;
        context.MetricsFile = Capture.Results.MetricsFile.Before(context.Command.EntryPoint?.Metrics?.File, context.ProjectDirectory, context.Folder);
        try
        {
            // Started before the inputs are hashed, so the first step's captures overlap its hashing as a run's do.
            var git = Git(context.CodeDirectory);
            var environmentKey = $"{context.ProjectDirectory}\0{InterpreterCommand.FindPython(context.Command.Command)}";
            var environment = _environments.GetOrAdd(environmentKey, _ => Task.Run(() => EnvironmentCapture.CaptureAsync(context.ProjectDirectory, context.Command.Command, context.InheritedEnvironment, CancellationToken.None), CancellationToken.None));
            context.Inputs = await fingerprinter.FingerprintInputsAsync(context.ProjectDirectory, context.InputSpecs, cancellationToken).ConfigureAwait(false);
            context.Git = (await git.WaitAsync(cancellationToken).ConfigureAwait(false)).Record;
            context.Environment = (await environment.WaitAsync(cancellationToken).ConfigureAwait(false)).Record;
            context.ProjectRecord = await CaptureStage.ProjectRecordOfAsync(context.Project, context.EnvironmentManager, context.Environment.LockFiles, cancellationToken).ConfigureAwait(false);
            var key = RunCacheKey.Of(context, await StepCache.CodeDigestAsync(context, cancellationToken).ConfigureAwait(false));
            return new ProbedStep(key, context.Inputs, context.OutputSpecs, null);
        }
        catch (InputException exception)
        {
            return new ProbedStep(null, [], context.OutputSpecs, exception.Message);
        }
    }

    // With git's listing of the tree: libgit2 is then asked for submodules only where git shows some (opening the
    // repository and reading HEAD's whole tree cost 18-33 ms of a status on 10,000 files).
    private Task<GitCaptureResult> Git(string codeDirectory) =>
        _git.GetOrAdd(codeDirectory, directory => Task.Run(() => GitCapture.CaptureWithListingAsync(directory, _scratch.FullName, null, CancellationToken.None), CancellationToken.None));

    public void Dispose()
    {
        // A capture still running (the call was cancelled) may write into the folder while it goes.
        try
        {
            Task.WaitAll([.. _git.Values, .. _environments.Values], TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // Their failures were reported to the step that awaited them.
        }

        _scratch.Delete(recursive: true);
    }
}
