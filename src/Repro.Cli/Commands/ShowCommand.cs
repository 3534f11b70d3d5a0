using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Diagnostics;
using Repro.Core.Runs;

namespace Repro.Cli.Commands;

/// <summary><c>repro show RUN</c>: a readable summary of one run (<c>--json</c>: the manifest itself).</summary>
internal static class ShowCommand
{
    public static Command Create()
    {
        var run = CommonOptions.RunReference();
        var store = CommonOptions.Store();
        var json = CommonOptions.Json();
        var command = new Command("show", "Show what a run recorded.") { run, store, json };
        command.SetAction((parseResult, _) => CommandFailure.GuardAsync(() =>
        {
            var resolving = Timings.Measure("find the store, resolve the run");
            var runStore = StoreLocator.OpenExisting(parseResult.GetValue(store));
            var runId = runStore.Resolve(parseResult.GetValue(run)!);
            resolving.Dispose();
            if (parseResult.GetValue(json))
            {
                // The manifest exactly as stored: what --json consumers parse is what the schema describes.
                using var stdout = Console.OpenStandardOutput();
                stdout.Write(File.ReadAllBytes(Path.Combine(runStore.GetRunDirectory(runId), RunStore.ManifestFileName)));
                return Task.FromResult(ExitCodes.Success);
            }

            RunManifest manifest;
            using (Timings.Measure("read the manifest"))
            {
                manifest = runStore.Load(runId);
            }

            using (Timings.Measure("render and print"))
            {
                Console.Out.Write(ManifestText.Render(manifest, Path.Combine(runStore.GetRunDirectory(runId), RunStore.ManifestFileName)));
            }

            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
