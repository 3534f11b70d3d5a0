using Repro.Core.Errors;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Projects;

/// <summary>The rules of MLflow's own project tests, and repro's checks on parameter values.</summary>
public sealed class CommandRendererTests
{
    private const string Greeter = """
        name: greeter
        entry_points:
          greeter:
            parameters:
              greeting: {type: string, default: "hi"}
              name: string
            command: "python greeter.py {greeting} {name}"
          main:
            command: "echo 'Main entry point'"
        """;

    private static RenderedCommand Render(TempProject project, string entryPoint, params string[] tokens) =>
        CommandRenderer.Render(project.Project, entryPoint, ParameterArguments.Parse(tokens), shell: null);

    private static TempProject GreeterProject() =>
        new TempProject().WithMLproject(Greeter).With("greeter.py").With("train.py").With("my_script.sh").With("notes.txt");

    private static TempProject SingleEntry(string parameters, string command) =>
        new TempProject().WithMLproject($"""
            entry_points:
              main:
                parameters:
            {parameters}
                command: "{command}"
            """);

    [Fact]
    public void Render_UndeclaredParameter_IsAppendedAsOption()
    {
        using var project = GreeterProject();

        Assert.Equal("python greeter.py hi friend --excitement 10", Render(project, "greeter", "name=friend", "excitement=10").Command);
    }

    [Fact]
    public void Render_GivenValue_OverridesDefault()
    {
        using var project = GreeterProject();

        Assert.Equal("python greeter.py hello friend", Render(project, "greeter", "name=friend", "greeting=hello").Command);
    }

