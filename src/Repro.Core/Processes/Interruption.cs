using System.Threading.Channels;

namespace Repro.Core.Processes;

/// <summary>A signal repro forwards to the child's process group.</summary>
public enum InterruptSignal
{
    /// <summary>SIGINT (Ctrl-C).</summary>
    Interrupt = 2,

    /// <summary>SIGTERM.</summary>
    Terminate = 15,
}

/// <summary>
/// How the CLI tells a running child to stop. The first request forwards the signal and starts the grace period;
/// a second one kills the process tree at once.
/// </summary>
public sealed class Interruption
{
    private readonly Channel<InterruptSignal> _requests = Channel.CreateUnbounded<InterruptSignal>();
    private int _first = -1;

    /// <summary>The first signal requested, if any.</summary>
    public InterruptSignal? FirstSignal => _first < 0 ? null : (InterruptSignal)_first;

    /// <summary>Whether a stop was requested.</summary>
    public bool IsRequested => _first >= 0;

    internal ChannelReader<InterruptSignal> Requests => _requests.Reader;

    /// <summary>Asks the running child to stop with <paramref name="signal"/>; safe to call from a signal handler.</summary>
    public void Request(InterruptSignal signal)
    {
        Interlocked.CompareExchange(ref _first, (int)signal, -1);
        _requests.Writer.TryWrite(signal);
    }

    /// <summary>The conventional name of a signal (SIGINT, SIGTERM).</summary>
    public static string NameOf(InterruptSignal signal) => signal switch
    {
        InterruptSignal.Interrupt => "SIGINT",
        InterruptSignal.Terminate => "SIGTERM",
        _ => $"signal {(int)signal}",
    };
}
