using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Cli.Signals;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Sweeps;

namespace Repro.Cli.Commands;

/// <summary><c>repro sweep [DIR] -e NAME --grid K=V1,V2 … [-j N] [--backend local|slurm]</c>: one run per grid point, recorded as one sweep.</summary>
internal sealed class SweepCommand : Command
{
    public SweepCommand()
        : base("sweep", "Run an entry point once per point of the cartesian product of --grid values (locally at most -j at a time, or as one Slurm job array), recorded as one sweep that show prints as a table.")
    {
        Backend.AcceptOnlyFromAmong(ClusterSupport.Backends);
        Add(_run.Project);
        foreach (var option in new Option[] { _run.EntryPoint, _run.Parameters, Grid, Jobs, Backend, BackendConfig, Wait, _run.Version, _run.Seed, _run.NoAutoSeed, _run.RunName, _run.ExperimentName, _run.Store, _run.RequireClean, _run.Threads, _run.EnvManager, _run.Python, _run.RebuildEnv, _run.Rehash, _run.ObjectSizeLimit, _run.Strict, Json })
        {
            Add(option);
        }

        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    // The run options a sweep shares, parsed the same way: each point is a run.
    private readonly RunCommand _run = new();

    public Option<SweepAxis[]> Grid { get; } = new("--grid")
    {
        Description = "NAME=VALUE1,VALUE2,…: a parameter and its values (repeatable; every combination runs). Write a comma inside a value as \\, and a backslash as \\\\.",
        HelpName = "NAME=VALUES",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
        CustomParser = result =>
        {
            var axes = new List<SweepAxis>();
            foreach (var token in result.Tokens)
            {
                try
                {
                    axes.Add(SweepGrid.Parse(token.Value));
                }
                catch (InputException exception)
                {
                    result.AddError(exception.Message);
                    return null;
                }
            }

            return [.. axes];
        },
    };

    public Option<int?> Jobs { get; } = JobsOption();

    public Option<string> Backend { get; } = new("--backend", "-b")
    {
        Description = "'local' (default) or 'slurm' (one job array).",
        HelpName = "BACKEND",
        DefaultValueFactory = _ => "local",
    };

    public Option<string?> BackendConfig { get; } = new("--backend-config") { Description = "The Slurm settings file (docs/scale-out.md).", HelpName = "FILE" };

    public Option<bool> Wait { get; } = new("--wait") { Description = "With --backend slurm: wait until every point ends. A local sweep always waits." };

    public Option<bool> Json { get; } = CommonOptions.Json();

    private static Option<int?> JobsOption()
    {
        var option = CommonOptions.PositiveInt("--jobs", "At most N points at once (locally: runs; on Slurm: the array's %N throttle). Default 1 locally, no limit on Slurm.", "N");
        option.Aliases.Add("-j");
        return option;
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var grid = parseResult.GetValue(Grid) ?? [];
        var template = _run.ToRequest(parseResult, ProcessEnvironment.Variables());
        var slurm = parseResult.GetValue(Backend) == "slurm";
        var request = new SweepRequest(template, grid, parseResult.GetValue(Jobs) ?? (slurm ? 0 : 1));
        var asJson = parseResult.GetValue(Json);
        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        SweepRecord record;
        if (slurm)
        {
            var settings = ClusterSupport.Settings(parseResult.GetValue(BackendConfig));
            record = await SweepService.SubmitAsync(request, ClusterSupport.Slurm(), settings, ClusterSupport.ReproCommand(), signals.Interruption, linked.Token).ConfigureAwait(false);
            Console.Error.WriteLine($"repro: sweep {record.SweepId}: {record.Points.Count} points QUEUED as Slurm job array {record.JobId}");
            if (parseResult.GetValue(Wait))
            {
                var store = RunStore.Open(template.StoreDirectory);
                var ids = record.Points.Select(point => point.RunId!).ToList();
                var waited = await ClusterSupport.WaitAsync(store, ids, asJson, cancellationToken, report: false).ConfigureAwait(false);
                record = SweepService.Refresh(store, record);
                if (waited == ExitCodes.Interrupted)
                {
                    SweepTable.Write(store, record, sortBy: null, asJson);
                    return ExitCodes.Interrupted;
                }
            }
        }
        else
        {
            if (parseResult.GetValue(BackendConfig) is not null)
            {
                Console.Error.WriteLine("repro: --backend-config needs --backend slurm");
                return ExitCodes.BadInput;
            }

            record = await SweepService.RunLocalAsync(request, signals.Interruption, linked.Token).ConfigureAwait(false);
            if (!asJson && SweepService.HasSnapshots(template))
            {
                Console.Error.WriteLine("repro: each point ran in its own snapshot; its outputs are in the store, not copied into the project (repro checkout RUN --outputs brings one point's back)");
            }
        }

        SweepTable.Write(RunStore.Open(template.StoreDirectory), record, sortBy: null, asJson);
        return record.Status switch
        {
            RunStatus.Finished or RunStatus.Queued or RunStatus.Running => ExitCodes.Success,
            RunStatus.Killed => ExitCodes.Interrupted,
            _ => ExitCodes.Failure,
        };
    }
}
