using System.Text.Json.Nodes;
using Repro.Core.Execution;
using Repro.Core.Pipelines;
using Repro.Core.Processes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.TestInfrastructure;

namespace Repro.Core.Tests.Pipelines;

/// <summary>
/// A pipeline's steps take their source inputs as the pipeline listed them ahead, until a child may start: through
/// <see cref="PipelineService.RunAsync"/> on a real git repository, with real children and a real store. The hash
/// cache must vouch for every file of a listing before it is kept, so each test waits past its racy margin first.
/// </summary>
public sealed class PipelineListingsTests : IDisposable
{
    private const string MLproject = """
        name: listed
        entry_points:
          first:
            command: "mkdir -p out && cp a.txt out/a.txt"
            inputs: [a.txt]
            outputs: [out]
          second:
            parameters:
              n: {type: int, default: 1}
            command: "cat out/a.txt data/*.txt > second.txt && echo {n} >> second.txt"
            inputs: [data, out]
            outputs: [second.txt]
        """;

    private readonly GitRepository _repository = new();
    private readonly TempDirectory _store = new();

    public PipelineListingsTests()
    {
        // A file added to data/ is ignored, so it changes no step's code: only the listing decides what is recorded.
        _repository.Write(".gitignore", "out/\nsecond.txt\ndata/added.txt\n");
        _repository.Write("MLproject", MLproject);
        _repository.Write("a.txt", "a\n");
        _repository.Write("data/one.txt", "one\n");
        _repository.CommitAll("two steps");
    }

    public void Dispose()
    {
        _repository.Dispose();
        _store.Dispose();
    }

    [Fact]
    public async Task RunAsync_NothingChanged_ReusesEveryStepAndRecordsTheInputsAFreshListingGives()
    {
        await Task.Delay(TimeSpan.FromSeconds(2.3));
        var once = await RunAsync(GivenParameters.None);
        var again = await RunAsync(GivenParameters.None);

        Assert.All(again.Record.Steps, step => Assert.Equal(PipelineStepState.Reused, step.State));
        Assert.Equal(Inputs(StepRun(once, "second")).ToJsonString(), Inputs(StepRun(again, "second")).ToJsonString());
    }

    [Fact]
    public async Task RunAsync_StepListedAheadThatExecutes_IsFingerprintedAgainAtItsTurnWithWhatItsChildReads()
    {
        // The first pipeline leaves every input's digest in the cache; the second lists data/ ahead, and a file is added
        // to it just before second's turn, while the steps before it were only reused. second's new parameter value
        // makes it execute: its child reads data/added.txt, so its record must name it, taken again at its turn.
        await Task.Delay(TimeSpan.FromSeconds(2.3));
        await RunAsync(GivenParameters.None);
        var added = Path.Combine(_repository.Root, "data", "added.txt");

        var outcome = await RunAsync(
            GivenParameters.From([new KeyValuePair<string, string>("n", "2")]),
            step =>
            {
                if (step is { Name: "second", Reason: "starting" })
                {
                    // Time for the read-ahead, on its own thread, to list second's inputs before the file is added.
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                    File.WriteAllText(added, "added\n");
                }
            });

        Assert.Equal(PipelineStepState.Reused, outcome.Record.Steps.Single(step => step.Name == "first").State);
        Assert.Equal(PipelineStepState.Executed, outcome.Record.Steps.Single(step => step.Name == "second").State);
        Assert.Equal("a\nadded\none\n2\n", File.ReadAllText(Path.Combine(_repository.Root, "second.txt")));
        var data = Inputs(StepRun(outcome, "second")).Single(input => (string?)input!["spec"] == "data")!;
        Assert.Equal(["data/added.txt", "data/one.txt"], data["files"]!.AsArray().Select(file => (string?)file!["path"]));
    }

    private async Task<PipelineOutcome> RunAsync(GivenParameters parameters, Action<PipelineStepRecord>? stepChanged = null)
    {
        var request = new PipelineRequest
        {
            Run = new RunRequest
            {
                ProjectDirectory = _repository.Root,
                StoreDirectory = _store.Path,
                Parameters = parameters,
                Environment = new Dictionary<string, string> { ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin" },
            },
            StepChanged = stepChanged,
        };
        var outcome = await PipelineService.RunAsync(request, new Interruption(), CancellationToken.None);
        Assert.Equal(RunStatus.Finished, outcome.Record.Status);
        return outcome;
    }

    private JsonObject StepRun(PipelineOutcome outcome, string step)
    {
        var runId = outcome.Record.Steps.Single(record => record.Name == step).RunId!;
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_store.Path, "runs", runId, "run.json")))!.AsObject();
    }

    private static JsonArray Inputs(JsonObject manifest) => manifest["inputs"]!.AsArray();
}
