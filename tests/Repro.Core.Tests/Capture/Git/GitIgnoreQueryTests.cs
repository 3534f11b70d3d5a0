using Repro.Core.Capture.Git;
using Repro.TestInfrastructure;

namespace Repro.Core.Tests.Capture.Git;

/// <summary>
/// git's own check-ignore, kept running and asked path by path, on a real repository: what git's status could show
/// and what it never will.
/// </summary>
public sealed class GitIgnoreQueryTests : IDisposable
{
    private readonly GitRepository _repository = new();

    public GitIgnoreQueryTests()
    {
        _repository.Write(".gitignore", "out/\n*.log\n!keep.log\nbuild\n");
        _repository.Write("src/.gitignore", "generated.py\n");
        _repository.Write("src/train.py", "print('hi')\n");
        _repository.Write("out/forced.txt", "tracked although ignored\n");
        _repository.Git("add", "--force", "out/forced.txt");
        _repository.CommitAll();
    }

    [Theory]
    [InlineData("out/model.bin", true)]
    [InlineData("out/s00/not/there/yet.bin", true)]
    [InlineData("train.log", true)]
    [InlineData("deep/er/run.log", true)]
    [InlineData("build/x.o", true)]
    [InlineData("src/generated.py", true)]
    [InlineData("keep.log", false)]
    [InlineData("out/forced.txt", false)]
    [InlineData("src/train.py", false)]
    [InlineData("models/model.bin", false)]
    [InlineData("generated.py", false)]
    [InlineData("with space/and ünïcode.bin", false)]
    public void IsIgnored_PathsAskedOneAfterAnother_GitsAnswerForEach(string path, bool ignored)
    {
        using var query = Start();

        // Asked after another path, and again: each answer is the one for the path asked.
        Assert.Equal(true, query.IsIgnored("first.log"));
        Assert.Equal(ignored, query.IsIgnored(path));
        Assert.Equal(ignored, query.IsIgnored(path));
    }

    [Fact]
    public void AskAhead_ManyPathsAtOnce_LaterAnswersComeFromThereAndNewPathsStillAskGit()
    {
        using var query = Start();

        query.AskAhead(["out/a.bin", "src/train.py", "x.log", "keep.log", "out/a.bin"]);
        // Asked ahead: the same answers without asking again (a dead git could not answer any more).
        query.AskAhead(["build/y.o"]);

        Assert.Equal(true, query.IsIgnored("out/a.bin"));
        Assert.Equal(false, query.IsIgnored("src/train.py"));
        Assert.Equal(true, query.IsIgnored("x.log"));
        Assert.Equal(false, query.IsIgnored("keep.log"));
        Assert.Equal(true, query.IsIgnored("build/y.o"));
        Assert.Equal(false, query.IsIgnored("models/new.bin"));
    }

    [UnixFact]
    public void AskAhead_ThenGitEnds_AnswersAskedAheadStandAndOthersAreUnknown()
    {
        Directory.CreateDirectory(Path.Combine(_repository.Root, "data"));
        File.CreateSymbolicLink(Path.Combine(_repository.Root, "data", "link"), Path.GetTempPath());
        using var query = Start();
        query.AskAhead(["out/a.bin", "src/train.py"]);

        // git ends on a path beyond a symbolic link.
        Assert.Null(query.IsIgnored("data/link/x.log"));

        Assert.Equal(true, query.IsIgnored("out/a.bin"));
        Assert.Equal(false, query.IsIgnored("src/train.py"));
        Assert.Null(query.IsIgnored("train.log"));
    }

    [UnixFact]
    public void IsIgnored_PathBeyondASymbolicLink_GitCannotSaySoNullForItAndEveryLaterPath()
    {
        Directory.CreateDirectory(Path.Combine(_repository.Root, "data"));
        File.CreateSymbolicLink(Path.Combine(_repository.Root, "data", "link"), Path.GetTempPath());
        using var query = Start();

        Assert.Null(query.IsIgnored("data/link/x.log"));
        Assert.Null(query.IsIgnored("train.log"));
    }

    [Fact]
    public void Dispose_QueryInUse_EndsGit()
    {
        var query = Start();
        Assert.Equal(true, query.IsIgnored("a.log"));

        query.Dispose();

        Assert.Null(query.IsIgnored("b.log"));
    }

    public void Dispose() => _repository.Dispose();

    private GitIgnoreQuery Start() =>
        GitIgnoreQuery.TryStart(GitExecutable.OnPath ?? throw new InvalidOperationException("git is not on PATH"), _repository.Root)
        ?? throw new InvalidOperationException("git check-ignore did not start");
}
