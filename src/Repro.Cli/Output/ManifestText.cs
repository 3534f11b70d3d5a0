using System.Globalization;
using System.Text;
using Repro.Core.AutoSeed;
using Repro.Core.Capture.Data;
using Repro.Core.Runs;

namespace Repro.Cli.Output;

/// <summary>The human summary <c>repro show</c> prints of a manifest.</summary>
internal static class ManifestText
{
    public static string Render(RunManifest manifest, string manifestPath, RunStatus? shownStatus = null)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        void Line(string label, string value) => text.Append(culture, $"{label,-12}{value}\n");

        var names = new List<string>();
        if (manifest.RunName is { } runName)
        {
            names.Add($"name {runName}");
        }

        if (manifest.ExperimentName is { } experiment)
        {
            names.Add($"experiment {experiment}");
        }

        Line("run", manifest.RunId + (names.Count > 0 ? $" ({string.Join(", ", names)})" : string.Empty));
        if (manifest.Verifies is { } verifies)
        {
            Line("verifies", verifies);
        }

        var execution = manifest.Execution;
        var status = (shownStatus ?? manifest.Status).Name();
        if (execution?.ExitCode is { } exitCode)
        {
            status += $" (exit {exitCode})";
        }

        if (execution?.DurationSeconds is { } duration)
        {
            status += $" in {Durations.Format(duration)}";
        }

        Line("status", status);
        if (shownStatus == RunStatus.Abandoned && manifest.Status == RunStatus.Running)
        {
            Line(string.Empty, "recorded RUNNING, but no repro process records it any more: repro was killed (or its disk filled) before it could record the end");
        }

        if (manifest.StatusMessage is { } message)
        {
            Line(string.Empty, message);
        }

        if (manifest.Scheduler is { } scheduler)
        {
            var facts = new[] { scheduler.Node is { } node ? $"node {node}" : null, scheduler.Partition is { } partition ? $"partition {partition}" : null, scheduler.SchedulerVersion, scheduler.FinalState is { } state ? $"Slurm state {state}" : null }.OfType<string>().ToList();
            Line("job", $"{scheduler.Backend} job {scheduler.TaskId}{(facts.Count > 0 ? $" ({string.Join(", ", facts)})" : string.Empty)}");
        }

        if (manifest.Sweep is { } sweep)
        {
            Line("sweep", $"{sweep.SweepId}, point {sweep.Index}");
        }

        if (execution is not null)
        {
            var resources = new List<string> { $"started {UtcTimeText.Iso(execution.StartedAt.UtcDateTime)}" };
            if (execution.CpuUserSeconds is { } user && execution.CpuSystemSeconds is { } system)
            {
                resources.Add($"cpu {Durations.Format(user + system)}");
            }

            if (execution.PeakMemoryBytes is { } peak)
            {
                resources.Add($"peak memory {HashProgressText.FormatBytes(peak)}");
            }

            Line("resources", string.Join(", ", resources));
        }

        Line("project", $"{manifest.Project.Directory} ({manifest.Project.File ?? "no MLproject file"}{(manifest.Project.Name is { } name ? $", {name}" : string.Empty)})");
        if (manifest.Source is { } source)
        {
            Line("source", $"{source.Uri}{(source.Subdirectory.Length == 0 ? string.Empty : "#" + source.Subdirectory)} at {source.Commit[..Math.Min(12, source.Commit.Length)]} ({source.RefKind.Name()}{(source.Version is { } version ? " " + version : string.Empty)})");
        }
        Line("entry point", $"{manifest.EntryPoint.Name} ({manifest.EntryPoint.Kind.Name()})");
        Line("command", manifest.Command.Rendered);
        if (manifest.Parameters.Count > 0)
        {
            Line("parameters", string.Join(", ", manifest.Parameters.Select(parameter =>
                $"{parameter.Name}={parameter.Given}{(parameter.Source == ParameterSource.User ? string.Empty : $" ({parameter.Source.Name()})")}")));
        }

        Line("seed", $"{manifest.Seed.Value} ({manifest.Seed.Source.Name()})");
        Line("code", CodeLine(manifest.Git));
        Line("os", $"{manifest.Environment.Os.Name} {manifest.Environment.Os.Version} ({manifest.Environment.Os.Architecture}, kernel {manifest.Environment.Os.Kernel ?? "?"})");
        Line("cpu", $"{manifest.Environment.Cpu.Model ?? "unknown"}, {manifest.Environment.Cpu.LogicalCores} logical cores, {string.Join(" ", manifest.Environment.Cpu.VectorIsa)}");
        Line(".net", $"runtime {manifest.Environment.Dotnet.Runtime} ({manifest.Environment.Dotnet.Rid}), sdk {manifest.Environment.Dotnet.Sdk ?? "none"}");
        if (manifest.Environment.Gpus.Count > 0)
        {
            Line("gpu", string.Join("; ", manifest.Environment.Gpus.Select(gpu => $"{gpu.Name} (driver {gpu.Driver ?? "?"})")) + $", CUDA {manifest.Environment.CudaVersion ?? "?"}");
        }

        if (manifest.Environment.Interpreter is { } interpreter)
        {
            Line("interpreter", $"{interpreter.Command}: {interpreter.Version ?? "unknown"}");
        }

        if (manifest.PythonEnvironment is { } virtualenv)
        {
            Line("virtualenv", $"{virtualenv.Key[..Math.Min(16, virtualenv.Key.Length)]} from {virtualenv.Requested.File}, Python {virtualenv.Interpreter.Version}, {virtualenv.Resolved.Packages.Count} packages: {string.Join(", ", virtualenv.Resolved.Packages.Select(package => $"{package.Name}=={package.Version}"))}");
        }

        if (manifest.Python is { } python)
        {
            PythonLines(Line, python);
        }

        DataLines(Line, "inputs", manifest.Inputs);
        DataLines(Line, "outputs", manifest.Outputs);
        if (manifest.Metrics is { Values.Count: > 0 } metrics)
        {
            Line("metrics", string.Join(", ", metrics.Values.Select(pair => $"{pair.Key}={pair.Value.ToString("G6", culture)}")));
        }

        foreach (var warning in manifest.Warnings)
        {
            Line("warning", warning);
        }

        Line("manifest", manifestPath);
        return text.ToString();
    }

