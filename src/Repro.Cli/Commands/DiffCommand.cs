using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Verification.Differences;

namespace Repro.Cli.Commands;

/// <summary><c>repro diff A B</c>: parameters, seed, code, inputs, environment, outputs and metrics of two runs side by side.</summary>
internal sealed class DiffCommand : Command
{
    public DiffCommand()
        : base("diff", "Show what differs between two runs: parameters, seed, code, inputs, environment, outputs, metrics.")
    {
        Add(RunA);
        Add(RunB);
        Add(Store);
        Add(Json);
        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Argument<string> RunA { get; } = CommonOptions.RunReference("A");

    public Argument<string> RunB { get; } = CommonOptions.RunReference("B");

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Json { get; } = CommonOptions.Json();

    private int Execute(ParseResult parseResult)
    {
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        var a = runStore.Resolve(parseResult.GetValue(RunA)!);
        var b = runStore.Resolve(parseResult.GetValue(RunB)!);
        var diff = RunDiffService.Diff(runStore, a, b);
        Console.Out.Write(parseResult.GetValue(Json)
            ? JsonOutput.Serialize(diff, DifferencesJsonContext.Default.ManifestDiff) + "\n"
            : ManifestDiffText.Render(diff));
        return ExitCodes.Success;
    }
}
