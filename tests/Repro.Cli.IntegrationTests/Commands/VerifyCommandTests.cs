using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

public sealed class VerifyCommandTests : ReproTestBase
{
    /// <summary>Seeded randomness, an input file and a metrics file: everything a re-run must reproduce exactly.</summary>
    private const string Deterministic = """
        entry_points:
          main:
            parameters:
              n: {type: int, default: 3}
            command: "python3 train.py {n}"
            inputs: [data.txt]
            outputs: [model.txt]
            metrics: {file: metrics.json}
        """;

    private const string TrainScript = """
        import json, os, random, sys
        random.seed(int(os.environ["REPRO_SEED"]))
        n = int(sys.argv[1])
        data = open("data.txt").read()
        weights = [random.random() for _ in range(n)]
        open("model.txt", "w").write(data + " ".join(repr(w) for w in weights) + "\n")
        json.dump({"loss": sum(weights) / n, "n": n}, open("metrics.json", "w"))
        """;

    /// <summary>
    /// Values drift by a known step on every execution: a counter kept outside the repository (its path is a string
    /// parameter, so the re-run gets the same one) stands in for nondeterminism repro cannot control.
    /// </summary>
    private const string Noisy = """
        entry_points:
          outputs:
            parameters:
              state: string
            command: "python3 noisy.py {state} outputs"
            outputs: [result.json, result.csv]
          metrics:
            parameters:
              state: string
            command: "python3 noisy.py {state} metrics"
            metrics:
              file: metrics.json
              tolerance:
                loss: {atol: 0.1}
          strict-metrics:
            parameters:
              state: string
            command: "python3 noisy.py {state} metrics"
            metrics:
              file: metrics.json
              tolerance:
                loss: {atol: 1.0e-6}
          zip:
            parameters:
              state: string
            command: "python3 noisy.py {state} zip"
            outputs: [model.zip]
          junit:
            parameters:
              state: string
            command: "python3 noisy.py {state} junit"
            outputs: [fixed.txt, drifting.txt]
            metrics: {file: metrics.json}
        """;

    private const string NoisyScript = """
        import json, os, sys, zipfile
        state, mode = sys.argv[1], sys.argv[2]
        k = int(open(state).read()) + 1 if os.path.exists(state) else 1
        open(state, "w").write(str(k))
        if mode == "outputs":
            value = 1.0 + k * 1e-6
            json.dump({"value": value, "fixed": 2.5}, open("result.json", "w"))
            open("result.csv", "w").write("step,value\n1,%r\n" % value)
        elif mode == "metrics":
            json.dump({"loss": 0.5 + k * 0.001, "accuracy": 0.75}, open("metrics.json", "w"))
        elif mode == "zip":
            with zipfile.ZipFile("model.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                for name, text in [("weights.txt", "1 2 3\n"), ("config.json", '{"layers": 2}')]:
                    entry = zipfile.ZipInfo(name, date_time=(1990 + k, 1 + k % 12, 1, 12, 0, 2 * k % 60))
                    archive.writestr(entry, text)
        elif mode == "junit":
            open("fixed.txt", "w").write("constant\n")
            open("drifting.txt", "w").write("execution %d\n" % k)
            json.dump({"accuracy": 0.75, "loss": 0.5 + k * 0.001}, open("metrics.json", "w"))
        """;

    private readonly string _tmp;

    public VerifyCommandTests()
    {
        // A private temporary folder shows whether verify leaves any checkout behind.
        _tmp = Temp.Combine("tmp");
        Directory.CreateDirectory(_tmp);
        Repro.With("TMPDIR", _tmp);
    }