    private static string CodeLine(GitRecord git)
    {
        if (git.Commit is null)
        {
            return git.State.Name();
        }

        var where = git.Branch is { } branch ? $"on {branch}" : "detached";
        var dirt = git.Dirty
            ? $", dirty ({(git.Patch is { } patch ? $"patch {patch.File}, {HashProgressText.FormatBytes(patch.Bytes)}" : "no tracked changes")}{(git.Untracked.Count > 0 ? $", {git.Untracked.Count} untracked" : string.Empty)})"
            : ", clean";
        var remote = git.RemoteUrl is { } url ? $", {git.RemoteName ?? "remote"} {url}" : string.Empty;
        return $"{git.Commit[..Math.Min(12, git.Commit.Length)]} {where}{dirt}{remote}";
    }

    // What the Python hook did: off, or each interpreter with how many of its processes it seeded, then the
    // libraries' versions and the flags read back, as diff compares them (a value per line, several when processes differ).
    private static void PythonLines(Action<string, string> line, PythonRecord python)
    {
        if (!python.AutoSeed)
        {
            line("auto-seed", "off: repro's Python hook did not run");
            return;
        }

        var count = python.Processes.Count;
        if (count == 0)
        {
            // The hook was on, but the entry point started no Python: nothing to show.
            return;
        }

        line("auto-seed", $"on (hook {python.Hook?[..Math.Min(12, python.Hook.Length)] ?? "?"}), {count} Python process{(count == 1 ? string.Empty : "es")} reported");
        foreach (var interpreter in python.Processes.GroupBy(process => $"{process.Implementation ?? "python"} {process.PythonVersion ?? "?"} {process.Executable ?? "?"}"))
        {
            var statuses = interpreter.GroupBy(process => process.Status).Select(status => $"{status.Count()} {status.Key.Name()}");
            line("python", $"{interpreter.Key}: {string.Join(", ", statuses)}");
        }

        var facts = PythonFacts.Of(python);
        const string libraryPrefix = "python.libraries.";
        var libraries = facts.Where(fact => fact.Key.StartsWith(libraryPrefix, StringComparison.Ordinal))
            .Select(fact => $"{fact.Key[libraryPrefix.Length..^".version".Length]} {fact.Value}")
            .ToList();
        if (libraries.Count > 0)
        {
            line("seeded", string.Join(", ", libraries));
        }

        const string flagPrefix = "python.flags.";
        var label = "flags";
        foreach (var (key, value) in facts.Where(fact => fact.Key.StartsWith(flagPrefix, StringComparison.Ordinal)))
        {
            line(label, $"{key[flagPrefix.Length..]}={value}");
            label = string.Empty;
        }
    }

    private static void DataLines(Action<string, string> line, string label, IReadOnlyList<DataRecord> records)
    {
        foreach (var record in records)
        {
            var files = record.Kind == DataKind.File ? string.Empty : $", {record.Files.Count} files";
            line(label, $"{record.Spec} sha256:{record.Digest[..Math.Min(16, record.Digest.Length)]}{files}");
            label = string.Empty;
        }
    }
}
