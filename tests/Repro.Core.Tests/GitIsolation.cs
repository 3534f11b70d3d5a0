using System.Runtime.CompilerServices;
using LibGit2Sharp;

namespace Repro.Core.Tests;

/// <summary>
/// Keeps every test in this assembly away from the machine's git configuration, for the git processes repro starts
/// (which inherit these variables) and for LibGit2Sharp inside this process alike.
/// </summary>
internal static class GitIsolation
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: isolation must hold before any test runs, whichever runs first.")]
    internal static void Apply()
    {
        System.Environment.SetEnvironmentVariable("GIT_CONFIG_GLOBAL", GitRepository.Isolation["GIT_CONFIG_GLOBAL"]);
        System.Environment.SetEnvironmentVariable("GIT_CONFIG_NOSYSTEM", "1");

        // A folder that does not exist: LibGit2Sharp then finds no user or system configuration at all.
        var empty = Path.Combine(Path.GetTempPath(), "repro-tests-no-git-config-" + Guid.NewGuid().ToString("N"));
        GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.Global, empty);
        GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.Xdg, empty);
        GlobalSettings.SetConfigSearchPaths(ConfigurationLevel.System, empty);
    }
}
