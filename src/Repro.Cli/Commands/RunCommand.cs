using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Cli.Signals;
using Repro.Core.Execution;
using Repro.Core.Planning;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Scheduling;
using Repro.Core.Sources;
using Repro.Core.Store;

namespace Repro.Cli.Commands;

/// <summary><c>repro run [URI] [-v REF] -e ENTRY -P key=value …</c>: run an entry point and record everything about it.</summary>
internal sealed class RunCommand : Command
{
    public RunCommand()
        : base("run", "Run an entry point of an MLproject and record code, data, environment and seed.")
    {
        EnvManager.AcceptOnlyFromAmong([.. EnvironmentManagerStage.Names]);
        Backend.AcceptOnlyFromAmong(ClusterSupport.Backends);
        Add(Project);
        foreach (var option in new Option[] { Version, EntryPoint, Parameters, Seed, NoAutoSeed, RunName, ExperimentName, Store, RequireClean, Threads, EnvManager, Python, RebuildEnv, Json, Rehash, ObjectSizeLimit, Strict, DryRun, Backend, BackendConfig, Wait })
        {
            Add(option);
        }

        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<ProjectUri> Project { get; } = CommonOptions.ProjectUri();

    public Option<string?> Version { get; } = CommonOptions.ProjectVersion();

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

    public Option<bool> NoAutoSeed { get; } = new("--no-auto-seed")
    {
        Description = "Do not seed random, NumPy, PyTorch and TensorFlow in the run's Python processes (repro's start-up hook, docs/python.md); REPRO_SEED and PYTHONHASHSEED are still set. Recorded, and replayed by verify.",
    };

    public Option<string?> RunName { get; } = new("--run-name") { Description = "A name for the run.", HelpName = "NAME" };

    public Option<string?> ExperimentName { get; } = new("--experiment-name") { Description = "The experiment the run belongs to.", HelpName = "NAME" };

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> RequireClean { get; } = new("--require-clean") { Description = "Refuse to run when the git working tree has uncommitted changes or untracked files." };

    public Option<int?> Threads { get; } = CommonOptions.PositiveInt("--threads", "Pin OMP/MKL/OpenBLAS thread counts to N (and turn their dynamic adjustment off).", "N");

    public Option<string?> EnvManager { get; } = new("--env-manager")
    {
        Description = "How to provide the MLproject's environment: 'local' (this host as it is) or 'virtualenv' (build the python_env in the cache and reuse it; the default when the MLproject declares one); 'conda' is not supported yet.",
        HelpName = "MANAGER",
    };

    public Option<string?> Python { get; } = new("--python")
    {
        Description = "The Python interpreter a virtualenv is made from (default: python3.X on PATH, then pyenv's versions, for the version python_env asks for).",
        HelpName = "PATH",
    };

    public Option<bool> RebuildEnv { get; } = new("--rebuild-env")
    {
        Description = "Build the virtualenv anew even when one with the same key is in the cache.",
    };

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<bool> Rehash { get; } = CommonOptions.Rehash();

    public Option<long> ObjectSizeLimit { get; } = CommonOptions.ObjectSizeLimit();

    public Option<bool> Strict { get; } = CommonOptions.Strict();

    public Option<bool> DryRun { get; } = new("--dry-run")
    {
        Description = "Print the command, argv, parameters with their source, environment variables and inputs the run would use; run, write and hash nothing.",
    };

    public Option<string> Backend { get; } = new("--backend", "-b")
    {
        Description = "Where the run executes: 'local' (a child of repro, the default) or 'slurm' (submitted with sbatch; the job runs the recorded snapshot on a node; docs/scale-out.md).",
        HelpName = "BACKEND",
        DefaultValueFactory = _ => "local",
    };

    public Option<string?> BackendConfig { get; } = new("--backend-config")
    {
        Description = "The backend's settings, a YAML or JSON file (for slurm: partition, time, cpus, memory, gpus, gres, account, directives, setup; docs/scale-out.md).",
        HelpName = "FILE",
    };

    public Option<bool> Wait { get; } = new("--wait")
    {
        Description = "With --backend slurm: wait until the run ends and exit with its code (Ctrl-C cancels the job). A local run always waits.",
    };

    /// <summary>
    /// The run the parsed command line asks for, in repro's <paramref name="environment"/>, without the console
    /// streams (those belong to the invocation): what option tests check without starting anything.
    /// </summary>
    public RunRequest ToRequest(ParseResult parseResult, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var uri = parseResult.GetValue(Project)!;
        var version = parseResult.GetValue(Version);

        // A project fetched through the git cache has no folder of its own to keep runs in: they go to the current one.
        var storeAnchor = ProjectSource.UsesCache(uri, version) ? Environment.CurrentDirectory : Path.Combine(uri.Location, uri.Subdirectory);
        return new RunRequest
        {
            Uri = uri,
            Version = version,
            EntryPoint = parseResult.GetValue(EntryPoint)!,
            Parameters = parseResult.GetValue(Parameters) ?? GivenParameters.None,
            Seed = parseResult.GetValue(Seed),
            AutoSeed = !parseResult.GetValue(NoAutoSeed),
            RunName = parseResult.GetValue(RunName),
            ExperimentName = parseResult.GetValue(ExperimentName),
            StoreDirectory = RunStore.ChooseLocation(parseResult.GetValue(Store), environment.GetValueOrDefault(StoreLayout.StoreVariable), storeAnchor),
            RequireClean = parseResult.GetValue(RequireClean),
            Threads = parseResult.GetValue(Threads),
            EnvManager = parseResult.GetValue(EnvManager),
            Python = parseResult.GetValue(Python),
            RebuildEnvironment = parseResult.GetValue(RebuildEnv),
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

        if (parseResult.GetValue(Backend) == "slurm")
        {
            return await SubmitAsync(parseResult, asJson, cancellationToken).ConfigureAwait(false);
        }

        if (parseResult.GetValue(BackendConfig) is not null)
        {
            Console.Error.WriteLine("repro: --backend-config needs --backend slurm");
            return ExitCodes.BadInput;
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
            Log = PreparationOutput.Log,
            ToolOutput = PreparationOutput.Tool,
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

    // --backend slurm: resolved and captured here, queued with its snapshot, submitted; --wait then waits as repro wait does.
    private async Task<int> SubmitAsync(ParseResult parseResult, bool asJson, CancellationToken cancellationToken)
    {
        var settings = ClusterSupport.Settings(parseResult.GetValue(BackendConfig));
        IReadOnlyList<RunManifest> queued;
        string storeDirectory;
        using (var signals = new SignalForwarder())
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
            using var progress = HashProgressBar.ForStandardError(enabled: !asJson);
            var request = ToRequest(parseResult, ProcessEnvironment.Variables()) with { HashProgress = progress, Log = PreparationOutput.Log, ToolOutput = PreparationOutput.Tool };
            storeDirectory = request.StoreDirectory;
            queued = await ClusterSubmission.SubmitAsync(ClusterSupport.Slurm(), new ClusterSubmitRequest([request], settings, ClusterSupport.ReproCommand()), signals.Interruption, linked.Token).ConfigureAwait(false);
        }

        var run = queued[0];
        Console.Error.WriteLine($"repro: run {run.RunId} QUEUED as Slurm job {run.Scheduler!.TaskId}");
        if (!parseResult.GetValue(Wait))
        {
            ClusterSupport.Write(queued, asJson);
            return ExitCodes.Success;
        }

        return await ClusterSupport.WaitAsync(RunStore.Open(storeDirectory), [run.RunId], asJson, cancellationToken).ConfigureAwait(false);
    }

    // --dry-run: the same request, planned instead of run (Core's RunPlanner runs only the stages that read).
    private async Task<int> DryRunAsync(ParseResult parseResult, bool asJson, CancellationToken cancellationToken)
    {
        var request = ToRequest(parseResult, ProcessEnvironment.Variables());
        if (RunPlanner.FindUnfetched(request) is { } unfetched)
        {
            DryRunReport.WriteUnfetched(unfetched, request.StoreDirectory, asJson);
            return ExitCodes.Success;
        }

        var plan = await RunPlanner.PlanAsync(request, cancellationToken).ConfigureAwait(false);
        DryRunReport.Write(plan, asJson);
        if (plan.Refusal is { } refusal)
        {
            Console.Error.WriteLine($"repro: {refusal}");
            return ExitCodes.BadInput;
        }

        return ExitCodes.Success;
    }
}
