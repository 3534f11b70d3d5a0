using System.Globalization;
using Repro.Core.Errors;
using Repro.Core.Processes;

namespace Repro.Core.Scheduling;

/// <summary>
/// Slurm through its commands: <c>sbatch --parsable --hold</c>, <c>scontrol release</c>, <c>scontrol show job -o</c>
/// (never <c>sacct</c>, which needs slurmdbd; <c>scontrol</c> keeps ended jobs for <c>MinJobAge</c>) and
/// <c>scancel</c>.
/// </summary>
public sealed class SlurmBackend : IClusterBackend
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly IReadOnlyDictionary<string, string> _environment;

    /// <summary>A backend whose commands run with <paramref name="environment"/> (which a submitted job inherits: Slurm exports it).</summary>
    public SlurmBackend(IReadOnlyDictionary<string, string> environment)
    {
        _environment = environment;
    }

    /// <inheritdoc />
    public string Name => "slurm";

    /// <summary>The <c>sbatch</c> arguments for <paramref name="job"/>, before the script's path. Pure.</summary>
    public static IReadOnlyList<string> SbatchArguments(ClusterJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var arguments = new List<string> { "--parsable", "--hold", $"--job-name={job.Name}", $"--output={job.OutputPattern}", $"--chdir={job.WorkingDirectory}" };
        if (job.IsArray || job.Tasks > 1)
        {
            var throttle = job.Parallelism is { } parallel ? string.Create(CultureInfo.InvariantCulture, $"%{parallel}") : string.Empty;
            arguments.Add(string.Create(CultureInfo.InvariantCulture, $"--array=0-{job.Tasks - 1}{throttle}"));
        }

        arguments.AddRange(job.Settings.SbatchOptions());
        return arguments;
    }

    /// <inheritdoc />
    public async Task<string> SubmitHeldAsync(ClusterJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var script = Path.Combine(job.WorkingDirectory, "job.sh");
        await File.WriteAllTextAsync(script, job.Script, cancellationToken).ConfigureAwait(false);

        // Not under the C locale: the job inherits this environment, which is the environment the run records.
        var result = await RunAsync("sbatch", [.. SbatchArguments(job), script], cLocale: false, cancellationToken).ConfigureAwait(false);
        var jobId = result.Stdout.Trim().Split(';')[0];
        if (result.ExitCode != 0 || jobId.Length == 0 || !jobId.All(char.IsAsciiDigit))
        {
            throw new InputException($"sbatch refused the job: {OneLine(result.Stderr, result.Stdout)}");
        }

        return jobId;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string jobId, CancellationToken cancellationToken)
    {
        var result = await RunAsync("scontrol", ["release", jobId], cLocale: true, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new StoreException($"scontrol release {jobId} failed: {OneLine(result.Stderr, result.Stdout)}");
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, ClusterTaskState>> QueryAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobIds);
        var states = new Dictionary<string, ClusterTaskState>(StringComparer.Ordinal);
        foreach (var jobId in jobIds.Select(id => id.Split('_')[0]).Distinct(StringComparer.Ordinal))
        {
            // One job at a time: a job Slurm has forgotten makes scontrol fail ("Invalid job id specified"), and that
            // must not hide the others.
            var result = await RunAsync("scontrol", ["show", "job", "-o", jobId], cLocale: true, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                foreach (var (id, state) in SlurmJobStates.Parse(result.Stdout))
                {
                    states[id] = state;
                }
            }
            else if (!result.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreException($"scontrol show job {jobId} failed: {OneLine(result.Stderr, result.Stdout)}");
            }
        }

        return states;
    }

    /// <inheritdoc />
    public async Task CancelAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(taskIds);
        if (taskIds.Count == 0)
        {
            return;
        }

        var result = await RunAsync("scancel", [.. taskIds], cLocale: true, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0 && !result.Stderr.Contains("already completing or completed", StringComparison.OrdinalIgnoreCase)
            && !result.Stderr.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException($"scancel {string.Join(' ', taskIds)} failed: {OneLine(result.Stderr, result.Stdout)}");
        }
    }

    /// <summary>The Slurm version on this host (<c>sbatch --version</c>: <c>slurm-wlm 22.05.8</c>); null when unknown.</summary>
    public async Task<string?> VersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await RunAsync("sbatch", ["--version"], cLocale: true, cancellationToken).ConfigureAwait(false);
            return result.ExitCode == 0 && result.Stdout.Trim() is { Length: > 0 } version ? version : null;
        }
        catch (InputException)
        {
            return null;
        }
    }

    private static string OneLine(string stderr, string stdout)
    {
        var text = (stderr.Trim().Length > 0 ? stderr : stdout).Trim();
        return text.Length == 0 ? "no message" : string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string program, IReadOnlyList<string> arguments, bool cLocale, CancellationToken cancellationToken)
    {
        var cwd = Directory.GetCurrentDirectory();
        var executable = ExecutableLocator.Find(program, _environment, cwd)
            ?? throw new InputException($"--backend slurm needs {program}, which is not on PATH (is this a Slurm submit host?)");
        LaunchedProcess process;
        try
        {
            process = ProcessLauncher.Start(new ProcessStart(executable, arguments, cwd, _environment) { CLocale = cLocale });
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot start {executable}: {exception.Message}", exception);
        }

        using (process)
        {
            var stdout = ProcessOutput.ReadBoundedAsync(process.StandardOutput, 1 << 20);
            var stderr = ProcessOutput.ReadBoundedAsync(process.StandardError, 1 << 20);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(CommandTimeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.KillTree();
                cancellationToken.ThrowIfCancellationRequested();
                throw new StoreException($"{program} did not answer within {CommandTimeout.TotalSeconds:0} s");
            }

            return (process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
