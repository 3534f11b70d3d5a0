using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// Writes <c>run.json</c> straight onto a <see cref="Utf8JsonWriter"/>: the same bytes as serializing the manifest with
/// <see cref="ManifestJsonContext"/> (property order and names, number formats with NaN and the infinities as strings,
/// the relaxed escaping, indentation, nulls written out), which <c>ManifestWriterTests</c> checks byte for byte.
/// </summary>
/// <remarks>
/// Why not the serializer: writing a manifest through it built System.Text.Json's metadata for every type the
/// manifest holds (a type info, a property info and a converter per property, most of them generic instantiations
/// over repro's types), which a run paid in type loading and JIT on two cores before its first write. The
/// source generator's metadata-free fast path cannot stand in: System.Text.Json refuses it for options with an
/// encoder or with named floating-point literals, and the manifest needs both. Reading is <see cref="ManifestReader"/>'s,
/// which leaves what it is not certain of to the serializer.
/// </remarks>
internal static class ManifestWriter
{
    // As JsonSerializerOptions.GetWriterOptions makes them for the manifest's options: MaxDepth is the serializer's
    // default depth (64), not the writer's own (1,000), so that a too-deep Python flag fails as it did.
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = true,
        MaxDepth = 64,
        SkipValidation = true,
    };

    /// <summary>The manifest as UTF-8 JSON bytes, with a final newline.</summary>
    /// <exception cref="JsonException">A property that may not be null is null, as the serializer reports it.</exception>
    public static byte[] Write(RunManifest manifest) => Write(manifest, Manifest, 16 * 1024);

    /// <summary>
    /// <paramref name="value"/> as <paramref name="write"/> writes it with the manifest's writer options, as UTF-8 bytes
    /// with a final newline (the records repro writes by hand share this).
    /// </summary>
    internal static byte[] Write<T>(T value, Action<Utf8JsonWriter, T> write, int initialCapacity)
        where T : class
    {
        var buffer = new ArrayBufferWriter<byte>(initialCapacity);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer, value);
        }

        var bytes = new byte[buffer.WrittenCount + 1];
        buffer.WrittenSpan.CopyTo(bytes);
        bytes[^1] = (byte)'\n';
        return bytes;
    }

    private static void Manifest(Utf8JsonWriter writer, RunManifest manifest)
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion"u8, manifest.SchemaVersion);
        writer.WriteString("runId"u8, Required(manifest.RunId, "runId", typeof(RunManifest)));
        writer.WriteString("runName"u8, manifest.RunName);
        writer.WriteString("experimentName"u8, manifest.ExperimentName);
        Word(writer, "status"u8, manifest.Status);
        writer.WriteString("statusMessage"u8, manifest.StatusMessage);
        writer.WriteString("verifies"u8, manifest.Verifies);
        writer.WriteString("reusedFrom"u8, manifest.ReusedFrom);
        writer.WriteString("runCacheKey"u8, manifest.RunCacheKey);

        writer.WritePropertyName("repro"u8);
        var repro = Required(manifest.Repro, "repro", typeof(RunManifest));
        writer.WriteStartObject();
        writer.WriteString("version"u8, Required(repro.Version, "version", typeof(ToolRecord)));
        writer.WriteEndObject();

        writer.WritePropertyName("project"u8);
        Project(writer, Required(manifest.Project, "project", typeof(RunManifest)));
        writer.WritePropertyName("source"u8);
        Source(writer, manifest.Source);

        writer.WritePropertyName("entryPoint"u8);
        var entryPoint = Required(manifest.EntryPoint, "entryPoint", typeof(RunManifest));
        writer.WriteStartObject();
        writer.WriteString("name"u8, Required(entryPoint.Name, "name", typeof(EntryPointRecord)));
        Word(writer, "kind"u8, entryPoint.Kind);
        writer.WriteEndObject();

        writer.WritePropertyName("parameters"u8);
        Items(writer, Required(manifest.Parameters, "parameters", typeof(RunManifest)), Parameter);
        writer.WritePropertyName("command"u8);
        Command(writer, Required(manifest.Command, "command", typeof(RunManifest)));

        writer.WritePropertyName("seed"u8);
        var seed = Required(manifest.Seed, "seed", typeof(RunManifest));
        writer.WriteStartObject();
        writer.WriteNumber("value"u8, seed.Value);
        Word(writer, "source"u8, seed.Source);
        writer.WriteEndObject();

        writer.WritePropertyName("determinism"u8);
        Determinism(writer, Required(manifest.Determinism, "determinism", typeof(RunManifest)));
        writer.WritePropertyName("git"u8);
        Git(writer, Required(manifest.Git, "git", typeof(RunManifest)));
        writer.WritePropertyName("environment"u8);
        EnvironmentSection(writer, Required(manifest.Environment, "environment", typeof(RunManifest)));
        writer.WritePropertyName("pythonEnvironment"u8);
        PythonEnvironment(writer, manifest.PythonEnvironment);
        writer.WritePropertyName("execution"u8);
        Execution(writer, manifest.Execution);
        writer.WritePropertyName("inputs"u8);
        Items(writer, Required(manifest.Inputs, "inputs", typeof(RunManifest)), Data);
        writer.WritePropertyName("outputs"u8);
        Items(writer, Required(manifest.Outputs, "outputs", typeof(RunManifest)), Data);
        writer.WritePropertyName("metrics"u8);
        Metrics(writer, manifest.Metrics);
        writer.WritePropertyName("sdk"u8);
        Node(writer, manifest.Sdk);
        writer.WritePropertyName("python"u8);
        Python(writer, manifest.Python);
        writer.WritePropertyName("warnings"u8);
        Strings(writer, Required(manifest.Warnings, "warnings", typeof(RunManifest)));
        writer.WritePropertyName("verification"u8);
        Verification(writer, manifest.Verification);

        // Both are left out when null (JsonIgnoreCondition.WhenWritingNull on the model).
        if (manifest.Scheduler is { } scheduler)
        {
            writer.WritePropertyName("scheduler"u8);
            Scheduler(writer, scheduler);
        }

        if (manifest.Sweep is { } sweep)
        {
            writer.WritePropertyName("sweep"u8);
            writer.WriteStartObject();
            writer.WriteString("sweepId"u8, Required(sweep.SweepId, "sweepId", typeof(SweepPoint)));
            writer.WriteNumber("index"u8, sweep.Index);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void Project(Utf8JsonWriter writer, ProjectRecord project)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, project.Name);
        writer.WriteString("directory"u8, Required(project.Directory, "directory", typeof(ProjectRecord)));
        writer.WriteString("file"u8, project.File);
        writer.WritePropertyName("environment"u8);
        var environment = Required(project.Environment, "environment", typeof(ProjectRecord));
        writer.WriteStartObject();
        writer.WriteString("kind"u8, environment.Kind);
        writer.WriteString("file"u8, environment.File);
        writer.WriteString("sha256"u8, environment.Sha256);
        writer.WriteString("image"u8, environment.Image);
        writer.WriteString("manager"u8, Required(environment.Manager, "manager", typeof(ProjectEnvironmentRecord)));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Source(Utf8JsonWriter writer, ProjectSourceRecord? source)
    {
        if (source is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("uri"u8, Required(source.Uri, "uri", typeof(ProjectSourceRecord)));
        writer.WriteString("subdirectory"u8, Required(source.Subdirectory, "subdirectory", typeof(ProjectSourceRecord)));
        writer.WriteString("version"u8, source.Version);
        Word(writer, "refKind"u8, source.RefKind);
        writer.WriteString("commit"u8, Required(source.Commit, "commit", typeof(ProjectSourceRecord)));
        writer.WriteEndObject();
    }

    private static void Parameter(Utf8JsonWriter writer, ParameterRecord parameter)
    {
        writer.WriteStartObject();
        writer.WriteString("name"u8, Required(parameter.Name, "name", typeof(ParameterRecord)));
        writer.WriteString("type"u8, Required(parameter.Type, "type", typeof(ParameterRecord)).Word);
        Word(writer, "source"u8, parameter.Source);
        writer.WriteString("given"u8, Required(parameter.Given, "given", typeof(ParameterRecord)));
        writer.WriteString("value"u8, Required(parameter.Value, "value", typeof(ParameterRecord)));
        writer.WriteEndObject();
    }

    private static void Command(Utf8JsonWriter writer, CommandRecord command)
    {
        writer.WriteStartObject();
        writer.WriteString("rendered"u8, Required(command.Rendered, "rendered", typeof(CommandRecord)));
        writer.WritePropertyName("argv"u8);
        Strings(writer, Required(command.Argv, "argv", typeof(CommandRecord)));
        writer.WriteString("workingDirectory"u8, Required(command.WorkingDirectory, "workingDirectory", typeof(CommandRecord)));
        writer.WriteEndObject();
    }

    private static void Determinism(Utf8JsonWriter writer, DeterminismRecord determinism)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("variables"u8);
        Items(writer, Required(determinism.Variables, "variables", typeof(DeterminismRecord)), static (writer, variable) =>
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, Required(variable.Name, "name", typeof(DeterminismVariable)));
            writer.WriteString("value"u8, Required(variable.Value, "value", typeof(DeterminismVariable)));
            Word(writer, "setBy"u8, variable.SetBy);
            writer.WriteString("reason"u8, Required(variable.Reason, "reason", typeof(DeterminismVariable)));
            writer.WriteEndObject();
        });
        NullableNumber(writer, "threads"u8, determinism.Threads);
        writer.WriteEndObject();
    }

    private static void Git(Utf8JsonWriter writer, GitRecord git)
    {
        writer.WriteStartObject();
        Word(writer, "state"u8, git.State);
        writer.WriteString("repositoryRoot"u8, git.RepositoryRoot);
        writer.WriteString("projectPath"u8, git.ProjectPath);
        writer.WriteString("commit"u8, git.Commit);
        Time(writer, "commitTime"u8, git.CommitTime);
        writer.WriteString("branch"u8, git.Branch);
        writer.WriteBoolean("detached"u8, git.Detached);
        writer.WriteString("remoteName"u8, git.RemoteName);
        writer.WriteString("remoteUrl"u8, git.RemoteUrl);
        writer.WriteBoolean("dirty"u8, git.Dirty);
        writer.WritePropertyName("patch"u8);
        StoredFile(writer, git.Patch);
        writer.WritePropertyName("untracked"u8);
        Items(writer, Required(git.Untracked, "untracked", typeof(GitRecord)), FileEntry);
        writer.WritePropertyName("submodules"u8);
        Items(writer, Required(git.Submodules, "submodules", typeof(GitRecord)), static (writer, submodule) =>
        {
            writer.WriteStartObject();
            writer.WriteString("path"u8, Required(submodule.Path, "path", typeof(SubmoduleRecord)));
            writer.WriteString("url"u8, submodule.Url);
            writer.WriteString("commit"u8, submodule.Commit);
            writer.WriteBoolean("dirty"u8, submodule.Dirty);
            writer.WritePropertyName("patch"u8);
            StoredFile(writer, submodule.Patch);
            writer.WritePropertyName("untracked"u8);
            Items(writer, Required(submodule.Untracked, "untracked", typeof(SubmoduleRecord)), FileEntry);
            writer.WriteEndObject();
        });
        writer.WriteEndObject();
    }

    private static void StoredFile(Utf8JsonWriter writer, StoredFileRecord? file)
    {
        if (file is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("file"u8, Required(file.File, "file", typeof(StoredFileRecord)));
        writer.WriteString("sha256"u8, Required(file.Sha256, "sha256", typeof(StoredFileRecord)));
        writer.WriteNumber("bytes"u8, file.Bytes);
        writer.WriteEndObject();
    }

    private static void FileEntry(Utf8JsonWriter writer, FileRecord file)
    {
        writer.WriteStartObject();
        writer.WriteString("path"u8, Required(file.Path, "path", typeof(FileRecord)));
        writer.WriteNumber("size"u8, file.Size);
        writer.WriteString("sha256"u8, file.Sha256);
        writer.WriteString("linkTarget"u8, file.LinkTarget);
        writer.WriteBoolean("stored"u8, file.Stored);
        writer.WriteEndObject();
    }

    private static void EnvironmentSection(Utf8JsonWriter writer, EnvironmentRecord environment)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("os"u8);
        var os = Required(environment.Os, "os", typeof(EnvironmentRecord));
        writer.WriteStartObject();
        writer.WriteString("name"u8, os.Name);
        writer.WriteString("version"u8, os.Version);
        writer.WriteString("kernel"u8, os.Kernel);
        writer.WriteString("architecture"u8, Required(os.Architecture, "architecture", typeof(OsRecord)));
        writer.WriteEndObject();

        writer.WritePropertyName("cpu"u8);
        var cpu = Required(environment.Cpu, "cpu", typeof(EnvironmentRecord));
        writer.WriteStartObject();
        writer.WriteString("model"u8, cpu.Model);
        writer.WriteNumber("logicalCores"u8, cpu.LogicalCores);
        writer.WritePropertyName("vectorIsa"u8);
        Strings(writer, Required(cpu.VectorIsa, "vectorIsa", typeof(CpuRecord)));
        writer.WriteEndObject();

        NullableNumber(writer, "memoryBytes"u8, environment.MemoryBytes);
        writer.WriteString("hostname"u8, environment.Hostname);
        writer.WriteString("user"u8, environment.User);
        NullableBoolean(writer, "container"u8, environment.Container);

        writer.WritePropertyName("dotnet"u8);
        var dotnet = Required(environment.Dotnet, "dotnet", typeof(EnvironmentRecord));
        writer.WriteStartObject();
        writer.WriteString("runtime"u8, Required(dotnet.Runtime, "runtime", typeof(DotnetRecord)));
        writer.WriteString("rid"u8, Required(dotnet.Rid, "rid", typeof(DotnetRecord)));
        writer.WriteString("sdk"u8, dotnet.Sdk);
        writer.WriteEndObject();

        writer.WritePropertyName("gpus"u8);
        Items(writer, Required(environment.Gpus, "gpus", typeof(EnvironmentRecord)), static (writer, gpu) =>
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, Required(gpu.Name, "name", typeof(GpuRecord)));
            writer.WriteString("driver"u8, gpu.Driver);
            NullableNumber(writer, "memoryBytes"u8, gpu.MemoryBytes);
            writer.WriteEndObject();
        });
        writer.WriteString("cudaVersion"u8, environment.CudaVersion);
        writer.WriteString("cudnnVersion"u8, environment.CudnnVersion);
        writer.WritePropertyName("lockFiles"u8);
        Items(writer, Required(environment.LockFiles, "lockFiles", typeof(EnvironmentRecord)), LockFile);

        writer.WritePropertyName("interpreter"u8);
        if (environment.Interpreter is { } interpreter)
        {
            writer.WriteStartObject();
            writer.WriteString("command"u8, Required(interpreter.Command, "command", typeof(InterpreterRecord)));
            writer.WriteString("path"u8, interpreter.Path);
            writer.WriteString("version"u8, interpreter.Version);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WritePropertyName("variables"u8);
        writer.WriteStartObject();
        foreach (var (name, value) in Required(environment.Variables, "variables", typeof(EnvironmentRecord)))
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("withheldVariables"u8);
        Strings(writer, Required(environment.WithheldVariables, "withheldVariables", typeof(EnvironmentRecord)));
        writer.WriteEndObject();
    }

    private static void LockFile(Utf8JsonWriter writer, LockFileRecord file)
    {
        writer.WriteStartObject();
        writer.WriteString("path"u8, Required(file.Path, "path", typeof(LockFileRecord)));
        writer.WriteString("sha256"u8, Required(file.Sha256, "sha256", typeof(LockFileRecord)));
        writer.WriteEndObject();
    }

    private static void PythonEnvironment(Utf8JsonWriter writer, PythonEnvironmentRecord? environment)
    {
        if (environment is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("key"u8, Required(environment.Key, "key", typeof(PythonEnvironmentRecord)));

        writer.WritePropertyName("interpreter"u8);
        var interpreter = Required(environment.Interpreter, "interpreter", typeof(PythonEnvironmentRecord));
        writer.WriteStartObject();
        writer.WriteString("path"u8, Required(interpreter.Path, "path", typeof(PythonInterpreterRecord)));
        writer.WriteString("version"u8, Required(interpreter.Version, "version", typeof(PythonInterpreterRecord)));
        writer.WriteEndObject();

        writer.WritePropertyName("requested"u8);
        var requested = Required(environment.Requested, "requested", typeof(PythonEnvironmentRecord));
        writer.WriteStartObject();
        writer.WriteString("file"u8, Required(requested.File, "file", typeof(PythonRequestedRecord)));
        writer.WriteString("python"u8, requested.Python);
        writer.WritePropertyName("buildDependencies"u8);
        Strings(writer, Required(requested.BuildDependencies, "buildDependencies", typeof(PythonRequestedRecord)));
        writer.WritePropertyName("dependencies"u8);
        Strings(writer, Required(requested.Dependencies, "dependencies", typeof(PythonRequestedRecord)));
        writer.WritePropertyName("requirementFiles"u8);
        Items(writer, Required(requested.RequirementFiles, "requirementFiles", typeof(PythonRequestedRecord)), LockFile);
        writer.WriteEndObject();

        writer.WritePropertyName("resolved"u8);
        var resolved = Required(environment.Resolved, "resolved", typeof(PythonEnvironmentRecord));
        writer.WriteStartObject();
        writer.WritePropertyName("packages"u8);
        Items(writer, Required(resolved.Packages, "packages", typeof(PythonResolvedRecord)), static (writer, package) =>
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, Required(package.Name, "name", typeof(PythonPackageRecord)));
            writer.WriteString("version"u8, Required(package.Version, "version", typeof(PythonPackageRecord)));
            writer.WriteEndObject();
        });
        writer.WriteString("freezeSha256"u8, Required(resolved.FreezeSha256, "freezeSha256", typeof(PythonResolvedRecord)));
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Execution(Utf8JsonWriter writer, ExecutionRecord? execution)
    {
        if (execution is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("startedAt"u8, execution.StartedAt);
        Time(writer, "endedAt"u8, execution.EndedAt);
        NullableDouble(writer, "durationSeconds"u8, execution.DurationSeconds);
        NullableNumber(writer, "exitCode"u8, execution.ExitCode);
        writer.WriteString("signal"u8, execution.Signal);
        NullableDouble(writer, "cpuUserSeconds"u8, execution.CpuUserSeconds);
        NullableDouble(writer, "cpuSystemSeconds"u8, execution.CpuSystemSeconds);
        NullableNumber(writer, "peakMemoryBytes"u8, execution.PeakMemoryBytes);
        writer.WritePropertyName("stdout"u8);
        StoredFile(writer, execution.Stdout);
        writer.WritePropertyName("stderr"u8);
        StoredFile(writer, execution.Stderr);
        writer.WriteEndObject();
    }

    private static void Data(Utf8JsonWriter writer, DataRecord data)
    {
        writer.WriteStartObject();
        writer.WriteString("spec"u8, Required(data.Spec, "spec", typeof(DataRecord)));
        Word(writer, "kind"u8, data.Kind);
        writer.WriteString("origin"u8, Required(data.Origin, "origin", typeof(DataRecord)).ToString());
        writer.WriteString("digest"u8, Required(data.Digest, "digest", typeof(DataRecord)));
        writer.WritePropertyName("files"u8);
        Items(writer, Required(data.Files, "files", typeof(DataRecord)), FileEntry);

        // Left out when null (JsonIgnoreCondition.WhenWritingNull on the model).
        if (data.Store is { } store)
        {
            writer.WriteBoolean("store"u8, store);
        }

        writer.WriteEndObject();
    }

    private static void Metrics(Utf8JsonWriter writer, MetricsRecord? metrics)
    {
        if (metrics is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("file"u8, metrics.File);
        writer.WriteString("sha256"u8, metrics.Sha256);
        writer.WritePropertyName("values"u8);
        writer.WriteStartObject();
        foreach (var (name, value) in Required(metrics.Values, "values", typeof(MetricsRecord)))
        {
            writer.WritePropertyName(name);
            Number(writer, value);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void Python(Utf8JsonWriter writer, PythonRecord? python)
    {
        if (python is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteBoolean("autoSeed"u8, python.AutoSeed);
        writer.WriteString("hook"u8, python.Hook);
        writer.WritePropertyName("processes"u8);
        Items(writer, Required(python.Processes, "processes", typeof(PythonRecord)), static (writer, process) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("pid"u8, process.Pid);
            NullableNumber(writer, "ppid"u8, process.Ppid);
            writer.WriteString("executable"u8, process.Executable);
            writer.WriteString("pythonVersion"u8, process.PythonVersion);
            writer.WriteString("implementation"u8, process.Implementation);
            Word(writer, "status"u8, process.Status);
            writer.WriteString("stream"u8, process.Stream);
            NullableNumber(writer, "runSeed"u8, process.RunSeed);
            NullableNumber(writer, "seed"u8, process.Seed);
            writer.WritePropertyName("libraries"u8);
            Items(writer, Required(process.Libraries, "libraries", typeof(PythonProcessRecord)), static (writer, library) =>
            {
                writer.WriteStartObject();
                writer.WriteString("name"u8, Required(library.Name, "name", typeof(PythonLibraryRecord)));
                writer.WriteString("version"u8, library.Version);
                writer.WriteNumber("seed"u8, library.Seed);
                writer.WriteString("at"u8, Required(library.At, "at", typeof(PythonLibraryRecord)));
                writer.WriteEndObject();
            });
            writer.WritePropertyName("flags"u8);
            Node(writer, Required(process.Flags, "flags", typeof(PythonProcessRecord)));
            writer.WritePropertyName("errors"u8);
            Strings(writer, Required(process.Errors, "errors", typeof(PythonProcessRecord)));
            writer.WriteEndObject();
        });
        writer.WriteEndObject();
    }

    private static void Verification(Utf8JsonWriter writer, VerificationRecord? verification)
    {
        if (verification is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        Word(writer, "verdict"u8, verification.Verdict);
        writer.WriteString("summary"u8, Required(verification.Summary, "summary", typeof(VerificationRecord)));
        writer.WritePropertyName("rtol"u8);
        Number(writer, verification.Rtol);
        writer.WritePropertyName("atol"u8);
        Number(writer, verification.Atol);
        writer.WritePropertyName("outputs"u8);
        Items(writer, Required(verification.Outputs, "outputs", typeof(VerificationRecord)), static (writer, check) =>
        {
            writer.WriteStartObject();
            writer.WriteString("path"u8, Required(check.Path, "path", typeof(OutputCheck)));
            Word(writer, "outcome"u8, check.Outcome);
            Word(writer, "comparer"u8, check.Comparer);
            writer.WriteString("summary"u8, Required(check.Summary, "summary", typeof(OutputCheck)));
            writer.WritePropertyName("details"u8);
            Strings(writer, Required(check.Details, "details", typeof(OutputCheck)));
            writer.WriteEndObject();
        });
        writer.WritePropertyName("metrics"u8);
        Items(writer, Required(verification.Metrics, "metrics", typeof(VerificationRecord)), static (writer, check) =>
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, Required(check.Name, "name", typeof(MetricCheck)));
            NullableDouble(writer, "recorded"u8, check.Recorded);
            NullableDouble(writer, "actual"u8, check.Actual);
            Word(writer, "outcome"u8, check.Outcome);
            writer.WriteString("summary"u8, Required(check.Summary, "summary", typeof(MetricCheck)));
            writer.WriteEndObject();
        });
        writer.WritePropertyName("likelyCauses"u8);
        Strings(writer, Required(verification.LikelyCauses, "likelyCauses", typeof(VerificationRecord)));
        writer.WritePropertyName("restoredInputs"u8);
        Items(writer, Required(verification.RestoredInputs, "restoredInputs", typeof(VerificationRecord)), static (writer, input) =>
        {
            writer.WriteStartObject();
            writer.WriteString("path"u8, Required(input.Path, "path", typeof(RestoredInput)));
            writer.WriteString("sha256"u8, Required(input.Sha256, "sha256", typeof(RestoredInput)));
            writer.WriteString("from"u8, Required(input.From, "from", typeof(RestoredInput)));
            writer.WriteEndObject();
        });
        writer.WriteEndObject();
    }

    private static void Scheduler(Utf8JsonWriter writer, SchedulerRecord scheduler)
    {
        writer.WriteStartObject();
        writer.WriteString("backend"u8, Required(scheduler.Backend, "backend", typeof(SchedulerRecord)));
        writer.WriteString("jobId"u8, Required(scheduler.JobId, "jobId", typeof(SchedulerRecord)));
        NullableNumber(writer, "arrayIndex"u8, scheduler.ArrayIndex);
        writer.WriteString("submittedAt"u8, scheduler.SubmittedAt);
        writer.WriteString("partition"u8, scheduler.Partition);
        writer.WriteString("node"u8, scheduler.Node);
        writer.WriteString("schedulerVersion"u8, scheduler.SchedulerVersion);
        writer.WriteString("workDirectory"u8, scheduler.WorkDirectory);
        writer.WriteString("finalState"u8, scheduler.FinalState);
        writer.WriteEndObject();
    }

    // The serializer writes a list's null element as null; only the list itself may not be null.
    private static void Items<T>(Utf8JsonWriter writer, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> item)
        where T : class
    {
        writer.WriteStartArray();
        foreach (var element in items)
        {
            if (element is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                item(writer, element);
            }
        }

        writer.WriteEndArray();
    }

    internal static void Strings(Utf8JsonWriter writer, IReadOnlyList<string> items)
    {
        writer.WriteStartArray();
        foreach (var item in items)
        {
            writer.WriteStringValue(item);
        }

        writer.WriteEndArray();
    }

    // The manifest's options allow named floating-point literals: NaN and the infinities are written as the strings
    // "NaN", "Infinity" and "-Infinity", where the writer alone would refuse them.
    private static void Number(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void NullableDouble(Utf8JsonWriter writer, ReadOnlySpan<byte> name, double? value)
    {
        writer.WritePropertyName(name);
        if (value is { } number)
        {
            Number(writer, number);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void NullableNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void NullableBoolean(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } flag)
        {
            writer.WriteBoolean(name, flag);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    internal static void Time(Utf8JsonWriter writer, ReadOnlySpan<byte> name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            writer.WriteString(name, time);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    // The word ManifestEnumConverter and JsonStringEnumConverter write, from the same table; a value no member names
    // is written as its number, as both converters do.
    internal static void Word<TEnum>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, TEnum value)
        where TEnum : struct, Enum
    {
        var number = Unsafe.As<TEnum, int>(ref value);
        foreach (var (member, word) in ManifestEnumWords<TEnum>.All)
        {
            if (member == number)
            {
                writer.WriteString(name, word);
                return;
            }
        }

        writer.WriteNumber(name, number);
    }

    private static void Node(Utf8JsonWriter writer, JsonObject? node)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            try
            {
                node.WriteTo(writer, NodeOptions.Value);
            }
            catch (InvalidOperationException exception)
            {
                // Nested deeper than the serializer's limit: it reported that as a JsonException, so callers see the same.
                throw new JsonException("The object or value could not be serialized.", exception);
            }
        }
    }

    // What the serializer handed a JsonObject property's converter (only a JsonNode holding a typed value reads it), in
    // a class of its own so that a manifest without one (no Repro.Sdk report, no Python process) never builds it.
    private static class NodeOptions
    {
        public static readonly JsonSerializerOptions Value = new(ManifestJsonContext.Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
    }

    // The serializer's RespectNullableAnnotations check: a null where the model says none can be.
    internal static T Required<T>(T? value, string name, Type declaringType)
        where T : class =>
        value ?? throw new JsonException($"The property or field '{name}' on type '{declaringType}' doesn't allow getting null values. Consider updating its nullability annotation.");
}
