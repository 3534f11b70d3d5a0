using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Capture.Data;
using Repro.Core.Capture.Environment;
using Repro.Core.Capture.Git;
using Repro.Core.Diagnostics;
using Repro.Core.Errors;
using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Core.Execution;

/// <summary>
/// <c>repro run</c>: load and validate, capture code, environment and inputs, start the child with every determinism
/// switch in place, then fingerprint outputs and metrics and write the final manifest. Bad input is found before
/// anything runs and leaves nothing behind; once the child has started, the run is always recorded, however it ends.
/// </summary>
public static class RunService
{
    /// <summary>Name of the parameters file in the run folder.</summary>
    public const string ParametersFileName = "params.json";

    /// <summary>Name of the Repro.Sdk report in the run folder.</summary>
    public const string SdkReportFileName = "sdk.json";

    /// <summary>Name of the metrics file in the run folder, when the entry point declares none.</summary>
    public const string DefaultMetricsFileName = "metrics.json";

    /// <summary>Runs an entry point and records it.</summary>
    /// <exception cref="InputException">Bad input; nothing was run and no run was recorded.</exception>
    /// <exception cref="StoreException">repro could not read or write what it needs.</exception>
    public static async Task<RunOutcome> RunAsync(RunRequest request, Interruption interruption, CancellationToken cancellationToken)
    {
        var projectDirectory = Path.GetFullPath(request.ProjectDirectory);
        if (!Directory.Exists(projectDirectory))
        {
            throw new InputException($"project directory {request.ProjectDirectory} does not exist");
        }

        var warnings = new List<string>();
        var loading = Timings.Measure("load MLproject, render the command");
        var loaded = MLProjectLoader.Load(projectDirectory);
        var project = loaded.Project;
        warnings.AddRange(loaded.Warnings);
        CheckEnvironmentManager(project, request.EnvManager, warnings);

        request.Environment.TryGetValue("SHELL", out var shell);
        var rendered = CommandRenderer.Render(project, request.EntryPoint, request.Parameters, shell);
        warnings.AddRange(rendered.Warnings);
        loading.Dispose();

        var seed = ChooseSeed(request, project);
        var opening = Timings.Measure("open the store and the hash cache");
        var store = RunStore.Open(request.StoreDirectory);
        using var hashCache = HashCache.Open(store.Root);
        opening.Dispose();
        var objects = new ObjectStore(store.Root, request.ObjectSizeLimit);
        var fingerprinter = new Fingerprinter(new FingerprintOptions
        {
            Cache = hashCache,
            Rehash = request.Rehash,
            Progress = request.HashProgress,
            ObjectStore = objects,
        });
        var outputSpecs = rendered.EntryPoint?.Outputs.Select(DataSpec.Output).ToList() ?? [];
        Fingerprinter.CheckDeclared(projectDirectory, outputSpecs);

        // The manifest's serializer metadata is built while the captures below wait for git and the probes.
        _ = Task.Factory.StartNew(ManifestSerializer.Prepare, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var createdAt = DateTimeOffset.UtcNow;
        var (runId, runDirectory) = store.CreateRun(createdAt);
        var started = false;
        RunManifest? recorded = null;
        try
        {
            var inputSpecs = InputSpecs(rendered);
            // Each capture does much of its work before its first await (opening the repository, reading /proc,
            // listing files): each starts on a thread of its own, so the three really run side by side, and their
            // blocking parts never hold up the thread pool's few threads (on two cores, a queued capture could wait
            // half a second for the pool to grow).
            var gitTask = Timings.MeasureAsync("capture: git", () => StartOnOwnThread(() => GitCapture.CaptureAsync(projectDirectory, runDirectory, cancellationToken), cancellationToken));
            var environmentTask = Timings.MeasureAsync("capture: environment", () => StartOnOwnThread(() => EnvironmentCapture.CaptureAsync(projectDirectory, rendered.Command, request.Environment, cancellationToken), cancellationToken));
            var inputsTask = Timings.MeasureAsync("capture: inputs", () => StartOnOwnThread(() => fingerprinter.FingerprintInputsAsync(projectDirectory, inputSpecs, cancellationToken), cancellationToken));
            await Task.WhenAll(gitTask, environmentTask, inputsTask).ConfigureAwait(false);
            var git = await gitTask.ConfigureAwait(false);
            var environment = await environmentTask.ConfigureAwait(false);
            var inputs = await inputsTask.ConfigureAwait(false);
            if (request.Replay is null)
            {
                // A verification runs in a materialised copy of recorded code, which is not a repository itself.
                warnings.AddRange(git.Warnings);
            }

            warnings.AddRange(environment.Warnings);

            if (request.RequireClean)
            {
                GitCapture.RequireClean(git);
            }

            var gitRecord = request.Replay is null ? git.Record : ReplayedGit(request.Replay.Git, git.Record);
            var metricsFile = MetricsFilePath(projectDirectory, runDirectory, rendered.EntryPoint);
            var metricsBefore = FileStamp.Of(metricsFile);
            var parametersFile = Path.Combine(runDirectory, ParametersFileName);
            AtomicFile.WriteAllBytes(parametersFile, ParametersJson(rendered.Parameters));

            var child = ChildEnvironmentBuilder.Build(
                new ChildEnvironmentInputs(
                    runId,
                    runDirectory,
                    seed.Value,
                    parametersFile,
                    metricsFile,
                    gitRecord.CommitTime,
                    request.Threads,
                    rendered.EntryPoint?.Env ?? new Dictionary<string, string>()),
                request.Environment,
                request.Replay?.Determinism);

            var manifest = new RunManifest
            {
                RunId = runId,
                RunName = request.RunName,
                ExperimentName = request.ExperimentName,
                Status = RunStatus.Running,
                Verifies = request.Replay?.Verifies,
                Repro = new ToolRecord(ToolVersion),
                Project = await ProjectRecordOfAsync(project, request.EnvManager, environment.Record.LockFiles, cancellationToken).ConfigureAwait(false),
                EntryPoint = rendered.EntryPointRecord,
                Parameters = rendered.Parameters,
                Command = new CommandRecord(rendered.Command, rendered.Argv, projectDirectory),
                Seed = seed,
                Determinism = new DeterminismRecord(child.Determinism, request.Threads),
                Git = gitRecord,
                Environment = environment.Record,
                Execution = new ExecutionRecord { StartedAt = DateTimeOffset.UtcNow },
                Inputs = inputs,
                Warnings = warnings,
            };
            using (Timings.Measure("write the manifest (RUNNING)"))
            {
                store.Save(manifest);
            }

            started = true;
            recorded = manifest;

            var result = await Timings.MeasureAsync("entry point (child process)", () => ChildProcessRunner.RunAsync(
                new ChildProcessRequest(
                    rendered.Argv,
                    projectDirectory,
                    child.Variables,
                    Path.Combine(runDirectory, "stdout.log"),
                    Path.Combine(runDirectory, "stderr.log"),
                    request.EchoStdout,
                    request.EchoStderr,
                    request.GracePeriod),
                interruption)).ConfigureAwait(false);

            manifest = await Timings.MeasureAsync("outputs and metrics", () => FinishAsync(manifest, result, outputSpecs, projectDirectory, runDirectory, metricsFile, metricsBefore, fingerprinter, objects, warnings, cancellationToken)).ConfigureAwait(false);
            using (Timings.Measure("write the manifest (final)"))
            {
                store.Save(manifest);
            }

            return new RunOutcome(manifest, runDirectory, Path.Combine(runDirectory, RunStore.ManifestFileName));
        }
        catch (Exception exception) when (started && recorded is not null)
        {
            // repro itself failed after the child started: the run still happened, so it must not stay RUNNING.
            TrySave(store, recorded with { Status = RunStatus.Failed, StatusMessage = $"repro failed while recording the run: {exception.Message}" });
            throw;
        }
        catch (Exception exception) when (!started)
        {
            // Nothing ran: leave no trace of a run that never was.
            TryDeleteDirectory(runDirectory);
            if (exception is OperationCanceledException && interruption.IsRequested)
            {
                throw new InterruptedException("interrupted before the entry point started; nothing was run", exception);
            }

            throw;
        }
    }

    /// <summary>The repro version written into manifests.</summary>
    public static string ToolVersion { get; } =
        typeof(RunService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static async Task<RunManifest> FinishAsync(
        RunManifest manifest,
        ChildProcessResult result,
        IReadOnlyList<DataSpec> outputSpecs,
        string projectDirectory,
        string runDirectory,
        string metricsFile,
        FileStamp? metricsBefore,
        Fingerprinter fingerprinter,
        ObjectStore objects,
        List<string> warnings,
        CancellationToken cancellationToken)
    {
        var execution = manifest.Execution! with
        {
            StartedAt = result.StartedAt,
            EndedAt = result.EndedAt,
            DurationSeconds = Math.Round((result.EndedAt - result.StartedAt).TotalSeconds, 3),
            ExitCode = result.ExitCode,
            Signal = result.Interrupted is { } signal ? Interruption.NameOf(signal) : null,
            CpuUserSeconds = result.CpuUserSeconds is { } user ? Math.Round(user, 3) : null,
            CpuSystemSeconds = result.CpuSystemSeconds is { } system ? Math.Round(system, 3) : null,
            PeakMemoryBytes = result.PeakMemoryBytes,
            Stdout = StoredLog(result.Stdout),
            Stderr = StoredLog(result.Stderr),
        };

        if (result.StragglersKilled > 0)
        {
            warnings.Add($"the entry point left {result.StragglersKilled} process(es) running after it exited; repro stopped them");
        }

        var sdk = ReadSdkReport(runDirectory, warnings);
        if (result.Interrupted is not null)
        {
            return manifest with
            {
                Status = RunStatus.Killed,
                StatusMessage = $"interrupted by {execution.Signal}; the process tree was stopped",
                Execution = execution,
                Sdk = sdk,
                Warnings = warnings,
            };
        }

        OutputFingerprints outputs;
        try
        {
            outputs = await fingerprinter.FingerprintOutputsAsync(projectDirectory, outputSpecs, cancellationToken).ConfigureAwait(false);
        }
        catch (InputException exception)
        {
            // A special file or an unreadable output: the child ran, so the run is recorded, as failed.
            return manifest with { Status = RunStatus.Failed, StatusMessage = $"the outputs could not be fingerprinted: {exception.Message}", Execution = execution, Sdk = sdk, Warnings = warnings };
        }
        catch (OperationCanceledException)
        {
            return manifest with { Status = RunStatus.Killed, StatusMessage = "interrupted while fingerprinting the outputs", Execution = execution, Sdk = sdk, Warnings = warnings };
        }

        WarnAboutStaleOutputs(outputs.Records, projectDirectory, result.StartedAt, warnings);

        var metrics = ReadMetrics(metricsFile, metricsBefore, projectDirectory, runDirectory, objects, warnings);

        var status = RunStatus.Finished;
        string? message = null;
        if (result.ExitCode != 0)
        {
            status = RunStatus.Failed;
            message = $"the entry point exited with code {result.ExitCode}";
        }
        else if (outputs.Missing.Count > 0)
        {
            status = RunStatus.Failed;
            message = $"declared output(s) missing after the entry point exited: {string.Join("; ", outputs.Missing.Select(missing => missing.Message))}";
        }

        return manifest with
        {
            Status = status,
            StatusMessage = message,
            Execution = execution,
            Outputs = outputs.Records,
            Metrics = metrics,
            Sdk = sdk,
            Warnings = warnings,
        };
    }

    private static Task<T> StartOnOwnThread<T>(Func<Task<T>> start, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(start, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();

    private static void CheckEnvironmentManager(MLProject project, string? envManager, List<string> warnings)
    {
        if (envManager is not null && !string.Equals(envManager, "local", StringComparison.Ordinal))
        {
            throw new InputException($"--env-manager {envManager}: only 'local' (run on this host) is supported");
        }

        switch (project.Environment.Kind)
        {
            case "docker_env" when envManager is null:
                throw new InputException($"{project.FilePath}: docker_env is declared, but running inside Docker is not supported yet; pass --env-manager local to run on this host instead");
            case "docker_env":
                warnings.Add($"docker_env (image {project.Environment.Image}) recorded but not used: running on this host (--env-manager local)");
                break;
            case { } kind when envManager is null:
                warnings.Add($"{kind} ({project.Environment.File}) recorded but not created: running with the interpreters on this host's PATH (--env-manager local)");
                break;
        }
    }

    private static SeedRecord ChooseSeed(RunRequest request, MLProject project)
    {
        if (request.Replay is not null)
        {
            return request.Replay.Seed;
        }

        if (request.Seed is { } given)
        {
            return new SeedRecord(given, "cli");
        }

        if (project.Seed is { } declared)
        {
            return new SeedRecord(declared, "mlproject");
        }

        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return new SeedRecord(BitConverter.ToUInt32(bytes), "random");
    }

    private static List<DataSpec> InputSpecs(RenderedCommand rendered)
    {
        var specs = rendered.EntryPoint?.Inputs.Select(DataSpec.Input).ToList() ?? [];
        foreach (var parameter in rendered.Parameters)
        {
            if (string.Equals(parameter.Type, "path", StringComparison.Ordinal))
            {
                specs.Add(DataSpec.Parameter(parameter.Name, parameter.Value));
            }
        }

        return specs;
    }

    private static string MetricsFilePath(string projectDirectory, string runDirectory, EntryPoint? entryPoint) =>
        entryPoint?.Metrics is { } metrics
            ? Path.GetFullPath(Path.Combine(projectDirectory, metrics.File))
            : Path.Combine(runDirectory, DefaultMetricsFileName);

    private static GitRecord ReplayedGit(GitRecord recorded, GitRecord checkout) =>

        // A verification runs in a materialised copy of the recorded code: the code is the recorded state, and the
        // copy's own (non-)repository status says nothing about it.
        recorded with { RepositoryRoot = checkout.RepositoryRoot ?? recorded.RepositoryRoot };

    private static async Task<ProjectRecord> ProjectRecordOfAsync(MLProject project, string? envManager, IReadOnlyList<LockFileRecord> lockFiles, CancellationToken cancellationToken)
    {
        string? sha = null;
        if (project.Environment.File is { } file)
        {
            // Environment capture has usually hashed it already as a lock file (python_env.yaml, conda.yaml, …).
            var relative = Path.GetRelativePath(project.Directory, Path.Combine(project.Directory, file)).Replace('\\', '/');
            var path = Path.Combine(project.Directory, file);
            sha = lockFiles.FirstOrDefault(lockFile => string.Equals(lockFile.Path, relative, StringComparison.Ordinal))?.Sha256
                ?? (File.Exists(path) ? await FileHasher.HashFileAsync(path, cancellationToken).ConfigureAwait(false) : null);
        }

        return new ProjectRecord(
            project.Name,
            project.Directory,
            project.FileName,
            new ProjectEnvironmentRecord(project.Environment.Kind, project.Environment.File, sha, project.Environment.Image, envManager ?? "local"));
    }

    private static byte[] ParametersJson(IReadOnlyList<ParameterRecord> parameters)
    {
        var node = new JsonObject();
        foreach (var parameter in parameters)
        {
            node[parameter.Name] = parameter.Value;
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, ManifestJsonContext.Default.JsonObject);
    }

    private static StoredFileRecord StoredLog(CapturedStream stream) =>
        new(Path.GetFileName(stream.Path), stream.Sha256, stream.Bytes);

    private static void WarnAboutStaleOutputs(IReadOnlyList<DataRecord> outputs, string projectDirectory, DateTimeOffset childStarted, List<string> warnings)
    {
        foreach (var file in outputs.SelectMany(record => record.Files))
        {
            var info = new FileInfo(Path.Combine(projectDirectory, file.Path));
            if (info.Exists && info.LastWriteTimeUtc < childStarted.UtcDateTime.AddSeconds(-1))
            {
                warnings.Add($"output {file.Path} was not written by this run (last modified {info.LastWriteTimeUtc:O}, before the entry point started)");
            }
        }
    }

    private static MetricsRecord? ReadMetrics(string metricsFile, FileStamp? before, string projectDirectory, string runDirectory, ObjectStore objects, List<string> warnings)
    {
        var after = FileStamp.Of(metricsFile);
        if (after is null)
        {
            return null;
        }

        var display = DisplayPath(metricsFile, projectDirectory, runDirectory);
        if (before is not null && before == after)
        {
            warnings.Add($"metrics file {display} was not rewritten by this run: its metrics are not recorded");
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(metricsFile);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"cannot read metrics file {display}: {exception.Message}");
            return null;
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        objects.TryPut(metricsFile, sha);
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                warnings.Add($"metrics file {display} is not a JSON object of name to number: ignored");
                return new MetricsRecord(display, sha, values);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetDouble(out var number))
                {
                    values[property.Name] = number;
                }
                else if (property.Value.ValueKind == JsonValueKind.String && TryParseSpecialNumber(property.Value.GetString(), out var special))
                {
                    values[property.Name] = special;
                }
                else
                {
                    warnings.Add($"metrics file {display}: '{property.Name}' is not a number: ignored");
                }
            }
        }
        catch (JsonException exception)
        {
            warnings.Add($"metrics file {display} is not valid JSON ({exception.Message.Split('\n')[0]}): ignored");
        }

        return new MetricsRecord(display, sha, values);
    }

    private static bool TryParseSpecialNumber(string? text, out double value)
    {
        value = text switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => 0,
        };
        return text is "NaN" or "Infinity" or "-Infinity";
    }

