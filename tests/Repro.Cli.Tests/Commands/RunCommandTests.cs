using Repro.Cli.Commands;
using Repro.Core.Projects;
using Repro.Core.Sources;

namespace Repro.Cli.Tests.Commands;

public sealed class RunCommandTests
{
    private static readonly Dictionary<string, string> NoVariables = [];

    [Theory]
    [InlineData("-P", "novalue", "-P 'novalue' is not KEY=VALUE")]
    [InlineData("-P", "=x", "-P '=x' has an empty parameter name; write KEY=VALUE")]
    [InlineData("--seed", "-1", "--seed must be an integer from 0 to 4294967295, not '-1'")]
    [InlineData("--seed", "4294967296", "--seed must be an integer from 0 to 4294967295, not '4294967296'")]
    [InlineData("--seed", "+5", "--seed must be an integer from 0 to 4294967295, not '+5'")]
    [InlineData("--seed", "1e3", "--seed must be an integer from 0 to 4294967295, not '1e3'")]
    [InlineData("--threads", "0", "--threads must be a positive integer, not '0'")]
    [InlineData("--object-size-limit", "lots", "--object-size-limit must be a size such as 0, 500KB, 100MiB or 2GiB, or none, not 'lots'")]
    public void Parse_BadValue_IsOneErrorNamingTheOptionAndValue(string option, string value, string expected)
    {
        Assert.Equal(expected, CommandLine.SingleError("run", ".", option, value));
    }

    [Fact]
    public void Parse_UnknownEnvironmentManager_IsRefusedNamingTheKnownOnes()
    {
        var error = CommandLine.SingleError("run", "--env-manager", "pixi");

        Assert.Contains("pixi", error, StringComparison.Ordinal);
        Assert.Contains("virtualenv", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("virtualenv")]
    [InlineData("conda")]
    public void Parse_EnvironmentManagerMLflowKnows_ReachesTheRequest(string manager)
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "--env-manager", manager);

