using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>
/// Reads <c>run.json</c> straight off a <see cref="Utf8JsonReader"/> when the file is exactly what
/// <see cref="ManifestWriter"/> writes: every property present, once, in the writer's order, with a token of the type
/// the model holds. On anything else (an unknown or missing property, another order, a null the model does not
/// allow, a number out of range, an enum word spelt otherwise, comments, malformed JSON) it gives up and returns
/// null, and <see cref="ManifestSerializer.Deserialize"/> reads the file through the serializer, which gives today's
/// result or today's error. So the reader only has to be right when it succeeds, which <c>ManifestReaderTests</c>
/// checks against the serializer.
/// </summary>
/// <remarks>
/// Why not the serializer: reading one manifest through it built System.Text.Json's metadata for every type the
/// manifest holds (about 25 ms of type loading and JIT for <c>repro show latest</c>, on two cores), and a fully
/// reused pipeline reads one manifest per step. The objects built here are the serializer's: lists are
/// <see cref="List{T}"/>, maps <see cref="Dictionary{TKey,TValue}"/>, and JSON objects come from
/// <see cref="JsonElement.ParseValue"/> as the serializer's <see cref="JsonObject"/> converter makes them.
/// </remarks>
internal static class ManifestReader
{
    private delegate T ItemReader<out T>(ref Utf8JsonReader reader);

    /// <summary>The manifest, or null where the file is not exactly what the writer writes.</summary>
    public static RunManifest? TryRead(ReadOnlySpan<byte> json)
    {
        try
        {
            // The serializer's reader options for the manifest's: no comments, no trailing commas, depth 64.
            var reader = new Utf8JsonReader(json, new JsonReaderOptions());
            Next(ref reader);
            var manifest = Manifest(ref reader);

            // Anything after the manifest but whitespace makes Read throw, as the serializer would.
            return reader.Read() ? null : manifest;
        }
        catch (Exception exception) when (exception is GiveUpException or JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static RunManifest Manifest(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var schemaVersion = Int32(ref reader, "schemaVersion"u8);
        var runId = String(ref reader, "runId"u8);
        var runName = NullableString(ref reader, "runName"u8);
        var experimentName = NullableString(ref reader, "experimentName"u8);
        var status = Word<RunStatus>(ref reader, "status"u8);
        var statusMessage = NullableString(ref reader, "statusMessage"u8);
        var verifies = NullableString(ref reader, "verifies"u8);
        var reusedFrom = NullableString(ref reader, "reusedFrom"u8);
        var runCacheKey = NullableString(ref reader, "runCacheKey"u8);

        Property(ref reader, "repro"u8);
        StartObject(ref reader);
        var repro = new ToolRecord(String(ref reader, "version"u8));
        EndObject(ref reader);

        Property(ref reader, "project"u8);
        var project = Project(ref reader);
        Property(ref reader, "source"u8);
        var source = IsNull(ref reader) ? null : Source(ref reader);

        Property(ref reader, "entryPoint"u8);
        StartObject(ref reader);
        var entryPoint = new EntryPointRecord(String(ref reader, "name"u8), Word<EntryPointKind>(ref reader, "kind"u8));
        EndObject(ref reader);

        var parameters = Items(ref reader, "parameters"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var parameter = new ParameterRecord(
                String(ref reader, "name"u8),
                new ParameterType(String(ref reader, "type"u8)),
                Word<ParameterSource>(ref reader, "source"u8),
                String(ref reader, "given"u8),
                String(ref reader, "value"u8));
            EndObject(ref reader);
            return parameter;
        });

        Property(ref reader, "command"u8);
        StartObject(ref reader);
        var command = new CommandRecord(String(ref reader, "rendered"u8), Strings(ref reader, "argv"u8), String(ref reader, "workingDirectory"u8));
        EndObject(ref reader);

        Property(ref reader, "seed"u8);
        StartObject(ref reader);
        var seed = new SeedRecord(UInt32(ref reader, "value"u8), Word<SeedSource>(ref reader, "source"u8));
        EndObject(ref reader);

        Property(ref reader, "determinism"u8);
        var determinism = Determinism(ref reader);
        Property(ref reader, "git"u8);
        var git = Git(ref reader);
        Property(ref reader, "environment"u8);
        var environment = EnvironmentSection(ref reader);
        Property(ref reader, "pythonEnvironment"u8);
        var pythonEnvironment = IsNull(ref reader) ? null : PythonEnvironment(ref reader);
        Property(ref reader, "execution"u8);
        var execution = IsNull(ref reader) ? null : Execution(ref reader);
        var inputs = Items(ref reader, "inputs"u8, Data);
        var outputs = Items(ref reader, "outputs"u8, Data);
        Property(ref reader, "metrics"u8);
        var metrics = IsNull(ref reader) ? null : Metrics(ref reader);
        Property(ref reader, "sdk"u8);
        var sdk = IsNull(ref reader) ? null : Node(ref reader);
        Property(ref reader, "python"u8);
        var python = IsNull(ref reader) ? null : Python(ref reader);
        var warnings = Strings(ref reader, "warnings"u8);
        Property(ref reader, "verification"u8);
        var verification = IsNull(ref reader) ? null : Verification(ref reader);

        // Scheduler and sweep are left out when null, so the object may end before either.
        SchedulerRecord? scheduler = null;
        SweepPoint? sweep = null;
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("scheduler"u8))
        {
            Next(ref reader);
            scheduler = Scheduler(ref reader);
            Next(ref reader);
        }

        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("sweep"u8))
        {
            Next(ref reader);
            StartObject(ref reader);
            sweep = new SweepPoint(String(ref reader, "sweepId"u8), Int32(ref reader, "index"u8));
            EndObject(ref reader);
            Next(ref reader);
        }

