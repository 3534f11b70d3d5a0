using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class ManifestSchemaTests : ReproTestBase
{
    [Fact]
    public void Manifests_OfFinishedFailedDirtyAndUnversionedRuns_MatchThePublishedSchema()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "name: schema\nseed: 3\nentry_points:\n  main:\n    parameters:\n      code: {type: int, default: 0}\n      data: {type: path, default: data.csv}\n    inputs: [data.csv]\n    outputs: [out.txt]\n    metrics: metrics.json\n    command: \"echo hi > out.txt; echo '{{\\\"loss\\\": 0.5}}' > metrics.json && test {code} = 0 && echo done\"\n"),
            ("data.csv", "a,b\n1,2\n"));
        File.WriteAllText(Path.Combine(project, "data.csv"), "a,b\n1,3\n");
        var plain = Temp.Combine("plain");
        Temp.Write("plain/MLproject", "entry_points:\n  main:\n    command: \"true\"\n");

        Assert.Equal(0, Repro.Run(project, "run", ".", "-P", "extra=1", "--threads", "2").ExitCode);
        Assert.Equal(1, Repro.Run(project, "run", ".", "-P", "code=4").ExitCode);
        Assert.Equal(0, Repro.Run(plain, "run", ".").ExitCode);

        var manifests = RunIds(StoreOf(project)).Select(id => Path.Combine(StoreOf(project), "runs", id, "run.json"))
            .Concat(RunIds(StoreOf(plain)).Select(id => Path.Combine(StoreOf(plain), "runs", id, "run.json")))
            .ToList();
        Assert.Equal(3, manifests.Count);
        foreach (var manifest in manifests)
        {
            ManifestSchema.AssertValid(manifest);
        }
    }
}
