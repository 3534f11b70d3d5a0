using System.CommandLine;
using System.Globalization;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Cli.Signals;
using Repro.Core.Runs;
using Repro.Core.Verification;
using Repro.Core.Verification.Comparison;

namespace Repro.Cli.Commands;

/// <summary><c>repro verify RUN</c>: re-execute a recorded run from its record alone and compare every output and metric.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var run = CommonOptions.RunReference();
        var rtol = Tolerance("--rtol", "Relative tolerance for numbers in JSON/CSV outputs and metrics (default 0: exact).");
        var atol = Tolerance("--atol", "Absolute tolerance for numbers in JSON/CSV outputs and metrics (default 0: exact).");
        var inPlace = new Option<bool>("--in-place") { Description = "Re-run in the project directory itself; refused unless it equals the recorded code exactly." };
        var json = CommonOptions.Json();
        var junit = new Option<string?>("--junit") { Description = "Also write a JUnit XML report (one test case per output and metric) to FILE.", HelpName = "FILE" };
        var rehash = CommonOptions.Rehash();
        var objectSizeLimit = CommonOptions.ObjectSizeLimit();
        var store = CommonOptions.Store();
        var strict = StrictOption.Create();
        var command = new Command("verify", "Re-execute a recorded run from its record and prove its outputs identical, or explain what differs.")
        {
            run, rtol, atol, inPlace, json, junit, rehash, objectSizeLimit, store, strict,
        };

        command.SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(async () =>
        {
            var asJson = parseResult.GetValue(json);
            var runStore = StoreLocator.OpenExisting(parseResult.GetValue(store));
            var reference = runStore.Resolve(parseResult.GetValue(run)!);
            var runId = VerifyService.RunToVerify(runStore, reference);
            using var signals = new SignalForwarder();
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Token);
            using var progress = HashProgressBar.ForStandardError(enabled: !asJson);
            var startedAt = DateTimeOffset.UtcNow;
            if (!asJson)
            {
                Console.Error.WriteLine(runId == reference ? $"repro: verifying run {runId}" : $"repro: run {reference} is a verification of run {runId}: verifying run {runId}");
            }

            var outcome = await VerifyService.VerifyAsync(
                new VerifyRequest
                {
                    Store = runStore,
                    RunId = runId,
                    Tolerance = new ComparisonTolerance(parseResult.GetValue(rtol), parseResult.GetValue(atol)),
                    InPlace = parseResult.GetValue(inPlace),
                    Rehash = parseResult.GetValue(rehash),
                    Strict = parseResult.GetValue(strict),
                    ObjectSizeLimit = parseResult.GetValue(objectSizeLimit),
                    Environment = ProcessEnvironment.Variables(),
                    EchoStdout = asJson ? Console.OpenStandardError() : Console.OpenStandardOutput(),
                    EchoStderr = Console.OpenStandardError(),
                    HashProgress = progress,
                },
                signals.Interruption,
                linked.Token).ConfigureAwait(false);

            if (parseResult.GetValue(junit) is { } junitPath)
            {
                VerifyReport.WriteJUnit(junitPath, outcome, startedAt);
            }

            VerifyReport.Write(outcome, asJson);
            return outcome.Verdict switch
            {
                Verdict.Reproduced or Verdict.Equivalent => ExitCodes.Success,
                Verdict.Different => ExitCodes.Failure,
                _ => ExitCodes.BadInput,
            };
        }));
        return command;
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
}
