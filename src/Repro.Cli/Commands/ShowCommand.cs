using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Diagnostics;
using Repro.Core.Runs;

namespace Repro.Cli.Commands;

/// <summary><c>repro show RUN</c>: a readable summary of one run (<c>--json</c>: the manifest itself).</summary>
internal sealed class ShowCommand : Command
{
    public ShowCommand()
        : base("show", "Show what a run recorded.")
    {
        Add(Run);
        Add(Store);
        Add(Json);
        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Argument<string> Run { get; } = CommonOptions.RunReference();

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Json { get; } = CommonOptions.Json();

    private int Execute(ParseResult parseResult)
    {
        var resolving = Timings.Measure("find the store, resolve the run");
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        var folder = runStore.GetRunFolder(runStore.Resolve(parseResult.GetValue(Run)!));
        resolving.Dispose();
        if (parseResult.GetValue(Json))
        {
            // The manifest exactly as stored: what --json consumers parse is what the schema describes.
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(File.ReadAllBytes(folder.Manifest));
            return ExitCodes.Success;
        }

        var warnings = new List<string>();
        RunManifest manifest;
        using (Timings.Measure("read the manifest"))
        {
            manifest = runStore.Load(folder.RunId, warnings);
        }

        foreach (var warning in warnings)
        {
            Console.Error.WriteLine(WarningLines.Format(warning));
        }

        using (Timings.Measure("render and print"))
        {
            Console.Out.Write(ManifestText.Render(manifest, folder.Manifest, runStore.DisplayStatus(manifest)));
        }

        return ExitCodes.Success;
    }
}
