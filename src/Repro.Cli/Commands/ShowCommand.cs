using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;

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
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        var folder = runStore.GetRunFolder(runStore.Resolve(parseResult.GetValue(Run)!));
        if (parseResult.GetValue(Json))
        {
            // The manifest exactly as stored: what --json consumers parse is what the schema describes.
            using var stdout = Console.OpenStandardOutput();
            stdout.Write(File.ReadAllBytes(folder.Manifest));
            return ExitCodes.Success;
        }

        Console.Out.Write(ManifestText.Render(runStore.Load(folder.RunId), folder.Manifest));
        return ExitCodes.Success;
    }
}
