using System.Text.Json;
using Repro.Core.Errors;
using Repro.Core.Processes;

namespace Repro.Core.Environments.Python;

/// <summary>
/// Finds an interpreter for a python_env file: an explicit one (<c>--python PATH</c>), else <c>python3.X</c> on
/// <c>PATH</c>, else pyenv's versions under <c>$PYENV_ROOT/versions</c> (default <c>~/.pyenv/versions</c>), newest
/// matching first. Each candidate is asked who it is, so links and shims resolve to the real executable.
/// </summary>
/// <remarks>
/// For a requested version, pyenv's shims on <c>PATH</c> are skipped: which interpreter a shim starts depends on the
/// current directory's <c>.python-version</c>, and pyenv's versions are searched directly instead. Without a requested
/// version (MLflow then uses "the current Python"), <c>python3</c> on <c>PATH</c> is taken as the shell would run it.
/// </remarks>
public sealed class PythonInterpreterLocator
{
    // Every candidate prints one JSON line about itself; an interpreter too old for this is not one we can use.
    private const string IdentityScript =
        "import json, os, platform, sys; print(json.dumps({'path': os.path.realpath(sys.executable), 'version': platform.python_version(), "
        + "'build': sys.version, 'implementation': sys.implementation.name, 'machine': platform.machine()}))";

    private readonly IReadOnlyDictionary<string, string> _variables;
    private readonly string _workingDirectory;
    private readonly InterpreterIdentityCache? _identities;

    /// <summary>Creates a locator that searches the given environment.</summary>
    /// <param name="variables">The environment whose <c>PATH</c>, <c>PYENV_ROOT</c> and <c>HOME</c> are searched; the process environment when null.</param>
    /// <param name="workingDirectory">Where candidates run and a relative explicit path is resolved; the current directory when null.</param>
    /// <param name="identityCache">
    /// A folder where what candidates answered is kept while their executables are unchanged, so that they need not be
    /// started again; null asks every time.
    /// </param>
    public PythonInterpreterLocator(IReadOnlyDictionary<string, string>? variables = null, string? workingDirectory = null, string? identityCache = null)
    {
        _identities = identityCache is null ? null : new InterpreterIdentityCache(identityCache);
        _variables = variables ?? PythonToolEnvironment.ProcessVariables();
        _workingDirectory = workingDirectory ?? System.Environment.CurrentDirectory;
    }

    /// <summary>Finds the interpreter.</summary>
    /// <param name="requested">The version the python_env file asks for (<c>3.11</c>, <c>3.11.7</c>); null for the current <c>python3</c>.</param>
    /// <param name="explicitPath">An interpreter named by the user, which must then satisfy <paramref name="requested"/>; null to search.</param>
    /// <param name="requester">What asks, for messages (for example <c>python_env.yaml</c>).</param>
    /// <param name="cancellationToken">Stops the probes.</param>
    /// <returns>The interpreter.</returns>
    /// <exception cref="InputException">None is found (the message lists what was searched), or the explicit one is not usable or of another version.</exception>
    public async Task<PythonInterpreter> FindAsync(string? requested, string? explicitPath, string requester, CancellationToken cancellationToken)
    {
        var wanted = requested is null ? "Python" : $"Python {requested}";
        if (explicitPath is not null)
        {
            var path = ExecutableLocator.Find(explicitPath, _variables, _workingDirectory)
                ?? throw new InputException($"--python {explicitPath}: no such executable");
            var named = await IdentifyAsync(path, cancellationToken)
                ?? throw new InputException($"--python {explicitPath}: {path} did not answer as a Python interpreter");
            return named.Satisfies(requested)
                ? named
                : throw new InputException($"--python {explicitPath} is Python {named.Version}, but {requester} asks for {wanted}");
        }

        var searched = new List<string>();
        foreach (var candidate in PathCandidates(requested, searched).Concat(PyenvCandidates(requested, searched)))
        {
            if (await IdentifyAsync(candidate, cancellationToken) is { } found && found.Satisfies(requested))
            {
                return found;
            }
        }

        var hint = requested is null ? "install python3" : $"install it (for example `pyenv install {requested}`)";
        throw new InputException($"no {wanted} found for {requester}: searched {string.Join("; ", searched)}; {hint} or name one with --python");
    }

