using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Execution;
using Repro.Core.Pipelines;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary><c>repro status [DIR] [-e TARGET]… [--json]</c>: which pipeline steps are stale, and why; exit 1 when any is.</summary>
internal sealed class StatusCommand : Command
{
    public StatusCommand()
        : base("status", "Say which pipeline steps are up to date and which are stale, and why (exit 1 when any is stale).")
    {
        Add(ProjectDirectory);
        foreach (var option in new Option[] { Targets, Store, Json, Rehash })
        {
            Add(option);
        }

        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<string> ProjectDirectory { get; } = CommonOptions.ProjectDirectory();

    public Option<string[]> Targets { get; } = new("--entry-point", "-e")
    {
        Description = "A target step (repeatable); default: as repro pipeline.",
        HelpName = "TARGET",
    };

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<bool> Rehash { get; } = CommonOptions.Rehash();

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var projectDirectory = parseResult.GetValue(ProjectDirectory)!;
        var environment = ProcessEnvironment.Variables();
        var request = new PipelineRequest
        {
            Run = new RunRequest
            {
                ProjectDirectory = projectDirectory,
                StoreDirectory = RunStore.ChooseLocation(parseResult.GetValue(Store), environment.GetValueOrDefault(StoreLayout.StoreVariable), projectDirectory),
                Rehash = parseResult.GetValue(Rehash),
                Parameters = GivenParameters.None,
                Environment = environment,
            },
            Targets = parseResult.GetValue(Targets) ?? [],
        };
        var result = await PipelineStatus.CheckAsync(request, cancellationToken).ConfigureAwait(false);
        if (parseResult.GetValue(Json))
        {
            Console.Out.WriteLine(JsonOutput.Serialize(result, CliJsonContext.Default.PipelineStatusResult));
        }
        else
        {
            var width = result.Steps.Max(step => step.Name.Length);
            foreach (var step in result.Steps)
            {
                if (step.UpToDate)
                {
                    Console.Out.WriteLine($"{step.Name.PadRight(width)}  up to date (run {step.RunId})");
                    continue;
                }

                Console.Out.WriteLine($"{step.Name.PadRight(width)}  stale: {step.Reasons[0]}");
                foreach (var reason in step.Reasons.Skip(1))
                {
                    Console.Out.WriteLine($"{new string(' ', width)}         {reason}");
                }
            }
        }

        return result.UpToDate ? ExitCodes.Success : ExitCodes.Failure;
    }
}
