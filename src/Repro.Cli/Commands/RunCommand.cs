using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Cli.Signals;
using Repro.Core.Execution;
using Repro.Core.Planning;
using Repro.Core.Runs;

namespace Repro.Cli.Commands;

/// <summary><c>repro run [DIR] -e ENTRY -P key=value …</c>: run an entry point and record everything about it.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIR")
        {
            Description = "The project directory (holding MLproject, MLproject.yaml or MLproject.yml).",
            DefaultValueFactory = _ => ".",
        };
        var entryPoint = new Option<string>("--entry-point", "-e")
        {
            Description = "The entry point to run; a *.py or *.sh file in the project also works.",
            HelpName = "NAME",
            DefaultValueFactory = _ => "main",
        };
        var parameters = ParameterOption.Create();
        var seed = new Option<long?>("--seed")
        {
            Description = "The run's seed, 0 to 4294967295 (default: the MLproject's seed:, else a fresh random one; always recorded).",
            HelpName = "N",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= uint.MaxValue)
                {
                    return value;
                }

                result.AddError($"--seed must be an integer from 0 to {uint.MaxValue}, not '{text}'");
                return null;
            },
        };
        var runName = new Option<string?>("--run-name") { Description = "A name for the run.", HelpName = "NAME" };
        var experimentName = new Option<string?>("--experiment-name") { Description = "The experiment the run belongs to.", HelpName = "NAME" };
        var store = CommonOptions.Store();
        var requireClean = new Option<bool>("--require-clean") { Description = "Refuse to run when the git working tree has uncommitted changes or untracked files." };
        var threads = CommonOptions.PositiveInt("--threads", "Pin OMP/MKL/OpenBLAS thread counts to N (and turn their dynamic adjustment off).", "N");
        var envManager = new Option<string?>("--env-manager")
        {
            Description = "How to provide the MLproject's environment: only 'local' (use this host as it is).",
            HelpName = "local",
        };
        envManager.AcceptOnlyFromAmong("local");
        var json = CommonOptions.Json();
        var rehash = CommonOptions.Rehash();
        var objectSizeLimit = CommonOptions.ObjectSizeLimit();
        var strict = StrictOption.Create();
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print the command, argv, parameters with their source, environment variables and inputs the run would use; run, write and hash nothing.",
        };

        var command = new Command("run", "Run an entry point of an MLproject and record code, data, environment and seed.")
        {
            directory, entryPoint, parameters, seed, runName, experimentName, store, requireClean, threads, envManager, json, rehash, objectSizeLimit,
            strict, dryRun,
        };

        command.SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(async () =>
        {
            var projectDirectory = parseResult.GetValue(directory)!;
            var environment = ProcessEnvironment.Variables();
            var asJson = parseResult.GetValue(json);
            if (parseResult.GetValue(dryRun))
            {
                return DryRun(parseResult, projectDirectory, environment, asJson);
            }

            using var signals = new SignalForwarder();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
            using var progress = HashProgressBar.ForStandardError(enabled: !asJson);

            var request = new RunRequest
            {
                ProjectDirectory = projectDirectory,
                EntryPoint = parseResult.GetValue(entryPoint)!,
                Parameters = parseResult.GetValue(parameters) ?? [],
                Seed = parseResult.GetValue(seed),
                RunName = parseResult.GetValue(runName),
                ExperimentName = parseResult.GetValue(experimentName),
                StoreDirectory = RunStore.ChooseLocation(parseResult.GetValue(store), environment.GetValueOrDefault(RunStore.StoreVariable), projectDirectory),
                RequireClean = parseResult.GetValue(requireClean),
                Threads = parseResult.GetValue(threads),
                EnvManager = parseResult.GetValue(envManager),
                Rehash = parseResult.GetValue(rehash),
                Strict = parseResult.GetValue(strict),
                ObjectSizeLimit = parseResult.GetValue(objectSizeLimit),
                Environment = environment,

                // With --json, stdout carries only the final JSON object: the child's stdout goes to stderr.
                EchoStdout = asJson ? Console.OpenStandardError() : Console.OpenStandardOutput(),
                EchoStderr = Console.OpenStandardError(),
                HashProgress = progress,
            };

            var outcome = await RunService.RunAsync(request, signals.Interruption, linked.Token).ConfigureAwait(false);
            RunReport.Write(outcome, asJson);
            return outcome.Manifest.Status switch
            {
                RunStatus.Finished => ExitCodes.Success,
                RunStatus.Killed => ExitCodes.Interrupted,
                _ => ExitCodes.Failure,
            };
        }));
        return command;

        // --dry-run: the same request, planned instead of run (Core's RunPlanner reads and never writes).
        int DryRun(ParseResult parseResult, string projectDirectory, IReadOnlyDictionary<string, string> environment, bool asJson)
        {
            var plan = RunPlanner.Plan(new RunRequest
            {
                ProjectDirectory = projectDirectory,
                EntryPoint = parseResult.GetValue(entryPoint)!,
                Parameters = parseResult.GetValue(parameters) ?? [],
                Seed = parseResult.GetValue(seed),
                StoreDirectory = RunStore.ChooseLocation(parseResult.GetValue(store), environment.GetValueOrDefault(RunStore.StoreVariable), projectDirectory),
                Threads = parseResult.GetValue(threads),
                EnvManager = parseResult.GetValue(envManager),
                Strict = parseResult.GetValue(strict),
                Environment = environment,
            });
            DryRunReport.Write(plan, asJson);
            if (plan.Refusal is { } refusal)
            {
                Console.Error.WriteLine($"repro: {refusal}");
                return ExitCodes.BadInput;
            }

            return ExitCodes.Success;
        }
    }
}
