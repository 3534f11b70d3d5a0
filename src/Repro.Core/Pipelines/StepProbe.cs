using Repro.Core.Capture.Data;
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
/// A dry capture of one step: the resolve and capture stages of a run in a throwaway folder outside the store, so
/// nothing of the store's runs or the workspace changes; hashing goes through the given fingerprinter (the store's hash
/// cache for <c>repro status</c>, none for <c>--dry-run</c>).
/// </summary>
internal static class StepProbe
{
    public static async Task<ProbedStep> CaptureAsync(RunRequest request, RunStore store, Fingerprinter fingerprinter, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("repro-probe-");
        try
        {
            using var context = new RunContext(request, new Interruption());
            foreach (var stage in RunStages.Resolve)
            {
                await stage.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }

            context.Store = store;
            context.Folder = new RunFolder(scratch.FullName);
            context.Fingerprinter = fingerprinter;
            context.MetricsFile = Capture.Results.MetricsFile.Before(context.Command.EntryPoint?.Metrics?.File, context.ProjectDirectory, context.Folder);
            try
            {
                await new CaptureStage().RunAsync(context, cancellationToken).ConfigureAwait(false);
                var key = RunCacheKey.Of(context, await StepCache.CodeDigestAsync(context, cancellationToken).ConfigureAwait(false));
                return new ProbedStep(key, context.Inputs, context.OutputSpecs, null);
            }
            catch (InputException exception)
            {
                return new ProbedStep(null, [], context.OutputSpecs, exception.Message);
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
