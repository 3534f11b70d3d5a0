using System.Globalization;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Differences;

/// <summary>
/// Compares two run manifests fact by fact for <c>repro diff</c> and <c>repro verify</c>. Facts that differ between any two
/// runs and say nothing about results (run id, times, durations, warnings) are not compared; facts that describe a run
/// without changing results (host name, user, project location, branch) are reported as
/// <see cref="DifferenceRole.Informational"/>.
/// </summary>
public static partial class ManifestDifferences
{
    private const string ProjectPlaceholder = "<project>";

    /// <summary>Every recorded fact that differs between <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <param name="a">Run A; for verify, the original run.</param>
    /// <param name="b">Run B; for verify, the verification run.</param>
    public static ManifestDiff Compare(RunManifest a, RunManifest b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        var differences = new DifferenceList();
        var parametersDiffer = CompareParameters(a, b, differences);
        differences.Value(DiffSection.Seed, "seed", "seed", Text(a.Seed.Value), Text(b.Seed.Value), DifferenceRole.Factor);
        differences.Value(DiffSection.Seed, "seed.source", "seed source", a.Seed.Source.Name(), b.Seed.Source.Name(), DifferenceRole.Informational);
        CompareCode(a, b, parametersDiffer, differences);
        differences.Files(DiffSection.Inputs, "inputs", "input", a.Inputs.SelectMany(input => input.Files), b.Inputs.SelectMany(input => input.Files), DifferenceRole.Factor);
        CompareEnvironment(a, b, differences);
        CompareDeterminism(a.Determinism, b.Determinism, differences);
        CompareSdkReports(a, b, differences);
        ComparePython(a, b, differences);
        differences.Files(DiffSection.Outputs, "outputs", "output", a.Outputs.SelectMany(output => output.Files), b.Outputs.SelectMany(output => output.Files), DifferenceRole.Outcome);
        CompareMetrics(a.Metrics, b.Metrics, differences);
        differences.Value(DiffSection.Execution, "execution.status", "status", StatusText(a.Status), StatusText(b.Status), DifferenceRole.Outcome);
        differences.Value(DiffSection.Execution, "execution.exitCode", "exit code", Text(a.Execution?.ExitCode), Text(b.Execution?.ExitCode), DifferenceRole.Outcome);

        return new ManifestDiff { RunA = a.RunId, RunB = b.RunId, Differences = differences.ToList() };
    }

    /// <summary>Compares parameter values with each run's project directory factored out; returns whether any differs.</summary>
    private static bool CompareParameters(RunManifest a, RunManifest b, DifferenceList differences)
    {
        var valuesA = a.Parameters.ToDictionary(parameter => parameter.Name, parameter => parameter.Value, StringComparer.Ordinal);
        var valuesB = b.Parameters.ToDictionary(parameter => parameter.Name, parameter => parameter.Value, StringComparer.Ordinal);
        var names = a.Parameters.Select(parameter => parameter.Name)
            .Concat(b.Parameters.Select(parameter => parameter.Name))
            .Distinct(StringComparer.Ordinal);

        var anyDiffers = false;
        foreach (var name in names)
        {
            var valueA = valuesA.GetValueOrDefault(name);
            var valueB = valuesB.GetValueOrDefault(name);
            if (string.Equals(InProject(valueA, a), InProject(valueB, b), StringComparison.Ordinal))
            {
                continue;
            }

            anyDiffers = true;
            differences.Value(DiffSection.Parameters, $"parameters.{name}", $"parameter {name}", valueA, valueB, DifferenceRole.Factor);
        }

        return anyDiffers;
    }

    private static void CompareCode(RunManifest a, RunManifest b, bool parametersDiffer, DifferenceList differences)
    {
        const DiffSection code = DiffSection.Code;
        var gitA = a.Git;
        var gitB = b.Git;
        differences.Value(code, "code.state", "code", gitA.State.Name(), gitB.State.Name(), DifferenceRole.Factor);
        differences.Value(code, "code.commit", "commit", gitA.Commit, gitB.Commit, DifferenceRole.Factor);
        differences.Add(code, "code.dirty", Text(gitA.Dirty), Text(gitB.Dirty), DifferenceRole.Factor, $"working tree {Cleanliness(gitA.Dirty)} -> {Cleanliness(gitB.Dirty)}");
        var patchA = gitA.Patch?.Sha256;
        var patchB = gitB.Patch?.Sha256;
        differences.Add(code, "code.patch", patchA, patchB, DifferenceRole.Factor, patchA is null
            ? "uncommitted changes patch added"
            : patchB is null ? "uncommitted changes patch removed" : "uncommitted changes patch changed");
        differences.Files(code, "code.untracked", "untracked file", gitA.Untracked, gitB.Untracked, DifferenceRole.Factor);
        CompareSubmodules(gitA.Submodules, gitB.Submodules, differences);
        differences.Value(code, "code.entryPoint", "entry point", $"{a.EntryPoint.Name} ({a.EntryPoint.Kind.Name()})", $"{b.EntryPoint.Name} ({b.EntryPoint.Kind.Name()})", DifferenceRole.Factor);

        // Parameters are substituted into the command, so a command that differs alongside them says nothing new;
        // with equal parameters it means the MLproject's command itself changed.
        if (!parametersDiffer && !string.Equals(InProject(a.Command.Rendered, a), InProject(b.Command.Rendered, b), StringComparison.Ordinal))
        {
            differences.Value(code, "code.command", "command", a.Command.Rendered, b.Command.Rendered, DifferenceRole.Factor);
        }

        differences.Value(code, "code.branch", "branch", gitA.Branch, gitB.Branch, DifferenceRole.Informational);
        differences.Value(code, "code.remoteUrl", "remote", gitA.RemoteUrl, gitB.RemoteUrl, DifferenceRole.Informational);
        differences.Value(code, "code.projectDirectory", "project directory", a.Project.Directory, b.Project.Directory, DifferenceRole.Informational);
        differences.Value(code, "code.projectPath", "project path in repository", gitA.ProjectPath, gitB.ProjectPath, DifferenceRole.Informational);
    }

