using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using LibGit2Sharp;
using Repro.Core.Capture.Git;

namespace Repro.Benchmarks.Git;

/// <summary>
/// Git capture on a large repository against <c>git status --porcelain</c> on the same repository. The repository
/// (100,000 tracked files, one modified) is made by <c>bench/git-capture/make-repo.sh</c>; <c>bench/git-capture/run.sh</c>
/// makes it and runs this class. The Ratio column is each method's mean over git status's mean.
/// </summary>
[Config(typeof(OneCallPerIterationConfig))]
public class GitCaptureBenchmarks
{
    /// <summary>Where <c>make-repo.sh</c> made the repository.</summary>
    public const string RepositoryVariable = "REPRO_BENCH_GIT_REPO";

    private string _repository = "";
    private string _runs = "";
    private int _run;

    /// <summary>Finds the repository and a scratch folder for run folders.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _repository = Environment.GetEnvironmentVariable(RepositoryVariable) is { Length: > 0 } path && Directory.Exists(Path.Combine(path, ".git"))
            ? path
            : throw new InvalidOperationException($"set {RepositoryVariable} to a repository made by bench/git-capture/make-repo.sh (bench/git-capture/run.sh does both)");
        _runs = Directory.CreateTempSubdirectory("repro-bench-runs-").FullName;
    }

    /// <summary>Removes the run folders.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_runs, recursive: true);

    /// <summary>What a user waits for when asking git whether the tree is dirty.</summary>
    [Benchmark(Baseline = true)]
    public int GitStatusPorcelain()
    {
        var startInfo = new ProcessStartInfo("git") { WorkingDirectory = _repository, RedirectStandardOutput = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("status");
        startInfo.ArgumentList.Add("--porcelain");
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Length + process.ExitCode;
    }

    /// <summary>repro's full capture: HEAD, remote, code.patch and untracked fingerprints.</summary>
    [Benchmark]
    public async Task<bool> ReproGitCapture()
    {
        var run = Path.Combine(_runs, (_run++).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var result = await GitCapture.CaptureAsync(_repository, run, CancellationToken.None);
        return result.Dirty;
    }

    /// <summary>LibGit2Sharp's status alone (no patch), with the options repro's fallback uses, for reference.</summary>
    [Benchmark]
    public int LibGit2SharpStatus()
    {
        using var repository = new Repository(_repository);
        var options = new StatusOptions
        {
            IncludeUntracked = true,
            RecurseUntrackedDirs = true,
            IncludeIgnored = false,
            DetectRenamesInIndex = false,
            DetectRenamesInWorkDir = false,
        };
        return repository.RetrieveStatus(options).Count() + _run;
    }
}
