using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects.Conformance;

/// <summary>
/// The conformance table: each MLproject file loads, and its entry point renders the command MLflow renders (or fails
/// where MLflow fails), with a located warning wherever MLflow's reading differs from what the file seems to say.
/// </summary>
public sealed class ConformanceTests
{
    private static readonly string[] s_projectFiles =
    [
        "data/train.csv", "my data.csv", "café.txt", "100%.txt", "train.py", "src/run.py", "run.sh", "analysis.R",
        "my analysis.R", "analysis.r", "TRAIN.PY", ".py", "notes.txt",
    ];

    public static TheoryData<string> Ids => [.. ConformanceCases.All.Keys];

    [Fact]
    public void Suite_HasAtLeast150Cases() => Assert.True(ConformanceCases.All.Count >= 150, $"{ConformanceCases.All.Count} cases");

    [Theory]
    [MemberData(nameof(Ids))]
    public void Case_RendersWhatMLflowRendersWithTheExpectedWarnings(string id)
    {
        var expected = ConformanceCases.All[id];
        using var root = new TempProject().With("outside.py");
        var directory = Path.Join(root.Directory, "project");
        foreach (var file in s_projectFiles)
        {
            root.With(Path.Join("project", file));
        }

        root.With("project/MLproject", expected.Yaml);
        string Fill(string text) => text.Replace("{dir}", directory, StringComparison.Ordinal);
        var mlproject = Path.Join(directory, "MLproject");

        var warnings = new List<string>();
        string? command = null;
        InputException? error = null;
        try
        {
            var loaded = MLProjectLoader.Load(directory);
            warnings.AddRange(loaded.Warnings);
            try
            {
                var rendered = CommandRenderer.Render(loaded.Project, expected.EntryPoint, ParameterArguments.Parse(expected.Parameters.Select(Fill)), shell: null);
                warnings.AddRange(rendered.Warnings);
                command = rendered.Command;
            }
            catch (InputException exception)
            {
                error = exception;
            }
        }
        catch (InputException exception)
        {
            error = exception;
        }

        if (expected.Command is { } expectedCommand)
        {
            Assert.True(error is null, $"failed: {error?.Message}");
            Assert.Equal(Fill(expectedCommand), command);
        }
        else
        {
            Assert.True(error is not null, $"rendered: {command}");
            Assert.Contains(Fill(expected.Error!), error.Message, StringComparison.Ordinal);
            if (expected.ErrorAt is { } at)
            {
                Assert.StartsWith($"{mlproject}:{at}: ", error.Message, StringComparison.Ordinal);
            }
        }

        var fragments = expected.Warnings ?? [];
        Assert.True(fragments.Length == warnings.Count, $"expected {fragments.Length} warning(s), got:\n{string.Join('\n', warnings)}");
        for (var index = 0; index < fragments.Length; index++)
        {
            foreach (var fragment in fragments[index].Split('|'))
            {
                Assert.Contains(Fill(fragment), warnings[index], StringComparison.Ordinal);
            }

            Assert.StartsWith(mlproject + ":", warnings[index], StringComparison.Ordinal);
            Assert.Contains(": warning: ", warnings[index], StringComparison.Ordinal);
        }
    }
}