    [Fact]
    public void Verify_DeterministicRunWhoseOutputsAreStored_HashesThemAndCopiesNothingIntoTheStore()
    {
        var (project, _) = DeterministicProject();
        var first = Repro.Run(project, "--timings", "run", ".", "-P", "n=4");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("  outputs: copy into the store", first.Stderr, StringComparison.Ordinal);
        var original = (string)OnlyManifest(StoreOf(project))["runId"]!;
        var objects = Path.Combine(StoreOf(project), "objects", "sha256");
        var stored = Directory.GetFiles(objects, "*", SearchOption.AllDirectories).ToDictionary(path => path, File.GetLastWriteTimeUtc);

        var result = Repro.Run(project, "--timings", "verify", original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("REPRODUCED", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  outputs: check expected digests", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("  outputs: copy into the store", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(stored, Directory.GetFiles(objects, "*", SearchOption.AllDirectories).ToDictionary(path => path, File.GetLastWriteTimeUtc));
    }

    [Fact]
    public void Verify_DeterministicEntryPoint_ReproducedAndRecordsAVerificationRun()
    {
        var (project, git) = DeterministicProject();
        var original = RunOnce(project, "-P", "n=4");
        var originalBytes = File.ReadAllBytes(ManifestPath(project, original));
        var before = RepositoryState.Of(git);

        var (result, report) = VerifyJson(project, original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        Assert.Equal(original, (string?)report["runId"]);
        Assert.Equal("identical", (string?)Assert.Single(report["outputs"]!.AsArray())!["outcome"]);
        Assert.All(report["metrics"]!.AsArray(), metric => Assert.Equal("identical", (string?)metric!["outcome"]));
        var verificationId = (string)report["verificationRunId"]!;
        var verification = Manifest(StoreOf(project), verificationId);
        Assert.Equal(original, (string?)verification["verifies"]);
        Assert.Equal("FINISHED", (string?)verification["status"]);
        Assert.Equal("REPRODUCED", (string?)verification["verification"]!["verdict"]);
        Assert.Equal((long)Manifest(StoreOf(project), original)["seed"]!["value"]!, (long)verification["seed"]!["value"]!);
        ManifestSchema.AssertValid(ManifestPath(project, verificationId));
        Assert.Equal(originalBytes, File.ReadAllBytes(ManifestPath(project, original)));
        Assert.Equal(before, RepositoryState.Of(git));
        Assert.Equal(string.Empty, git.Git("status", "--porcelain"));
    }

    [Fact]
    public void Verify_HumanOutput_GivesTheVerdictAndTheVerificationRun()
    {
        var (project, _) = DeterministicProject();
        var original = RunOnce(project);

        var result = Repro.Run(project, "verify", original[..12]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith($"verify {original}: REPRODUCED", result.Stdout, StringComparison.Ordinal);
        var verificationId = RunIds(StoreOf(project)).Single(id => id != original);
        Assert.Contains($"repro show {verificationId}", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_LatestRightAfterAVerify_VerifiesTheOriginalRunAgain()
    {
        var (project, _) = DeterministicProject();
        var original = RunOnce(project);
        var (first, firstReport) = VerifyJson(project, original);
        Assert.True(first.ExitCode == 0, first.ToString());

        var again = Verify(project, "latest");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.StartsWith($"verify {original}: REPRODUCED", again.Stdout, StringComparison.Ordinal);
        Assert.Contains($"run {(string?)firstReport["verificationRunId"]} is a verification of run {original}", again.Stderr, StringComparison.Ordinal);
        var verifications = RunIds(StoreOf(project)).Where(id => id != original).Select(id => (string?)Manifest(StoreOf(project), id)["verifies"]);
        Assert.Equal([original, original], verifications);
    }

    [Fact]
    public void Verify_StoreOutsideTheProject_WorksFromAnyDirectory()
    {
        var (project, _) = DeterministicProject();
        var store = Temp.Combine("shared-store");
        Assert.Equal(0, Repro.Run(project, "run", ".", "--store", store).ExitCode);
        var original = Assert.Single(RunIds(store));
        var elsewhere = Directory.CreateDirectory(Temp.Combine("elsewhere")).FullName;

        var viaOption = Repro.Run(elsewhere, "verify", original, "--store", store);
        var viaVariable = Repro.With("REPRO_STORE", store).Run(elsewhere, "verify", "latest");

        Assert.True(viaOption.ExitCode == 0, viaOption.ToString());
        Assert.True(viaVariable.ExitCode == 0, viaVariable.ToString());
        Assert.StartsWith($"verify {original}: REPRODUCED", viaVariable.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, RunIds(store).Count);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
        Assert.False(Directory.Exists(StoreOf(project)));
    }

    [Fact]
    public void Verify_OutputHoldingTheTime_IsDifferentAndNamesTheFile()
    {
        var (project, git) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"date +%s%N > stamp.txt\"\n    outputs: [stamp.txt]\n"), (".gitignore", "stamp.txt\n"));
        var original = RunOnce(project);
        var originalBytes = File.ReadAllBytes(ManifestPath(project, original));
        var before = RepositoryState.Of(git);

        var result = Verify(project, original);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("DIFFERENT", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("stamp.txt", result.Stdout.Split('\n')[0], StringComparison.Ordinal);
        var verification = Manifest(StoreOf(project), RunIds(StoreOf(project)).Single(id => id != original));
        Assert.Equal("DIFFERENT", (string?)verification["verification"]!["verdict"]);
        Assert.Equal("different", (string?)verification["verification"]!["outputs"]![0]!["outcome"]);
        Assert.Equal(originalBytes, File.ReadAllBytes(ManifestPath(project, original)));
        Assert.Equal(before, RepositoryState.Of(git));
    }

    [Fact]
    public void Verify_ZipWhoseEntryTimesChange_IsEquivalentBecauseOnlyContainerMetadataDiffers()
    {
        var (project, original) = NoisyRun("zip");

        var (result, report) = VerifyJson(project, original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("EQUIVALENT", (string?)report["verdict"]);
        var output = Assert.Single(report["outputs"]!.AsArray())!;
        Assert.Equal("model.zip", (string?)output["path"]);
        Assert.Equal("equivalent", (string?)output["outcome"]);
        Assert.Contains("container metadata", (string?)output["summary"], StringComparison.Ordinal);
        Assert.Contains("container metadata", (string?)report["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChangedInput_IsRestoredFromTheStoreInTheCheckoutAndReproduced()
    {
        var (project, git) = DeterministicProject();
        var original = RunOnce(project);
        File.WriteAllText(Path.Combine(project, "data.txt"), "changed data\n");
        var before = RepositoryState.Of(git);

        var text = Verify(project, original);
        var (result, report) = VerifyJson(project, original);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("REPRODUCED", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("input data.txt: workspace differs, restored from store", text.Stdout, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        var restored = Assert.Single(report["restoredInputs"]!.AsArray())!;
        Assert.Equal(("data.txt", Sha256("hello data\n"), "store"), ((string?)restored["path"], (string?)restored["sha256"], (string?)restored["from"]));
        var manifest = ParseJson(File.ReadAllText(ManifestPath(project, (string)report["verificationRunId"]!)));
        Assert.Equal("data.txt", (string?)manifest["verification"]!["restoredInputs"]![0]!["path"]);
        Assert.Equal("changed data\n", File.ReadAllText(Path.Combine(project, "data.txt")));
        Assert.Equal(before, RepositoryState.Of(git));
    }

    [Fact]
    public void Verify_ChangedInputWithoutAStoredCopy_IsNotVerifiableNamingItWithRecordedAndCurrentHash()
    {
        var (project, git) = DeterministicProject();
        var original = RunOnce(project);
        var runsBefore = RunIds(StoreOf(project));
        File.Delete(ObjectPathOf(project, Sha256("hello data\n")));
        File.WriteAllText(Path.Combine(project, "data.txt"), "changed data\n");
        var before = RepositoryState.Of(git);
        var junit = Temp.Combine("junit.xml");

        var (result, report) = VerifyJson(project, original, ["--junit", junit]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("NOT_VERIFIABLE", (string?)report["verdict"]);
        var problem = (string)Assert.Single(report["problems"]!.AsArray())!;
        Assert.Contains("data.txt", problem, StringComparison.Ordinal);
        Assert.Contains(Sha256("hello data\n"), problem, StringComparison.Ordinal);
        Assert.Contains(Sha256("changed data\n"), problem, StringComparison.Ordinal);
        Assert.Contains("in neither the store (no default remote)", problem, StringComparison.Ordinal);
        Assert.Equal(runsBefore, RunIds(StoreOf(project)));
        Assert.Equal(before, RepositoryState.Of(git));
        var testCase = Assert.Single(XDocument.Load(junit).Descendants("testcase"));
        Assert.Contains("data.txt", (string?)testCase.Element("failure")!.Attribute("message"), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ChangedInputInPlace_IsStillNotVerifiable()
    {
        var (project, _) = DeterministicProject();
        var original = RunOnce(project);
        File.WriteAllText(Path.Combine(project, "data.txt"), "changed data\n");

        var result = Verify(project, original, "--in-place");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("NOT_VERIFIABLE", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("input data.txt changed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--in-place", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("changed data\n", File.ReadAllText(Path.Combine(project, "data.txt")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Verify_ChangedInputWhoseObjectIsDamaged_IsNotVerifiableAndNothingIsRestored()
    {
        var (project, _) = DeterministicProject();
        var original = RunOnce(project);
        var runsBefore = RunIds(StoreOf(project));
        var objectPath = ObjectPathOf(project, Sha256("hello data\n"));
        File.SetUnixFileMode(objectPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(objectPath, "hello dat4\n");
        File.WriteAllText(Path.Combine(project, "data.txt"), "changed data\n");

        var result = Verify(project, original);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("NOT_VERIFIABLE", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("is damaged", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(Sha256("hello dat4\n"), result.Stdout, StringComparison.Ordinal);
        Assert.Equal(runsBefore, RunIds(StoreOf(project)));
    }

    [Fact]
    public void Verify_DeletedInput_IsRestoredFromTheStoreAndTheWorkspaceIsLeftAlone()
    {
        var (project, _) = DeterministicProject();
        var original = RunOnce(project);
        File.Delete(Path.Combine(project, "data.txt"));

        var result = Verify(project, original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("REPRODUCED", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("input data.txt: workspace differs, restored from store", result.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(project, "data.txt")));
    }

    [Fact]
    public void Verify_RunFromDirtyTree_ReproducesAfterLaterCommitsUntilItsUntrackedFileChanges()
    {
        var (project, git) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"cat staged.txt unstaged.txt notes.txt > combined.txt\"\n    outputs: [combined.txt]\n"),
            (".gitignore", "combined.txt\n"),
            ("staged.txt", "staged v1\n"),
            ("unstaged.txt", "unstaged v1\n"));
        File.WriteAllText(Path.Combine(project, "staged.txt"), "staged v2\n");
        git.Git("add", "staged.txt");
        File.WriteAllText(Path.Combine(project, "unstaged.txt"), "unstaged v2\n");
        File.WriteAllText(Path.Combine(project, "notes.txt"), "untracked v1\n");
        var original = RunOnce(project);
        Assert.Equal("staged v2\nunstaged v2\nuntracked v1\n", File.ReadAllText(Path.Combine(project, "combined.txt")));

        git.Git("commit", "--quiet", "-m", "commit the staged change");
        File.WriteAllText(Path.Combine(project, "unstaged.txt"), "unstaged v3\n");
        File.WriteAllText(Path.Combine(project, "staged.txt"), "staged v3\n");
        git.Git("commit", "--quiet", "-a", "-m", "later work");
        var before = RepositoryState.Of(git);

        var (reproduced, report) = VerifyJson(project, original);

        Assert.True(reproduced.ExitCode == 0, reproduced.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        Assert.Equal(before, RepositoryState.Of(git));
        Assert.Equal("staged v3\nunstaged v3\n", File.ReadAllText(Path.Combine(project, "staged.txt")) + File.ReadAllText(Path.Combine(project, "unstaged.txt")));

        File.WriteAllText(Path.Combine(project, "notes.txt"), "untracked v2\n");
        var (unverifiable, problems) = VerifyJson(project, original);

        Assert.True(unverifiable.ExitCode == 2, unverifiable.ToString());
        Assert.Equal("NOT_VERIFIABLE", (string?)problems["verdict"]);
        var problem = (string)Assert.Single(problems["problems"]!.AsArray())!;
        Assert.Contains("notes.txt", problem, StringComparison.Ordinal);
        Assert.Contains(Sha256("untracked v1\n"), problem, StringComparison.Ordinal);
        Assert.Contains(Sha256("untracked v2\n"), problem, StringComparison.Ordinal);
        Assert.Equal(before, RepositoryState.Of(git));
    }

    [Fact]
    public void Verify_FloatsThatDriftSlightly_AreDifferentWhenExactAndEquivalentOnlyWithinTolerance()
    {
        var (project, original) = NoisyRun("outputs");

        var (exact, exactReport) = VerifyJson(project, original);
        Assert.True(exact.ExitCode == 1, exact.ToString());
        Assert.Equal("DIFFERENT", (string?)exactReport["verdict"]);
        Assert.Equal(["different", "different"], OutcomesOf(exactReport));

        foreach (var tolerance in new[] { new[] { "--atol", "1e-3" }, ["--rtol", "1e-3"] })
        {
            var (loose, looseReport) = VerifyJson(project, original, tolerance);
            Assert.True(loose.ExitCode == 0, loose.ToString());
            Assert.Equal("EQUIVALENT", (string?)looseReport["verdict"]);
            Assert.Equal(["equivalent", "equivalent"], OutcomesOf(looseReport));
            Assert.Equal(["csv", "json"], looseReport["outputs"]!.AsArray().Select(output => (string?)output!["comparer"]));
        }

        foreach (var tolerance in new[] { new[] { "--atol", "1e-9" }, ["--rtol", "1e-9"] })
        {
            var (tight, tightReport) = VerifyJson(project, original, tolerance);
            Assert.True(tight.ExitCode == 1, tight.ToString());
            Assert.Equal("DIFFERENT", (string?)tightReport["verdict"]);
            Assert.Equal(["different", "different"], OutcomesOf(tightReport));
        }

        var recorded = Manifest(StoreOf(project), RunIds(StoreOf(project))[^1])["verification"]!;
        Assert.Equal(1e-9, (double)recorded["rtol"]!);
    }

    [Fact]
    public void Verify_MetricToleranceDeclaredInMLproject_AcceptsDriftWithinIt()
    {
        var (project, original) = NoisyRun("metrics");

        var (result, report) = VerifyJson(project, original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("EQUIVALENT", (string?)report["verdict"]);
        var metrics = report["metrics"]!.AsArray().ToDictionary(metric => (string)metric!["name"]!, metric => (string?)metric!["outcome"]);
        Assert.Equal("equivalent", metrics["loss"]);
        Assert.Equal("identical", metrics["accuracy"]);
    }

    [Fact]
    public void Verify_MetricToleranceDeclaredInMLproject_RejectsDriftBeyondIt()
    {
        var (project, original) = NoisyRun("strict-metrics");

        var (result, report) = VerifyJson(project, original);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("DIFFERENT", (string?)report["verdict"]);
        Assert.Contains("metric loss", (string?)report["summary"], StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_InPlace_RunsInTheProjectWhenItEqualsTheRecordedCodeAndRefusesOtherwise()
    {
        var (project, git) = DeterministicProject();
        File.WriteAllText(Path.Combine(project, "scratch.txt"), "untracked\n");
        var original = RunOnce(project);
        var before = RepositoryState.Of(git);

        var (inPlace, report) = VerifyJson(project, original, ["--in-place"]);

        Assert.True(inPlace.ExitCode == 0, inPlace.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        var verification = Manifest(StoreOf(project), (string)report["verificationRunId"]!);
        Assert.Equal(Path.GetFullPath(project), (string?)verification["command"]!["workingDirectory"]);
        Assert.Equal(before, RepositoryState.Of(git));

        File.AppendAllText(Path.Combine(project, "train.py"), "# edited after the run\n");
        var runsBefore = RunIds(StoreOf(project));
        var refused = Verify(project, original, "--in-place");

        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("--in-place", refused.Stdout, StringComparison.Ordinal);
        Assert.Contains("uncommitted changes", refused.Stdout, StringComparison.Ordinal);
        Assert.Equal(runsBefore, RunIds(StoreOf(project)));
        Assert.Equal(before, RepositoryState.Of(git));
    }

    [Fact]
    public void Verify_InPlaceAfterANewCommit_RefusesNamingHead()
    {
        var (project, git) = DeterministicProject();
        var original = RunOnce(project);
        var recordedCommit = git.Git("rev-parse", "HEAD").Trim();
        Temp.Write("project/README.md", "docs\n");
        git.CommitAll("docs");

        var result = Verify(project, original, "--in-place");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(recordedCommit, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_UserRepositoryWithBranchesWorktreesAndStash_IsLeftExactlyAsItWas()
    {
        var (project, git) = DeterministicProject();
        git.Git("branch", "feature");
        git.Git("tag", "v1");
        git.Git("worktree", "add", "--quiet", Temp.Combine("second-worktree"), "feature");
        File.WriteAllText(Path.Combine(project, "train.py"), TrainScript + "# stashed idea\n");
        git.Git("stash", "push", "--quiet", "-m", "idea");
        File.WriteAllText(Path.Combine(project, "train.py"), TrainScript + "# work in progress\n");
        git.Git("add", "train.py");
        var original = RunOnce(project);
        var manifestBytes = File.ReadAllBytes(ManifestPath(project, original));
        var before = RepositoryState.Of(git);

        foreach (var options in new[] { Array.Empty<string>(), ["--in-place"], ["--rehash", "--rtol", "0.5"] })
        {
            var (result, report) = VerifyJson(project, original, options);

            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Equal("REPRODUCED", (string?)report["verdict"]);
            Assert.Equal(before, RepositoryState.Of(git));
            Assert.Equal(manifestBytes, File.ReadAllBytes(ManifestPath(project, original)));
        }

        Assert.Contains("stash@{0}", before.Stash, StringComparison.Ordinal);
        Assert.Contains("second-worktree", before.Worktrees, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Junit_WritesOneTestCasePerOutputAndMetricWithFailuresMatchingTheVerdict()
    {
        var (project, original) = NoisyRun("junit");
        var reportPath = Temp.Combine("reports", "verify.xml");

        var result = Verify(project, original, "--junit", reportPath);

        Assert.True(result.ExitCode == 1, result.ToString());
        var document = XDocument.Load(reportPath);
        var suite = Assert.Single(document.Root!.Elements("testsuite"));
        Assert.Equal("4", (string?)suite.Attribute("tests"));
        Assert.Equal("2", (string?)suite.Attribute("failures"));
        Assert.Equal("2", (string?)document.Root.Attribute("failures"));
        var cases = suite.Elements("testcase").ToDictionary(
            element => $"{(string?)element.Attribute("classname")}/{(string?)element.Attribute("name")}",
            element => element.Element("failure") is not null);
        Assert.Equal(
            new Dictionary<string, bool>
            {
                ["repro.verify.outputs/drifting.txt"] = true,
                ["repro.verify.outputs/fixed.txt"] = false,
                ["repro.verify.metrics/accuracy"] = false,
                ["repro.verify.metrics/loss"] = true,
            },
            cases);
    }

    [Fact]
    public void Verify_JunitOfReproducedRun_HasNoFailures()
    {
        var (project, _) = DeterministicProject();
        var original = RunOnce(project);
        var reportPath = Temp.Combine("verify.xml");

        var result = Verify(project, original, "--junit", reportPath);

        Assert.True(result.ExitCode == 0, result.ToString());
        var suite = Assert.Single(XDocument.Load(reportPath).Root!.Elements("testsuite"));
        Assert.Equal("3", (string?)suite.Attribute("tests"));
        Assert.Equal("0", (string?)suite.Attribute("failures"));
        Assert.Empty(suite.Descendants("failure"));
        Assert.Equal(["model.txt", "loss", "n"], suite.Elements("testcase").Select(element => (string?)element.Attribute("name")));
    }

    [Fact]
    public void Verify_InputThatGitIgnores_IsBroughtIntoTheCheckout()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    command: \"sort data/raw/train.csv > sorted.csv\"\n    inputs: [data/]\n    outputs: [sorted.csv]\n"),
            (".gitignore", "data/\nsorted.csv\n"));
        Temp.Write("project/data/raw/train.csv", "b,2\na,1\n");
        var original = RunOnce(project);

        var (result, report) = VerifyJson(project, original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_tmp, "repro-*"));
    }

    [Fact]
    public void Verify_StepReadingAnEarlierStepsOutput_Reproduces()
    {
        var (project, _) = CommittedProject(
            ("MLproject", """
                entry_points:
                  prepare:
                    command: "seq 1 5 > features.txt"
                    outputs: [features.txt]
                  train:
                    command: "python3 -c 'print(sum(int(x) for x in open(\"features.txt\")))' > model.txt"
                    inputs: [features.txt]
                    outputs: [model.txt]
                """),
            (".gitignore", "features.txt\nmodel.txt\n"));
        RunOnce(project, "-e", "prepare");
        var train = RunOnce(project, "-e", "train");
        Assert.Equal("15\n", File.ReadAllText(Path.Combine(project, "model.txt")));

        var (result, report) = VerifyJson(project, train);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
    }

    [Fact]
    public void Verify_PathParameterNamingAnIgnoredFileElsewhereInTheRepository_BringsItIntoTheCheckout()
    {
        var repository = GitRepository.Init(Temp.Combine("monorepo"));
        Temp.Write("monorepo/.gitignore", "data/\n");
        Temp.Write("monorepo/projects/bikes/MLproject", "entry_points:\n  main:\n    parameters:\n      data: path\n    command: \"sort {data} > sorted.txt\"\n    outputs: [sorted.txt]\n");
        Temp.Write("monorepo/projects/bikes/.gitignore", "sorted.txt\n");
        Temp.Write("monorepo/data/hour.csv", "b\na\n");
        repository.CommitAll("layout");
        var project = Temp.Combine("monorepo", "projects", "bikes");
        var original = RunOnce(project, "-P", "data=../../data/hour.csv");

        var (result, report) = VerifyJson(project, original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
    }

    [Fact]
    public void Verify_PathParameterOutsideTheRepository_ReadsTheFileTheRunRead()
    {
        var (project, _) = CommittedProject(
            ("MLproject", "entry_points:\n  main:\n    parameters:\n      data: path\n    command: \"cat {data} > copy.txt\"\n    outputs: [copy.txt]\n"),
            (".gitignore", "copy.txt\n"));
        Temp.Write("data/shared.txt", "the recorded data\n");
        var original = RunOnce(project, "-P", "data=../data/shared.txt");

        // Where the relative path would lead from a checkout in the temporary folder: a different file.
        Temp.Write("tmp/data/shared.txt", "some other data\n");
        var (result, report) = VerifyJson(project, original);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("REPRODUCED", (string?)report["verdict"]);
    }

    [Fact]
    public async Task Verify_InterruptedDuringTheReRun_ExitsWith130RecordsKilledAndRemovesTheCheckout()
    {
        var marker = "repro-test-" + Guid.NewGuid().ToString("N")[..8];
        var (project, _) = CommittedProject(
            ("MLproject", $"entry_points:\n  main:\n    parameters:\n      gate: string\n    command: \"if [ -e {{gate}} ]; then exec -a {marker} sleep 300; fi; echo done > out.txt\"\n    outputs: [out.txt]\n"),
            (".gitignore", "out.txt\n"));
        var gate = Temp.Combine("gate");
        var original = RunOnce(project, "-P", $"gate={gate}");
        File.WriteAllText(gate, "the re-run blocks\n");

        using var process = Repro.Start(project, ["verify", original]);
        _ = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Processes.WaitUntilAsync(() => Processes.WithMarker(marker) >= 1);
        Assert.NotEmpty(Directory.EnumerateDirectories(_tmp, "repro-checkout-*"));

        Processes.Signal(process.Id, "INT");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}: {await stderr}");
        Assert.Equal(0, Processes.WithMarker(marker));
        var verification = Manifest(StoreOf(project), RunIds(StoreOf(project)).Single(id => id != original));
        Assert.Equal(original, (string?)verification["verifies"]);
        Assert.Equal("KILLED", (string?)verification["status"]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_tmp, "repro-*"));
    }

    [Fact]
    public void Verify_FailedRun_IsNotVerifiable()
    {
        var (project, _) = CommittedProject(("MLproject", "entry_points:\n  main:\n    command: \"exit 3\"\n"));
        Assert.Equal(1, Repro.Run(project, "run", ".").ExitCode);
        var original = RunIds(StoreOf(project)).Single();

        var result = Verify(project, original);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("FAILED", result.Stdout, StringComparison.Ordinal);
        Assert.Single(RunIds(StoreOf(project)));
    }

    private (string Directory, GitRepository Git) DeterministicProject() =>
        CommittedProject(("MLproject", Deterministic), ("train.py", TrainScript), ("data.txt", "hello data\n"), (".gitignore", "model.txt\nmetrics.json\n"));

    /// <summary>Runs an entry point of the <see cref="Noisy"/> project once, with its counter outside the project.</summary>
    private (string Project, string RunId) NoisyRun(string entryPoint)
    {
        var (project, _) = CommittedProject(("MLproject", Noisy), ("noisy.py", NoisyScript), (".gitignore", "*.json\n*.csv\n*.zip\n*.txt\n"));
        return (project, RunOnce(project, "-e", entryPoint, "-P", $"state={Temp.Combine("counter")}"));
    }

    private ProcessResult Verify(string project, string runId, params string[] options)
    {
        var result = Repro.Run(project, ["verify", runId, .. options]);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_tmp, "repro-*"));
        return result;
    }

    private (ProcessResult Result, JsonObject Report) VerifyJson(string project, string runId, string[]? options = null)
    {
        var result = Verify(project, runId, ["--json", .. options ?? []]);
        Assert.True(result.Stdout.Length > 0, result.ToString());
        return (result, ParseJson(result.Stdout));
    }

    private static string ManifestPath(string project, string runId) => Path.Combine(StoreOf(project), "runs", runId, "run.json");

    private static string ObjectPathOf(string project, string sha256) => Path.Combine(StoreOf(project), "objects", "sha256", sha256[..2], sha256[2..]);

    private static List<string?> OutcomesOf(JsonObject report) => report["outputs"]!.AsArray().Select(output => (string?)output!["outcome"]).ToList();

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