    private static string DisplayPath(string path, string projectDirectory, string runDirectory)
    {
        foreach (var root in new[] { projectDirectory, runDirectory })
        {
            var relative = Path.GetRelativePath(root, path);
            if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            {
                return relative.Replace('\\', '/');
            }
        }

        return path;
    }

    private static JsonObject? ReadSdkReport(string runDirectory, List<string> warnings)
    {
        var path = Path.Combine(runDirectory, SdkReportFileName);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw new JsonException("not a JSON object");
        }
        catch (Exception exception) when (exception is JsonException or IOException)
        {
            warnings.Add($"the Repro.Sdk report {SdkReportFileName} could not be read ({exception.Message.Split('\n')[0]}): not merged");
            return null;
        }
    }

    private static void TrySave(RunStore store, RunManifest manifest)
    {
        try
        {
            store.Save(manifest);
        }
        catch (StoreException)
        {
            // The store is what failed: the original error says why, and the manifest keeps RUNNING.
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // The error that stopped the run is what the user needs to see.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    /// <summary>Size and modification time: enough to tell whether a file was rewritten during the run.</summary>
    private sealed record FileStamp(long Length, long WriteTicks)
    {
        public static FileStamp? Of(string path)
        {
            var info = new FileInfo(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc.Ticks) : null;
        }
    }
}
