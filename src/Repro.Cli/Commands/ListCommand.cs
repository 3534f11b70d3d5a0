using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Diagnostics;
using Repro.Core.Runs;

namespace Repro.Cli.Commands;

/// <summary><c>repro list</c>: the runs in the store, newest first, served from the SQLite index.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var store = CommonOptions.Store();
        var json = CommonOptions.Json();
        var entryPoint = new Option<string?>("--entry-point", "-e") { Description = "Only runs of this entry point.", HelpName = "NAME" };
        var status = new Option<RunStatus?>("--status")
        {
            Description = "Only runs with this status: RUNNING, FINISHED, FAILED or KILLED.",
            HelpName = "STATUS",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (Enum.TryParse<RunStatus>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _))
                {
                    return value;
                }

                result.AddError($"--status must be one of RUNNING, FINISHED, FAILED, KILLED, not '{text}'");
                return null;
            },
        };
        var experiment = new Option<string?>("--experiment-name") { Description = "Only runs of this experiment.", HelpName = "NAME" };
        var limit = CommonOptions.PositiveInt("--limit", "Show at most N runs (newest first).", "N");
        var command = new Command("list", "List the runs in the store, newest first.") { store, entryPoint, status, experiment, limit, json };
        command.SetAction((parseResult, _) => CommandFailure.GuardAsync(() =>
        {
            var opening = Timings.Measure("index: open (SQLite)");
            var runStore = StoreLocator.OpenExisting(parseResult.GetValue(store));
            using var index = RunIndex.Open(runStore);
            opening.Dispose();
            using (Timings.Measure("index: synchronize with the manifests"))
            {
                index.Synchronize();
            }

            IReadOnlyList<RunSummary> runs;
            using (Timings.Measure("index: query"))
            {
                runs = index.Query(new RunQuery(parseResult.GetValue(entryPoint), parseResult.GetValue(status), parseResult.GetValue(experiment), parseResult.GetValue(limit)));
            }

            using var rendering = Timings.Measure("render and print");
            if (parseResult.GetValue(json))
            {
                Console.Out.WriteLine(JsonOutput.Serialize(runs, CliJsonContext.Default.IReadOnlyListRunSummary));
            }
            else
            {
                Console.Out.Write(RunTable.Render(runs));
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
