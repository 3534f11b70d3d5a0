using Repro.Core.Pipelines;
using Repro.Core.Runs;
using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Pipelines;

/// <summary>Which objects an earlier run proves are in the store, so that the step reusing it need not look for its inputs.</summary>
public sealed class StepCacheTests : IDisposable
{
    private const string KeptInput = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string NotKeptInput = "2222222222222222222222222222222222222222222222222222222222222222";
    private const string KeptOutput = "3333333333333333333333333333333333333333333333333333333333333333";

    private readonly TempDirectory _temp = new("step-cache");
    private readonly RunStore _store;

    public StepCacheTests() => _store = RunStore.Open(_temp.Combine("store"));

    [Fact]
    public void KeptObjects_RunOfThisStore_AreTheDigestsOfTheFilesItRecordedAsKept()
    {
        var run = Run();

        var kept = StepCache.KeptObjects(_store, run);

        Assert.Equal([KeptInput, KeptOutput], kept!.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void KeptObjects_RunPulledFromARemote_ProvesNothing()
    {
        var run = Run();
        File.WriteAllText(Path.Combine(_store.GetRunDirectory(run.RunId), RunFolder.PulledMarkerFileName), "{}");

        Assert.Null(StepCache.KeptObjects(_store, run));
    }

    public void Dispose() => _temp.Dispose();

    private RunManifest Run() => TestManifests.Original() with
    {
        RunId = _store.CreateRun(DateTimeOffset.UtcNow).RunId,
        Status = RunStatus.Finished,
        Inputs =
        [
            new DataRecord("data", DataKind.Directory, DataOrigin.Inputs, "d", [
                new FileRecord("data/kept.txt", 4, KeptInput) { Stored = true },
                new FileRecord("data/declined.txt", 4, NotKeptInput),
                new FileRecord("data/link", 0, null) { LinkTarget = "kept.txt" },
            ]),
        ],
        Outputs = [new DataRecord("out/model.bin", DataKind.File, DataOrigin.Outputs, KeptOutput, [new FileRecord("out/model.bin", 9, KeptOutput) { Stored = true }])],
    };
}
