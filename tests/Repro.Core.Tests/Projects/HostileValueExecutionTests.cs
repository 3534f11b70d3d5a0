using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

/// <summary>Rendered commands run through real <c>bash -c</c>: hostile values come out as text and never execute.</summary>
public sealed class HostileValueExecutionTests
{
    private const string HostileKey = "k$(touch pwned-key);touch pwned-key2";

    public static TheoryData<string> HostileValues() =>
    [
        "$(touch pwned-dollar)",
        "`touch pwned-backtick`",
        "; touch pwned-semicolon",
        "a' ; touch pwned-quote ; echo 'b",
        "'\"'\"'; touch pwned-requote; '",
        "\" ; touch pwned-double ; \"",
        "line1\ntouch pwned-newline",
        "&& touch pwned-and",
        "| tee pwned-pipe",
        "> pwned-redirect",
        "$HOME ${PATH} $((6*7))",
        "héllo wörld ✓ 日本",
        "",
        "  spaced  \t",
        "*",
        "~",
        "\\",
        "!!",
        "{v}",
    ];

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Render_HostileValueAndKey_BashPrintsThemVerbatimAndCreatesNothing(string hostile)
    {
        using var project = new TempProject().WithMLproject("""
            entry_points:
              main:
                parameters:
                  v: string
                command: "printf '[%s]\\n' {v}"
            """);
        var before = Directory.GetFileSystemEntries(project.Directory);

        var rendered = CommandRenderer.Render(project.Project, "main", [new("v", hostile), new(HostileKey, hostile)], shell: null);
        var (exitCode, stdout, stderr) = Run(rendered.Argv, project.Directory);

        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exitCode);
        Assert.Equal($"[{hostile}]\n[--{HostileKey}]\n[{hostile}]\n", stdout);
        Assert.Equal(before, Directory.GetFileSystemEntries(project.Directory));
    }

    [Fact]
    public void Render_HostileScriptExtras_ReachTheScriptAsSeparateArguments()
    {
        using var project = new TempProject()
            .WithMLproject("name: scripts\n")
            .With("show args.sh", "printf '[%s]\\n' \"$@\"\n");
        var before = Directory.GetFileSystemEntries(project.Directory);

        var rendered = CommandRenderer.Render(project.Project, "show args.sh", [new("a b", "$(touch pwned) it's")], shell: null);
        var (exitCode, stdout, stderr) = Run(rendered.Argv, project.Directory);

        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, exitCode);
        Assert.Equal("[--a b]\n[$(touch pwned) it's]\n", stdout);
        Assert.Equal(before, Directory.GetFileSystemEntries(project.Directory));
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(IReadOnlyList<string> argv, string workingDirectory)
    {
        var result = ProcessRunner.Run(argv[0], argv.Skip(1), workingDirectory, new Dictionary<string, string?> { ["LC_ALL"] = "C" });
        return (result.ExitCode, result.Stdout, result.Stderr);
    }
}
