using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Verification.Differences;

namespace Repro.Cli.Commands;

/// <summary><c>repro diff A B</c>: parameters, seed, code, inputs, environment, outputs and metrics of two runs side by side.</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var runA = CommonOptions.RunReference("A");
        var runB = CommonOptions.RunReference("B");
        var store = CommonOptions.Store();
        var json = CommonOptions.Json();
        var command = new Command("diff", "Show what differs between two runs: parameters, seed, code, inputs, environment, outputs, metrics.") { runA, runB, store, json };
        command.SetAction((parseResult, _) => CommandFailure.GuardAsync(() =>
        {
            var runStore = StoreLocator.OpenExisting(parseResult.GetValue(store));
            var a = runStore.Resolve(parseResult.GetValue(runA)!);
            var b = runStore.Resolve(parseResult.GetValue(runB)!);
            var diff = RunDiffService.Diff(runStore, a, b);
            Console.Out.Write(parseResult.GetValue(json)
                ? JsonOutput.Serialize(diff, DifferencesJsonContext.Default.ManifestDiff) + "\n"
                : ManifestDiffText.Render(diff));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
