using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Cli.Signals;
using Repro.Core.Execution;
using Repro.Core.Pipelines;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary>
/// <c>repro pipeline [DIR] [-e TARGET]… [-P KEY=VALUE]… [--force | --force-step NAME…] [--dry-run] [-j N] [--json]</c>: run
/// the targets and everything upstream of them, reusing steps whose run-cache key matches an earlier successful run.
/// </summary>
internal sealed class PipelineCommand : Command
{
    public PipelineCommand()
        : base("pipeline", "Run entry points as a dependency graph (from inputs/outputs and needs), reusing steps nothing they depend on changed.")
    {
        Add(ProjectDirectory);
        foreach (var option in new Option[] { Targets, Parameters, Force, ForceSteps, DryRun, Jobs, Store, Json, Rehash, ObjectSizeLimit, Strict })
        {
            Add(option);
        }

        Validators.Add(result =>
        {
            if (result.GetValue(Force) && (result.GetValue(ForceSteps)?.Length ?? 0) > 0)
            {
                result.AddError("--force and --force-step cannot be used together: --force already executes every step");
            }
        });
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<string> ProjectDirectory { get; } = CommonOptions.ProjectDirectory();

    public Option<string[]> Targets { get; } = new("--entry-point", "-e")
    {
        Description = "A target step (repeatable); default: every entry point with inputs, outputs or needs that nothing depends on.",
        HelpName = "TARGET",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<GivenParameters> Parameters { get; } = ParameterOption.Create();

    public Option<bool> Force { get; } = new("--force") { Description = "Execute every step, whatever the run cache holds." };

    public Option<string[]> ForceSteps { get; } = new("--force-step") { Description = "Execute this step whatever the run cache holds (repeatable).", HelpName = "NAME" };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Print the plan (run or reuse, and why) and run nothing." };

    public Option<int?> Jobs { get; } = JobsOption();

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<bool> Rehash { get; } = CommonOptions.Rehash();

    public Option<long> ObjectSizeLimit { get; } = CommonOptions.ObjectSizeLimit();

    public Option<bool> Strict { get; } = CommonOptions.Strict();

    /// <summary>The pipeline the parsed command line asks for, without console streams.</summary>
    public PipelineRequest ToRequest(ParseResult parseResult, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var projectDirectory = parseResult.GetValue(ProjectDirectory)!;
        return new PipelineRequest
        {
            Run = new RunRequest
            {
                ProjectDirectory = projectDirectory,
                Parameters = parseResult.GetValue(Parameters) ?? GivenParameters.None,
                StoreDirectory = RunStore.ChooseLocation(parseResult.GetValue(Store), environment.GetValueOrDefault(StoreLayout.StoreVariable), projectDirectory),
                Rehash = parseResult.GetValue(Rehash),
                Strict = parseResult.GetValue(Strict),
                ObjectSizeLimit = parseResult.GetValue(ObjectSizeLimit),
                Environment = environment,
            },
            Targets = parseResult.GetValue(Targets) ?? [],
            Force = parseResult.GetValue(Force),
            ForceSteps = parseResult.GetValue(ForceSteps) ?? [],
            Jobs = parseResult.GetValue(Jobs) ?? 1,
        };
    }

    private static Option<int?> JobsOption()
    {
        var option = CommonOptions.PositiveInt("--jobs", "Run up to N independent steps at once, each line of their output prefixed with [STEP] (default 1).", "N");
        option.Aliases.Add("-j");
        return option;
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var asJson = parseResult.GetValue(Json);
        var request = ToRequest(parseResult, ProcessEnvironment.Variables());
        if (parseResult.GetValue(DryRun))
        {
            PipelineReport.WritePlan(await PipelineService.PlanAsync(request, cancellationToken).ConfigureAwait(false), asJson);
            return ExitCodes.Success;
        }

        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        request = request with
        {
            Run = request.Run with
            {
                // With --json, stdout carries only the final JSON object: the steps' stdout goes to stderr.
                EchoStdout = asJson ? Console.OpenStandardError() : Console.OpenStandardOutput(),
                EchoStderr = Console.OpenStandardError(),
            },
            StepChanged = PipelineReport.WriteProgress,
        };

        var outcome = await PipelineService.RunAsync(request, signals.Interruption, linked.Token).ConfigureAwait(false);
        PipelineReport.WriteRecord(outcome.Record, outcome.RecordPath, asJson);
        return outcome.Record.Status switch
        {
            RunStatus.Finished => ExitCodes.Success,
            RunStatus.Killed => ExitCodes.Interrupted,
            _ => ExitCodes.Failure,
        };
    }
}
