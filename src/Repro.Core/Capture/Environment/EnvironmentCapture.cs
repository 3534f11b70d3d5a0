using System.Runtime.InteropServices;
using Repro.Core.Capture.Git;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// Captures the machine and software a run sees, before every run. Cheap facts (files under /proc, runtime
/// properties) are read directly; expensive ones (external programs) start first and run concurrently, each with a
/// timeout, so capture costs about as long as the slowest probe. Capture only produces the record; rendering it is
/// someone else's job.
/// </summary>
public static class EnvironmentCapture
{
    /// <summary>How long one external probe may run before it is killed and its fact recorded as unknown.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(10);

    private static readonly IHostDetector[] Detectors =
        [new LinuxHostDetector(), new MacOsHostDetector(), new WindowsHostDetector(), new RuntimeHostDetector()];

    /// <summary>Captures the environment of a run about to start.</summary>
    /// <param name="projectDirectory">The project directory: lock files are searched in it and probes run in it.</param>
    /// <param name="renderedCommand">The command the run will execute; when it starts with <c>python</c> or <c>python3</c> that interpreter's version is recorded.</param>
    /// <param name="variables">
    /// The environment the run will inherit (normally repro's own). Only what <see cref="EnvironmentVariablePolicy"/>
    /// allows is recorded; the rest is used solely to find programs on PATH and to spot container hints.
    /// </param>
    /// <param name="cancellationToken">Stops capture and kills running probes.</param>
    /// <returns>The record and the warnings to report.</returns>
    /// <exception cref="InputException">The project directory does not exist.</exception>
    public static Task<EnvironmentCaptureResult> CaptureAsync(
        string projectDirectory,
        string renderedCommand,
        IReadOnlyDictionary<string, string> variables,
        CancellationToken cancellationToken) =>
        CaptureAsync(projectDirectory, renderedCommand, variables, DefaultProbeTimeout, cancellationToken);

    /// <summary>Captures the environment with a given limit per external probe.</summary>
    /// <param name="projectDirectory">The project directory.</param>
    /// <param name="renderedCommand">The command the run will execute.</param>
    /// <param name="variables">The environment the run will inherit.</param>
    /// <param name="probeTimeout">How long each external probe may run.</param>
    /// <param name="cancellationToken">Stops capture and kills running probes.</param>
    /// <returns>The record and the warnings to report.</returns>
    /// <exception cref="InputException">The project directory does not exist.</exception>
    public static Task<EnvironmentCaptureResult> CaptureAsync(
        string projectDirectory,
        string renderedCommand,
        IReadOnlyDictionary<string, string> variables,
        TimeSpan probeTimeout,
        CancellationToken cancellationToken) =>
        CaptureAsync(projectDirectory, renderedCommand, variables, probeTimeout, workingTreeListing: null, cancellationToken);

    /// <summary>
    /// Captures the environment; the lock files are found in <paramref name="workingTreeListing"/>'s list of the
    /// project's working tree (git capture of the same project makes it) instead of a walk, when it comes with one.
    /// </summary>
    /// <param name="projectDirectory">The project directory.</param>
    /// <param name="renderedCommand">The command the run will execute.</param>
    /// <param name="variables">The environment the run will inherit.</param>
    /// <param name="probeTimeout">How long each external probe may run.</param>
    /// <param name="workingTreeListing">Completes with git's listing of the working tree holding the project, or null (then the lock-file search walks).</param>
    /// <param name="cancellationToken">Stops capture and kills running probes.</param>
    /// <returns>The record and the warnings to report.</returns>
    internal static Task<EnvironmentCaptureResult> CaptureAsync(
        string projectDirectory,
        string renderedCommand,
        IReadOnlyDictionary<string, string> variables,
        TimeSpan probeTimeout,
        Task<WorkingTreeListing?>? workingTreeListing,
        CancellationToken cancellationToken)
    {
        // The result through a completion source: a suspended async method whose result is a reference type runs in a
        // generic box that ReadyToRun code lacks (six methods the JIT compiled on a pipeline's first step, where the
        // capture overlaps git's), a non-generic one does not. A failure faults the task with the exception thrown.
        var completion = new TaskCompletionSource<EnvironmentCaptureResult>();
        _ = CaptureIntoAsync(projectDirectory, renderedCommand, variables, probeTimeout, workingTreeListing, completion, cancellationToken);
        return completion.Task;
    }

