using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Repro.Cli.IntegrationTests.Fixtures;

/// <summary>
/// Tests of checkout, remotes, push and pull: a committed project whose entry point reads two inputs and writes two
/// outputs (one a copy of an input), recorded once. <c>data/ref.csv</c> is declared <c>store: false</c>, so it is the
/// one file of the run without a stored copy.
/// </summary>
public abstract class DataTestBase : ReproTestBase
{
    /// <summary>
    /// <c>data/in.csv</c> is copied to <c>out/copy.csv</c>; <c>data/ref.csv</c> is only read; <c>out/model.bin</c>
    /// holds the parameter <c>n</c> and, with <c>big</c> set, that many MiB of repeatable bytes.
    /// </summary>
    protected const string MLproject = """
        name: data
        entry_points:
          main:
            parameters:
              n: {type: string, default: "1"}
              big: {type: string, default: "0"}
            command: "mkdir -p out && cp data/in.csv out/copy.csv && cat data/ref.csv > /dev/null && printf 'model %s\\n' {n} > out/model.bin && head -c $(( {big} * 1048576 )) /dev/zero | tr '\\0' 'x' >> out/model.bin"
            inputs: [data/in.csv, {path: data/ref.csv, store: false}]
            outputs: [out/]
        """;

    /// <summary>A committed project at <c>project/</c> and one run of it; returns the run id.</summary>
    protected (string Project, GitRepository Git, string RunId) RecordedProject(params string[] runArguments)
    {
        var (project, git) = CommittedProject(
            ("MLproject", MLproject),
            (".gitignore", "out/\n"),
            ("data/in.csv", "a,b\n1,2\n"),
            ("data/ref.csv", "reference data\n"));
        return (project, git, RunOnce(project, runArguments));
    }

    /// <summary>The object store path of a digest in <paramref name="store"/>.</summary>
    protected static string ObjectPath(string store, string sha256) => Path.Combine(store, "objects", "sha256", sha256[..2], sha256[2..]);

    protected static string Sha256Of(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>Flips one bit of a file, keeping its size (as a failing disk or a mangling server would).</summary>
    [UnsupportedOSPlatform("windows")]
    protected static void Damage(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Every file under the project except the store, to show a command changed nothing there.</summary>
    protected static SortedDictionary<string, string> WorkspaceFiles(string project)
    {
        var files = FilesUnder(project);
        foreach (var key in files.Keys.Where(k => k.StartsWith(".repro/", StringComparison.Ordinal) || k.StartsWith(".git/", StringComparison.Ordinal)).ToList())
        {
            files.Remove(key);
        }

        return files;
    }

    /// <summary>The state of each file in <c>repro checkout --json</c> output, by path.</summary>
    protected static Dictionary<string, string> States(string checkoutJson) =>
        ParseJson(checkoutJson)["files"]!.AsArray().ToDictionary(f => (string)f!["path"]!, f => (string)f!["state"]!);

    /// <summary>The files of a run's manifest (inputs and outputs) with their recorded digests.</summary>
    protected static Dictionary<string, string> RecordedFiles(JsonObject manifest) =>
        manifest["inputs"]!.AsArray().Concat(manifest["outputs"]!.AsArray())
            .SelectMany(record => record!["files"]!.AsArray())
            .GroupBy(file => (string)file!["path"]!)
            .ToDictionary(group => group.Key, group => (string)group.Last()!["sha256"]!);
}
