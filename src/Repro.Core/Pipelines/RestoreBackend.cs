using Repro.Core.Capture.Data;
using Repro.Core.Checkout;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Execution.Backends;
using Repro.Core.Processes;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>
/// The backend of a reused pipeline step: instead of starting the command, it restores the outputs and the metrics file
/// of an earlier run with the same key from the object store (<see cref="DataCheckout"/>, every object checked against
/// its digest on the way out), and reports an empty, successful execution. No child starts.
/// </summary>
/// <param name="Store">The run store.</param>
/// <param name="Reused">The earlier run.</param>
/// <param name="ProjectDirectory">Where the outputs go.</param>
/// <param name="MetricsPath">Where this run's metrics file is (the declared one in the project, or in this run's folder).</param>
/// <param name="Fingerprinter">The run's fingerprinter: it is told the restored files' digests, so fingerprinting the outputs reads none of them.</param>
internal sealed record RestoreBackend(RunStore Store, RunManifest Reused, string ProjectDirectory, string MetricsPath, Fingerprinter Fingerprinter) : IExecutionBackend
{
    /// <summary>Told the files the restore wrote (absolute paths; none that were already identical), so that captures shared with later steps can tell whether they still hold.</summary>
    public Action<IReadOnlyCollection<string>>? Restored { get; init; }

    /// <summary>Where the restored files are noted to be flushed to the disk with the step's records; null flushes each as it is written.</summary>
    public DurableWrites? DeferredFlush { get; init; }

    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <inheritdoc />
    public async Task<ChildProcessResult> ExecuteAsync(ChildProcessRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startedAt = DateTimeOffset.UtcNow;
        var written = new List<string>();
        if (Reused.Outputs.Count > 0)
        {
            using var timing = Timings.Measure("reuse: restore the outputs");
            var checkout = await DataCheckout.CheckoutAsync(
                new DataCheckoutRequest
                {
                    Store = Store,
                    RunReference = Reused.RunId,
                    Run = Reused,
                    CurrentDirectory = ProjectDirectory,
                    ProjectDirectory = ProjectDirectory,
                    Outputs = true,
                    Force = true,
                    DeferredFlush = DeferredFlush,
                },
                cancellationToken).ConfigureAwait(false);
            if (!checkout.Completed)
            {
                var file = checkout.Files.FirstOrDefault(f => f.State is DataCheckoutState.Unavailable or DataCheckoutState.Differs);
                throw new StoreException($"cannot restore the outputs of run {Reused.RunId}{(file is null ? string.Empty : $": {file.Path}: {file.Detail}")}");
            }

            VouchForRestoredOutputs();
            written.AddRange(checkout.Files.Where(file => file.State == DataCheckoutState.Restored).Select(file => Path.GetFullPath(PathText.FromRecorded(file.Path), ProjectDirectory)));
        }

        if (RestoreMetrics())
        {
            written.Add(Path.GetFullPath(MetricsPath));
        }

        using (Timings.Measure("reuse: do the shared captures still hold"))
        {
            Restored?.Invoke(written);
        }

        var stdout = Empty(request.StdoutPath);
        var stderr = Empty(request.StderrPath);
        return new ChildProcessResult(0, null, startedAt, DateTimeOffset.UtcNow, null, null, null, stdout, stderr, 0);
    }

    // Each output now holds its object's bytes (checked against the digest on the way out, or found identical).
    private void VouchForRestoredOutputs()
    {
        foreach (var file in Reused.Outputs.SelectMany(record => record.Files).Where(file => file.Sha256 is not null && file.LinkTarget is null))
        {
            var path = Path.GetFullPath(PathText.FromRecorded(file.Path), ProjectDirectory);
            if (NativeFiles.Status(path, followLinks: false) is { Kind: FileKind.Regular } status && status.Size == file.Size)
            {
                Fingerprinter.Vouch(path, status, file.Sha256!);
            }
        }
    }

    // Whether there was a metrics file to restore.
    private bool RestoreMetrics()
    {
        if (Reused.Metrics is not { Sha256: { } sha })
        {
            return false;
        }

        var objects = new ObjectStore(Store.Root);
        var temporary = Path.Combine(Path.GetDirectoryName(MetricsPath)!, $".{Path.GetFileName(MetricsPath)}.repro-{Guid.NewGuid():N}");
        try
        {
            if (objects.Contains(sha))
            {
                objects.CopyOut(sha, temporary, flushToDisk: DeferredFlush is null);
            }
            else
            {
                File.Copy(new RunCache(Store).MetricsInRunFolder(Reused), temporary);
            }

            File.Move(temporary, MetricsPath, overwrite: true);
            DeferredFlush?.Written(MetricsPath);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new StoreException($"cannot restore the metrics of run {Reused.RunId} to {MetricsPath}: {exception.Message}", exception);
        }
    }

    private static CapturedStream Empty(string path)
    {
        File.WriteAllBytes(path, []);
        return new CapturedStream(path, EmptySha256, 0);
    }
}
