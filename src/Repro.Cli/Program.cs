namespace Repro.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // Taken first, so that --timings can say how long the runtime took to reach Main and measure the rest from here.
        var entered = ProcessClock.Now();

        // repro's work mixes blocking calls (LibGit2Sharp, SQLite, file reads) with awaited processes. The thread pool
        // starts with one thread per core and adds one about every half second when they are all blocked: on two cores
        // a command could stall for that long. A few more threads up front cost nothing while unused.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), completionPorts);

        Commands.CommandPreparation.Start(args);
        var root = CliRoot.Create(args);
        return await CliRoot.InvokeAsync(root, args, entered: entered).ConfigureAwait(false);
    }
}