        Expect(ref reader, JsonTokenType.EndObject);

        return new RunManifest
        {
            SchemaVersion = schemaVersion,
            RunId = runId,
            RunName = runName,
            ExperimentName = experimentName,
            Status = status,
            StatusMessage = statusMessage,
            Verifies = verifies,
            ReusedFrom = reusedFrom,
            RunCacheKey = runCacheKey,
            Repro = repro,
            Project = project,
            Source = source,
            EntryPoint = entryPoint,
            Parameters = parameters,
            Command = command,
            Seed = seed,
            Determinism = determinism,
            Git = git,
            Environment = environment,
            PythonEnvironment = pythonEnvironment,
            Execution = execution,
            Inputs = inputs,
            Outputs = outputs,
            Metrics = metrics,
            Sdk = sdk,
            Python = python,
            Warnings = warnings,
            Verification = verification,
            Scheduler = scheduler,
            Sweep = sweep,
        };
    }

    private static ProjectRecord Project(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var name = NullableString(ref reader, "name"u8);
        var directory = String(ref reader, "directory"u8);
        var file = NullableString(ref reader, "file"u8);
        Property(ref reader, "environment"u8);
        StartObject(ref reader);
        var environment = new ProjectEnvironmentRecord(
            NullableString(ref reader, "kind"u8),
            NullableString(ref reader, "file"u8),
            NullableString(ref reader, "sha256"u8),
            NullableString(ref reader, "image"u8),
            String(ref reader, "manager"u8));
        EndObject(ref reader);
        EndObject(ref reader);
        return new ProjectRecord(name, directory, file, environment);
    }

    private static ProjectSourceRecord Source(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var source = new ProjectSourceRecord(
            String(ref reader, "uri"u8),
            String(ref reader, "subdirectory"u8),
            NullableString(ref reader, "version"u8),
            Word<GitRefKind>(ref reader, "refKind"u8),
            String(ref reader, "commit"u8));
        EndObject(ref reader);
        return source;
    }

    private static DeterminismRecord Determinism(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var variables = Items(ref reader, "variables"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var variable = new DeterminismVariable(
                String(ref reader, "name"u8),
                String(ref reader, "value"u8),
                Word<VariableSetter>(ref reader, "setBy"u8),
                String(ref reader, "reason"u8));
            EndObject(ref reader);
            return variable;
        });
        var threads = NullableInt32(ref reader, "threads"u8);
        EndObject(ref reader);
        return new DeterminismRecord(variables, threads);
    }

    private static GitRecord Git(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var state = Word<GitState>(ref reader, "state"u8);
        var repositoryRoot = NullableString(ref reader, "repositoryRoot"u8);
        var projectPath = NullableString(ref reader, "projectPath"u8);
        var commit = NullableString(ref reader, "commit"u8);
        var commitTime = NullableTime(ref reader, "commitTime"u8);
        var branch = NullableString(ref reader, "branch"u8);
        var detached = Boolean(ref reader, "detached"u8);
        var remoteName = NullableString(ref reader, "remoteName"u8);
        var remoteUrl = NullableString(ref reader, "remoteUrl"u8);
        var dirty = Boolean(ref reader, "dirty"u8);
        var patch = StoredFile(ref reader, "patch"u8);
        var untracked = Items(ref reader, "untracked"u8, FileEntry);
        var submodules = Items(ref reader, "submodules"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var path = String(ref reader, "path"u8);
            var url = NullableString(ref reader, "url"u8);
            var commit = NullableString(ref reader, "commit"u8);
            var dirty = Boolean(ref reader, "dirty"u8);
            var patch = StoredFile(ref reader, "patch"u8);
            var untracked = Items(ref reader, "untracked"u8, FileEntry);
            EndObject(ref reader);
            return new SubmoduleRecord { Path = path, Url = url, Commit = commit, Dirty = dirty, Patch = patch, Untracked = untracked };
        });
        EndObject(ref reader);
        return new GitRecord
        {
            State = state,
            RepositoryRoot = repositoryRoot,
            ProjectPath = projectPath,
            Commit = commit,
            CommitTime = commitTime,
            Branch = branch,
            Detached = detached,
            RemoteName = remoteName,
            RemoteUrl = remoteUrl,
            Dirty = dirty,
            Patch = patch,
            Untracked = untracked,
            Submodules = submodules,
        };
    }

    private static StoredFileRecord? StoredFile(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        if (IsNull(ref reader))
        {
            return null;
        }

        StartObject(ref reader);
        var file = new StoredFileRecord(String(ref reader, "file"u8), String(ref reader, "sha256"u8), Int64(ref reader, "bytes"u8));
        EndObject(ref reader);
        return file;
    }

    private static FileRecord FileEntry(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var path = String(ref reader, "path"u8);
        var size = Int64(ref reader, "size"u8);
        var sha256 = NullableString(ref reader, "sha256"u8);
        var linkTarget = NullableString(ref reader, "linkTarget"u8);
        var stored = Boolean(ref reader, "stored"u8);
        EndObject(ref reader);
        return new FileRecord(path, size, sha256) { LinkTarget = linkTarget, Stored = stored };
    }

    private static EnvironmentRecord EnvironmentSection(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        Property(ref reader, "os"u8);
        StartObject(ref reader);
        var os = new OsRecord(
            NullableString(ref reader, "name"u8),
            NullableString(ref reader, "version"u8),
            NullableString(ref reader, "kernel"u8),
            String(ref reader, "architecture"u8));
        EndObject(ref reader);

        Property(ref reader, "cpu"u8);
        StartObject(ref reader);
        var cpu = new CpuRecord(NullableString(ref reader, "model"u8), Int32(ref reader, "logicalCores"u8), Strings(ref reader, "vectorIsa"u8));
        EndObject(ref reader);

        var memoryBytes = NullableInt64(ref reader, "memoryBytes"u8);
        var hostname = NullableString(ref reader, "hostname"u8);
        var user = NullableString(ref reader, "user"u8);
        var container = NullableBoolean(ref reader, "container"u8);

        Property(ref reader, "dotnet"u8);
        StartObject(ref reader);
        var dotnet = new DotnetRecord(String(ref reader, "runtime"u8), String(ref reader, "rid"u8), NullableString(ref reader, "sdk"u8));
        EndObject(ref reader);

        var gpus = Items(ref reader, "gpus"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var gpu = new GpuRecord(String(ref reader, "name"u8), NullableString(ref reader, "driver"u8), NullableInt64(ref reader, "memoryBytes"u8));
            EndObject(ref reader);
            return gpu;
        });
        var cudaVersion = NullableString(ref reader, "cudaVersion"u8);
        var cudnnVersion = NullableString(ref reader, "cudnnVersion"u8);
        var lockFiles = Items(ref reader, "lockFiles"u8, LockFile);

        Property(ref reader, "interpreter"u8);
        InterpreterRecord? interpreter = null;
        if (!IsNull(ref reader))
        {
            StartObject(ref reader);
            interpreter = new InterpreterRecord(String(ref reader, "command"u8), NullableString(ref reader, "path"u8), NullableString(ref reader, "version"u8));
            EndObject(ref reader);
        }

        Property(ref reader, "variables"u8);
        StartObject(ref reader);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextName(ref reader) is { } name)
        {
            Next(ref reader);
            Expect(ref reader, JsonTokenType.String);

            // The serializer would keep the last of two equal names; the writer never writes two.
            if (!variables.TryAdd(name, reader.GetString()!))
            {
                throw new GiveUpException();
            }
        }

        var withheldVariables = Strings(ref reader, "withheldVariables"u8);
        EndObject(ref reader);
        return new EnvironmentRecord
        {
            Os = os,
            Cpu = cpu,
            MemoryBytes = memoryBytes,
            Hostname = hostname,
            User = user,
            Container = container,
            Dotnet = dotnet,
            Gpus = gpus,
            CudaVersion = cudaVersion,
            CudnnVersion = cudnnVersion,
            LockFiles = lockFiles,
            Interpreter = interpreter,
            Variables = variables,
            WithheldVariables = withheldVariables,
        };
    }

    private static LockFileRecord LockFile(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var file = new LockFileRecord(String(ref reader, "path"u8), String(ref reader, "sha256"u8));
        EndObject(ref reader);
        return file;
    }

    private static PythonEnvironmentRecord PythonEnvironment(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var key = String(ref reader, "key"u8);

        Property(ref reader, "interpreter"u8);
        StartObject(ref reader);
        var interpreter = new PythonInterpreterRecord(String(ref reader, "path"u8), String(ref reader, "version"u8));
        EndObject(ref reader);

        Property(ref reader, "requested"u8);
        StartObject(ref reader);
        var requested = new PythonRequestedRecord(
            String(ref reader, "file"u8),
            NullableString(ref reader, "python"u8),
            Strings(ref reader, "buildDependencies"u8),
            Strings(ref reader, "dependencies"u8),
            Items(ref reader, "requirementFiles"u8, LockFile));
        EndObject(ref reader);

        Property(ref reader, "resolved"u8);
        StartObject(ref reader);
        var packages = Items(ref reader, "packages"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var package = new PythonPackageRecord(String(ref reader, "name"u8), String(ref reader, "version"u8));
            EndObject(ref reader);
            return package;
        });
        var resolved = new PythonResolvedRecord(packages, String(ref reader, "freezeSha256"u8));
        EndObject(ref reader);
        EndObject(ref reader);
        return new PythonEnvironmentRecord(key, interpreter, requested, resolved);
    }

    private static ExecutionRecord Execution(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var startedAt = Time(ref reader, "startedAt"u8);
        var endedAt = NullableTime(ref reader, "endedAt"u8);
        var durationSeconds = NullableDouble(ref reader, "durationSeconds"u8);
        var exitCode = NullableInt32(ref reader, "exitCode"u8);
        var signal = NullableString(ref reader, "signal"u8);
        var cpuUserSeconds = NullableDouble(ref reader, "cpuUserSeconds"u8);
        var cpuSystemSeconds = NullableDouble(ref reader, "cpuSystemSeconds"u8);
        var peakMemoryBytes = NullableInt64(ref reader, "peakMemoryBytes"u8);
        var stdout = StoredFile(ref reader, "stdout"u8);
        var stderr = StoredFile(ref reader, "stderr"u8);
        EndObject(ref reader);
        return new ExecutionRecord
        {
            StartedAt = startedAt,
            EndedAt = endedAt,
            DurationSeconds = durationSeconds,
            ExitCode = exitCode,
            Signal = signal,
            CpuUserSeconds = cpuUserSeconds,
            CpuSystemSeconds = cpuSystemSeconds,
            PeakMemoryBytes = peakMemoryBytes,
            Stdout = stdout,
            Stderr = stderr,
        };
    }

    private static DataRecord Data(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var spec = String(ref reader, "spec"u8);
        var kind = Word<DataKind>(ref reader, "kind"u8);
        var origin = DataOrigin.TryParse(String(ref reader, "origin"u8), out var parsed) ? parsed : throw new GiveUpException();
        var digest = String(ref reader, "digest"u8);
        var files = Items(ref reader, "files"u8, FileEntry);

        // Store is left out when null.
        bool? store = null;
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("store"u8))
        {
            Next(ref reader);
            store = reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => throw new GiveUpException(),
            };
            Next(ref reader);
        }

        Expect(ref reader, JsonTokenType.EndObject);
        return new DataRecord(spec, kind, origin, digest, files) { Store = store };
    }

    private static MetricsRecord Metrics(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var file = NullableString(ref reader, "file"u8);
        var sha256 = NullableString(ref reader, "sha256"u8);
        Property(ref reader, "values"u8);
        StartObject(ref reader);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        while (NextName(ref reader) is { } name)
        {
            Next(ref reader);
            if (!values.TryAdd(name, Double(ref reader)))
            {
                throw new GiveUpException();
            }
        }

        EndObject(ref reader);
        return new MetricsRecord(file, sha256, values);
    }

    private static PythonRecord Python(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var autoSeed = Boolean(ref reader, "autoSeed"u8);
        var hook = NullableString(ref reader, "hook"u8);
        var processes = Items(ref reader, "processes"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var pid = Int32(ref reader, "pid"u8);
            var ppid = NullableInt32(ref reader, "ppid"u8);
            var executable = NullableString(ref reader, "executable"u8);
            var pythonVersion = NullableString(ref reader, "pythonVersion"u8);
            var implementation = NullableString(ref reader, "implementation"u8);
            var status = Word<PythonHookStatus>(ref reader, "status"u8);
            var stream = NullableString(ref reader, "stream"u8);
            var runSeed = NullableInt64(ref reader, "runSeed"u8);
            var seed = NullableInt64(ref reader, "seed"u8);
            var libraries = Items(ref reader, "libraries"u8, static (ref Utf8JsonReader reader) =>
            {
                StartObject(ref reader);
                var library = new PythonLibraryRecord(
                    String(ref reader, "name"u8),
                    NullableString(ref reader, "version"u8),
                    Int64(ref reader, "seed"u8),
                    String(ref reader, "at"u8));
                EndObject(ref reader);
                return library;
            });
            Property(ref reader, "flags"u8);
            var flags = Node(ref reader);
            var errors = Strings(ref reader, "errors"u8);
            EndObject(ref reader);
            return new PythonProcessRecord(pid, ppid, executable, pythonVersion, implementation, status, stream, runSeed, seed, libraries, flags, errors);
        });
        EndObject(ref reader);
        return new PythonRecord(autoSeed, hook, processes);
    }

    private static VerificationRecord Verification(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var verdict = Word<Verdict>(ref reader, "verdict"u8);
        var summary = String(ref reader, "summary"u8);
        Property(ref reader, "rtol"u8);
        var rtol = Double(ref reader);
        Property(ref reader, "atol"u8);
        var atol = Double(ref reader);
        var outputs = Items(ref reader, "outputs"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var check = new OutputCheck(
                String(ref reader, "path"u8),
                Word<ComparisonOutcome>(ref reader, "outcome"u8),
                Word<ComparerName>(ref reader, "comparer"u8),
                String(ref reader, "summary"u8),
                Strings(ref reader, "details"u8));
            EndObject(ref reader);
            return check;
        });
        var metrics = Items(ref reader, "metrics"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var check = new MetricCheck(
                String(ref reader, "name"u8),
                NullableDouble(ref reader, "recorded"u8),
                NullableDouble(ref reader, "actual"u8),
                Word<ComparisonOutcome>(ref reader, "outcome"u8),
                String(ref reader, "summary"u8));
            EndObject(ref reader);
            return check;
        });
        var likelyCauses = Strings(ref reader, "likelyCauses"u8);
        var restoredInputs = Items(ref reader, "restoredInputs"u8, static (ref Utf8JsonReader reader) =>
        {
            StartObject(ref reader);
            var input = new RestoredInput(String(ref reader, "path"u8), String(ref reader, "sha256"u8), String(ref reader, "from"u8));
            EndObject(ref reader);
            return input;
        });
        EndObject(ref reader);
        return new VerificationRecord(verdict, summary, rtol, atol, outputs, metrics, likelyCauses) { RestoredInputs = restoredInputs };
    }

    private static SchedulerRecord Scheduler(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var backend = String(ref reader, "backend"u8);
        var jobId = String(ref reader, "jobId"u8);
        var arrayIndex = NullableInt32(ref reader, "arrayIndex"u8);
        var submittedAt = Time(ref reader, "submittedAt"u8);
        var partition = NullableString(ref reader, "partition"u8);
        var node = NullableString(ref reader, "node"u8);
        var schedulerVersion = NullableString(ref reader, "schedulerVersion"u8);
        var workDirectory = NullableString(ref reader, "workDirectory"u8);
        var finalState = NullableString(ref reader, "finalState"u8);
        EndObject(ref reader);
        return new SchedulerRecord
        {
            Backend = backend,
            JobId = jobId,
            ArrayIndex = arrayIndex,
            SubmittedAt = submittedAt,
            Partition = partition,
            Node = node,
            SchedulerVersion = schedulerVersion,
            WorkDirectory = workDirectory,
            FinalState = finalState,
        };
    }

    // As the serializer's JsonObject converter reads one (JsonNodeOptions from the manifest's options, which match
    // property names case-sensitively).
    private static JsonObject Node(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        return JsonObject.Create(JsonElement.ParseValue(ref reader), new JsonNodeOptions { PropertyNameCaseInsensitive = false }) ?? throw new GiveUpException();
    }

    // Lists of the serializer's type; a null element (which the serializer would keep) gives up, as the writer never
    // writes one for a manifest repro made.
    private static List<T> Items<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> name, ItemReader<T> item)
    {
        Property(ref reader, name);
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<T>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return items;
            }

            items.Add(item(ref reader));
        }
    }

    private static List<string> Strings(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<string>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return items;
            }

            Expect(ref reader, JsonTokenType.String);
            items.Add(reader.GetString()!);
        }
    }

    private static string String(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        Expect(ref reader, JsonTokenType.String);
        return reader.GetString()!;
    }

    private static string? NullableString(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        if (IsNull(ref reader))
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String);
        return reader.GetString();
    }

    private static int Int32(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        NullableInt32(ref reader, name) ?? throw new GiveUpException();

    private static int? NullableInt32(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        if (IsNull(ref reader))
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetInt32(out var value) ? value : throw new GiveUpException();
    }

    private static uint UInt32(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetUInt32(out var value) ? value : throw new GiveUpException();
    }

    private static long Int64(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        NullableInt64(ref reader, name) ?? throw new GiveUpException();

    private static long? NullableInt64(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        if (IsNull(ref reader))
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetInt64(out var value) ? value : throw new GiveUpException();
    }

    private static bool Boolean(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        NullableBoolean(ref reader, name) ?? throw new GiveUpException();

    private static bool? NullableBoolean(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new GiveUpException(),
        };
    }

    private static double? NullableDouble(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        return IsNull(ref reader) ? null : Double(ref reader);
    }

    // The manifest's options allow named floating-point literals: "NaN", "Infinity" and "-Infinity" (compared
    // unescaped, as the serializer compares them) stand for themselves.
    private static double Double(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueTextEquals("NaN"u8) ? double.NaN
                : reader.ValueTextEquals("Infinity"u8) ? double.PositiveInfinity
                : reader.ValueTextEquals("-Infinity"u8) ? double.NegativeInfinity
                : throw new GiveUpException();
        }

        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetDouble(out var value) ? value : throw new GiveUpException();
    }

    private static DateTimeOffset Time(ref Utf8JsonReader reader, ReadOnlySpan<byte> name) =>
        NullableTime(ref reader, name) ?? throw new GiveUpException();

    private static DateTimeOffset? NullableTime(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Property(ref reader, name);
        if (IsNull(ref reader))
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String);
        return reader.TryGetDateTimeOffset(out var value) ? value : throw new GiveUpException();
    }

    // Only the exact word the writer writes (ManifestEnumWords, the converter's table); the converter also takes other
    // casings and numbers, which the serializer then reads.
    private static TEnum Word<TEnum>(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
        where TEnum : struct, Enum
    {
        Property(ref reader, name);
        Expect(ref reader, JsonTokenType.String);
        foreach (var (value, word) in EnumWords<TEnum>.Utf8)
        {
            if (reader.ValueTextEquals(word))
            {
                var number = value;
                return Unsafe.As<int, TEnum>(ref number);
            }
        }

        throw new GiveUpException();
    }

    private static bool IsNull(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null;

    // Moves to the property called name and on to its value.
    private static void Property(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        Next(ref reader);
        if (reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals(name))
        {
            throw new GiveUpException();
        }

        Next(ref reader);
    }

    // The next property's name, or null at the end of the object.
    private static string? NextName(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.PropertyName);
        return reader.GetString();
    }

    private static void StartObject(ref Utf8JsonReader reader) => Expect(ref reader, JsonTokenType.StartObject);

    private static void EndObject(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.EndObject);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new GiveUpException();
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new GiveUpException();
        }
    }

    private static class EnumWords<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly (int Value, byte[] Word)[] Utf8 = Encode();

        private static (int, byte[])[] Encode()
        {
            var words = ManifestEnumWords<TEnum>.All;
            var encoded = new (int, byte[])[words.Length];
            for (var i = 0; i < words.Length; i++)
            {
                encoded[i] = (words[i].Value, Encoding.UTF8.GetBytes(words[i].Word));
            }

            return encoded;
        }
    }

    // Thrown only inside TryRead, where it becomes null: the serializer reads the file instead.
    private sealed class GiveUpException : Exception;
}
