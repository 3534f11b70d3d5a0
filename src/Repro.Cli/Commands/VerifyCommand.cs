using System.CommandLine;
using System.Globalization;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Cli.Signals;
using Repro.Core.Capture.Data;
using Repro.Core.Errors;
using Repro.Core.Pipelines;
using Repro.Core.Remotes;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Verification;
using Repro.Core.Verification.Comparison;

namespace Repro.Cli.Commands;

/// <summary><c>repro verify RUN</c>: re-execute a recorded run from its record alone and compare every output and metric.</summary>
internal sealed class VerifyCommand : Command
{
    public VerifyCommand()
        : base("verify", "Re-execute a recorded run from its record and prove its outputs identical, or explain what differs.")
    {
        Add(Run);
        foreach (var option in new Option[] { Pipeline, Rtol, Atol, InPlace, Json, Junit, Rehash, ObjectSizeLimit, Store, Strict, StrictEnv, Backend, BackendConfig, Job })
        {
            Add(option);
        }

        Backend.AcceptOnlyFromAmong(ClusterSupport.Backends);
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Option<string> Backend { get; } = new("--backend", "-b")
    {
        Description = "Where the verification re-executes: 'local' (this host, the default, also for a Slurm run) or 'slurm' (a job on the cluster; docs/scale-out.md).",
        HelpName = "BACKEND",
        DefaultValueFactory = _ => "local",
    };

    public Option<string?> BackendConfig { get; } = new("--backend-config") { Description = "With --backend slurm: the sbatch settings file.", HelpName = "FILE" };

    // Set by the job script of --backend slurm: the verification runs on a node and must not write the SQLite index.
    public Option<bool> Job { get; } = new("--job") { Description = "Run as the job of --backend slurm on a node: record the verification without writing the index.", Hidden = true };

    public Argument<string> Run { get; } = CommonOptions.RunReference();

    public Option<double> Rtol { get; } = Tolerance("--rtol", "Relative tolerance for numbers in JSON/CSV outputs and metrics (default 0: exact).");

    public Option<double> Atol { get; } = Tolerance("--atol", "Absolute tolerance for numbers in JSON/CSV outputs and metrics (default 0: exact).");

    public Option<bool> Pipeline { get; } = new("--pipeline")
    {
        Description = "RUN names a pipeline (an id, a prefix or latest): re-execute every step in one checkout; an id or prefix that names no run is tried as a pipeline anyway.",
    };

    public Option<bool> InPlace { get; } = new("--in-place") { Description = "Re-run in the project directory itself; refused unless it equals the recorded code exactly." };

    public Option<bool> Json { get; } = CommonOptions.Json();

    public Option<string?> Junit { get; } = new("--junit") { Description = "Also write a JUnit XML report (one test case per output and metric) to FILE.", HelpName = "FILE" };

    public Option<bool> Rehash { get; } = CommonOptions.Rehash();

    public Option<long> ObjectSizeLimit { get; } = CommonOptions.ObjectSizeLimit();

    public Option<string?> Store { get; } = CommonOptions.Store();

    public Option<bool> Strict { get; } = CommonOptions.Strict();

    public Option<bool> StrictEnv { get; } = new("--strict-env")
    {
        Description = "Refuse to re-run (NOT_VERIFIABLE, exit 2) when the rebuilt or reused Python environment resolves packages differently from the record.",
    };

    /// <summary>The tolerance the parsed command line gives, for numbers without their own.</summary>
    public ComparisonTolerance ToleranceOf(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return new ComparisonTolerance(parseResult.GetValue(Rtol), parseResult.GetValue(Atol));
    }

    private static Option<double> Tolerance(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "X",
        DefaultValueFactory = _ => 0,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= 0)
            {
                return value;
            }

            result.AddError($"{name} must be a non-negative number, not '{text}'");
            return 0;
        },
    };

    // --backend slurm: the same verify runs in a job on a node; its report and exit code are this command's.
    private async Task<int> VerifyOnClusterAsync(ParseResult parseResult, Core.Store.RunStore runStore, string runId, bool asJson, CancellationToken cancellationToken)
    {
        var arguments = new List<string> { "--rtol", parseResult.GetValue(Rtol).ToString("R", System.Globalization.CultureInfo.InvariantCulture), "--atol", parseResult.GetValue(Atol).ToString("R", System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (option, flag) in new[] { (Json, "--json"), (Rehash, "--rehash"), (Strict, "--strict"), (StrictEnv, "--strict-env") })
        {
            if (parseResult.GetValue(option))
            {
                arguments.Add(flag);
            }
        }

        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        if (!asJson)
        {
            Console.Error.WriteLine($"repro: verifying run {runId} in a Slurm job");
        }

        var outcome = await Core.Scheduling.ClusterVerification.RunAsync(
            ClusterSupport.Slurm(), runStore, runId, arguments, ClusterSupport.Settings(parseResult.GetValue(BackendConfig)), ClusterSupport.ReproCommand(), linked.Token).ConfigureAwait(false);
        Console.Out.Write(outcome.Output);
        if (outcome.ExitCode is not { } code)
        {
            Console.Error.WriteLine($"repro: the verification job ended without a verdict: {outcome.State.Describe()}");
            return ExitCodes.InternalError;
        }

        return code;
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var asJson = parseResult.GetValue(Json);
        var runStore = StoreLocator.OpenExisting(parseResult.GetValue(Store));
        if (parseResult.GetValue(Job))
        {
            runStore = runStore.ForJob();
        }

        var given = parseResult.GetValue(Run)!;
        var pipelines = new PipelineStore(runStore);
        if (parseResult.GetValue(Pipeline) || (!StoreLocator.NamesRun(runStore, given) && pipelines.TryResolve(given) is not null))
        {
            if (parseResult.GetValue(Backend) == "slurm")
            {
                throw new InputException("--backend slurm verifies one run or a sweep; a pipeline verifies here (omit --backend)");
            }

            var pipelineId = pipelines.TryResolve(given) ?? throw new InputException($"no pipeline matches '{given}' in {runStore.Root}");
            return await VerifyPipelineAsync(parseResult, runStore, pipelineId, cancellationToken).ConfigureAwait(false);
        }

        // A sweep id verifies every point that ran; the command exits with the worst point's code.
        var sweeps = new SweepStore(runStore);
        if (!StoreLocator.NamesRun(runStore, given) && sweeps.TryResolve(given) is { } sweepId)
        {
            var points = sweeps.Load(sweepId).Points.Select(point => point.RunId).OfType<string>().ToList();
            if (points.Count == 0)
            {
                throw new InputException($"sweep {sweepId} has no run to verify");
            }

            var codes = new List<int>();
            foreach (var point in points)
            {
                codes.Add(await VerifyRunAsync(parseResult, runStore, point, asJson, cancellationToken).ConfigureAwait(false));
            }

            return codes.Contains(ExitCodes.Interrupted) ? ExitCodes.Interrupted : codes.Max();
        }

        return await VerifyRunAsync(parseResult, runStore, runStore.Resolve(given), asJson, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> VerifyRunAsync(ParseResult parseResult, RunStore runStore, string reference, bool asJson, CancellationToken cancellationToken)
    {
        var runId = VerifyService.RunToVerify(runStore, reference);
        if (parseResult.GetValue(Backend) == "slurm")
        {
            return await VerifyOnClusterAsync(parseResult, runStore, runId, asJson, cancellationToken).ConfigureAwait(false);
        }

        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        using var progress = HashProgressBar.ForStandardError(enabled: !asJson);
        var startedAt = DateTimeOffset.UtcNow;
        if (!asJson)
        {
            Console.Error.WriteLine(runId == reference ? $"repro: verifying run {runId}" : $"repro: run {reference} is a verification of run {runId}: verifying run {runId}");
        }

        var outcome = await VerifyService.VerifyAsync(Request(parseResult, runStore, runId, asJson, progress), signals.Interruption, linked.Token).ConfigureAwait(false);

        if (parseResult.GetValue(Junit) is { } junitPath)
        {
            VerifyReport.WriteJUnit(junitPath, outcome, startedAt);
        }

        VerifyReport.Write(outcome, asJson);
        return ExitCodeOf(outcome.Verdict);
    }

    private async Task<int> VerifyPipelineAsync(ParseResult parseResult, RunStore runStore, string pipelineId, CancellationToken cancellationToken)
    {
        var asJson = parseResult.GetValue(Json);
        using var signals = new SignalForwarder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
        using var progress = HashProgressBar.ForStandardError(enabled: !asJson);
        var startedAt = DateTimeOffset.UtcNow;
        if (!asJson)
        {
            Console.Error.WriteLine($"repro: verifying pipeline {pipelineId}: every step re-executed in one checkout");
        }

        var outcome = await VerifyService.VerifyPipelineAsync(Request(parseResult, runStore, pipelineId, asJson, progress), pipelineId, signals.Interruption, linked.Token).ConfigureAwait(false);
        if (parseResult.GetValue(Junit) is { } junitPath)
        {
            VerifyReport.WriteJUnit(junitPath, outcome, startedAt);
        }

        VerifyReport.Write(outcome, asJson);
        return ExitCodeOf(outcome.Verdict);
    }

    private static int ExitCodeOf(Verdict verdict) => verdict switch
    {
        Verdict.Reproduced or Verdict.Equivalent => ExitCodes.Success,
        Verdict.Different => ExitCodes.Failure,
        _ => ExitCodes.BadInput,
    };

    private VerifyRequest Request(ParseResult parseResult, RunStore runStore, string runId, bool asJson, IProgress<HashProgress>? progress) =>
            new VerifyRequest
            {
                Store = runStore,
                RunId = runId,
                Tolerance = ToleranceOf(parseResult),
                InPlace = parseResult.GetValue(InPlace),
                Rehash = parseResult.GetValue(Rehash),
                Strict = parseResult.GetValue(Strict),
                StrictEnvironment = parseResult.GetValue(StrictEnv),
                Log = PreparationOutput.Log,
                ToolOutput = PreparationOutput.Tool,
                ObjectSizeLimit = parseResult.GetValue(ObjectSizeLimit),
                Environment = ProcessEnvironment.Variables(),
                EchoStdout = asJson ? Console.OpenStandardError() : Console.OpenStandardOutput(),
                EchoStderr = Console.OpenStandardError(),
                HashProgress = progress,
                CurrentDirectory = Directory.GetCurrentDirectory(),
                OpenDefaultRemote = projectDirectory =>
                    RemoteConfiguration.Load(projectDirectory, runStore.Root).Default is { } remote ? RemoteStorageFactory.Open(remote) : null,
            };
}