    [Fact]
    public void Render_RequiredParameterMissing_FailsNamingIt()
    {
        using var project = GreeterProject();

        var error = Assert.Throws<InputException>(() => Render(project, "greeter", "greeting=hello"));

        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
        Assert.Contains("entry point 'greeter'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SeveralRequiredMissing_NamesThemAll()
    {
        using var project = SingleEntry("      a: float\n      b: string\n      c: {type: int, default: 1}", "run {a} {b} {c}");

        var error = Assert.Throws<InputException>(() => Render(project, "main"));

        Assert.Contains("parameters 'a', 'b';", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KeysAreCaseSensitive_OtherCaseDoesNotSatisfyRequired()
    {
        using var project = GreeterProject();

        var error = Assert.Throws<InputException>(() => Render(project, "greeter", "Name=friend"));

        Assert.Contains("'name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ShellMetacharactersInValue_AreQuotedLikeShlex()
    {
        using var project = GreeterProject();

        var rendered = Render(project, "greeter", "name=friend; echo 'hi'");

        Assert.Equal("python greeter.py hi 'friend; echo '\"'\"'hi'\"'\"''", rendered.Command);
    }

    [Fact]
    public void Render_EntryWithoutParameters_AppendsExtras()
    {
        using var project = GreeterProject();

        Assert.Equal("echo 'Main entry point' --alpha 0.5", Render(project, "main", "alpha=0.5").Command);
    }

    [Fact]
    public void Render_DefaultEntryPoint_IsMain() => Assert.Equal("main", CommandRenderer.DefaultEntryPoint);

    [Fact]
    public void Render_UndeclaredPythonScript_RunsWithPython()
    {
        using var project = GreeterProject();

        var rendered = Render(project, "train.py", "alpha=0.5");

        Assert.Equal("python train.py --alpha 0.5", rendered.Command);
        Assert.Null(rendered.EntryPoint);
        Assert.Equal(new EntryPointRecord("train.py", EntryPointKind.PythonScript), rendered.EntryPointRecord);
        Assert.Equal([new ParameterRecord("alpha", ParameterType.String, ParameterSource.Extra, "0.5", "0.5")], rendered.Parameters);
    }

    [Theory]
    [InlineData(null, "bash my_script.sh")]
    [InlineData("", "bash my_script.sh")]
    [InlineData("/bin/zsh", "/bin/zsh my_script.sh")]
    public void Render_UndeclaredShellScript_RunsWithShell(string? shell, string expected)
    {
        using var project = GreeterProject();

        var rendered = CommandRenderer.Render(project.Project, "my_script.sh", [], shell);

        Assert.Equal(expected, rendered.Command);
        Assert.Equal(new EntryPointRecord("my_script.sh", EntryPointKind.ShellScript), rendered.EntryPointRecord);
    }

    [Fact]
    public void Render_ScriptInSubdirectoryWithSpace_QuotesItsName()
    {
        using var project = GreeterProject().With("my scripts/run.py");

        Assert.Equal("python 'my scripts/run.py'", Render(project, "my scripts/run.py").Command);
    }

    [Fact]
    public void Render_UnknownEntryPoint_ListsDeclaredOnes()
    {
        using var project = GreeterProject();

        var error = Assert.Throws<InputException>(() => Render(project, "notes.txt"));

        Assert.Equal("entry point 'notes.txt' is not declared in MLproject (declared: greeter, main) and is not a .py, .sh or .R file", error.Message);
    }

    [Fact]
    public void Render_MissingScript_ListsDeclaredOnes()
    {
        using var project = GreeterProject();

        var error = Assert.Throws<InputException>(() => Render(project, "evaluate.py"));

        Assert.Equal("entry point 'evaluate.py' is not declared in MLproject (declared: greeter, main) and is not a file in the project", error.Message);
    }

    [Fact]
    public void Render_ScriptOutsideProject_IsRefused()
    {
        using var root = new TempProject().With("outside.py").With("project/MLproject", "name: inner\n");
        var project = MLProjectLoader.Load(Path.Join(root.Directory, "project")).Project;

        var error = Assert.Throws<InputException>(() => CommandRenderer.Render(project, "../outside.py", [], null));

        Assert.Contains("'../outside.py' is not declared", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not a file in the project", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Always_RunsThroughBashDashC()
    {
        using var project = GreeterProject();

        var rendered = Render(project, "greeter", "name=friend");

        Assert.Equal(["bash", "-c", "python greeter.py hi friend"], rendered.Argv);
    }

    [Fact]
    public void Render_Parameters_ListsDeclaredInOrderThenExtrasAsGiven()
    {
        using var project = GreeterProject();

        var rendered = Render(project, "greeter", "zeta=1", "name=friend", "alpha=2");

        Assert.Equal(
            [
                new ParameterRecord("greeting", ParameterType.String, ParameterSource.Default, "hi", "hi"),
                new ParameterRecord("name", ParameterType.String, ParameterSource.User, "friend", "friend"),
                new ParameterRecord("zeta", ParameterType.String, ParameterSource.Extra, "1", "1"),
                new ParameterRecord("alpha", ParameterType.String, ParameterSource.Extra, "2", "2"),
            ],
            rendered.Parameters);
        Assert.Equal("python greeter.py hi friend --zeta 1 --alpha 2", rendered.Command);
        Assert.Equal("python greeter.py {greeting} {name}", rendered.EntryPoint?.Command);
        Assert.Equal(new EntryPointRecord("greeter", EntryPointKind.Declared), rendered.EntryPointRecord);
    }

    [Fact]
    public void Render_ExtraWithUnsafeKeyAndValue_QuotesBoth()
    {
        using var project = GreeterProject();

        Assert.Equal("echo 'Main entry point' --'my key' ''", Render(project, "main", "my key=").Command);
    }

    [Fact]
    public void Render_DuplicateKeysPassedDirectly_AreRefused()
    {
        using var project = GreeterProject();

        var error = Assert.Throws<InputException>(() =>
            CommandRenderer.Render(project.Project, "main", [new("a", "1"), new("a", "2")], null));

        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NulCharacter_IsRefused()
    {
        using var project = GreeterProject();

        var error = Assert.Throws<InputException>(() => CommandRenderer.Render(project.Project, "main", [new("a", "x\0y")], null));

        Assert.Contains("NUL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Defaults_ArePassedAsPythonStrOfWhatPyYamlReadWithWarnings()
    {
        using var project = SingleEntry("      alpha: {type: float, default: 0.10}\n      n: {type: int, default: 007}\n      flag: {type: string, default: true}", "run {alpha} {n} {flag}");

        var rendered = Render(project, "main");

        Assert.Equal("run 0.1 7 True", rendered.Command);
        Assert.Equal(new ParameterRecord("flag", ParameterType.String, ParameterSource.Default, "True", "True"), rendered.Parameters[2]);
        Assert.Equal(
            [
                $"{project.MLprojectPath}:4:37: warning: the default of parameter 'alpha', 0.10, is read by MLflow's YAML reader as the float 0.1 and passed as '0.1'; quote it to pass '0.10'",
                $"{project.MLprojectPath}:5:31: warning: the default of parameter 'n', 007, is read by MLflow's YAML reader as the int 7 and passed as '7'; quote it to pass '007'",
                $"{project.MLprojectPath}:6:37: warning: the default of parameter 'flag', true, is read by MLflow's YAML reader as the bool True and passed as 'True'; quote it to pass 'true'",
            ],
            rendered.Warnings);
    }

    [Fact]
    public void Render_RepeatedPlaceholder_IsFilledEachTime()
    {
        using var project = SingleEntry("      a: {default: x y}", "echo {a} {a}");

        Assert.Equal("echo 'x y' 'x y'", Render(project, "main").Command);
    }

    [Fact]
    public void Render_DoubledBraces_AreLiteral()
    {
        using var project = SingleEntry("      a: {default: 1}", "python -c 'print({{\\\"a\\\": {a}}})'");

        Assert.Equal("python -c 'print({\"a\": 1})'", Render(project, "main").Command);
    }

    [Fact]
    public void Render_PlaceholderForUndeclaredParameter_FailsAtCommandLocation()
    {
        using var project = SingleEntry("      a: {default: 1}", "run {a} {b}");

        var error = Assert.Throws<InputException>(() => Render(project, "main", "b=2"));

        Assert.Equal($"{project.MLprojectPath}:5:14: the command uses {{b}}, which names no declared parameter of entry point 'main' (declared: a)", error.Message);
    }

    [Fact]
    public void Render_PositionalPlaceholder_FailsAtCommandLocation()
    {
        using var project = new TempProject().WithMLproject("entry_points:\n  main:\n    command: run {0}\n");

        var error = Assert.Throws<InputException>(() => Render(project, "main"));

        Assert.Equal($"{project.MLprojectPath}:3:14: the command uses {{0}}, which names no declared parameter of entry point 'main' (it declares none)", error.Message);
    }

    [Theory]
    [InlineData("run }", "single '}' at character 5")]
    [InlineData("run {a", "'{' at character 5 that is not closed")]
    [InlineData("run {a {a}", "'{' at character 5 that is not closed")]
    [InlineData("run {}", "empty placeholder {} at character 5")]
    [InlineData("run {{a}", "single '}' at character 8")]
    public void Render_LoneBrace_FailsAtCommandLocation(string command, string message)
    {
        using var project = SingleEntry("      a: {default: 1}", command);

        var error = Assert.Throws<InputException>(() => Render(project, "main"));

        Assert.StartsWith($"{project.MLprojectPath}:5:14: the command has ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("-1")]
    [InlineData("+.5")]
    [InlineData("1e-3")]
    [InlineData("2.")]
    [InlineData("inf")]
    [InlineData("NaN")]
    public void Render_FloatValue_IsAccepted(string value)
    {
        using var project = SingleEntry("      alpha: float", "run {alpha}");

        Assert.Equal($"run {value}", Render(project, "main", $"alpha={value}").Command);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1,5")]
    [InlineData("0.5 ")]
    [InlineData("1e")]
    public void Render_FloatValueNotANumber_FailsNamingParameterAndValue(string value)
    {
        using var project = SingleEntry("      alpha: float", "run {alpha}");

        var error = Assert.Throws<InputException>(() => Render(project, "main", $"alpha={value}"));

        Assert.Equal($"parameter 'alpha' (float) must be a number; got '{value}'", error.Message);
    }

    [Theory]
    [InlineData("10", true)]
    [InlineData("-3", true)]
    [InlineData("1.5", false)]
    [InlineData("1e3", false)]
    [InlineData("ten", false)]
    [InlineData("٣", false)]
    public void Render_IntValue_MustBeAnInteger(string value, bool valid)
    {
        using var project = SingleEntry("      epochs: int", "run {epochs}");

        if (valid)
        {
            Assert.Equal($"run {value}", Render(project, "main", $"epochs={value}").Command);
        }
        else
        {
            var error = Assert.Throws<InputException>(() => Render(project, "main", $"epochs={value}"));
            Assert.Equal($"parameter 'epochs' (int) must be an integer; got '{value}'", error.Message);
        }
    }

    [Fact]
    public void Render_DefaultNotANumber_IsPassedUnchangedWithWarning()
    {
        using var project = SingleEntry("      alpha: {type: float, default: fast}", "run {alpha}");

        var rendered = Render(project, "main");

        Assert.Equal("run fast", rendered.Command);
        Assert.Equal([$"{project.MLprojectPath}:4:37: warning: the default of parameter 'alpha' (float), 'fast', is not a number; it is passed unchanged, as MLflow does (a value given with -P is checked)"], rendered.Warnings);
    }

    [Fact]
    public void Render_InvalidDefaultOverridden_IsNotChecked()
    {
        using var project = SingleEntry("      alpha: {type: float, default: fast}", "run {alpha}");

        Assert.Equal("run 0.1", Render(project, "main", "alpha=0.1").Command);
    }

    [Fact]
    public void Render_RelativePath_BecomesAbsoluteAndKeepsGivenText()
    {
        using var project = SingleEntry("      data: path", "run {data}").With("data/train.csv");
        var absolute = Path.Join(project.Directory, "data", "train.csv");

        var rendered = Render(project, "main", "data=data/./train.csv");

        Assert.Equal($"run {absolute}", rendered.Command);
        Assert.Equal(new ParameterRecord("data", ParameterType.Path, ParameterSource.User, "data/./train.csv", absolute), Assert.Single(rendered.Parameters));
    }

    [Fact]
    public void Render_PathDefaultDirectory_IsResolved()
    {
        using var project = SingleEntry("      data: {type: path, default: data}", "run {data}").With("data/a.csv");

        Assert.Equal($"run {Path.Join(project.Directory, "data")}", Render(project, "main").Command);
    }

    [Fact]
    public void Render_AbsoluteAndFileUriPaths_AreAccepted()
    {
        using var project = SingleEntry("      a: path\n      b: path", "run {a} {b}").With("x.csv");
        var absolute = Path.Join(project.Directory, "x.csv");

        var rendered = Render(project, "main", $"a={absolute}", $"b=file://{absolute}");

        Assert.Equal($"run {absolute} {absolute}", rendered.Command);
    }

    [Fact]
    public void Render_PathWithSpace_IsQuotedAfterResolving()
    {
        using var project = SingleEntry("      data: path", "run {data}").With("my data.csv");

        Assert.Equal($"run '{Path.Join(project.Directory, "my data.csv")}'", Render(project, "main", "data=my data.csv").Command);
    }

    [Fact]
    public void Render_MissingPath_FailsNamingParameterAndValue()
    {
        using var project = SingleEntry("      data: path", "run {data}");

        var error = Assert.Throws<InputException>(() => Render(project, "main", "data=missing.csv"));

        Assert.StartsWith("parameter 'data' (path) does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("'missing.csv'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/data.csv")]
    [InlineData("")]
    public void Render_RemoteOrEmptyPath_Fails(string value)
    {
        using var project = SingleEntry("      data: path", "run {data}");

        var error = Assert.Throws<InputException>(() => Render(project, "main", $"data={value}"));

        Assert.Contains("parameter 'data' (path)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/key")]
    [InlineData("file:///data")]
    [InlineData("mailto:someone@example.com")]
    public void Render_UriWithScheme_IsPassedUnchanged(string value)
    {
        using var project = SingleEntry("      source: uri", "run {source}");

        Assert.Equal($"run {value}", Render(project, "main", $"source={value}").Command);
    }

    [Theory]
    [InlineData("data/train.csv")]
    [InlineData("/abs/path")]
    [InlineData("1http://x")]
    public void Render_UriWithoutScheme_FailsNamingParameterAndValue(string value)
    {
        using var project = SingleEntry("      source: uri", "run {source}");

        var error = Assert.Throws<InputException>(() => Render(project, "main", $"source={value}"));

        Assert.StartsWith("parameter 'source' (uri) must be a URI with a scheme", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"got '{value}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownType_ActsAsStringWithLocatedWarning()
    {
        using var project = SingleEntry("      flag: {type: bool, default: x y}", "run {flag}");

        var rendered = Render(project, "main");

        Assert.Equal("run 'x y'", rendered.Command);
        Assert.Equal([$"{project.MLprojectPath}:4:20: warning: parameter 'flag' of entry point 'main' has unknown type 'bool'; its value is passed as a string, as MLflow does"], rendered.Warnings);
    }

    [Fact]
    public void Render_KnownTypes_GiveNoWarnings()
    {
        using var project = GreeterProject();

        Assert.Empty(Render(project, "greeter", "name=x").Warnings);
    }
}
