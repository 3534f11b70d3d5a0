using Repro.Core.Caching;
using Repro.Core.Capture.Data;
using Repro.Core.Capture.Git;
using Repro.Core.Checkout;
using Repro.Core.Environments.Python;
using Repro.Core.Errors;
using Repro.Core.Execution;
using Repro.Core.FileSystem;
using Repro.Core.Processes;
using Repro.Core.Remotes;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Sources;
using Repro.Core.Store;
using Repro.Core.Verification.Comparison;
using Repro.Core.Verification.Differences;

namespace Repro.Core.Verification;

/// <summary>
/// <c>repro verify</c>: re-create a recorded run from its record alone and prove its outputs identical, or say exactly
/// what differs and which recorded factor changed. Order matters: inputs are checked first (a changed input makes
/// the run unverifiable, not different), then the recorded code is materialised away from the user's repository,
/// then the command is re-run with the recorded parameters, seed and determinism variables, then every output and
/// metric is compared. The original manifest is only ever read.
/// </summary>
public static partial class VerifyService
{
    /// <summary>Verifies a run.</summary>
    /// <exception cref="InputException">The run does not exist.</exception>
    /// <exception cref="StoreException">The store or a file could not be read or written.</exception>
    public static async Task<VerifyOutcome> VerifyAsync(VerifyRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var original = request.Store.Load(RunToVerify(request.Store, request.RunId), warnings);
        var runDirectory = request.Store.GetRunDirectory(original.RunId);

        var status = request.Store.DisplayStatus(original);
        if (status == RunStatus.Abandoned)
        {
            return NotVerifiable(original, $"run {original.RunId} was abandoned: its manifest says RUNNING but no repro process records it any more (repro was killed, or its disk filled, before it recorded the end); only a finished run has outputs to re-create");
        }

        if (status != RunStatus.Finished)
        {
            return NotVerifiable(original, $"run {original.RunId} {(status == RunStatus.Running ? "is still RUNNING" : $"ended {status.Name()}")}: only a finished run has outputs to re-create");
        }

        if (original.Source is { } recordedSource && request.InPlace)
        {
            return NotVerifiable(original, $"--in-place: run {original.RunId} ran in its own copy of {recordedSource.Uri} at {recordedSource.Commit}; verify re-creates that commit from the git cache (omit --in-place)");
        }

        // Path parameters were recorded as absolute paths under the repository where the run happened.
        var recordedRoot = original.Git.RepositoryRoot;
        if (original.Source is null && !Directory.Exists(original.Project.Directory))
        {
            if (Relocated(original, request.CurrentDirectory) is not { } relocated)
            {
                return NotVerifiable(original, $"the project directory {original.Project.Directory} does not exist here: its inputs cannot be checked (run repro verify inside a clone of the run's repository)");
            }

            original = relocated;
        }

        var originalProject = original.Project.Directory;

        using var hashCache = HashCache.Open(request.Store.Root, warning =>
        {
            lock (warnings)
            {
                warnings.Add(warning);
            }
        });
        var fingerprinter = new Fingerprinter(new FingerprintOptions { Cache = hashCache, Rehash = request.Rehash, Progress = request.HashProgress });
        // A run of a project URI has its inputs checked in the new copy of its commit, below.
        var inputIssues = original.Source is null
            ? await CheckInputsAsync(original, fingerprinter, InputsAt.Recorded(original), cancellationToken).ConfigureAwait(false)
            : [];
        var objects = new ObjectStore(request.Store.Root);
        using var remote = new DefaultRemote(request.OpenDefaultRemote, originalProject);
        var restore = new List<RestoredInput>();
        if (inputIssues.Count > 0)
        {
            if (request.InPlace)
            {
                return NotVerifiable(original, inputIssues.Select(issue => $"{issue.Message} (--in-place re-runs on the workspace as it is)").ToList());
            }

            var (restorable, problems) = await PlanRestoresAsync(original, inputIssues, objects, remote, cancellationToken).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                return NotVerifiable(original, problems);
            }

            restore = restorable;
        }