        Assert.Equal(manager, command.ToRequest(result, NoVariables).EnvManager);
    }

    [Fact]
    public void Parse_PythonAndRebuildEnv_ReachTheRequest()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "--python", "/opt/python3.11", "--rebuild-env");

        var request = command.ToRequest(result, NoVariables);

        Assert.Equal(("/opt/python3.11", true), (request.Python, request.RebuildEnvironment));
    }

    [Theory]
    [InlineData("-v")]
    [InlineData("--version")]
    public void Parse_Version_ReachesTheRequest(string option)
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "https://example.invalid/org/repo.git", option, "v1.2");

        Assert.Equal("v1.2", command.ToRequest(result, NoVariables).Version);
    }

    [Theory]
    [InlineData("-x", "starts with '-'")]
    [InlineData("main~2", "one of ~ ^ : ? * [ \\")]
    [InlineData("HEAD@{1}", "'@{'")]
    public void Parse_VersionGitWouldReadAsSomethingElse_IsOneErrorNamingIt(string version, string expected)
    {
        var error = CommandLine.SingleError("run", "https://example.invalid/org/repo.git", "--version=" + version);

        Assert.StartsWith($"--version: version '{version}' cannot be a branch, tag or commit", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/project", "uses the scheme 's3', which repro cannot fetch")]
    [InlineData("ext::sh -c touch% /tmp/pwned", "transport::address")]
    [InlineData("https://example.invalid/repo.git#../up", "may not contain '..'")]
    public void Parse_UriReproCannotFetch_IsOneErrorSayingWhy(string uri, string expected)
    {
        Assert.Contains(expected, CommandLine.SingleError("run", uri), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GitUrl_RecordsRunsInTheCurrentDirectorysStore()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "git@example.invalid:org/repo.git#train/cnn");

        var request = command.ToRequest(result, NoVariables);

        Assert.Equal((ProjectUriKind.GitUrl, "git@example.invalid:org/repo.git", "train/cnn"), (request.Uri!.Kind, request.Uri.Location, request.Uri.Subdirectory));
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, ".repro"), request.StoreDirectory);
    }

    [Fact]
    public void Parse_LocalFolderWithSubdirectory_RecordsRunsInThatFolder()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "proj#sub");

        var request = command.ToRequest(result, NoVariables);

        Assert.Equal((ProjectUriKind.LocalPath, Path.GetFullPath("proj"), "sub"), (request.Uri!.Kind, request.Uri.Location, request.Uri.Subdirectory));
        Assert.Equal(Path.Combine(Path.GetFullPath("proj"), "sub", ".repro"), request.StoreDirectory);
    }

    [Fact]
    public void Parse_RepeatedParameterKey_IsOneErrorNamingTheKey()
    {
        Assert.Equal("parameter 'name' is given more than once with -P", CommandLine.SingleError("run", "-P", "name=a", "--param", "name=b"));
    }

    [Fact]
    public void Parse_Parameters_KeepTheirOrderAndSplitAtTheFirstEquals()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "-P", "b=1", "-P", "a=x=y", "-P", "empty=");

        var request = command.ToRequest(result, NoVariables);

        Assert.Equal([new("b", "1"), new("a", "x=y"), new("empty", "")], request.Parameters.ToList());
    }

    [Fact]
    public void Parse_LargestSeed_IsAccepted()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "--seed", "4294967295");

        Assert.Equal(uint.MaxValue, command.ToRequest(result, NoVariables).Seed);
    }

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "--no-auto-seed" }, false)]
    public void Parse_NoAutoSeed_TurnsThePythonHookOff(string[] options, bool autoSeed)
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>(["run", .. options]);

        Assert.Equal(autoSeed, command.ToRequest(result, NoVariables).AutoSeed);
    }

    [Fact]
    public void Parse_NothingGiven_RunsMainInTheCurrentDirectoryIntoItsStore()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run");

        var request = command.ToRequest(result, NoVariables);

        Assert.Equal((ProjectUriKind.LocalPath, Path.GetFullPath("."), string.Empty, null), (request.Uri!.Kind, request.Uri.Location, request.Uri.Subdirectory, request.Version));
        Assert.Equal(CommandRenderer.DefaultEntryPoint, request.EntryPoint);
        Assert.Empty(request.Parameters);
        Assert.Null(request.Seed);
        Assert.Null(request.Threads);
        Assert.False(request.RequireClean);
        Assert.False(request.Strict);
        Assert.False(result.GetValue(command.DryRun));
        Assert.Equal(Path.Combine(Path.GetFullPath("."), ".repro"), request.StoreDirectory);
        Assert.Equal(long.MaxValue, request.ObjectSizeLimit);
    }

    [Theory]
    [InlineData("none", long.MaxValue)]
    [InlineData("NONE", long.MaxValue)]
    [InlineData("0", 0L)]
    public void Parse_ObjectSizeLimit_NoneMeansNoLimitAndZeroKeepsNothing(string value, long expected)
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "--object-size-limit", value);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, command.ToRequest(result, NoVariables).ObjectSizeLimit);
    }

    [Fact]
    public void Parse_StoreOption_WinsOverTheVariable()
    {
        var variables = new Dictionary<string, string> { ["REPRO_STORE"] = "/from/variable" };

        var (withOption, optionResult) = CommandLine.ParseFor<RunCommand>("run", "project", "--store", "/from/option");
        var (withoutOption, variableResult) = CommandLine.ParseFor<RunCommand>("run", "project");

        Assert.Equal("/from/option", withOption.ToRequest(optionResult, variables).StoreDirectory);
        Assert.Equal("/from/variable", withoutOption.ToRequest(variableResult, variables).StoreDirectory);
    }

    [Fact]
    public void Parse_EveryOption_ReachesTheRequest()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>(
            "run", "proj", "-e", "train", "--seed", "7", "--run-name", "r", "--experiment-name", "x", "--require-clean",
            "--threads", "3", "--env-manager", "local", "--rehash", "--object-size-limit", "1KiB");

        var request = command.ToRequest(result, NoVariables);

        Assert.Equal((Path.GetFullPath("proj"), "train", 7u, "r", "x", true, 3, "local", true, 1024L), (request.Uri!.Location, request.EntryPoint, request.Seed, request.RunName, request.ExperimentName, request.RequireClean, request.Threads, request.EnvManager, request.Rehash, request.ObjectSizeLimit));
    }

    [Fact]
    public void Parse_Strict_ReachesTheRequest()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "proj", "--strict");

        Assert.True(command.ToRequest(result, NoVariables).Strict);
    }

    [Fact]
    public void Parse_DryRun_PlansTheSameRequestTheRunWouldMake()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "proj", "--dry-run", "-e", "train", "-P", "a=1", "--seed", "9", "--threads", "2", "--strict", "--json");

        var request = command.ToRequest(result, NoVariables);

        Assert.True(result.GetValue(command.DryRun));
        Assert.True(result.GetValue(command.Json));
        Assert.Equal((Path.GetFullPath("proj"), "train", 9u, 2, true), (request.Uri!.Location, request.EntryPoint, request.Seed, request.Threads, request.Strict));
        Assert.Equal([new("a", "1")], request.Parameters.ToList());
    }

    [Fact]
    public void Parse_ArgumentStartingWithAt_IsAValueNotAResponseFile()
    {
        var (command, result) = CommandLine.ParseFor<RunCommand>("run", "-P", "@file=x");

        Assert.Equal([new("@file", "x")], command.ToRequest(result, NoVariables).Parameters.ToList());
    }
}
