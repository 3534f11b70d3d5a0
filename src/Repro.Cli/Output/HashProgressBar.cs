using Repro.Core.Capture.Data;

namespace Repro.Cli.Output;

/// <summary>
/// Draws hashing progress on stderr, redrawing one line, only when stderr is a terminal: CI logs and --json stay clean.
/// </summary>
internal sealed class HashProgressBar : IProgress<HashProgress>, IDisposable
{
    private readonly Lock _lock = new();
    private bool _lineOpen;

    private HashProgressBar()
    {
    }

    /// <summary>A bar on stderr, or null when disabled or stderr is not a terminal.</summary>
    public static HashProgressBar? ForStandardError(bool enabled) =>
        enabled && !Console.IsErrorRedirected ? new HashProgressBar() : null;

    public void Report(HashProgress value)
    {
        lock (_lock)
        {
            var width = Math.Max(20, SafeWindowWidth() - 1);
            Console.Error.Write("\r" + HashProgressText.Format(value, width).PadRight(width));
            _lineOpen = !value.IsComplete;
            if (value.IsComplete)
            {
                Console.Error.WriteLine();
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_lineOpen)
            {
                Console.Error.WriteLine();
                _lineOpen = false;
            }
        }
    }

    private static int SafeWindowWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
