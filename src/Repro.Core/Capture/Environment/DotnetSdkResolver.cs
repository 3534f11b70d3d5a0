using System.Text.Json;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// Which .NET SDK <c>dotnet</c> runs in a folder, worked out the way the .NET host (hostfxr) does it, without starting
/// <c>dotnet</c> (a process start and about 150 ms of CPU on every <c>repro run</c>): the nearest <c>global.json</c>
/// at or above the folder gives a version, a roll-forward policy and whether prereleases count, and the SDK folders
/// next to the <c>dotnet</c> executable that hold a <c>dotnet.dll</c> are the candidates.
/// </summary>
/// <remarks>
/// Wherever the host would do something this class does not model, it answers "unsure" (null) and the caller asks
/// <c>dotnet --version</c> itself: a <c>global.json</c> that is not valid JSON or that the host would ignore with a
/// warning, custom SDK search <c>paths</c>, no matching SDK (the host's error message is worth recording), a
/// <c>dotnet</c> that is not next to an <c>sdk</c> folder, and a project folder reached through a symbolic link
/// (the host walks up from the physical folder).
/// </remarks>
internal static class DotnetSdkResolver
{
    private const string SdkFolderName = "sdk";
    private const string SdkMarkerFile = "dotnet.dll";
    private const string GlobalJsonFileName = "global.json";

