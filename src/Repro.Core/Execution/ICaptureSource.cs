using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Where <see cref="CaptureStage"/> gets the code's and the environment's captures. A run captures both afresh
/// (<see cref="FreshCapture"/>); a pipeline shares one capture among its steps for as long as nothing the capture reads
/// has changed. Either way the git record's patch files end up in the run's own folder.
/// </summary>
internal interface ICaptureSource
{
    /// <summary>The code of <paramref name="run"/>'s <see cref="RunContext.CodeDirectory"/>, its patch files in the run's folder.</summary>
    /// <param name="run">The run, its folder created.</param>
    /// <param name="withListing">Whether to keep git's listing of the working tree (<see cref="GitCaptureResult.Listing"/>) for the lock-file search; a source may leave it null.</param>
    /// <param name="cancellationToken">Stops the wait (and a capture of the run's own).</param>
    Task<GitCaptureResult> CaptureGitAsync(RunContext run, bool withListing, CancellationToken cancellationToken);

    /// <summary>
    /// The code, as <see cref="CaptureGitAsync(RunContext, bool, CancellationToken)"/> with a listing gives it, and the
    /// listing alone as soon as there is one, through <paramref name="listing"/> (a source that makes none, or makes it
    /// only with the result, may leave it to the caller, who completes it from the result).
    /// </summary>
    /// <param name="run">The run, its folder created.</param>
    /// <param name="listing">Receives git's listing of the working tree early.</param>
    /// <param name="cancellationToken">Stops the wait (and a capture of the run's own).</param>
    Task<GitCaptureResult> CaptureGitAsync(RunContext run, TaskCompletionSource<WorkingTreeListing?> listing, CancellationToken cancellationToken) =>
        CaptureGitAsync(run, withListing: true, cancellationToken);

    /// <summary>The machine and software <paramref name="run"/>'s command sees.</summary>
    /// <param name="run">The run, resolved.</param>
    /// <param name="listing">Git's listing of the project's working tree, when the git capture keeps one: the lock-file search takes it instead of walking the tree; null (or a null result) walks.</param>
    /// <param name="cancellationToken">Stops the wait (and a capture of the run's own).</param>
    Task<EnvironmentCaptureResult> CaptureEnvironmentAsync(RunContext run, Task<WorkingTreeListing?>? listing, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the code and environment captures of <paramref name="run"/> are at hand, taken already (a pipeline's
    /// captures shared by its steps): the capture stage then starts no thread of its own for any of the three captures,
    /// and the inputs are fingerprinted on the stage's thread (the hashing itself still has its own workers).
    /// </summary>
    bool AnswersWithoutBlocking(RunContext run) => false;

    /// <summary>
    /// The inputs' fingerprints, their files copied into the object store; a pipeline step copies them later, once it
    /// knows whether an earlier run with the same key kept them already.
    /// </summary>
    Task<IReadOnlyList<DataRecord>> CaptureInputsAsync(RunContext run, CancellationToken cancellationToken) =>
        run.Fingerprinter.FingerprintInputsAsync(run.ProjectDirectory, run.InputSpecs, cancellationToken);
}

/// <summary>The captures of one run, taken for it alone, just before it starts.</summary>
internal sealed class FreshCapture : ICaptureSource
{
    /// <summary>The one instance.</summary>
    public static FreshCapture Instance { get; } = new();

    private FreshCapture()
    {
    }

    /// <inheritdoc />
    public Task<GitCaptureResult> CaptureGitAsync(RunContext run, bool withListing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return withListing
            ? GitCapture.CaptureWithListingAsync(run.CodeDirectory, run.Folder.Path, onListing: null, cancellationToken)
            : GitCapture.CaptureAsync(run.CodeDirectory, run.Folder.Path, cancellationToken);
    }

    /// <inheritdoc />
    public Task<GitCaptureResult> CaptureGitAsync(RunContext run, TaskCompletionSource<WorkingTreeListing?> listing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(listing);
        // The status pass started with the run describes the tree as it was then: good for the code of a run whose
        // stages since only read the project, not after a python_env environment was built (which may take minutes).
        var prefetch = run.PythonEnvironment is null ? run.GitStatusPrefetch : null;
        return GitCapture.CaptureWithListingAsync(run.CodeDirectory, run.Folder.Path, made => listing.TrySetResult(made), cancellationToken, prefetch);
    }

    /// <inheritdoc />
    public Task<EnvironmentCaptureResult> CaptureEnvironmentAsync(RunContext run, Task<WorkingTreeListing?>? listing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return EnvironmentCapture.CaptureAsync(run.ProjectDirectory, run.Command.Command, run.InheritedEnvironment, EnvironmentCapture.DefaultProbeTimeout, listing, cancellationToken);
    }
}
