using System.Collections;
using Repro.Core.Processes;

namespace Repro.Core.Tests.Processes;

public sealed class ProcessLauncherTests : IDisposable
{
    private readonly TempDirectory _temp = new("launch");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Start_Arguments_ReachTheProgramUnchangedWithoutAShell()
    {
        var (exitCode, stdout, _) = await RunAsync(Start("printf", ["[%s]\n", "a b", "$(touch pwned)", "'q'"]));

        Assert.Equal(0, exitCode);
        Assert.Equal("[a b]\n[$(touch pwned)]\n['q']\n", stdout);
        Assert.False(File.Exists(_temp.Combine("pwned")));
    }

    [Fact]
    public async Task Start_Environment_IsExactlyTheOneGiven()
    {
        var environment = new Dictionary<string, string> { ["ONLY_THIS"] = "1" };

        var (_, stdout, _) = await RunAsync(Start(Sh, ["-c", "env"], environment));

        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("ONLY_THIS=1", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("PATH=", StringComparison.Ordinal) || line.StartsWith("HOME=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_CLocale_OverridesTheLocaleAndDropsLanguage()
    {
        var environment = new Dictionary<string, string> { ["LC_ALL"] = "de_DE.UTF-8", ["LANG"] = "de_DE.UTF-8", ["LANGUAGE"] = "de" };

        var (_, stdout, _) = await RunAsync(Start(Sh, ["-c", "echo \"$LC_ALL|$LANG|${LANGUAGE-unset}\""], environment, cLocale: true));

        Assert.Equal("C|C|unset\n", stdout);
    }

    [Fact]
    public async Task Start_StandardInput_IsClosedUnlessInherited()
    {
        var (_, stdout, _) = await RunAsync(Start(Sh, ["-c", "cat; echo end"]));

        Assert.Equal("end\n", stdout);
    }

    [UnixFact]
    public async Task Start_OwnSession_LeadsASessionThatKillSessionEmpties()
    {
        using var process = ProcessLauncher.Start(new ProcessStart(Sh, ["-c", "sleep 300 & echo started; wait"], _temp.Path, Environment()) { OwnSession = true });
        var reader = new StreamReader(process.StandardOutput);
        Assert.Equal("started", await reader.ReadLineAsync());

        Assert.True(process.OwnsSession);
        Assert.Contains(process.Id, ProcessTable.SessionMembers(process.Id));
        var killed = process.KillSession();
        await process.WaitForExitAsync();

        Assert.Equal(2, killed);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ProcessTable.SessionMembers(process.Id).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Empty(ProcessTable.SessionMembers(process.Id));
    }

    [Fact]
    public async Task KillTree_RunningProgram_EndsIt()
    {
        using var process = Start(Sh, ["-c", "sleep 300"]);

        process.KillTree();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(0, process.ExitCode);
        process.KillTree();
    }

    [Fact]
    public void Start_MissingProgram_Throws()
    {
        Assert.Throws<System.ComponentModel.Win32Exception>(() => Start(_temp.Combine("no-such-program"), []));
    }

    [Fact]
    public async Task ReadBoundedAsync_LongOutput_KeepsTheLimitAndDrainsTheRest()
    {
        using var process = Start(Sh, ["-c", "head -c 100000 /dev/zero | tr '\\0' x"]);

        var text = await ProcessOutput.ReadBoundedAsync(process.StandardOutput, 10);
        await process.WaitForExitAsync();

        Assert.Equal("xxxxxxxxxx", text);
        Assert.Equal(0, process.ExitCode);
    }

    private static string Sh => ExecutableLocator.Find("sh", Environment(), "/") ?? throw new InvalidOperationException("no sh on PATH");

    private static Dictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string)entry.Value!;
        }

        return variables;
    }

    private LaunchedProcess Start(string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, bool cLocale = false)
    {
        var path = Path.IsPathRooted(program) ? program : ExecutableLocator.Find(program, Environment(), _temp.Path) ?? throw new InvalidOperationException($"no {program} on PATH");
        return ProcessLauncher.Start(new ProcessStart(path, arguments, _temp.Path, environment ?? Environment()) { CLocale = cLocale });
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(LaunchedProcess process)
    {
        using (process)
        {
            var stdout = ProcessOutput.ReadBoundedAsync(process.StandardOutput, 1 << 20);
            var stderr = ProcessOutput.ReadBoundedAsync(process.StandardError, 1 << 20);
            await process.WaitForExitAsync();
            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
