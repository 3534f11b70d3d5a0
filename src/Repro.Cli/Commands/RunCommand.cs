using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Cli.Signals;
using Repro.Core.Execution;
using Repro.Core.Planning;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary><c>repro run [DIR] -e ENTRY -P key=value …</c>: run an entry point and record everything about it.</summary>
internal sealed class RunCommand : Command
{
    public RunCommand()
        : base("run", "Run an entry point of an MLproject and record code, data, environment and seed.")
    {
        EnvManager.AcceptOnlyFromAmong(EnvironmentManagerStage.Local);
        Add(ProjectDirectory);
        foreach (var option in new Option[] { EntryPoint, Parameters, Seed, RunName, ExperimentName, Store, RequireClean, Threads, EnvManager, Json, Rehash, ObjectSizeLimit, Strict, DryRun })
        {
            Add(option);
        }

        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<string> ProjectDirectory { get; } = CommonOptions.ProjectDirectory();

    public Option<string> EntryPoint { get; } = new("--entry-point", "-e")
    {
        Description = "The entry point to run; a *.py or *.sh file in the project also works.",
        HelpName = "NAME",
        DefaultValueFactory = _ => CommandRenderer.DefaultEntryPoint,
    };

    public Option<GivenParameters> Parameters { get; } = ParameterOption.Create();

    public Option<uint?> Seed { get; } = new("--seed")
    {
        Description = "The run's seed, 0 to 4294967295 (default: the MLproject's seed:, else a fresh random one; always recorded).",
        HelpName = "N",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (RunSeed.TryParse(text, out var value))
            {
                return value;
            }

            result.AddError($"--seed must be {RunSeed.Range}, not '{text}'");
            return null;
        },
    };

    public Option<string?> RunName { get; } = new("--run-name") { Description = "A name for the run.", HelpName = "NAME" };

    public Option<string?> ExperimentName { get; } = new("--experiment-name") { Description = "The experiment the run belongs to.", HelpName = "NAME" };

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> RequireClean { get; } = new("--require-clean") { Description = "Refuse to run when the git working tree has uncommitted changes or untracked files." };

    public Option<int?> Threads { get; } = CommonOptions.PositiveInt("--threads", "Pin OMP/MKL/OpenBLAS thread counts to N (and turn their dynamic adjustment off).", "N");

    public Option<string?> EnvManager { get; } = new("--env-manager")
    {
        Description = "How to provide the MLproject's environment: only 'local' (use this host as it is).",
        HelpName = EnvironmentManagerStage.Local,
    };

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<bool> Rehash { get; } = CommonOptions.Rehash();

    public Option<long> ObjectSizeLimit { get; } = CommonOptions.ObjectSizeLimit();

    public Option<bool> Strict { get; } = CommonOptions.Strict();

    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "Print the command, argv, parameters with their source, environment variables and inputs the run would use; run, write and hash nothing.",
    };

    /// <summary>
    /// The run the parsed command line asks for, in repro's <paramref name="environment"/>, without the console
    /// streams (those belong to the invocation): what option tests check without starting anything.
    /// </summary>
    public RunRequest ToRequest(ParseResult parseResult, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var projectDirectory = parseResult.GetValue(ProjectDirectory)!;
        return new RunRequest
        {
            ProjectDirectory = projectDirectory,
            EntryPoint = parseResult.GetValue(EntryPoint)!,
            Parameters = parseResult.GetValue(Parameters) ?? GivenParameters.None,
            Seed = parseResult.GetValue(Seed),
            RunName = parseResult.GetValue(RunName),
            ExperimentName = parseResult.GetValue(ExperimentName),
            StoreDirectory = RunStore.ChooseLocation(parseResult.GetValue(Store), environment.GetValueOrDefault(StoreLayout.StoreVariable), projectDirectory),
            RequireClean = parseResult.GetValue(RequireClean),
            Threads = parseResult.GetValue(Threads),
            EnvManager = parseResult.GetValue(EnvManager),
            Rehash = parseResult.GetValue(Rehash),
            Strict = parseResult.GetValue(Strict),
            ObjectSizeLimit = parseResult.GetValue(ObjectSizeLimit),
            Environment = environment,
        };
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var asJson = parseResult.GetValue(Json);
        if (parseResult.GetValue(DryRun))
        {
            return await DryRunAsync(parseResult, asJson, cancellationToken).ConfigureAwait(false);
        }

        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        using var progress = HashProgressBar.ForStandardError(enabled: !asJson);
        var request = ToRequest(parseResult, ProcessEnvironment.Variables()) with
        {
            // With --json, stdout carries only the final JSON object: the child's stdout goes to stderr.
            EchoStdout = asJson ? Console.OpenStandardError() : Console.OpenStandardOutput(),
            EchoStderr = Console.OpenStandardError(),
            HashProgress = progress,
        };

        var outcome = await RunService.RunAsync(request, signals.Interruption, linked.Token).ConfigureAwait(false);
        RunOutcomeText.Write(outcome, asJson);
        return outcome.Manifest.Status switch
        {
            RunStatus.Finished => ExitCodes.Success,
            RunStatus.Killed => ExitCodes.Interrupted,
            _ => ExitCodes.Failure,
        };
    }

    // --dry-run: the same request, planned instead of run (Core's RunPlanner runs only the stages that read).
    private async Task<int> DryRunAsync(ParseResult parseResult, bool asJson, CancellationToken cancellationToken)
    {
        var plan = await RunPlanner.PlanAsync(ToRequest(parseResult, ProcessEnvironment.Variables()), cancellationToken).ConfigureAwait(false);
        DryRunReport.Write(plan, asJson);
        if (plan.Refusal is { } refusal)
        {
            Console.Error.WriteLine($"repro: {refusal}");
            return ExitCodes.BadInput;
        }

        return ExitCodes.Success;
    }
}