        CodeCheckout? checkout = null;
        string? sourceCopy = null;
        try
        {
            string projectDirectory;
            if (original.Source is { } source)
            {
                // The code is the recorded commit, checked out through the cache (fetched again when the cache lost it)
                // and copied, as the run was; the inputs inside the project came with that commit.
                ProjectSource fetched;
                try
                {
                    fetched = await ProjectSource.ResolveAsync(UriOf(source), source.Commit, new GitProjectCache(CacheRoot.Resolve(request.Environment)), refresh: false, request.Log, cancellationToken).ConfigureAwait(false);
                }
                catch (InputException exception)
                {
                    return NotVerifiable(original, $"the code of run {original.RunId} cannot be fetched again: {exception.Message}");
                }

                sourceCopy = WorkingCopy.Create(fetched.Checkout!.Directory, request.CheckoutParent ?? Path.GetTempPath(), cancellationToken, "repro-verify-");
                projectDirectory = Path.GetFullPath(Path.Combine(sourceCopy, Path.GetRelativePath(fetched.Checkout.Directory, fetched.ProjectDirectory)));
                var copyIssues = await CheckInputsAsync(original, fingerprinter, InputsAt.Copy(original, source, projectDirectory), cancellationToken).ConfigureAwait(false);
                if (copyIssues.Count > 0)
                {
                    return NotVerifiable(original, copyIssues.Select(issue => issue.Message).ToList());
                }
            }
            else if (request.InPlace)
            {
                var differences = await InPlaceDifferencesAsync(original, cancellationToken).ConfigureAwait(false);
                if (differences.Count > 0)
                {
                    return NotVerifiable(original, differences.Select(difference => $"--in-place: {difference}").ToList());
                }

                projectDirectory = originalProject;
            }
            else
            {
                if (original.Git.State != GitState.Repository || original.Git.Commit is null)
                {
                    return NotVerifiable(original, $"run {original.RunId} recorded no commit (git state '{original.Git.State.Name()}'): its code cannot be re-created; use --in-place to re-run it where it is");
                }

                try
                {
                    checkout = await RunSnapshot.MaterializeAsync(original, runDirectory, request.CheckoutParent, restore, objects, cancellationToken).ConfigureAwait(false);
                }
                catch (InputException exception)
                {
                    return NotVerifiable(original, exception.Message);
                }

                projectDirectory = checkout.ProjectDirectory(original.Git.ProjectPath);
            }

            return await ReexecuteAsync(request, original, recordedRoot, projectDirectory, checkout is not null || sourceCopy is not null, restore, warnings, objects, remote, interruption, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            checkout?.Dispose();
            if (sourceCopy is not null)
            {
                WorkingCopy.Delete(sourceCopy);
            }
        }
    }

