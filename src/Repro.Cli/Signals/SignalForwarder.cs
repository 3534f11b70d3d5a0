using System.Runtime.InteropServices;
using Repro.Core.Processes;

namespace Repro.Cli.Signals;

/// <summary>
/// Turns SIGINT and SIGTERM into requests to stop the child, instead of letting them end repro at once:
/// the child's tree must be stopped and the run recorded as KILLED before repro exits.
/// </summary>
internal sealed class SignalForwarder : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private readonly CancellationTokenSource _cancellation = new();

    public SignalForwarder()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, InterruptSignal.Interrupt)),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, InterruptSignal.Terminate)),
        ];
    }

    /// <summary>Receives the stop requests for the running child.</summary>
    public Interruption Interruption { get; } = new();

    /// <summary>Cancelled at the first signal, to stop work that has not started the child yet.</summary>
    public CancellationToken Token => _cancellation.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _cancellation.Dispose();
    }

    private void Handle(PosixSignalContext context, InterruptSignal signal)
    {
        context.Cancel = true;
        Interruption.Request(signal);
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command already finished.
        }
    }
}
