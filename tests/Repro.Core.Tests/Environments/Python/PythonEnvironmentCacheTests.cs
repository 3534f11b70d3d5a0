using System.Collections.Concurrent;
using Repro.Core.Caching;
using Repro.Core.Environments.Python;
using Repro.Core.Errors;

namespace Repro.Core.Tests.Environments.Python;

/// <summary>
/// Real virtual environments built with the machine's python3 and wheels the tests write, installed offline. Each build
/// takes seconds (venv bootstraps pip), so each test builds as few as its point needs.
/// </summary>
public sealed class PythonEnvironmentCacheTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _project;
    private readonly string _wheels;
    private readonly string _alphaWheel;

    public PythonEnvironmentCacheTests()
    {
        _project = Directory.CreateDirectory(Path.Combine(_temp.Path, "project")).FullName;
        _wheels = Path.Combine(_temp.Path, "wheels");
        _alphaWheel = TestWheel.Write(_wheels, "reprotest-alpha", "1.0");
        TestWheel.Write(_wheels, "reprotest-beta", "2.0");
    }

    private PythonEnvironmentCache Cache => new(Path.Combine(_temp.Path, "cache"));

    // Offline and independent of the machine's pip configuration and cache.
    private Dictionary<string, string> Variables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        variables["PIP_NO_INDEX"] = "1";
        variables["PIP_FIND_LINKS"] = _wheels;
        variables["PIP_CONFIG_FILE"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        variables["PIP_CACHE_DIR"] = Path.Combine(_temp.Path, "pip-cache");
        return variables;
    }

    private async Task<PythonEnvironmentRequest> RequestAsync(string envFile, bool rebuild = false, Action<string>? output = null)
    {
        var file = Path.Combine(_project, "python_env.yaml");
        await File.WriteAllTextAsync(file, envFile);
        var spec = PythonEnvFileReader.Read(file, "python_env.yaml");
        var interpreter = await new PythonInterpreterLocator(Variables(), _project).FindAsync(spec.Python, null, "python_env.yaml", CancellationToken.None);
        return new PythonEnvironmentRequest(spec, interpreter, _project) { Rebuild = rebuild, Variables = Variables(), Output = output };
    }

    [Fact]
    public async Task Acquire_HashedRequirements_BuildsOnceThenReusesWithoutPipThenRebuilds()
    {
        await File.WriteAllTextAsync(Path.Combine(_project, "requirements.txt"), $"reprotest-alpha==1.0 --hash={TestWheel.HashOf(_alphaWheel)}\n");
        const string EnvFile = "build_dependencies:\n  - pip\ndependencies:\n  - -r requirements.txt\n";

        PythonEnvironment first;
        using (var lease = await Cache.AcquireAsync(await RequestAsync(EnvFile), CancellationToken.None))
        {
            first = lease.Environment;
        }

        var reuseOutput = new ConcurrentQueue<string>();
        PythonEnvironment reused;
        using (var lease = await Cache.AcquireAsync(await RequestAsync(EnvFile, output: reuseOutput.Enqueue), CancellationToken.None))
        {
            reused = lease.Environment;
        }

        Assert.True(first.Built);
        Assert.Contains(new PythonPackage("reprotest-alpha", "1.0"), first.Packages);
        Assert.Contains(first.Packages, package => package.Name == "pip");
        Assert.Matches("^[0-9a-f]{64}$", first.FreezeSha256);
        Assert.Equal(first.Directory, Cache.DirectoryFor(first.Key));
        Assert.Equal("reprotest-alpha 1.0", RunPython(first, "import reprotest_alpha; print(reprotest_alpha.VALUE)"));

        // pip's scripts name the environment's own python: the environment was built where it lives.
        Assert.StartsWith($"#!{first.BinDirectory}{Path.DirectorySeparatorChar}python", File.ReadLines(Path.Combine(first.BinDirectory, "pip")).First(), StringComparison.Ordinal);

        var record = first.ToRecord(_project);
        Assert.Equal("python_env.yaml", record.Requested.File);
        Assert.Equal(["-r requirements.txt"], record.Requested.Dependencies);
        Assert.Equal("requirements.txt", Assert.Single(record.Requested.RequirementFiles).Path);
        Assert.Contains(new Repro.Core.Runs.PythonPackageRecord("reprotest-alpha", "1.0"), record.Resolved.Packages);
        Assert.Equal((first.Interpreter.Path, first.Interpreter.Version), (record.Interpreter.Path, record.Interpreter.Version));

        Assert.False(reused.Built);
        Assert.Empty(reuseOutput);
        Assert.Equal((first.Key, first.FreezeSha256), (reused.Key, reused.FreezeSha256));
        Assert.Equal(first.Packages, reused.Packages);

        using var rebuilt = await Cache.AcquireAsync(await RequestAsync(EnvFile, rebuild: true), CancellationToken.None);
        Assert.True(rebuilt.Environment.Built);
        Assert.Equal(first.FreezeSha256, rebuilt.Environment.FreezeSha256);
    }

    [Fact]
    public async Task Acquire_TwoConcurrentFirstBuilds_BuildOnce()
    {
        var request = await RequestAsync("dependencies: [reprotest-beta==2.0]\n");

        var leases = await Task.WhenAll(
            Task.Run(() => Cache.AcquireAsync(request, CancellationToken.None)),
            Task.Run(() => Cache.AcquireAsync(request, CancellationToken.None)));
        try
        {
            Assert.Single(leases, lease => lease.Environment.Built);
            Assert.Equal(leases[0].Environment.FreezeSha256, leases[1].Environment.FreezeSha256);
            Assert.Contains(new PythonPackage("reprotest-beta", "2.0"), leases[1].Environment.Packages);

            // While in use the environment cannot be rebuilt under the runs.
            Assert.Null(CacheLock.TryAcquire(leases[0].Environment.Directory + ".lock", CacheLockMode.Exclusive));
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }

    [Fact]
    public async Task Acquire_TwoFirstBuildsThatBothFoundNoEnvironment_TheLoserUsesTheWinnersWhileItIsInUse()
    {
        var request = await RequestAsync("dependencies: [reprotest-alpha==1.0]\n");
        var lockFile = Cache.DirectoryFor(Cache.Plan(request).Key) + ".lock";

        // A holder of the shared lock that has found no environment either (another repro between its look and its
        // build) keeps both calls out of the build until both have looked, found nothing and are waiting to build.
        using var waiting = new CountdownEvent(2);
        Action<string> SignalOnceWhenWaiting()
        {
            var signalled = 0;
            return line =>
            {
                if (line.StartsWith("waiting for another repro", StringComparison.Ordinal) && Interlocked.Exchange(ref signalled, 1) == 0)
                {
                    waiting.Signal();
                }
            };
        }

        var onlooker = CacheLock.TryAcquire(lockFile, CacheLockMode.Shared)!;
        var acquires = new[]
        {
            Task.Run(() => Cache.AcquireAsync(request with { Log = SignalOnceWhenWaiting() }, CancellationToken.None)),
            Task.Run(() => Cache.AcquireAsync(request with { Log = SignalOnceWhenWaiting() }, CancellationToken.None)),
        };
        Assert.True(waiting.Wait(TimeSpan.FromMinutes(1)), "both calls should say they wait for another repro");
        onlooker.Dispose();

        // The winner builds and then holds the environment shared for as long as its lease lives, here until both
        // calls have returned: a loser that waited for the lock itself, instead of looking again, would never return.
        var both = Task.WhenAll(acquires);
        var finished = await Task.WhenAny(both, Task.Delay(TimeSpan.FromMinutes(3)));
        Assert.True(finished == both, "the second call should reuse the first call's environment while its lease is held");
        var leases = await both;
        try
        {
            Assert.Single(leases, lease => lease.Environment.Built);
            Assert.Equal(leases[0].Environment.Directory, leases[1].Environment.Directory);
            Assert.Contains(new PythonPackage("reprotest-alpha", "1.0"), leases[1].Environment.Packages);
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }
        }
    }

    [Fact]
    public async Task Acquire_RequirementThatCannotBeMet_FailsWithPipsReasonAndLeavesNothing()
    {
        var request = await RequestAsync("dependencies:\n  - reprotest-alpha==1.0\n  - reprotest-missing==9.9\n");

        var error = await Assert.ThrowsAsync<InputException>(() => Cache.AcquireAsync(request, CancellationToken.None));

        Assert.StartsWith("pip could not install the dependencies of python_env.yaml: ERROR: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("reprotest-missing==9.9", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal([".lock"], Directory.GetFileSystemEntries(Cache.Root).Select(Path.GetExtension));
    }

    [Fact]
    public void ApplyTo_ChildEnvironment_PutsTheEnvironmentFirstAndUnsetsPythonHome()
    {
        var environment = new PythonEnvironment(
            "key", "/cache/python/abc", new PythonInterpreter("/usr/bin/python3.11", "3.11.2", "", "cpython", "x86_64"),
            new PythonEnvSpec("/p/python_env.yaml", null, [], []), new RequirementSet([], false, false, false), [], "sha", Built: false);
        var variables = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["PYTHONHOME"] = "/opt/python" };

        environment.ApplyTo(variables);

        Assert.Equal($"{environment.BinDirectory}{Path.PathSeparator}/usr/bin", variables["PATH"]);
        Assert.Equal("/cache/python/abc", variables["VIRTUAL_ENV"]);
        Assert.False(variables.ContainsKey("PYTHONHOME"));
    }

    private static string RunPython(PythonEnvironment environment, string code)
    {
        var startInfo = new System.Diagnostics.ProcessStartInfo(environment.PythonPath) { RedirectStandardOutput = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(code);
        using var process = System.Diagnostics.Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }

    public void Dispose() => _temp.Dispose();
}