    // The host compares policy names without regard to case.
    private static readonly Dictionary<string, RollForward> Policies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["disable"] = RollForward.Disable,
        ["patch"] = RollForward.Patch,
        ["feature"] = RollForward.Feature,
        ["minor"] = RollForward.Minor,
        ["major"] = RollForward.Major,
        ["latestPatch"] = RollForward.LatestPatch,
        ["latestFeature"] = RollForward.LatestFeature,
        ["latestMinor"] = RollForward.LatestMinor,
        ["latestMajor"] = RollForward.LatestMajor,
    };

    /// <summary>The SDK version <c>dotnet --version</c> would print in <paramref name="workingDirectory"/>, or null when unsure.</summary>
    /// <param name="dotnetExecutable">The <c>dotnet</c> found on PATH (symbolic links are followed to the installation).</param>
    /// <param name="workingDirectory">The folder dotnet would run in.</param>
    /// <returns>The version, or null when only running <c>dotnet --version</c> can tell.</returns>
    public static string? TryResolve(string dotnetExecutable, string workingDirectory)
    {
        try
        {
            var executable = new FileInfo(dotnetExecutable);
            var installed = executable.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? executable;
            if (installed.DirectoryName is not { } dotnetRoot || ContainsLink(Path.GetFullPath(workingDirectory)))
            {
                return null;
            }

            var settings = FindGlobalJson(Path.GetFullPath(workingDirectory)) is { } globalJson
                ? ReadSettings(File.ReadAllText(globalJson))
                : GlobalJsonSettings.Default;
            return settings is null ? null : Resolve(settings, Path.Combine(dotnetRoot, SdkFolderName))?.Text;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Reads the SDK settings of a <c>global.json</c>; null when the host would not take them as they are.</summary>
    /// <param name="json">The file's text.</param>
    /// <returns>The settings, or null when unsure.</returns>
    internal static GlobalJsonSettings? ReadSettings(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || HasDuplicateNames(document.RootElement))
            {
                return null;
            }

            if (!document.RootElement.TryGetProperty("sdk", out var sdk) || sdk.ValueKind == JsonValueKind.Null)
            {
                return GlobalJsonSettings.Default;
            }

            if (sdk.ValueKind != JsonValueKind.Object || HasDuplicateNames(sdk) || IsSet(sdk, "paths"))
            {
                return null;
            }

            DotnetSdkVersion? version = null;
            var policy = RollForward.LatestMajor;
            if (IsSet(sdk, "version"))
            {
                var text = sdk.GetProperty("version");
                version = text.ValueKind == JsonValueKind.String ? DotnetSdkVersion.Parse(text.GetString()!) : null;
                if (version is null || version.FeatureBand < 1)
                {
                    return null;
                }

                // A version without a policy rolls forward to the latest patch of its feature band.
                policy = RollForward.Patch;
            }

            if (IsSet(sdk, "rollForward"))
            {
                var text = sdk.GetProperty("rollForward");
                if (text.ValueKind != JsonValueKind.String || !Policies.TryGetValue(text.GetString()!, out policy)
                    || (policy != RollForward.LatestMajor && version is null))
                {
                    return null;
                }
            }

            var allowPrerelease = true;
            if (IsSet(sdk, "allowPrerelease"))
            {
                var value = sdk.GetProperty("allowPrerelease");
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return null;
                }

                allowPrerelease = value.GetBoolean();
            }

            // A prerelease version asks for prereleases, whatever allowPrerelease says.
            return new GlobalJsonSettings(version, policy, allowPrerelease || version?.IsPrerelease == true);
        }
    }

    /// <summary>Picks the SDK the host would pick among the folders of <paramref name="sdkFolder"/>.</summary>
    /// <param name="settings">What global.json asks for.</param>
    /// <param name="sdkFolder">The <c>sdk</c> folder of the dotnet installation.</param>
    /// <returns>The version, or null when none matches.</returns>
    internal static DotnetSdkVersion? Resolve(GlobalJsonSettings settings, string sdkFolder)
    {
        if (!Directory.Exists(sdkFolder))
        {
            return null;
        }

        if (settings.Version is { } requested && settings.RollForward is RollForward.Disable or RollForward.Patch
            && File.Exists(Path.Combine(sdkFolder, requested.Text, SdkMarkerFile)))
        {
            return requested;
        }

        if (settings.RollForward == RollForward.Disable)
        {
            return null;
        }

        // A plain loop, not LINQ over (folder, version) tuples: generic code over a value tuple is left to the JIT by
        // ReadyToRun, and every run resolves the SDK.
        var folders = Directory.GetDirectories(sdkFolder);
        Array.Sort(folders, StringComparer.Ordinal);
        var installed = new List<DotnetSdkVersion>(folders.Length);
        foreach (var folder in folders)
        {
            if (DotnetSdkVersion.Parse(Path.GetFileName(folder)) is { } version && File.Exists(Path.Combine(folder, SdkMarkerFile)))
            {
                installed.Add(version);
            }
        }

        return Choose(settings, installed);
    }

    /// <summary>The host's choice among installed SDK versions, as a pure function.</summary>
    /// <param name="settings">What global.json asks for.</param>
    /// <param name="installed">The installed versions, in any order.</param>
    /// <returns>The chosen version, or null when none matches.</returns>
    internal static DotnetSdkVersion? Choose(GlobalJsonSettings settings, IEnumerable<DotnetSdkVersion> installed)
    {
        DotnetSdkVersion? best = null;
        foreach (var candidate in installed)
        {
            if (Matches(settings, candidate) && (best is null || IsBetter(settings, candidate, best)))
            {
                best = candidate;
            }
        }

        return best;
    }

    private static bool Matches(GlobalJsonSettings settings, DotnetSdkVersion candidate)
    {
        if ((!settings.AllowPrerelease && candidate.IsPrerelease) || settings.RollForward == RollForward.Disable)
        {
            return false;
        }

        if (settings.Version is not { } requested)
        {
            return true;
        }

        var sameMajor = candidate.Major == requested.Major;
        var sameMinor = sameMajor && candidate.Minor == requested.Minor;
        var sameBand = sameMinor && candidate.FeatureBand == requested.FeatureBand;
        var withinPolicy = settings.RollForward switch
        {
            RollForward.Patch or RollForward.LatestPatch => sameBand,
            RollForward.Feature or RollForward.LatestFeature => sameMinor,
            RollForward.Minor or RollForward.LatestMinor => sameMajor,
            _ => true,
        };
        return withinPolicy && candidate.CompareTo(requested) >= 0;
    }

    // The latest wins when no version is asked for, under a latest* policy, and within one feature band (the latest
    // patch); otherwise the lowest band that matches.
    private static bool IsBetter(GlobalJsonSettings settings, DotnetSdkVersion candidate, DotnetSdkVersion best)
    {
        var latestWins = settings.Version is null
            || settings.RollForward is RollForward.LatestPatch or RollForward.LatestFeature or RollForward.LatestMinor or RollForward.LatestMajor
            || (candidate.Major == best.Major && candidate.Minor == best.Minor && candidate.FeatureBand == best.FeatureBand);
        return latestWins ? candidate.CompareTo(best) > 0 : candidate.CompareTo(best) < 0;
    }

    private static string? FindGlobalJson(string directory)
    {
        for (var current = directory; current is not null; current = Path.GetDirectoryName(current))
        {
            var candidate = Path.Combine(current, GlobalJsonFileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool ContainsLink(string fullPath)
    {
        for (var current = fullPath; current is not null; current = Path.GetDirectoryName(current))
        {
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSet(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static bool HasDuplicateNames(JsonElement element)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        return element.EnumerateObject().Any(property => !names.Add(property.Name));
    }
}

/// <summary>The host's SDK roll-forward policies (global.json <c>sdk.rollForward</c>).</summary>
internal enum RollForward
{
    /// <summary>Exactly the requested version.</summary>
    Disable,

    /// <summary>The requested version if installed, else the latest patch of its feature band above it.</summary>
    Patch,

    /// <summary>The nearest feature band at or above the requested version (same minor), with its latest patch.</summary>
    Feature,

    /// <summary>The nearest feature band at or above the requested version (same major), with its latest patch.</summary>
    Minor,

    /// <summary>The nearest feature band at or above the requested version, with its latest patch.</summary>
    Major,

    /// <summary>The latest patch of the requested feature band.</summary>
    LatestPatch,

    /// <summary>The latest SDK of the requested minor version.</summary>
    LatestFeature,

    /// <summary>The latest SDK of the requested major version.</summary>
    LatestMinor,

    /// <summary>The latest installed SDK.</summary>
    LatestMajor,
}

/// <summary>What a <c>global.json</c> asks of SDK selection.</summary>
/// <param name="Version">The requested version, or null for "the latest".</param>
/// <param name="RollForward">The roll-forward policy.</param>
/// <param name="AllowPrerelease">Whether prerelease SDKs may be chosen.</param>
internal sealed record GlobalJsonSettings(DotnetSdkVersion? Version, RollForward RollForward, bool AllowPrerelease)
{
    /// <summary>No global.json, or one without SDK settings: the latest SDK, prereleases included.</summary>
    public static GlobalJsonSettings Default { get; } = new(null, RollForward.LatestMajor, true);
}