    /// <summary>
    /// Re-runs <paramref name="original"/> in <paramref name="projectDirectory"/> (its code and inputs in place) with
    /// the recorded parameters, seed and determinism variables, compares every output and metric, and saves the
    /// verification run with its verdict.
    /// </summary>
    private static async Task<VerifyOutcome> ReexecuteAsync(
        VerifyRequest request,
        RunManifest original,
        string? recordedRoot,
        string projectDirectory,
        bool inCheckout,
        List<RestoredInput> restore,
        List<string> warnings,
        ObjectStore objects,
        DefaultRemote remote,
        Interruption interruption,
        CancellationToken cancellationToken)
    {
        RunOutcome outcome;
        try
        {
            outcome = await RunService.RunAsync(
                new RunRequest
                {
                    ProjectDirectory = projectDirectory,
                    EntryPoint = original.EntryPoint.Name,
                    Parameters = GivenParameters.From(ReplayedParameters(original, recordedRoot, inCheckout: inCheckout)),
                    RunName = original.RunName is { } name ? $"verify {name}" : null,
                    ExperimentName = original.ExperimentName,
                    StoreDirectory = request.Store.Root,
                    WritesIndex = request.Store.WritesIndex,
                    Threads = original.Determinism.Threads,
                    EnvManager = original.Project.Environment.Manager,
                    Python = original.PythonEnvironment?.Interpreter.Path is { } interpreter && File.Exists(interpreter) ? interpreter : null,
                    Rehash = request.Rehash,
                    Strict = request.Strict,
                    ObjectSizeLimit = request.ObjectSizeLimit,
                    Environment = request.Environment,
                    EchoStdout = request.EchoStdout,
                    EchoStderr = request.EchoStderr,
                    HashProgress = request.HashProgress,
                    Log = request.Log,
                    ToolOutput = request.ToolOutput,
                    Replay = new RunReplay(original.RunId, original.Seed, original.Determinism.Variables, original.Git, original.Python?.AutoSeed ?? false)
                    {
                        Source = original.Source,
                        PythonEnvironment = original.PythonEnvironment,
                        StrictEnvironment = request.StrictEnvironment,
                        OutputDigests = RecordedOutputDigests(original),
                    },
                },
                interruption,
                cancellationToken).ConfigureAwait(false);
        }
        catch (PythonEnvironmentMismatchException mismatch)
        {
            return NotVerifiable(original, mismatch.Message);
        }

        var verification = outcome.Manifest;
        if (verification.Status == RunStatus.Killed)
        {
            throw new InterruptedException($"verification run {verification.RunId} was interrupted; no verdict");
        }

        await FetchRecordedOutputsAsync(original, objects, remote, cancellationToken).ConfigureAwait(false);
        var outputs = CompareOutputs(original, verification, projectDirectory, objects, request.Tolerance);
        var metrics = CompareMetrics(original, verification, projectDirectory, request.Tolerance);
        var diff = ManifestDifferences.Compare(original, verification);
        var (verdict, summary) = Decide(original, verification, outputs, metrics);
        var likelyCauses = ManifestDiffText.RenderLikelyCauses(diff);

        verification = verification with
        {
            Verification = new VerificationRecord(
                verdict,
                summary,
                request.Tolerance.Rtol,
                request.Tolerance.Atol,
                outputs.Select(output => new OutputCheck(output.Path, output.Result.Outcome, output.Result.Comparer, output.Result.Summary, output.Result.Details)).ToList(),
                metrics.Select(metric => new MetricCheck(metric.Name, metric.Recorded, metric.Actual, metric.Outcome, metric.Summary)).ToList(),
                diff.Factors.Select(factor => factor.Summary).ToList())
            {
                RestoredInputs = restore,
            },
        };
        request.Store.Save(verification);
        return new VerifyOutcome(verdict, summary, original, verification, outputs, metrics, [], likelyCauses) { Warnings = warnings, RestoredInputs = restore };
    }

