using System.Diagnostics;
using System.Reflection;

namespace Repro.Samples.Tests.Support;

/// <summary>Runs a sample in a child process, as a user or <c>repro run</c> would, and captures its output.</summary>
public static class SampleProcess
{
    /// <summary>Variables the test host may carry that would change what a sample does: every run starts without them.</summary>
    private static readonly string[] Cleared =
    [
        "REPRO_RUN_ID", "REPRO_RUN_DIR", "REPRO_SEED", "REPRO_PARAMS_FILE", "REPRO_METRICS_FILE",
        "PYTHONHASHSEED", "SOURCE_DATE_EPOCH",
    ];

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public string Describe() => $"exit code {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
    }

    /// <summary>Runs the built sample <paramref name="sample"/> (Bikes, TorchSample) with <c>dotnet</c>.</summary>
    public static Result Dotnet(string sample, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null) =>
        Run(DotnetHost(), [SamplePath(sample), .. arguments], workingDirectory, environment);

    /// <summary>Runs a Python script of the repository with <c>python3</c>.</summary>
    public static Result Python(string script, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null) =>
        Run("python3", [Path.Combine(RepositoryRoot(), script), .. arguments], workingDirectory, environment);

    /// <summary>The folder holding Repro.sln, found from the test assembly's location.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Repro.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Repro.sln above {AppContext.BaseDirectory}");
    }

    private static Result Run(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in Cleared)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string SamplePath(string sample) =>
        typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == $"sample:{sample}")?.Value
        ?? throw new InvalidOperationException($"The test assembly does not know where the sample {sample} is built (see Repro.Samples.Tests.csproj).");

    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
        {
            return fromSdk;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }
}