    private async Task<PythonInterpreter?> IdentifyAsync(string path, CancellationToken cancellationToken)
    {
        if (_identities?.Read(path) is { } known)
        {
            return known;
        }

        var answered = await ProbeAsync(path, cancellationToken);
        if (answered is not null)
        {
            _identities?.Write(path, answered);
        }

        return answered;
    }

    /// <summary>Asks the executable at <paramref name="path"/> who it is.</summary>
    /// <returns>The interpreter, or null when it is not a Python 3 that answers.</returns>
    internal async Task<PythonInterpreter?> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        var result = await PythonProcess.RunAsync(
            path, ["-I", "-c", IdentityScript], _workingDirectory, PythonToolEnvironment.For(_variables), onLine: null, cancellationToken);
        if (!result.Succeeded)
        {
            return null;
        }

        try
        {
            var line = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? string.Empty;
            var identity = JsonSerializer.Deserialize(line, PythonEnvironmentJsonContext.Default.InterpreterIdentity);
            return identity is { Path.Length: > 0, Version.Length: > 0 }
                ? new PythonInterpreter(identity.Path, identity.Version, identity.Build ?? string.Empty, identity.Implementation ?? string.Empty, identity.Machine ?? string.Empty)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private IEnumerable<string> PathCandidates(string? requested, List<string> searched)
    {
        var shims = Path.Combine(PyenvRoot(), "shims");
        var names = requested is null ? ["python3"] : VersionComponents(requested) switch
        {
            [var major] => [$"python{major}"],
            [var major, var minor, ..] => new[] { $"python{major}.{minor}" },
            _ => [],
        };
        var path = Lookup("PATH") ?? string.Empty;
        foreach (var name in names)
        {
            var found = false;
            foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Path.IsPathFullyQualified(directory) || (requested is not null && SameFolder(directory, shims)))
                {
                    continue;
                }

                if (ExecutableLocator.Find(Path.Combine(directory, name), _variables, _workingDirectory) is { } executable)
                {
                    found = true;
                    searched.Add($"{name} on PATH ({executable})");
                    yield return executable;
                }
            }

            if (!found)
            {
                searched.Add($"{name} on PATH (none)");
            }
        }
    }

    private IEnumerable<string> PyenvCandidates(string? requested, List<string> searched)
    {
        var versions = Path.Combine(PyenvRoot(), "versions");
        string[] installed;
        try
        {
            installed = Directory.Exists(versions) ? Directory.GetDirectories(versions).Select(Path.GetFileName).OfType<string>().ToArray() : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            installed = [];
        }

        searched.Add(installed.Length == 0
            ? $"pyenv versions in {versions} (none)"
            : $"pyenv versions in {versions} ({string.Join(", ", installed.Order(StringComparer.Ordinal))})");
        var matching = installed
            .Where(name => requested is null || name == requested || name.StartsWith(requested + ".", StringComparison.Ordinal))
            .OrderByDescending(name => VersionComponents(name), VersionOrder.Instance);
        foreach (var name in matching)
        {
            foreach (var binary in new[] { "python3", "python" })
            {
                var candidate = OperatingSystem.IsWindows() ? Path.Combine(versions, name, binary + ".exe") : Path.Combine(versions, name, "bin", binary);
                if (File.Exists(candidate))
                {
                    yield return candidate;
                    break;
                }
            }
        }
    }

    private string PyenvRoot()
    {
        var root = Lookup("PYENV_ROOT");
        if (!string.IsNullOrEmpty(root) && Path.IsPathFullyQualified(root))
        {
            return root;
        }

        var home = Lookup("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".pyenv");
    }

    private string? Lookup(string name) => _variables.TryGetValue(name, out var value) ? value : null;

    private static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private static int[] VersionComponents(string version) =>
        version.Split('.').Select(part => int.TryParse(new string(part.TakeWhile(char.IsAsciiDigit).ToArray()), out var number) ? number : -1).ToArray();

    private sealed class VersionOrder : IComparer<int[]>
    {
        public static readonly VersionOrder Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            x ??= [];
            y ??= [];
            for (var index = 0; index < Math.Max(x.Length, y.Length); index++)
            {
                var order = (index < x.Length ? x[index] : -1).CompareTo(index < y.Length ? y[index] : -1);
                if (order != 0)
                {
                    return order;
                }
            }

            return 0;
        }
    }
}
