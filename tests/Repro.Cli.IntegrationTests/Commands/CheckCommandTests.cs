using Repro.Cli.IntegrationTests.Fixtures;

namespace Repro.Cli.IntegrationTests.Commands;

/// <summary><c>repro check</c>: every finding with its location, every entry point rendered with its defaults, exit 0 or 2.</summary>
public sealed class CheckCommandTests : ReproTestBase
{
    private const string Clean = """
        name: clean
        entry_points:
          main:
            parameters:
              alpha: {type: float, default: 0.5}
              data: path
            command: "python train.py --alpha {alpha} --data {data}"
          other:
            command: "echo other"
        """;

    private const string Suspicious = """
        entry_points:
          main:
            parameters:
              alpha: {type: float, default: 0.10}
              name: {type str, default: x}
            command: "python train.py {alpha} {name}"
        """;

    [Fact]
    public void Check_StoreFalseItems_AreAcceptedEvenUnderStrict()
    {
        var project = Temp.Write("project/MLproject", "entry_points:\n  main:\n    command: \"echo hi\"\n    inputs: [a.csv, {path: big/, store: false}]\n    outputs:\n      - {path: model.bin, store: true}\n");
        var directory = Path.GetDirectoryName(project)!;

        var result = Repro.Run(directory, "check", "--strict");
        var lenient = Repro.Run(directory, "check");
        File.WriteAllText(project, "entry_points:\n  main:\n    command: \"echo hi\"\n    inputs: [{path: big/, stored: false}]\n");
        var misspelt = Repro.Run(directory, "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("0 error(s), 0 warning(s)", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
        Assert.Equal(2, misspelt.ExitCode);
        Assert.Contains("MLproject:4:27: error: unknown key 'stored' in an input of entry point 'main'", misspelt.Stdout + misspelt.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CleanProject_ExitsZeroAndRendersEveryEntryPointWithoutInventingRequiredValues()
    {
        var project = Temp.Write("project/MLproject", Clean);
        var directory = Path.GetDirectoryName(project)!;

        var result = Repro.Run(directory, "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """
            entry point main: python train.py --alpha 0.5 --data {data}   (needs -P data=…)
            entry point other: echo other
            MLproject: ok: 2 entry point(s), 0 error(s), 0 warning(s)

            """,
            result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Check_Warnings_ArePrintedWithLocationsAndExitZero()
    {
        Temp.Write("project/MLproject", Suspicious);

        var result = Repro.Run(Temp.Combine("project"), "check");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n');
        Assert.StartsWith("MLproject:4:37: warning: the default of parameter 'alpha', 0.10, is read by MLflow's YAML reader as the float 0.1", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("MLproject:5:14: warning: unknown key 'type str' in parameter 'name' of entry point 'main' ignored", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("did you mean 'type: str' (the colon is missing)?", lines[1], StringComparison.Ordinal);
        Assert.Equal("entry point main: python train.py 0.1 x", lines[2]);
        Assert.Equal("MLproject: ok: 1 entry point(s), 0 error(s), 2 warning(s)", lines[3]);
    }

    [Fact]
    public void Check_StrictWithWarnings_ReportsThemAsErrorsAndExitsTwo()
    {
        Temp.Write("project/MLproject", Suspicious);

        var result = Repro.Run(Temp.Combine("project"), "check", "--strict");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("MLproject:4:37: error: the default of parameter 'alpha'", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("MLproject: FAILED: 1 entry point(s), 2 error(s), 0 warning(s)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OneBrokenEntryPoint_ExitsTwoAndStillRendersTheOthers()
    {
        Temp.Write("project/MLproject", "entry_points:\n  main:\n    command: echo ok\n  bad:\n    command: \"echo {nope}\"\n");

        var result = Repro.Run(Temp.Combine("project"), "check");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            """
            MLproject:5:14: error: the command uses {nope}, which names no declared parameter of entry point 'bad' (it declares none)
            entry point main: echo ok
            entry point bad: cannot run (error above)
            MLproject: FAILED: 2 entry point(s), 1 error(s), 0 warning(s)

            """,
            result.Stdout);
    }

    [Fact]
    public void Check_Json_GivesDiagnosticsAndEntryPoints()
    {
        Temp.Write("project/MLproject", Suspicious);

        var result = Repro.Run(Temp.Path, "check", "project", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = ParseJson(result.Stdout);
        Assert.Equal("project/MLproject", (string?)json["file"]);
        Assert.True((bool)json["ok"]!);
        Assert.Equal(2, (int)json["warnings"]!);
        var first = json["diagnostics"]![0]!;
        Assert.Equal(("warning", "project/MLproject", 4L, 37L, "main"), ((string?)first["severity"], (string?)first["file"], (long)first["line"]!, (long)first["column"]!, (string?)first["entryPoint"]));
        var main = json["entryPoints"]![0]!;
        Assert.Equal("python train.py 0.1 x", (string?)main["command"]);
        Assert.Equal("0.1", (string?)main["parameters"]![0]!["value"]);
        Assert.Equal("default", (string?)main["parameters"]![0]!["source"]);
    }

    [Fact]
    public void Check_YamlSyntaxError_IsOneLocatedErrorAndExitTwo()
    {
        Temp.Write("project/MLproject", "entry_points:\n  main:\n    command: \"unclosed\n");

        var result = Repro.Run(Temp.Combine("project"), "check");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("MLproject:3:14: error: invalid YAML", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoMLprojectFile_ExitsTwoWithOneLine()
    {
        Directory.CreateDirectory(Temp.Combine("empty"));

        var result = Repro.Run(Temp.Path, "check", "empty");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: no MLproject file in 'empty' (looked for MLproject, MLproject.yaml, MLproject.yml, in any letter case); repro run still runs its .py and .sh files by name (-e train.py)\nthe project: FAILED: 0 entry point(s), 1 error(s), 0 warning(s)\n", result.Stdout);
    }

    [Fact]
    public void Check_WritesNothing()
    {
        Temp.Write("project/MLproject", Clean);
        var before = FilesUnder(Temp.Combine("project"));

        Repro.Run(Temp.Combine("project"), "check");

        Assert.Equal(before, FilesUnder(Temp.Combine("project")));
        Assert.False(Directory.Exists(Temp.Combine("project", ".repro")));
    }
}
