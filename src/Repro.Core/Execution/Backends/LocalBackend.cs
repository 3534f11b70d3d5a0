using Repro.Core.Processes;

namespace Repro.Core.Execution.Backends;

/// <summary>Runs the command on this host, as a child of repro in a session of its own (<see cref="ChildProcessRunner"/>).</summary>
public sealed class LocalBackend : IExecutionBackend
{
    /// <summary>The one local backend.</summary>
    public static LocalBackend Instance { get; } = new();

    private LocalBackend()
    {
    }

    /// <inheritdoc />
    public Task<ChildProcessResult> ExecuteAsync(ChildProcessRequest request, Interruption interruption, CancellationToken cancellationToken) =>

        // The child is stopped through the interruption (a forwarded signal, then the grace period), never by the
        // token: a cancelled token must not leave a half-stopped tree behind.
        ChildProcessRunner.RunAsync(request, interruption);
}
