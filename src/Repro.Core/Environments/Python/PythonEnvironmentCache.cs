using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Repro.Core.Caching;
using Repro.Core.Errors;
using Repro.Core.FileSystem;
using Repro.Core.Runs;

namespace Repro.Core.Environments.Python;

/// <summary>What to build or reuse.</summary>
/// <param name="Spec">The python_env file.</param>
/// <param name="Interpreter">The interpreter to make the environment from (see <see cref="PythonInterpreterLocator"/>).</param>
/// <param name="ProjectDirectory">The project directory: top-level <c>-r</c> paths resolve against it and pip runs in it, as in MLflow.</param>
public sealed record PythonEnvironmentRequest(PythonEnvSpec Spec, PythonInterpreter Interpreter, string ProjectDirectory)
{
    /// <summary>Build anew even when an environment with the same key exists (<c>--rebuild-env</c>).</summary>
    public bool Rebuild { get; init; }

    /// <summary>The environment venv and pip run with; the process environment when null. <c>PIP_*</c> settings in it apply.</summary>
    public IReadOnlyDictionary<string, string>? Variables { get; init; }

    /// <summary>Receives one line per step (building, installing, waiting for another process); may be null.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Receives every line venv and pip print; may be null.</summary>
    public Action<string>? Output { get; init; }
}

/// <summary>What building or reusing an environment would do (see <see cref="PythonEnvironmentCache.Plan"/>).</summary>
/// <param name="Key">The environment key.</param>
/// <param name="Directory">The folder the environment is (or would be) in.</param>
/// <param name="Requirements">The requirements files the python_env file reaches.</param>
/// <param name="Exists">Whether a complete environment with this key is there to reuse (false under <see cref="PythonEnvironmentRequest.Rebuild"/>).</param>
public sealed record PythonEnvironmentPlan(string Key, string Directory, RequirementSet Requirements, bool Exists);

/// <summary>
/// An environment in use. While held, no other process can rebuild or remove it; dispose it when the child that runs
/// in it has exited.
/// </summary>
public sealed class PythonEnvironmentLease : IDisposable
{
    private readonly CacheLock _lock;

    internal PythonEnvironmentLease(PythonEnvironment environment, CacheLock heldLock)
    {
        Environment = environment;
        _lock = heldLock;
    }

    /// <summary>The environment.</summary>
    public PythonEnvironment Environment { get; }

    /// <summary>Lets others rebuild the environment again.</summary>
    public void Dispose() => _lock.Dispose();
}

/// <summary>
/// Python virtual environments built from python_env files, one per <see cref="PythonEnvironmentKey"/>, in
/// <c>python/</c> of the repro cache: the environment in <c>python/NAME/</c>, its completion marker in
/// <c>python/NAME.json</c> and its lock in <c>python/NAME.lock</c>, where NAME is the first 32 hex digits of the key.
/// </summary>
/// <remarks>
/// <para>A virtual environment cannot be moved: pip writes its absolute path into the first line of every script it
/// installs (<c>bin/pip</c>, console entry points), and <c>activate</c> names it too. Building in a temporary folder and
/// renaming it would leave scripts pointing at the temporary folder. So the environment is built in its final folder
/// while the exclusive lock is held, and published by writing the marker last, atomically: a folder without its marker
/// is unfinished (a build that failed or was killed) and is removed by the next build, never used.</para>
/// <para>Users of an environment hold the lock shared for as long as their child runs, so a rebuild waits for them
/// instead of replacing files under a running program; concurrent first builds wait for one another, and all but the
/// first find the marker and start no pip at all.</para>
/// </remarks>
public sealed class PythonEnvironmentCache
{
    private const int NameLength = 32;
    private const int MarkerSchemaVersion = 1;

    // Builds one call may make before it gives up on an environment that keeps disappearing (removed by another process).
    private const int MaxBuilds = 3;

    /// <summary>Creates the cache under <paramref name="cacheRoot"/> (see <see cref="CacheRoot.Resolve"/>).</summary>
    /// <param name="cacheRoot">The repro cache folder; environments go in its <c>python/</c> folder.</param>
    public PythonEnvironmentCache(string cacheRoot)
    {
        ArgumentNullException.ThrowIfNull(cacheRoot);
        Root = Path.Combine(Path.GetFullPath(cacheRoot), "python");
    }

    /// <summary>The <c>python/</c> folder of the cache.</summary>
    public string Root { get; }

