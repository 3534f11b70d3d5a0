using System.Diagnostics;

namespace Repro.Cli.Tests.Fixtures;

/// <summary>Runs a tool the tests need (git, python3) and fails the test when it fails.</summary>
public static class ProcessRunner
{
    public static string Run(string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? variables = null) =>
        RunAsync(fileName, arguments, workingDirectory, variables: variables).GetAwaiter().GetResult();

    public static async Task<string> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyList<string>? removeVariables = null,
        IReadOnlyDictionary<string, string>? variables = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["LC_ALL"] = "C";
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        foreach (var name in removeVariables ?? [])
        {
            startInfo.Environment.Remove(name);
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
        }

        return await stdout;
    }
}
