using LibGit2Sharp;
using Repro.Core.Capture.Data;
using Repro.Core.Diagnostics;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Pipelines;

/// <summary>Whether one step is up to date, and why not.</summary>
/// <param name="Name">The step.</param>
/// <param name="UpToDate">Whether an earlier successful run has the step's current key and the workspace holds its outputs.</param>
/// <param name="Reasons">Why it is stale, one line each; empty when up to date.</param>
/// <param name="RunId">The run that is up to date (or the last one the step is compared with); null when it never ran.</param>
public sealed record StepStatus(string Name, bool UpToDate, IReadOnlyList<string> Reasons, string? RunId);

/// <summary>What <c>repro status</c> found.</summary>
/// <param name="Steps">Each step, upstream first.</param>
public sealed record PipelineStatusResult(IReadOnlyList<StepStatus> Steps)
{
    /// <summary>Whether every step is up to date.</summary>
    public bool UpToDate => Steps.All(step => step.UpToDate);
}

/// <summary>
/// <c>repro status</c>: for each step of the pipeline, whether it is up to date and, when it is not, why: which input
/// changed (path, old and new hash), which parameter, code (which files), environment (which fact), an output missing
/// or changed in the workspace (and whether the run cache can restore it), never run, or upstream stale. Files are
/// hashed through the store's hash cache, so a file it vouches for is not read; nothing else is written.
/// </summary>
public static class PipelineStatus
{
    private const int MaxFilesNamed = 5;

    /// <summary>The status of every step the request names (its targets and their upstream).</summary>
    /// <exception cref="Errors.InputException">As <see cref="PipelineService.ResolveAsync(PipelineRequest, CancellationToken)"/>.</exception>
    public static async Task<PipelineStatusResult> CheckAsync(PipelineRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // The code is the same for every step: its capture (git status and diff over the whole tree) overlaps the resolving.
        using var probe = new StepProbe();
        if (request.Run.Uri is null && Directory.Exists(request.Run.StoreDirectory))
        {
            probe.StartGit(Path.GetFullPath(request.Run.ProjectDirectory));
        }

        IReadOnlyList<PlannedStep> steps;
        using (Timings.Measure("status: resolve the steps"))
        {
            steps = await PipelineService.ResolveAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (!Directory.Exists(request.Run.StoreDirectory))
        {
            return new PipelineStatusResult([.. steps.Select(step => new StepStatus(step.Name, false, ["never run"], null))]);
        }

        var store = RunStore.OpenExisting(request.Run.StoreDirectory);
        using var hashCache = request.Run.Rehash ? null : HashCache.Open(store.Root);
        var fingerprinter = new Fingerprinter(new FingerprintOptions { Cache = hashCache });
        var cache = new RunCache(store);
        Dictionary<string, string> baselines;
        using (Timings.Measure("status: the steps' last runs"))
        {
            baselines = Baselines(store, steps.Select(step => step.Name));
        }

        var results = new List<StepStatus>();
        foreach (var step in steps)
        {
            var staleUpstream = step.Upstream.Select(edge => edge.Upstream).Where(name => results.Any(result => result.Name == name && !result.UpToDate)).ToList();
            if (staleUpstream.Count > 0)
            {
                results.Add(new StepStatus(step.Name, false, [$"upstream step {string.Join(", ", staleUpstream)} is stale"], baselines.GetValueOrDefault(step.Name)));
                continue;
            }

            using var measured = Timings.Measure($"status: step {step.Name}");
            var probed = await probe.CaptureAsync(PipelineService.StepRequest(request, step), store, fingerprinter, cancellationToken).ConfigureAwait(false);
            // The step's last run is read only when the step is stale, to say what changed since.
            var baseline = baselines.GetValueOrDefault(step.Name) is { } runId ? new Lazy<RunManifest>(() => store.Load(runId)) : null;
            results.Add(await StatusOfAsync(step.Name, probed, cache, baseline, fingerprinter, request.Run.ProjectDirectory, cancellationToken).ConfigureAwait(false));
        }

        return new PipelineStatusResult(results);
    }

    private static async Task<StepStatus> StatusOfAsync(
        string name,
        ProbedStep probed,
        RunCache cache,
        Lazy<RunManifest>? lazyBaseline,
        Fingerprinter fingerprinter,
        string projectDirectory,
        CancellationToken cancellationToken)
    {
        if (probed.Key is not { } key)
        {
            return new StepStatus(name, false, [probed.Problem!], lazyBaseline?.Value.RunId);
        }

        var (found, why) = cache.Find(key);
        if (found is not null)
        {
            var outputs = await fingerprinter.FingerprintOutputsAsync(Path.GetFullPath(projectDirectory), probed.OutputSpecs, cancellationToken).ConfigureAwait(false);
            var reasons = OutputReasons(found, outputs);
            return new StepStatus(name, reasons.Count == 0, reasons, found.RunId);
        }

        var baseline = lazyBaseline?.Value;

        if (baseline is null)
        {
            return new StepStatus(name, false, ["never run"], null);
        }

        var before = baseline.RunCacheKey is { } digest ? cache.ReadEntry(digest)?.Key : null;
        var changes = before is null ? [why] : KeyReasons(key, before, baseline, probed);
        return new StepStatus(name, false, changes.Count > 0 ? changes : [why], baseline.RunId);
    }

    // The last successful run of each step, from the newest pipeline record that holds one.
    private static Dictionary<string, string> Baselines(RunStore store, IEnumerable<string> steps)
    {
        var wanted = steps.ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var pipelines = new PipelineStore(store);
        foreach (var id in pipelines.List().Reverse())
        {
            foreach (var step in pipelines.Load(id).Steps.Where(step => step.Status == RunStatus.Finished && step.RunId is not null && wanted.Contains(step.Name) && !found.ContainsKey(step.Name)))
            {
                found[step.Name] = step.RunId!;
            }

            if (found.Count == wanted.Count)
            {
                break;
            }
        }

        return found;
    }

    private static List<string> OutputReasons(RunManifest run, OutputFingerprints outputs)
    {
        var reasons = new List<string>();
        var now = outputs.Records.SelectMany(record => record.Files).ToDictionary(file => file.Path, file => file.Sha256, StringComparer.Ordinal);
        foreach (var file in run.Outputs.SelectMany(record => record.Files))
        {
            if (!now.TryGetValue(file.Path, out var sha))
            {
                reasons.Add($"output {file.Path} is missing from the workspace; the run cache can restore it without re-running (repro pipeline)");
            }
            else if (!string.Equals(sha, file.Sha256, StringComparison.Ordinal))
            {
                reasons.Add($"output {file.Path} changed in the workspace ({Short(file.Sha256)} -> {Short(sha)}); the run cache can restore it without re-running (repro pipeline)");
            }
        }

        return reasons;
    }

    private static List<string> KeyReasons(RunCacheKey now, RunCacheKey before, RunManifest baseline, ProbedStep probed)
    {
        var reasons = new List<string>();
        foreach (var (part, old, current) in now.Differences(before))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            var (kind, subject) = colon < 0 ? (part, string.Empty) : (part[..colon], part[(colon + 1)..]);
            reasons.Add(kind switch
            {
                "input" => InputReason(subject, baseline, probed),
                "param" => $"parameter {subject}: {old ?? "(none)"} -> {current ?? "(none)"}",
                "code" => CodeReason(subject, old, current, baseline),
                "environment" => $"environment changed: {subject}: {old ?? "(none)"} -> {current ?? "(none)"}",
                "determinism" => $"determinism variable {subject}: {old ?? "(unset)"} -> {current ?? "(unset)"}",
                "env" => $"env variable {subject} of the entry point: {old ?? "(unset)"} -> {current ?? "(unset)"}",
                _ => $"{part}: {old ?? "(none)"} -> {current ?? "(none)"}",
            });
        }

        return reasons;
    }