    /// <summary>The recorded outputs' digests by path relative to the project: what a deterministic re-run writes.</summary>
    private static Dictionary<string, string> RecordedOutputDigests(RunManifest original)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in original.Outputs.SelectMany(output => output.Files))
        {
            if (file.Sha256 is { } sha256 && !Path.IsPathRooted(file.Path))
            {
                digests.TryAdd(file.Path, sha256);
            }
        }

        return digests;
    }

    /// <summary>
    /// The run that verifying <paramref name="runId"/> re-creates: the run itself, or for a verification run the run it
    /// verified. A verification ran in a temporary checkout that is gone, so only its original can be re-created;
    /// this is what makes <c>repro verify latest</c> right after a verify check the same run again.
    /// </summary>
    /// <exception cref="InputException">The run, or the run a verification verified, is not in the store.</exception>
    public static string RunToVerify(RunStore store, string runId)
    {
        ArgumentNullException.ThrowIfNull(store);
        var verifies = store.Load(runId).Verifies;
        if (verifies is null)
        {
            return runId;
        }

        if (!RunId.IsWellFormed(verifies) || !File.Exists(Path.Combine(store.GetRunDirectory(verifies), RunFolder.ManifestFileName)))
        {
            throw new InputException($"run {runId} is a verification of run {verifies}, which is no longer in {store.Root}");
        }

        return verifies;
    }

    /// <summary>
    /// A run recorded elsewhere (pulled from a remote, or a moved repository), seen from the same project in the clone
    /// of its repository around <paramref name="currentDirectory"/>: the record with that project folder and working
    /// tree root. Null when there is no such clone.
    /// </summary>
    private static RunManifest? Relocated(RunManifest original, string? currentDirectory)
    {
        if (currentDirectory is null || original.Git.ProjectPath is null)
        {
            return null;
        }

        try
        {
            var project = DataCheckout.LocateProject(original, currentDirectory, given: null);
            return DataCheckout.GitRoot(project) is { } root
                ? original with { Project = original.Project with { Directory = project }, Git = original.Git with { RepositoryRoot = root } }
                : null;
        }
        catch (InputException)
        {
            return null;
        }
    }

    private static VerifyOutcome NotVerifiable(RunManifest original, string problem) => NotVerifiable(original, [problem]);

    private static VerifyOutcome NotVerifiable(RunManifest original, IReadOnlyList<string> problems) =>
        new(Verdict.NotVerifiable, problems.Count == 1 ? problems[0] : $"{problems.Count} problems prevent re-creating the run", original, null, [], [], problems, string.Empty);

    /// <summary>
    /// Every recorded input must still hash the same: a changed input makes any comparison meaningless unless the
    /// recorded content can be put back in the verify checkout. Each difference comes with the recorded files that
    /// restoring it needs.
    /// </summary>
    private static async Task<List<InputIssue>> CheckInputsAsync(RunManifest original, Fingerprinter fingerprinter, InputsAt place, CancellationToken cancellationToken)
    {
        var issues = new List<InputIssue>();
        foreach (var recorded in original.Inputs)
        {
            IReadOnlyList<DataRecord> current;
            try
            {
                current = await fingerprinter.FingerprintInputsAsync(place.ProjectDirectory, [new DataSpec(place.Rebase(recorded.Spec), recorded.Origin)], cancellationToken).ConfigureAwait(false);
            }
            catch (InputException exception)
            {
                issues.Add(new InputIssue($"input '{recorded.Spec}' ({recorded.Origin}) cannot be read now: {exception.Message} (recorded sha256 {recorded.Digest})", recorded.Files));
                continue;
            }

            var now = current[0];
            if (string.Equals(now.Digest, recorded.Digest, StringComparison.Ordinal))
            {
                continue;
            }

            var before = recorded.Files.ToDictionary(file => file.Path, StringComparer.Ordinal);
            var after = now.Files.ToDictionary(file => file.Path, StringComparer.Ordinal);
            var found = issues.Count;
            foreach (var (path, file) in before)
            {
                if (!after.TryGetValue(path, out var currentFile))
                {
                    issues.Add(new InputIssue($"input {path} is missing (recorded sha256 {file.Sha256})", [file]));
                }
                else if (!string.Equals(file.Sha256, currentFile.Sha256, StringComparison.Ordinal) || !string.Equals(file.LinkTarget, currentFile.LinkTarget, StringComparison.Ordinal))
                {
                    issues.Add(new InputIssue($"input {path} changed: recorded sha256 {file.Sha256}, current {currentFile.Sha256}", [file]));
                }
            }

            foreach (var (path, file) in after)
            {
                if (!before.ContainsKey(path))
                {
                    // A verify checkout holds the recorded commit and the recorded files only, so it never sees this file.
                    issues.Add(new InputIssue($"input {path} is new in '{recorded.Spec}' (sha256 {file.Sha256}); the run did not have it", []) { NewFile = true });
                }
            }

            if (issues.Count == found)
            {
                issues.Add(new InputIssue($"input '{recorded.Spec}' changed: recorded digest {recorded.Digest}, current {now.Digest}", recorded.Files));
            }
        }

        return issues;
    }

    /// <summary>
    /// Which recorded files a verify checkout gets from the object store (fetching what the store lacks from the
    /// default remote), or why the run cannot be re-created: a file outside the repository or recorded without
    /// content, an object nowhere to be had, or a damaged one (reported, never restored).
    /// </summary>
    private static async Task<(List<RestoredInput> Restore, List<string> Problems)> PlanRestoresAsync(
        RunManifest original,
        List<InputIssue> issues,
        ObjectStore objects,
        DefaultRemote remote,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var files = new SortedDictionary<string, FileRecord>(StringComparer.Ordinal);
        var why = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var issue in issues.Where(issue => !issue.NewFile))
        {
            var cannot = issue.Files.Select(file => WhyNotRestorable(original, file)).OfType<string>().FirstOrDefault();
            if (cannot is not null)
            {
                problems.Add($"{issue.Message}; {cannot}");
                continue;
            }

            foreach (var file in issue.Files)
            {
                files.TryAdd(file.Path, file);
                why.TryAdd(file.Path, issue.Message);
            }
        }

        if (problems.Count > 0)
        {
            return ([], problems);
        }

        var missing = files.Values.Select(file => file.Sha256!).Where(sha => !objects.Contains(sha)).Distinct(StringComparer.Ordinal).ToList();
        var fetched = await remote.FetchAsync(objects, missing, cancellationToken).ConfigureAwait(false);
        var restore = new List<RestoredInput>();
        foreach (var file in files.Values)
        {
            var sha256 = file.Sha256!;
            if (!objects.Contains(sha256))
            {
                problems.Add($"{why[file.Path]}; its recorded content is in neither the store{(remote.Display is { } display ? $" nor {display}" : " (no default remote)")}, so it cannot be restored");
                continue;
            }

            try
            {
                objects.CheckIntact(sha256);
            }
            catch (StoreException exception)
            {
                problems.Add($"{why[file.Path]}; it cannot be restored: {exception.Message}");
                continue;
            }

            restore.Add(new RestoredInput(file.Path, sha256, fetched.Contains(sha256) ? $"store (fetched from {remote.Display})" : "store"));
        }

        return problems.Count > 0 ? ([], problems) : (restore, []);
    }

    private static string? WhyNotRestorable(RunManifest original, FileRecord file)
    {
        if (file.LinkTarget is not null)
        {
            return "a symbolic link is not restored";
        }

        if (file.Sha256 is null)
        {
            return "it was recorded without content";
        }

        return IsInside(original.Git.RepositoryRoot, Path.GetFullPath(PathText.FromRecorded(file.Path), original.Project.Directory))
            ? null
            : "it lies outside the repository, where the re-run reads it as it is now";
    }

    /// <summary>Recorded outputs compared from the store: fetch those the store lacks from the default remote, if any.</summary>
    private static async Task FetchRecordedOutputsAsync(RunManifest original, ObjectStore objects, DefaultRemote remote, CancellationToken cancellationToken)
    {
        var missing = original.Outputs.SelectMany(record => record.Files)
            .Where(file => file.Stored && file.Sha256 is not null && !objects.Contains(file.Sha256))
            .Select(file => file.Sha256!).Distinct(StringComparer.Ordinal).ToList();
        await remote.FetchAsync(objects, missing, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>With --in-place the working tree itself is re-used, so it must be exactly the recorded code.</summary>
    private static async Task<List<string>> InPlaceDifferencesAsync(RunManifest original, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("repro-inplace-");
        try
        {
            var now = (await GitCapture.CaptureAsync(original.Project.Directory, scratch.FullName, cancellationToken).ConfigureAwait(false)).Record;
            var recorded = original.Git;
            var differences = new List<string>();
            if (now.State != recorded.State)
            {
                differences.Add($"the project is now '{now.State.Name()}', the run recorded '{recorded.State.Name()}'");
                return differences;
            }

            if (!string.Equals(now.Commit, recorded.Commit, StringComparison.Ordinal))
            {
                differences.Add($"HEAD is {now.Commit}, the run recorded {recorded.Commit}");
            }

            if (!string.Equals(now.Patch?.Sha256, recorded.Patch?.Sha256, StringComparison.Ordinal))
            {
                differences.Add($"uncommitted changes differ from the run's code.patch (recorded sha256 {recorded.Patch?.Sha256 ?? "none"}, now {now.Patch?.Sha256 ?? "none"})");
            }

            var untrackedBefore = recorded.Untracked.ToDictionary(file => file.Path, file => file.Sha256, StringComparer.Ordinal);
            var untrackedNow = now.Untracked.ToDictionary(file => file.Path, file => file.Sha256, StringComparer.Ordinal);
            foreach (var path in untrackedBefore.Keys.Union(untrackedNow.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                untrackedBefore.TryGetValue(path, out var before);
                untrackedNow.TryGetValue(path, out var after);
                if (!string.Equals(before, after, StringComparison.Ordinal))
                {
                    differences.Add($"untracked file {path}: recorded sha256 {before ?? "absent"}, now {after ?? "absent"}");
                }
            }

            differences.AddRange(SubmoduleDifferences(recorded.Submodules, now.Submodules));
            return differences;
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Why the submodules in the working tree (nested ones included) are not the ones the run recorded: a commit, a
    /// change inside or an untracked file that differs, or a submodule added, removed or no longer initialised.
    /// </summary>
    internal static IEnumerable<string> SubmoduleDifferences(IReadOnlyList<SubmoduleRecord> recorded, IReadOnlyList<SubmoduleRecord> now)
    {
        var before = recorded.GroupBy(submodule => submodule.Path, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var after = now.GroupBy(submodule => submodule.Path, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        foreach (var path in before.Keys.Union(after.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var then = before.GetValueOrDefault(path);
            var current = after.GetValueOrDefault(path);
            if (then is null)
            {
                yield return $"submodule {path} is new: the run recorded no such submodule";
                continue;
            }

            if (current is null)
            {
                yield return $"submodule {path} is gone: the run recorded it at commit {then.Commit ?? "(not initialised)"}";
                continue;
            }

            if (!string.Equals(then.Commit, current.Commit, StringComparison.Ordinal))
            {
                yield return $"submodule {path} is at commit {current.Commit ?? "(not initialised)"}, the run recorded {then.Commit ?? "(not initialised)"}";
                continue;
            }

            if (!string.Equals(then.Patch?.Sha256, current.Patch?.Sha256, StringComparison.Ordinal))
            {
                yield return $"submodule {path}: uncommitted changes inside it differ from the run's (recorded patch sha256 {then.Patch?.Sha256 ?? "none"}, now {current.Patch?.Sha256 ?? "none"})";
            }

            var untrackedBefore = then.Untracked.ToDictionary(file => file.Path, file => file.Sha256, StringComparer.Ordinal);
            var untrackedNow = current.Untracked.ToDictionary(file => file.Path, file => file.Sha256, StringComparer.Ordinal);
            foreach (var file in untrackedBefore.Keys.Union(untrackedNow.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                untrackedBefore.TryGetValue(file, out var hashBefore);
                untrackedNow.TryGetValue(file, out var hashNow);
                if (!string.Equals(hashBefore, hashNow, StringComparison.Ordinal))
                {
                    yield return $"submodule {path}: untracked file {file}: recorded sha256 {hashBefore ?? "absent"}, now {hashNow ?? "absent"}";
                }
            }
        }
    }

    /// <summary>
    /// The parameters as the run was given them. A <c>path</c> outside the recorded repository is the exception: read
    /// relative to the checkout it would name another file or none, so the re-run gets the absolute path the run
    /// used, whose content was checked moments ago.
    /// </summary>
    internal static List<KeyValuePair<string, string>> ReplayedParameters(RunManifest original, string? recordedRoot, bool inCheckout)
    {
        // A run of a project URI worked in a copy of its checkout: that copy is where its relative paths pointed.
        var root = original.Source is { } source ? CopyRoot(original.Project.Directory, source.Subdirectory) : recordedRoot;
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var parameter in original.Parameters)
        {
            if (inCheckout && parameter.Type == ParameterType.Path && !IsInside(root, parameter.Value))
            {
                parameters.Add(KeyValuePair.Create(parameter.Name, parameter.Value));
            }
            else if (parameter.Source != ParameterSource.Default)
            {
                parameters.Add(KeyValuePair.Create(parameter.Name, parameter.Given));
            }
        }

        return parameters;
    }

    private static bool IsInside(string? root, string path) => root is not null && PathContainment.IsInside(root, path);

    /// <summary>The URI a run of a project URI recorded, as <see cref="ProjectSource"/> reads it: a local repository by its path, else a git URL.</summary>
    private static ProjectUri UriOf(ProjectSourceRecord source) =>
        new(Path.IsPathFullyQualified(source.Uri) ? ProjectUriKind.LocalPath : ProjectUriKind.GitUrl, source.Uri, source.Subdirectory);

    /// <summary>The root of the copy a project directory in <paramref name="subdirectory"/> of it belongs to.</summary>
    private static string CopyRoot(string projectDirectory, string subdirectory)
    {
        var root = Path.GetFullPath(projectDirectory);
        foreach (var _ in subdirectory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            root = Path.GetDirectoryName(root) ?? root;
        }

        return root;
    }

    /// <summary>Where a run's recorded inputs are checked: where it ran, or, for a project URI, in the new copy of its commit.</summary>
    /// <param name="ProjectDirectory">The folder relative input specs are read from.</param>
    /// <param name="OriginalRoot">The original copy's root, whose absolute paths move to <paramref name="NewRoot"/>; null to keep specs as recorded.</param>
    /// <param name="NewRoot">The new copy's root.</param>
    private sealed record InputsAt(string ProjectDirectory, string? OriginalRoot, string? NewRoot)
    {
        public static InputsAt Recorded(RunManifest original) => new(original.Project.Directory, null, null);

        public static InputsAt Copy(RunManifest original, ProjectSourceRecord source, string projectDirectory) =>
            new(projectDirectory, CopyRoot(original.Project.Directory, source.Subdirectory), CopyRoot(projectDirectory, source.Subdirectory));

        // A path parameter was recorded as the absolute path into the original copy; the same file is in the new one.
        public string Rebase(string spec) =>
            OriginalRoot is not null && NewRoot is not null && Path.IsPathFullyQualified(spec) && PathContainment.RelativeInside(OriginalRoot, spec) is { } relative
                ? Path.Combine(NewRoot, relative)
                : spec;
    }

    /// <summary>A recorded input that differs now, with the recorded files restoring it needs.</summary>
    private sealed record InputIssue(string Message, IReadOnlyList<FileRecord> Files)
    {
        /// <summary>A file the run did not have: a verify checkout never sees it, so it needs no restoring.</summary>
        public bool NewFile { get; init; }
    }

    /// <summary>The default remote of the project, opened on first need and only once.</summary>
    private sealed class DefaultRemote(Func<string, IRemoteStorage?>? open, string projectDirectory) : IDisposable
    {
        private IRemoteStorage? _remote;
        private bool _opened;

        /// <summary>The remote, for messages; null when none is set (or it was not needed yet).</summary>
        public string? Display => _remote?.Display;

        /// <summary>Fetches the objects the store lacks; returns those fetched.</summary>
        /// <exception cref="StoreException">The remote cannot be reached, or sent a damaged object.</exception>
        public async Task<HashSet<string>> FetchAsync(ObjectStore objects, IReadOnlyCollection<string> missing, CancellationToken cancellationToken)
        {
            if (missing.Count == 0)
            {
                return [];
            }

            if (!_opened)
            {
                _opened = true;
                _remote = open?.Invoke(projectDirectory);
            }

            if (_remote is null)
            {
                return [];
            }

            var notThere = await PullService.FetchObjectsAsync(objects, _remote, missing, RemoteStorageFactory.DefaultParallelism, cancellationToken).ConfigureAwait(false);
            return missing.Except(notThere, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        }

        public void Dispose() => _remote?.Dispose();
    }

    private static List<OutputComparison> CompareOutputs(RunManifest original, RunManifest verification, string projectDirectory, ObjectStore objects, ComparisonTolerance tolerance)
    {
        var recordedFiles = original.Outputs.SelectMany(record => record.Files).GroupBy(file => file.Path, StringComparer.Ordinal).Select(group => group.First()).ToList();
        var newFiles = verification.Outputs.SelectMany(record => record.Files).GroupBy(file => file.Path, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var results = new List<OutputComparison>();
        foreach (var recorded in recordedFiles.OrderBy(file => file.Path, StringComparer.Ordinal))
        {
            var recordedSide = new ComparedFile(recorded.Sha256 is { } sha ? objects.PathOf(sha) : null, recorded.Sha256) { Name = recorded.Path };
            var actualSide = newFiles.Remove(recorded.Path, out var actual)
                ? new ComparedFile(Path.Combine(projectDirectory, PathText.FromRecorded(actual.Path)), actual.Sha256)
                : new ComparedFile(Path.Combine(projectDirectory, PathText.FromRecorded(recorded.Path)), null);
            results.Add(new OutputComparison(recorded.Path, FileComparer.Compare(recordedSide, actualSide, tolerance)));
        }

        foreach (var added in newFiles.Values.OrderBy(file => file.Path, StringComparer.Ordinal))
        {
            results.Add(new OutputComparison(
                added.Path,
                new ComparisonResult(ComparisonOutcome.Different, ComparerName.Missing, $"{added.Path} was written by the re-run but not by the original run", [])));
        }

        return results;
    }

    private static IReadOnlyList<MetricComparison> CompareMetrics(RunManifest original, RunManifest verification, string projectDirectory, ComparisonTolerance tolerance)
    {
        var recorded = original.Metrics?.Values ?? new Dictionary<string, double>();
        var actual = verification.Metrics?.Values ?? new Dictionary<string, double>();
        if (recorded.Count == 0 && actual.Count == 0)
        {
            return [];
        }

        return MetricsComparer.Compare(recorded, actual, tolerance, DeclaredTolerances(projectDirectory, original.EntryPoint.Name));
    }

    /// <summary>Per-metric tolerances from the MLproject file of the re-created code.</summary>
    private static Dictionary<string, ComparisonTolerance> DeclaredTolerances(string projectDirectory, string entryPoint)
    {
        var tolerances = new Dictionary<string, ComparisonTolerance>(StringComparer.Ordinal);
        var project = MLProjectLoader.Load(projectDirectory).Project;
        if (project.EntryPoints.TryGetValue(entryPoint, out var declared) && declared.Metrics is { } metrics)
        {
            foreach (var (name, tolerance) in metrics.Tolerances)
            {
                tolerances[name] = new ComparisonTolerance(tolerance.Rtol, tolerance.Atol);
            }
        }

        return tolerances;
    }

    private static (Verdict Verdict, string Summary) Decide(RunManifest original, RunManifest verification, List<OutputComparison> outputs, IReadOnlyList<MetricComparison> metrics)
    {
        if (verification.Status != RunStatus.Finished)
        {
            return (Verdict.Different, $"the re-run ended {verification.Status.Name()}: {verification.StatusMessage}");
        }

        var differentOutputs = outputs.Where(output => output.Result.Outcome == ComparisonOutcome.Different).ToList();
        var differentMetrics = metrics.Where(metric => metric.Outcome == ComparisonOutcome.Different).ToList();
        var checkedCount = $"{outputs.Count} output file(s), {metrics.Count} metric(s)";
        if (differentOutputs.Count > 0 || differentMetrics.Count > 0)
        {
            var named = differentOutputs.Select(output => output.Path).Concat(differentMetrics.Select(metric => $"metric {metric.Name}")).ToList();
            return (Verdict.Different, $"{named.Count} of {outputs.Count + metrics.Count} differ: {string.Join(", ", named.Take(5))}{(named.Count > 5 ? ", …" : string.Empty)}");
        }

        var equivalent = outputs.Where(output => output.Result.Outcome == ComparisonOutcome.Equivalent).Select(output => $"{output.Path} ({output.Result.Summary})")
            .Concat(metrics.Where(metric => metric.Outcome == ComparisonOutcome.Equivalent).Select(metric => $"metric {metric.Name} ({metric.Summary})"))
            .ToList();
        if (equivalent.Count > 0)
        {
            return (Verdict.Equivalent, $"{checkedCount} match; equivalent but not bit-identical: {MessageList.Join(equivalent, separator: "; ")}");
        }

        return original.Outputs.Count == 0 && metrics.Count == 0
            ? (Verdict.Reproduced, "the re-run succeeded; the run declared no outputs or metrics to compare")
            : (Verdict.Reproduced, $"{checkedCount} bit-identical");
    }
}
