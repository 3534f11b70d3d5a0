using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// Capture: the code (git), the machine and software (environment), and the inputs' fingerprints, all three at once,
/// as they are just before the child starts. <c>--require-clean</c> is enforced here, before anything runs.
/// </summary>
public sealed class CaptureStage : IRunStage
{
    /// <inheritdoc />
    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var gitTask = GitCapture.CaptureAsync(run.ProjectDirectory, run.Folder.Path, cancellationToken);
        var environmentTask = EnvironmentCapture.CaptureAsync(run.ProjectDirectory, run.Command.Command, run.InheritedEnvironment, cancellationToken);
        var inputsTask = run.Fingerprinter.FingerprintInputsAsync(run.ProjectDirectory, run.InputSpecs, cancellationToken);
        await Task.WhenAll(gitTask, environmentTask, inputsTask).ConfigureAwait(false);
        var git = await gitTask.ConfigureAwait(false);
        var environment = await environmentTask.ConfigureAwait(false);
        run.Inputs = await inputsTask.ConfigureAwait(false);

        var replay = run.Request.Replay;
        if (replay is null)
        {
            // A verification runs in a materialised copy of recorded code, which is not a repository itself.
            run.Warnings.AddRange(git.Warnings);
        }

        run.Warnings.AddRange(environment.Warnings);
        if (run.Request.RequireClean)
        {
            GitCapture.RequireClean(git);
        }

        // In a verification the code is the recorded state, and the copy's own (non-)repository status says nothing about it.
        run.Git = replay is null ? git.Record : replay.Git with { RepositoryRoot = git.Record.RepositoryRoot ?? replay.Git.RepositoryRoot };
        run.Environment = environment.Record;
        run.ProjectRecord = await ProjectRecordOfAsync(run.Project, run.Request.EnvManager, environment.Record.LockFiles, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ProjectRecord> ProjectRecordOfAsync(MLProject project, string? envManager, IReadOnlyList<LockFileRecord> lockFiles, CancellationToken cancellationToken)
    {
        string? sha = null;
        if (project.Environment.File is { } file)
        {
            // Environment capture has usually hashed it already as a lock file (python_env.yaml, conda.yaml, …).
            var path = Path.Combine(project.Directory, file);
            var relative = Path.GetRelativePath(project.Directory, path).Replace('\\', '/');
            sha = lockFiles.FirstOrDefault(lockFile => string.Equals(lockFile.Path, relative, StringComparison.Ordinal))?.Sha256
                ?? (File.Exists(path) ? await FileHasher.HashFileAsync(path, cancellationToken).ConfigureAwait(false) : null);
        }

        return new ProjectRecord(
            project.Name,
            project.Directory,
            project.FileName,
            new ProjectEnvironmentRecord(project.Environment.Kind, project.Environment.File, sha, project.Environment.Image, envManager ?? EnvironmentManagerStage.Local));
    }
}