    private static string InputReason(string spec, RunManifest baseline, ProbedStep probed)
    {
        var before = baseline.Inputs.FirstOrDefault(record => record.Spec == spec)?.Files.ToDictionary(file => file.Path, file => file.Sha256, StringComparer.Ordinal) ?? [];
        var now = probed.Inputs.FirstOrDefault(record => record.Spec == spec)?.Files.ToDictionary(file => file.Path, file => file.Sha256, StringComparer.Ordinal) ?? [];
        var changed = before.Keys.Union(now.Keys).Order(StringComparer.Ordinal)
            .Where(path => !string.Equals(before.GetValueOrDefault(path), now.GetValueOrDefault(path), StringComparison.Ordinal))
            .Select(path => $"{path} {Short(before.GetValueOrDefault(path))} -> {Short(now.GetValueOrDefault(path))}")
            .ToList();
        var named = string.Join(", ", changed.Take(MaxFilesNamed)) + (changed.Count > MaxFilesNamed ? $", and {changed.Count - MaxFilesNamed} more" : string.Empty);
        return changed.Count > 0 ? $"input {spec} changed: {named}" : $"input {spec} changed";
    }

    private static string CodeReason(string subject, string? old, string? current, RunManifest baseline)
    {
        if (subject.StartsWith("untracked:", StringComparison.Ordinal))
        {
            var path = subject["untracked:".Length..];
            return old is null ? $"code changed: new untracked file {path}" : current is null ? $"code changed: untracked file {path} is gone" : $"code changed: untracked file {path}";
        }

        return subject switch
        {
            "tree" => $"code changed: {ChangedFiles(baseline.Git.RepositoryRoot, old, current) ?? $"git tree {Short(old)} -> {Short(current)}"}",
            "patch" => "code changed: the uncommitted changes (git diff) differ",
            "paths" => "code changed: the entry point's code: paths",
            _ => $"code changed: {subject}",
        };
    }

    // The files that differ between two git trees of the project, when the repository still has both.
    private static string? ChangedFiles(string? repositoryRoot, string? oldTree, string? newTree)
    {
        if (repositoryRoot is null || oldTree is null || newTree is null)
        {
            return null;
        }

        try
        {
            using var repository = new Repository(repositoryRoot);
            if (repository.Lookup<Tree>(oldTree) is not { } before || repository.Lookup<Tree>(newTree) is not { } after)
            {
                return null;
            }

            var paths = repository.Diff.Compare<TreeChanges>(before, after).Select(change => change.Path).ToList();
            return paths.Count == 0 ? null : "committed files " + string.Join(", ", paths.Take(MaxFilesNamed)) + (paths.Count > MaxFilesNamed ? $", and {paths.Count - MaxFilesNamed} more" : string.Empty);
        }
        catch (LibGit2SharpException)
        {
            return null;
        }
    }

    private static string Short(string? sha) => sha is null ? "(none)" : sha.Length > 12 ? sha[..12] : sha;
}