    /// <summary>One difference per submodule (nested ones included) whose commit, changes or untracked files differ.</summary>
    private static void CompareSubmodules(IReadOnlyList<SubmoduleRecord> a, IReadOnlyList<SubmoduleRecord> b, DifferenceList differences)
    {
        const DiffSection code = DiffSection.Code;
        var byPathA = a.GroupBy(submodule => submodule.Path, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var byPathB = b.GroupBy(submodule => submodule.Path, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        foreach (var path in byPathA.Keys.Union(byPathB.Keys).Order(StringComparer.Ordinal))
        {
            var submoduleA = byPathA.GetValueOrDefault(path);
            var submoduleB = byPathB.GetValueOrDefault(path);
            var key = $"code.submodules.{path}";
            if (submoduleA is null || submoduleB is null)
            {
                differences.Add(code, key, submoduleA?.Commit ?? (submoduleA is null ? null : "(not initialised)"), submoduleB?.Commit ?? (submoduleB is null ? null : "(not initialised)"),
                    DifferenceRole.Factor, $"submodule {path} {(submoduleA is null ? "added" : "removed")}");
                continue;
            }

            differences.Value(code, $"{key}.commit", $"submodule {path} commit", submoduleA.Commit, submoduleB.Commit, DifferenceRole.Factor, "(not initialised)");
            differences.Add(code, $"{key}.dirty", Text(submoduleA.Dirty), Text(submoduleB.Dirty), DifferenceRole.Factor,
                $"submodule {path} {Cleanliness(submoduleA.Dirty)} -> {Cleanliness(submoduleB.Dirty)}");
            var patchA = submoduleA.Patch?.Sha256;
            var patchB = submoduleB.Patch?.Sha256;
            differences.Add(code, $"{key}.patch", patchA, patchB, DifferenceRole.Factor, patchA is null
                ? $"submodule {path} uncommitted changes patch added"
                : patchB is null ? $"submodule {path} uncommitted changes patch removed" : $"submodule {path} uncommitted changes patch changed");
            differences.Files(code, $"{key}.untracked", $"submodule {path} untracked file", submoduleA.Untracked, submoduleB.Untracked, DifferenceRole.Factor);
        }
    }

    private static void CompareMetrics(MetricsRecord? a, MetricsRecord? b, DifferenceList differences)
    {
        var valuesA = a?.Values ?? new Dictionary<string, double>(StringComparer.Ordinal);
        var valuesB = b?.Values ?? new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var name in valuesA.Keys.Union(valuesB.Keys).Order(StringComparer.Ordinal))
        {
            differences.Metric(
                name,
                valuesA.TryGetValue(name, out var valueA) ? valueA : null,
                valuesB.TryGetValue(name, out var valueB) ? valueB : null);
        }
    }

    /// <summary>
    /// <paramref name="text"/> with the run's project directory replaced by a placeholder: a verification runs in a
    /// temporary checkout, so absolute paths into the project differ without the files differing.
    /// </summary>
    private static string? InProject(string? text, RunManifest run)
    {
        var directory = run.Project.Directory.TrimEnd('/', '\\');
        if (text is null || directory.Length == 0)
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        var position = 0;
        while (true)
        {
            var found = text.IndexOf(directory, position, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            var end = found + directory.Length;
            var endsPath = end == text.Length || text[end] is '/' or '\\' or '\'' or '"' or ' ' or '=';
            result.Append(text, position, found - position).Append(endsPath ? ProjectPlaceholder : directory);
            position = end;
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    private static string StatusText(RunStatus status) => status.ToString().ToUpperInvariant();

    private static string Cleanliness(bool dirty) => dirty ? "dirty" : "clean";

    private static string Text(bool value) => value ? "true" : "false";

    private static string? Text(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
