using System.Text.Json.Nodes;
using Repro.Cli.Signals;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Scheduling;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary>What the commands that submit, wait for and cancel cluster runs share.</summary>
internal static class ClusterSupport
{
    /// <summary>The backends <c>--backend</c> takes.</summary>
    public static readonly string[] Backends = ["local", "slurm"];

    /// <summary>How a node starts this repro: the program, and under <c>dotnet</c> the assembly it ran.</summary>
    public static IReadOnlyList<string> ReproCommand()
    {
        var process = Environment.ProcessPath ?? throw new StoreException("cannot tell which program this repro is, to start it on the node");
        return string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.Ordinal)
            ? [process, typeof(ClusterSupport).Assembly.Location]
            : [process];
    }

    /// <summary>The Slurm backend with repro's environment.</summary>
    public static SlurmBackend Slurm() => new(ProcessEnvironment.Variables());

    /// <summary>The settings of <c>--backend-config</c>, or Slurm's defaults.</summary>
    public static SlurmSettings Settings(string? configFile) => configFile is null ? SlurmSettings.Default : SlurmSettings.Load(configFile);

    /// <summary>
    /// Settles the given runs from Slurm when any of them is a cluster run that has not ended, so what is shown is
    /// true; a host without Slurm's commands shows what the manifests say.
    /// </summary>
    public static void SettleQuietly(RunStore store, IReadOnlyList<string> runIds)
    {
        try
        {
            var active = runIds.Where(id => NeedsSettling(store.Load(id))).ToList();
            if (active.Count > 0)
            {
                ClusterRuns.SettleAsync(store, Slurm(), active, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        catch (ReproException exception)
        {
            Console.Error.WriteLine($"repro: warning: cannot ask Slurm about cluster runs: {exception.Message}");
        }
    }

    /// <summary>
    /// Whether Slurm must be asked about <paramref name="manifest"/> before it is shown: a cluster run that has not
    /// ended, or one cancelled whose job's final state is not recorded yet. Local runs never need it.
    /// </summary>
    public static bool NeedsSettling(RunManifest manifest) =>
        manifest is { Scheduler: not null } && (ClusterRuns.IsActive(manifest) || manifest is { Status: RunStatus.Killed, Scheduler.FinalState: null });

    /// <summary>Waits for the runs; Ctrl-C cancels their jobs and waits for them to be settled (exit 130).</summary>
    /// <param name="store">The store.</param>
    /// <param name="runIds">The runs.</param>
    /// <param name="asJson">Report as one JSON array.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <param name="report">Whether to report the runs (a sweep reports its table instead).</param>
    public static async Task<int> WaitAsync(RunStore store, IReadOnlyList<string> runIds, bool asJson, CancellationToken cancellationToken, bool report = true)
    {
        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        var backend = Slurm();
        IReadOnlyList<RunManifest> manifests;
        try
        {
            manifests = await ClusterRuns.WaitAsync(store, backend, runIds, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (signals.Interruption.IsRequested)
        {
            Console.Error.WriteLine("repro: interrupted: cancelling the jobs");
            manifests = await ClusterRuns.CancelAsync(store, backend, runIds, CancellationToken.None).ConfigureAwait(false);
            if (report)
            {
                Write(manifests, asJson);
            }

            return ExitCodes.Interrupted;
        }

        if (report)
        {
            Write(manifests, asJson);
        }

        return ExitCode(manifests);
    }

    /// <summary>0 when every run finished, 130 when one was killed, else 1.</summary>
    public static int ExitCode(IReadOnlyList<RunManifest> manifests) =>
        manifests.Any(manifest => manifest.Status == RunStatus.Killed) ? ExitCodes.Interrupted
        : manifests.All(manifest => manifest.Status == RunStatus.Finished) ? ExitCodes.Success
        : ExitCodes.Failure;

    /// <summary>One line per run on stderr (stdout keeps the ids), or one JSON array with <c>--json</c>.</summary>
    public static void Write(IReadOnlyList<RunManifest> manifests, bool asJson)
    {
        if (asJson)
        {
            var array = new JsonArray();
            foreach (var manifest in manifests)
            {
                array.Add(new JsonObject
                {
                    ["runId"] = manifest.RunId,
                    ["status"] = manifest.Status.Name(),
                    ["statusMessage"] = manifest.StatusMessage,
                    ["exitCode"] = manifest.Execution?.ExitCode,
                    ["backend"] = manifest.Scheduler?.Backend,
                    ["jobId"] = manifest.Scheduler?.TaskId,
                    ["node"] = manifest.Scheduler?.Node,
                });
            }

            Console.Out.WriteLine(array.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        foreach (var manifest in manifests)
        {
            var job = manifest.Scheduler is { } scheduler ? $" (Slurm job {scheduler.TaskId}{(scheduler.Node is { } node ? $" on {node}" : string.Empty)})" : string.Empty;
            var exit = manifest.Execution?.ExitCode is { } code ? $", exit {code}" : string.Empty;
            Console.Error.WriteLine($"repro: run {manifest.RunId} {manifest.Status.Name()}{job}{exit}");
            if (manifest.StatusMessage is { } message)
            {
                Console.Error.WriteLine($"repro:   {message}");
            }

            foreach (var warning in manifest.Warnings.Where(warning => warning.Contains("after the job was submitted", StringComparison.Ordinal)))
            {
                Console.Error.WriteLine($"repro: warning: {warning}");
            }

            Console.Out.WriteLine(manifest.RunId);
        }
    }
}
