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

    /// <summary>Runs the built sample <paramref name="sample"/> (Bikes, TorchSample) with <c>dotnet</c>.</summary>
    public static ProcessResult Dotnet(string sample, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null) =>
        DotnetHost.Run([SamplePath(sample), .. arguments], workingDirectory, Environment(environment));

    /// <summary>Runs a Python script of the repository with <c>python3</c>.</summary>
    public static ProcessResult Python(string script, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null) =>
        ProcessRunner.Run("python3", [Path.Combine(DotnetHost.RepositoryRoot(), script), .. arguments], workingDirectory, Environment(environment));

    private static Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? given)
    {
        var environment = Cleared.ToDictionary(name => name, _ => (string?)null, StringComparer.Ordinal);
        foreach (var (name, value) in given ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return environment;
    }

    private static string SamplePath(string sample) =>
        typeof(SampleProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == $"sample:{sample}")?.Value
        ?? throw new InvalidOperationException($"The test assembly does not know where the sample {sample} is built (see Repro.Samples.Tests.csproj).");
}
