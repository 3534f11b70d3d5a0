namespace Repro.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Taken first, so that --timings can say how long the runtime took to reach Main and measure the rest from here.
        var entered = ProcessClock.Now();
        var root = CliRoot.Create(args);
        return await CliRoot.InvokeAsync(root, args, entered).ConfigureAwait(false);
    }
}
