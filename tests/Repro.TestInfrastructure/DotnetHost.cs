namespace Repro.TestInfrastructure;

/// <summary>The <c>dotnet</c> host running the tests, and the repository they were built from.</summary>
public static class DotnetHost
{
    /// <summary>Variables every <c>dotnet</c> a test starts gets: no MSBuild node outliving the test, no banners or telemetry.</summary>
    private static readonly IReadOnlyDictionary<string, string?> Quiet = new Dictionary<string, string?>
    {
        ["MSBUILDDISABLENODEREUSE"] = "1",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>The <c>dotnet</c> executable: the one that started this test run when known, else the one on PATH.</summary>
    public static string Path
    {
        get
        {
            var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk))
            {
                return fromSdk;
            }

            var current = Environment.ProcessPath;
            return current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
        }
    }

    /// <summary>The folder holding Repro.sln, found from the test assembly's location (never from the current directory).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Repro.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Repro.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Runs <c>dotnet ARGUMENTS</c> to its end; a null value in <paramref name="environment"/> removes the variable.</summary>
    public static ProcessResult Run(IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var variables = new Dictionary<string, string?>(Quiet);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            variables[name] = value;
        }

        return ProcessRunner.Run(Path, arguments, workingDirectory, variables);
    }
}
