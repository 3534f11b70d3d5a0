using Repro.Core.Processes;

namespace Repro.Core.Capture.Environment;

/// <summary>The .NET SDK the project's global.json resolves to.</summary>
internal static class DotnetSdkProbe
{
    /// <summary>
    /// Expensive: starts <c>dotnet --version</c> (the SDK resolver reads global.json upward from the working
    /// directory, so it runs in the project directory).
    /// </summary>
    /// <param name="variables">The environment whose PATH finds dotnet.</param>
    /// <param name="projectDirectory">The project directory, used as working directory.</param>
    /// <param name="timeout">Limit for the run.</param>
    /// <param name="cancellationToken">Stops the probe.</param>
    /// <returns>The SDK version; null with no warning when dotnet is absent, null with a warning when it fails.</returns>
    public static async Task<Probed<string?>> ProbeAsync(
        IReadOnlyDictionary<string, string> variables, string projectDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (ExecutableLocator.Find("dotnet", variables, projectDirectory) is not { } dotnet)
        {
            return new Probed<string?>(null, null);
        }

        // The CLI's first-run banner and telemetry notice are noise on standard output.
        var probeVariables = new Dictionary<string, string>(variables, StringComparer.Ordinal)
        {
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
        var result = await ExternalProbe.RunAsync(dotnet, ["--version"], projectDirectory, probeVariables, timeout, cancellationToken);
        if (result.Succeeded && VersionOutputParser.ParseDotnetSdk(result.Stdout) is { } version)
        {
            return new Probed<string?>(version, null);
        }

        var detail = result.Status == ProbeStatus.Exited ? VersionOutputParser.DescribeDotnetFailure(result.Stderr) : null;
        var warning = $"dotnet --version {result.Describe(timeout)} in {projectDirectory}; .NET SDK not recorded"
            + (detail is null ? string.Empty : $": {EnvironmentVariablePolicy.Sanitize(detail)}");
        return new Probed<string?>(null, warning);
    }
}
