using System.Diagnostics;
using System.Runtime;

namespace Repro.Core.Diagnostics;

/// <summary>One measured stretch of a repro process: what it was, when it began and how long it took.</summary>
/// <param name="Name">What was measured, such as <c>capture: git</c>.</param>
/// <param name="Start">When it began, from <see cref="Timings"/>' origin (the first moment the process measured).</param>
/// <param name="Duration">How long it took (wall clock).</param>
/// <param name="JitMethods">
/// Methods the JIT compiled meanwhile, on any thread (what ReadyToRun code did not cover); null when not counted.
/// </param>
public sealed record TimingSpan(string Name, TimeSpan Start, TimeSpan Duration, long? JitMethods = null);

/// <summary>
/// Wall-clock spans of the current process, for <c>repro --timings</c>: where a command's time goes, stage by stage.
/// Spans that run at the same time (git capture beside environment capture) overlap; their start times show it.
/// Recording is off until <see cref="Enable"/> is called, and then costs one timestamp per span.
/// </summary>
public static class Timings
{
    private static readonly object Gate = new();
    private static readonly List<TimingSpan> Recorded = [];
    private static long _origin;
    private static volatile bool _enabled;

    /// <summary>Whether spans are being recorded.</summary>
    public static bool IsEnabled => _enabled;

    /// <summary>Starts recording; times are measured from <paramref name="originTimestamp"/>.</summary>
    /// <param name="originTimestamp">A <see cref="Stopwatch.GetTimestamp"/> value taken as early as possible (entering Main).</param>
    public static void Enable(long originTimestamp)
    {
        _origin = originTimestamp;
        _enabled = true;
    }

    /// <summary>Measures from now until the returned scope is disposed.</summary>
    /// <param name="name">What is measured.</param>
    /// <returns>A scope to dispose when the stretch ends; it records nothing while recording is off.</returns>
    public static Scope Measure(string name) => _enabled ? new Scope(name, Stopwatch.GetTimestamp(), JitInfo.GetCompiledMethodCount()) : default;

    /// <summary>Starts an operation and measures it until its task completes, however it completes.</summary>
    /// <typeparam name="T">The task's result.</typeparam>
    /// <param name="name">What is measured.</param>
    /// <param name="start">Starts the operation; the work it does before its first await is measured too.</param>
    /// <returns>The operation's task, unchanged when recording is off.</returns>
    public static Task<T> MeasureAsync<T>(string name, Func<Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        return _enabled ? Measured(Stopwatch.GetTimestamp(), JitInfo.GetCompiledMethodCount()) : start();

        async Task<T> Measured(long startTimestamp, long startJit)
        {
            try
            {
                return await start().ConfigureAwait(false);
            }
            finally
            {
                Add(new TimingSpan(name, Since(startTimestamp), Stopwatch.GetElapsedTime(startTimestamp), JitInfo.GetCompiledMethodCount() - startJit));
            }
        }
    }

    /// <summary>Records a stretch measured elsewhere (for example before recording was switched on).</summary>
    /// <param name="name">What was measured.</param>
    /// <param name="startTimestamp">Its start, a <see cref="Stopwatch.GetTimestamp"/> value.</param>
    /// <param name="endTimestamp">Its end, a <see cref="Stopwatch.GetTimestamp"/> value.</param>
    public static void Record(string name, long startTimestamp, long endTimestamp)
    {
        if (!_enabled)
        {
            return;
        }

        Add(new TimingSpan(name, Since(startTimestamp), Stopwatch.GetElapsedTime(startTimestamp, endTimestamp)));
    }

    /// <summary>The spans recorded so far, by start time.</summary>
    /// <returns>A copy, ordered by start and then by name.</returns>
    public static IReadOnlyList<TimingSpan> Snapshot()
    {
        lock (Gate)
        {
            return [.. Recorded.OrderBy(span => span.Start).ThenBy(span => span.Name, StringComparer.Ordinal)];
        }
    }

    private static TimeSpan Since(long timestamp) => Stopwatch.GetElapsedTime(_origin, timestamp);

    private static void Add(TimingSpan span)
    {
        if (!_enabled)
        {
            return;
        }

        lock (Gate)
        {
            Recorded.Add(span);
        }
    }

    /// <summary>A stretch being measured; disposing it records the span.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly string? _name;
        private readonly long _start;
        private readonly long _startJit;

        internal Scope(string name, long start, long startJit)
        {
            _name = name;
            _start = start;
            _startJit = startJit;
        }

        /// <summary>Ends the stretch.</summary>
        public void Dispose()
        {
            if (_name is not null)
            {
                Add(new TimingSpan(_name, Since(_start), Stopwatch.GetElapsedTime(_start), JitInfo.GetCompiledMethodCount() - _startJit));
            }
        }
    }
}
