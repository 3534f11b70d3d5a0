namespace Repro.Core.Capture.Environment;

/// <summary>Decides from captured evidence whether the process runs in a container.</summary>
internal static class ContainerHints
{
    // cgroup path segments that container runtimes and orchestrators create.
    private static readonly string[] ContainerSegmentPrefixes =
        ["docker", "kubepods", "containerd", "libpod", "podman", "crio", "lxc", "buildkit", "actions_job", "ecs"];

    /// <summary>Combines the marker files, the variables container images set and PID 1's cgroup.</summary>
    /// <param name="dockerEnvExists">Whether <c>/.dockerenv</c> exists (Docker).</param>
    /// <param name="containerEnvExists">Whether <c>/run/.containerenv</c> exists (Podman).</param>
    /// <param name="variables">The process environment; <c>container</c> and <c>DOTNET_RUNNING_IN_CONTAINER</c> are read, nothing is kept.</param>
    /// <param name="pid1Cgroup">The text of <c>/proc/1/cgroup</c>, or null when unreadable.</param>
    /// <returns>
    /// True on any container evidence; false when PID 1 is the host's systemd (<c>/init.scope</c>); otherwise null,
    /// because a private cgroup namespace shows "/" both inside a container and on some hosts.
    /// </returns>
    public static bool? Decide(bool dockerEnvExists, bool containerEnvExists, IReadOnlyDictionary<string, string> variables, string? pid1Cgroup)
    {
        if (dockerEnvExists || containerEnvExists)
        {
            return true;
        }

        if ((variables.TryGetValue("container", out var runtime) && runtime.Length > 0)
            || (variables.TryGetValue("DOTNET_RUNNING_IN_CONTAINER", out var dotnetImage) && string.Equals(dotnetImage, "true", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return pid1Cgroup is null ? null : FromCgroup(pid1Cgroup);
    }

    /// <summary>Reads <c>/proc/1/cgroup</c> text (cgroup v1 or v2).</summary>
    /// <param name="text">The file's text: <c>ID:CONTROLLERS:PATH</c> lines.</param>
    /// <returns>True when a path names a container runtime, false when PID 1 sits in <c>/init.scope</c>, otherwise null.</returns>
    public static bool? FromCgroup(string text)
    {
        var hostInit = false;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Trim().Split(':', 3);
            if (parts.Length != 3)
            {
                continue;
            }

            var path = parts[2];
            foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (ContainerSegmentPrefixes.Any(prefix => segment.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    return true;
                }
            }

            hostInit |= path == "/init.scope";
        }

        return hostInit ? false : null;
    }
}