    /// <summary>The folder an environment with this key lives in.</summary>
    /// <param name="key">The environment key.</param>
    public string DirectoryFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Path.Combine(Root, key[..Math.Min(NameLength, key.Length)]);
    }

    /// <summary>
    /// Returns the environment for the request, building it if no complete one with the same key exists (or if
    /// <see cref="PythonEnvironmentRequest.Rebuild"/> asks), and holds it in use until the lease is disposed.
    /// </summary>
    /// <param name="request">What to build.</param>
    /// <param name="cancellationToken">Stops waiting or building; a half-built environment is removed.</param>
    /// <returns>The held environment.</returns>
    /// <exception cref="InputException">
    /// A requirements file is missing, the interpreter cannot make virtual environments, or pip fails (the message
    /// carries pip's last lines); nothing is left in the cache.
    /// </exception>
    /// <exception cref="StoreException">The cache cannot be written, or pip cannot list what it installed.</exception>
    public async Task<PythonEnvironmentLease> AcquireAsync(PythonEnvironmentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (key, requirements) = KeyOf(request);
        var directory = DirectoryFor(key);
        var lockFile = directory + ".lock";

        var waited = false;
        void Waiting()
        {
            if (!waited)
            {
                waited = true;
                request.Log?.Invoke($"waiting for another repro using the Python environment {Path.GetFileName(directory)}");
            }
        }

        var rebuild = request.Rebuild;
        var builds = 0;
        var poll = CacheLock.FirstPoll;
        while (true)
        {
            if (!rebuild)
            {
                // Waits only while another process builds (it holds the lock exclusively); users hold it shared.
                var shared = await CacheLock.AcquireAsync(lockFile, CacheLockMode.Shared, Waiting, cancellationToken);
                if (ReadMarker(directory, key) is { } marker)
                {
                    var environment = new PythonEnvironment(
                        key, directory, marker.Interpreter, request.Spec, requirements, marker.Packages, marker.FreezeSha256, builds > 0);
                    return new PythonEnvironmentLease(environment, shared);
                }

                shared.Dispose();
            }

            // A first build takes the lock only when it is free now. Waiting for it could last as long as another
            // holder's run: two processes that both found no environment race for the lock, the winner builds and then
            // holds it shared while its child runs, and the loser would wait for that child to end (for ever, when both
            // are in one process and one waits for the other). Looking again finds the winner's environment instead.
            // A rebuild, asked for by the user, does wait for the environment's users: it must not change files under them.
            var exclusive = rebuild
                ? await CacheLock.AcquireAsync(lockFile, CacheLockMode.Exclusive, Waiting, cancellationToken)
                : CacheLock.TryAcquire(lockFile, CacheLockMode.Exclusive);
            if (exclusive is null)
            {
                Waiting();

                // Two processes that keep finding each other's shared lock must not stay in step.
                await Task.Delay(poll * (0.5 + (Random.Shared.NextDouble() / 2)), cancellationToken);
                poll = CacheLock.NextPoll(poll);
                continue;
            }

            using (exclusive)
            {
                // Another process may have built it while this one waited.
                if (rebuild || ReadMarker(directory, key) is null)
                {
                    if (builds == MaxBuilds)
                    {
                        throw new StoreException($"the Python environment {directory} was built but disappeared before it could be used; run again");
                    }

                    builds++;
                    await BuildAsync(request, key, directory, requirements, cancellationToken);
                }
            }

            rebuild = false;
        }
    }

    /// <summary>
    /// What <see cref="AcquireAsync"/> would do, without doing it: the key, the folder, and whether a complete
    /// environment with that key is there to reuse. Takes no lock and starts no process.
    /// </summary>
    /// <param name="request">What would be built.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="InputException">A requirements file is missing or the python_env file cannot be read.</exception>
    public PythonEnvironmentPlan Plan(PythonEnvironmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (key, requirements) = KeyOf(request);
        var directory = DirectoryFor(key);
        return new PythonEnvironmentPlan(key, directory, requirements, Exists: !request.Rebuild && ReadMarker(directory, key) is not null);
    }

    private static (string Key, RequirementSet Requirements) KeyOf(PythonEnvironmentRequest request)
    {
        var requirements = RequirementSet.Collect(request.Spec, request.ProjectDirectory);
        byte[] envFile;
        try
        {
            envFile = File.ReadAllBytes(request.Spec.File);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"cannot read {request.Spec.File}: {e.Message}", e);
        }

        return (PythonEnvironmentKey.Compute(request.Interpreter, envFile, requirements, request.ProjectDirectory), requirements);
    }

    private static EnvironmentMarker? ReadMarker(string directory, string key)
    {
        try
        {
            var marker = JsonSerializer.Deserialize(File.ReadAllBytes(directory + ".json"), PythonEnvironmentJsonContext.Default.EnvironmentMarker);

            // The interpreter a venv links to may have been uninstalled since; such an environment must be rebuilt.
            return marker is not null && marker.SchemaVersion == MarkerSchemaVersion && marker.Key == key && File.Exists(PythonEnvironment.PythonIn(directory))
                ? marker
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private async Task BuildAsync(
        PythonEnvironmentRequest request, string key, string directory, RequirementSet requirements, CancellationToken cancellationToken)
    {
        var interpreter = request.Interpreter;
        var variables = PythonToolEnvironment.For(request.Variables ?? PythonToolEnvironment.ProcessVariables());
        var shown = ProjectRelativePaths.Display(request.Spec.File, request.ProjectDirectory);
        request.Log?.Invoke($"building a Python {interpreter.Version} environment for {shown} in {directory}");
        var marker = directory + ".json";
        try
        {
            // Unpublish first: from here until the new marker is written, the folder is unfinished.
            File.Delete(marker);
            DeleteDirectory(directory);
            Directory.CreateDirectory(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"cannot clear {directory} for a new Python environment: {e.Message}", e);
        }

        try
        {
            var venv = await PythonProcess.RunAsync(interpreter.Path, ["-m", "venv", directory], Root, variables, request.Output, cancellationToken);
            if (!venv.Succeeded)
            {
                var hint = venv.LastLines.Any(line => line.Contains("ensurepip", StringComparison.Ordinal))
                    ? $" (on Debian and Ubuntu, install python{string.Join('.', interpreter.Version.Split('.').Take(2))}-venv)"
                    : string.Empty;
                throw new InputException($"{interpreter.Path} cannot create a virtual environment for {shown}: {Reason(venv)}{hint}");
            }

            var python = PythonEnvironment.PythonIn(directory);
            await InstallAsync(request, python, directory, "build dependencies", request.Spec.BuildDependencies, requirements.BuildDependenciesHaveHashes, variables, shown, cancellationToken);
            await InstallAsync(request, python, directory, "dependencies", request.Spec.Dependencies, requirements.DependenciesHaveHashes, variables, shown, cancellationToken);

            var list = await PythonProcess.RunAsync(python, ["-m", "pip", "list", "--format=json"], directory, variables, onLine: null, cancellationToken);
            var freeze = await PythonProcess.RunAsync(python, ["-m", "pip", "freeze"], directory, variables, onLine: null, cancellationToken);
            if (!list.Succeeded || !freeze.Succeeded)
            {
                throw new StoreException($"pip cannot list what it installed in {directory}: {Reason(list.Succeeded ? freeze : list)}");
            }

            var packages = ParsePipList(list.Stdout, directory);
            var entry = new EnvironmentMarker(
                MarkerSchemaVersion,
                key,
                interpreter,
                packages,
                Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(freeze.Stdout))),
                DateTimeOffset.UtcNow);
            AtomicFile.WriteAllBytes(marker, JsonSerializer.SerializeToUtf8Bytes(entry, PythonEnvironmentJsonContext.Default.EnvironmentMarker));
        }
        catch
        {
            DeleteDirectory(directory);
            throw;
        }
    }

    private static async Task InstallAsync(
        PythonEnvironmentRequest request,
        string python,
        string directory,
        string step,
        IReadOnlyList<RequirementLine> lines,
        bool hashes,
        IReadOnlyDictionary<string, string> variables,
        string shown,
        CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
        {
            return;
        }

        request.Log?.Invoke($"installing the {step} of {shown}");

        // As MLflow does, the lines become one requirements file; it lives in the environment's folder rather than in the
        // project, so -r and -c paths are made absolute against the project directory where pip runs.
        var file = Path.Combine(directory, $"repro-{step.Replace(' ', '-')}.txt");
        await File.WriteAllTextAsync(file, string.Join('\n', lines.Select(line => Anchor(line.Text, request.ProjectDirectory))) + "\n", cancellationToken);
        List<string> arguments = ["-m", "pip", "install", "--no-input", "-r", file];
        if (hashes)
        {
            arguments.Add("--require-hashes");
        }

        var result = await PythonProcess.RunAsync(python, arguments, request.ProjectDirectory, variables, request.Output, cancellationToken);
        File.Delete(file);
        if (!result.Succeeded)
        {
            throw new InputException($"pip could not install the {step} of {shown}: {Reason(result)}");
        }
    }

    private static string Anchor(string text, string projectDirectory)
    {
        var parsed = RequirementsLine.Parse(text);
        if (parsed.IncludedFile is not { } included || included.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        var absolute = Path.GetFullPath(included, projectDirectory);
        return $"{(parsed.IsConstraint ? "-c" : "-r")} '{absolute.Replace("'", "'\"'\"'", StringComparison.Ordinal)}'";
    }

    private static List<PythonPackage> ParsePipList(string json, string directory)
    {
        try
        {
            var entries = JsonSerializer.Deserialize(json, PythonEnvironmentJsonContext.Default.ListPipListEntry) ?? [];
            return [.. entries.Select(entry => new PythonPackage(entry.Name, entry.Version)).OrderBy(package => package.Name, StringComparer.OrdinalIgnoreCase)];
        }
        catch (JsonException e)
        {
            throw new StoreException($"pip list printed something other than JSON in {directory}: {e.Message}", e);
        }
    }

    // pip's ERROR lines say what went wrong; without any, its last lines do. One line, as every repro error.
    private static string Reason(PythonProcessResult result)
    {
        var errors = result.LastLines.Where(line => line.StartsWith("ERROR:", StringComparison.Ordinal)).TakeLast(3).ToList();
        var lines = errors.Count > 0 ? errors : result.LastLines.TakeLast(3).ToList();
        return lines.Count == 0 ? $"exit code {result.ExitCode}, no output" : string.Join(" | ", lines.Select(line => line.Trim()));
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The folder has no marker, so it is never used; the next build removes it.
        }
    }
}