    private static async Task CaptureIntoAsync(
        string projectDirectory,
        string renderedCommand,
        IReadOnlyDictionary<string, string> variables,
        TimeSpan probeTimeout,
        Task<WorkingTreeListing?>? workingTreeListing,
        TaskCompletionSource<EnvironmentCaptureResult> completion,
        CancellationToken cancellationToken)
    {
        var result = new EnvironmentCaptureResult?[1];
        try
        {
            await CaptureAsync(projectDirectory, renderedCommand, variables, probeTimeout, workingTreeListing, result, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            completion.SetException(exception);
            return;
        }

        completion.SetResult(result[0]!);
    }

    private static async Task CaptureAsync(
        string projectDirectory,
        string renderedCommand,
        IReadOnlyDictionary<string, string> variables,
        TimeSpan probeTimeout,
        Task<WorkingTreeListing?>? workingTreeListing,
        EnvironmentCaptureResult?[] result,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        ArgumentNullException.ThrowIfNull(renderedCommand);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(probeTimeout, TimeSpan.Zero);

        var project = Path.GetFullPath(projectDirectory);
        if (!Directory.Exists(project))
        {
            throw new InputException($"Project directory {project} does not exist.");
        }

        // Expensive facts first, so they overlap each other and the cheap reads below.
        var gpuTask = Timings.MeasureAsync("environment: GPUs (nvidia-smi)", () => NvidiaSmiProbe.ProbeAsync(variables, project, probeTimeout, cancellationToken));
        var sdkTask = Timings.MeasureAsync("environment: .NET SDK", () => DotnetSdkProbe.ProbeAsync(variables, project, probeTimeout, cancellationToken));
        var interpreterTask = Timings.MeasureAsync("environment: Python interpreter", () => PythonInterpreterProbe.ProbeAsync(renderedCommand, variables, project, probeTimeout, cancellationToken));
        var lockWarnings = new List<string>();
        // A continuation rather than an async lambda: a suspended async method whose result is a reference type runs in
        // a generic box that the ReadyToRun image lacks (seven methods the JIT compiled at each run), a continuation
        // on the pool does not. Either way the search runs on the pool once git has handed its listing over.
        var lockFilesTask = Timings.MeasureAsync("environment: lock files", () => workingTreeListing is null
            ? Task.Run(() => LockFileScanner.Scan(project, null, lockWarnings, cancellationToken), cancellationToken)
            : workingTreeListing.ContinueWith(
                listing => LockFileScanner.Scan(project, listing.GetAwaiter().GetResult(), lockWarnings, cancellationToken),
                cancellationToken,
                TaskContinuationOptions.None,
                TaskScheduler.Default));
        var hostTask = Timings.MeasureAsync("environment: host facts", () => Detectors.First(detector => detector.IsApplicable).DetectAsync(variables, probeTimeout, cancellationToken));

        // Cheap facts.
        var filtered = EnvironmentVariablePolicy.Filter(variables);
        var cudnn = CudnnLocator.Find(variables);
        var hostname = Try(() => System.Environment.MachineName);
        var user = Try(() => System.Environment.UserName);
        var runtime = new DotnetRecord(System.Environment.Version.ToString(), RuntimeInformation.RuntimeIdentifier, null);

        // Configured like every other await on a run's path: each kind of awaiter an async method suspends on is one
        // more method the JIT compiles at full optimisation (the runtime's AwaitUnsafeOnCompleted, which ReadyToRun
        // leaves out), and this was the run's only plain Task awaiter.
        await Task.WhenAll(gpuTask, sdkTask, interpreterTask, lockFilesTask, hostTask).ConfigureAwait(false);
        var host = await hostTask.ConfigureAwait(false);
        var gpus = await gpuTask.ConfigureAwait(false);
        var sdk = await sdkTask.ConfigureAwait(false);
        var interpreter = await interpreterTask.ConfigureAwait(false);

        var record = new EnvironmentRecord
        {
            Os = new OsRecord(host.OsName, host.OsVersion, host.Kernel, ArchitectureName(RuntimeInformation.ProcessArchitecture)),
            Cpu = new CpuRecord(host.CpuModel, System.Environment.ProcessorCount, host.VectorIsa ?? VectorIsa.FromRuntimeIntrinsics()),
            MemoryBytes = host.MemoryBytes,
            Hostname = hostname,
            User = user,
            Container = host.Container,
            Dotnet = runtime with { Sdk = sdk.Value },
            Gpus = gpus.Value.Gpus,
            CudaVersion = gpus.Value.CudaVersion,
            CudnnVersion = cudnn,
            LockFiles = await lockFilesTask.ConfigureAwait(false),
            Interpreter = interpreter.Value,
            Variables = filtered.Recorded,
            WithheldVariables = filtered.Withheld,
        };

        string?[] probeWarnings = [sdk.Warning, gpus.Warning, interpreter.Warning];
        result[0] = new EnvironmentCaptureResult(record, [.. probeWarnings.OfType<string>(), .. lockWarnings]);
    }

    /// <summary>The runtime-identifier spelling of an architecture (x64, arm64).</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>Its lower-case name as used in RIDs.</returns>
    internal static string ArchitectureName(Architecture architecture) => architecture switch
    {
        Architecture.X86 => "x86",
        Architecture.X64 => "x64",
        Architecture.Arm => "arm",
        Architecture.Arm64 => "arm64",
        Architecture.Armv6 => "armv6",
        Architecture.Wasm => "wasm",
        Architecture.S390x => "s390x",
        Architecture.LoongArch64 => "loongarch64",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        _ => architecture.ToString(),
    };

    private static string? Try(Func<string> read)
    {
        try
        {
            return read() is { Length: > 0 } value ? value : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (PlatformNotSupportedException)
        {
            return null;
        }
    }
}
