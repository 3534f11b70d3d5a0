using System.Globalization;
using System.Runtime;
using System.Text;
using Repro.Core.Diagnostics;

namespace Repro.Cli.Output;

/// <summary>
/// What <c>--timings</c> prints on standard error after the command: every measured span with its start and length
/// in milliseconds from the process start, so that a reader sees where the time went and what ran side by side.
/// </summary>
internal static class TimingsReport
{
    public static string Render(IReadOnlyList<TimingSpan> spans, TimeSpan beforeMain, TimeSpan total)
    {
        var text = new StringBuilder();
        text.Append("repro: timings (wall clock, ms from the process start; spans that overlap ran side by side;\n");
        text.Append("repro: jit: methods the JIT compiled meanwhile, on any thread, which ReadyToRun code did not cover)\n");
        text.Append("repro:   start   took    jit  span\n");
        Append(text, TimeSpan.Zero, beforeMain, null, "runtime start, before Main");
        foreach (var span in spans)
        {
            Append(text, beforeMain + span.Start, span.Duration, span.JitMethods, span.Name);
        }

        Append(text, TimeSpan.Zero, total, JitInfo.GetCompiledMethodCount(), "total");

        // What ReadyToRun code did not cover: methods the JIT compiled in this process, and the time it took (on all threads).
        text.Append(CultureInfo.InvariantCulture, $"repro: jit: {JitInfo.GetCompiledMethodCount()} methods compiled, {Milliseconds(JitInfo.GetCompilationTime())} ms\n");
        // Collections and the time they stopped the program: a pause lands in whatever span was running. The large
        // object threshold is the runtime's own reading of repro.runtimeconfig.json (Repro.Cli.csproj says why).
        var largeObjects = GC.GetConfigurationVariables().TryGetValue("LOHThreshold", out var threshold) ? Convert.ToString(threshold, CultureInfo.InvariantCulture) : "?";
        text.Append(CultureInfo.InvariantCulture, $"repro: gc: {GC.CollectionCount(0)} collections of generation 0, {GC.CollectionCount(1)} of 1, {GC.CollectionCount(2)} of 2; paused {Milliseconds(GC.GetTotalPauseDuration())} ms; large objects from {largeObjects} bytes\n");
        return text.ToString();
    }

    private static void Append(StringBuilder text, TimeSpan start, TimeSpan duration, long? jitMethods, string name) =>
        text.Append(CultureInfo.InvariantCulture, $"repro: {Milliseconds(start),7} {Milliseconds(duration),6} {jitMethods?.ToString(CultureInfo.InvariantCulture) ?? "-",6}  {name}\n");

    private static string Milliseconds(TimeSpan time) => time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
}
