using Repro.Core.Pipelines;

namespace Repro.Core.Tests.Pipelines;

/// <summary>The MLproject loads a pipeline's steps share: parsed once, and again when the file changes.</summary>
public sealed class ProjectLoadsTests : IDisposable
{
    private readonly TempDirectory _project = new("loads");

    [Fact]
    public void Load_FileUnchanged_ParsesItOnceForEveryStep()
    {
        File.WriteAllText(_project.Combine("MLproject"), "name: one\nentry_points:\n  main:\n    command: \"echo 1\"\n");
        var loads = new ProjectLoads();

        var first = loads.Load(_project.Path);
        var second = loads.Load(_project.Path);

        Assert.Same(first, second);
        Assert.Equal(1, loads.Parses);
        Assert.Equal("one", second.Project.Name);
    }

    [Fact]
    public void Load_FileChangedBetweenSteps_ParsesItAgainAndGivesTheNewContent()
    {
        var file = _project.Combine("MLproject");
        File.WriteAllText(file, "name: one\nentry_points:\n  main:\n    command: \"echo 1\"\n");
        var loads = new ProjectLoads();
        loads.Load(_project.Path);

        File.WriteAllText(file, "name: two\nentry_points:\n  main:\n    command: \"echo 2\"\n");
        var changed = loads.Load(_project.Path);

        Assert.Equal(2, loads.Parses);
        Assert.Equal("two", changed.Project.Name);
        Assert.Equal("echo 2", changed.Project.EntryPoints["main"].Command);
    }

    public void Dispose() => _project.Dispose();
}
