using Repro.Core.Environments.Python;
using Repro.Core.Runs;

namespace Repro.Core.Verification.Differences;

public static partial class ManifestDifferences
{
    private static void CompareEnvironment(RunManifest a, RunManifest b, DifferenceList differences)
    {
        const DiffSection environment = DiffSection.Environment;
        const DifferenceRole factor = DifferenceRole.Factor;
        const DifferenceRole informational = DifferenceRole.Informational;
        var envA = a.Environment;
        var envB = b.Environment;

        // repro decides which determinism switches the child gets, so its version can change results.
        differences.Value(environment, "environment.repro.version", "repro", a.Repro.Version, b.Repro.Version, factor);
        differences.Value(environment, "environment.os.name", "OS", envA.Os.Name, envB.Os.Name, factor);
        differences.Value(environment, "environment.os.version", "OS version", envA.Os.Version, envB.Os.Version, factor);
        differences.Value(environment, "environment.os.kernel", "kernel", envA.Os.Kernel, envB.Os.Kernel, factor);
        differences.Value(environment, "environment.os.architecture", "architecture", envA.Os.Architecture, envB.Os.Architecture, factor);
        differences.Value(environment, "environment.cpu.model", "CPU model", envA.Cpu.Model, envB.Cpu.Model, factor);

        // Libraries size their thread pools from the core count unless pinned, and reduction order follows the pool size.
        differences.Value(environment, "environment.cpu.logicalCores", "logical cores", Text(envA.Cpu.LogicalCores), Text(envB.Cpu.LogicalCores), factor);
        CompareVectorIsa(envA.Cpu.VectorIsa, envB.Cpu.VectorIsa, differences);
        differences.Value(environment, "environment.dotnet.runtime", ".NET runtime", envA.Dotnet.Runtime, envB.Dotnet.Runtime, factor);
        differences.Value(environment, "environment.dotnet.rid", ".NET runtime identifier", envA.Dotnet.Rid, envB.Dotnet.Rid, factor);
        differences.Value(environment, "environment.dotnet.sdk", ".NET SDK", envA.Dotnet.Sdk, envB.Dotnet.Sdk, factor);
        CompareGpus(envA.Gpus, envB.Gpus, differences);
        differences.Value(environment, "environment.cuda", "CUDA", envA.CudaVersion, envB.CudaVersion, factor);
        differences.Value(environment, "environment.cudnn", "cuDNN", envA.CudnnVersion, envB.CudnnVersion, factor);
        differences.Paths(environment, "environment.lockFiles", "lock file", LockFiles(envA), LockFiles(envB), factor);
        CompareInterpreters(a, b, differences);
        CompareDeclaredEnvironments(a.Project.Environment, b.Project.Environment, differences);
        ComparePythonEnvironments(a.PythonEnvironment, b.PythonEnvironment, differences);
        foreach (var name in envA.Variables.Keys.Union(envB.Variables.Keys).Order(StringComparer.Ordinal))
        {
            differences.Value(environment, $"environment.variables.{name}", name, envA.Variables.GetValueOrDefault(name), envB.Variables.GetValueOrDefault(name), factor, DifferenceText.Unset);
        }

        // Only the presence of a withheld variable is known; that it is set at all may still change results.
        foreach (var name in envA.WithheldVariables.Union(envB.WithheldVariables).Order(StringComparer.Ordinal))
        {
            var withheldA = envA.WithheldVariables.Contains(name) ? "(withheld)" : null;
            var withheldB = envB.WithheldVariables.Contains(name) ? "(withheld)" : null;
            differences.Value(environment, $"environment.withheldVariables.{name}", name, withheldA, withheldB, factor, DifferenceText.Unset);
        }

        differences.Value(environment, "environment.hostname", "host name", envA.Hostname, envB.Hostname, informational);
        differences.Value(environment, "environment.user", "user", envA.User, envB.User, informational);
        differences.Value(environment, "environment.container", "container", Text(envA.Container), Text(envB.Container), informational);
        differences.Value(environment, "environment.memoryBytes", "memory bytes", Text(envA.MemoryBytes), Text(envB.MemoryBytes), informational);
    }

    private static void CompareVectorIsa(IReadOnlyList<string> a, IReadOnlyList<string> b, DifferenceList differences)
    {
        var lost = a.Except(b, StringComparer.Ordinal).ToList();
        var gained = b.Except(a, StringComparer.Ordinal).ToList();
        if (lost.Count == 0 && gained.Count == 0)
        {
            return;
        }

        var changes = new List<string>();
        if (lost.Count > 0)
        {
            changes.Add("lost " + string.Join(", ", lost));
        }

        if (gained.Count > 0)
        {
            changes.Add("gained " + string.Join(", ", gained));
        }

        differences.Add(DiffSection.Environment, "environment.cpu.vectorIsa", string.Join(' ', a), string.Join(' ', b), DifferenceRole.Factor, "CPU vector ISA " + string.Join("; ", changes));
    }

    private static void CompareGpus(IReadOnlyList<GpuRecord> a, IReadOnlyList<GpuRecord> b, DifferenceList differences)
    {
        for (var index = 0; index < Math.Max(a.Count, b.Count); index++)
        {
            var key = $"environment.gpus[{index}]";
            var label = $"GPU {index}";
            if (index < a.Count && index < b.Count)
            {
                differences.Value(DiffSection.Environment, $"{key}.name", label, a[index].Name, b[index].Name, DifferenceRole.Factor);
                differences.Value(DiffSection.Environment, $"{key}.driver", $"{label} driver", a[index].Driver, b[index].Driver, DifferenceRole.Factor);
                differences.Value(DiffSection.Environment, $"{key}.memoryBytes", $"{label} memory bytes", Text(a[index].MemoryBytes), Text(b[index].MemoryBytes), DifferenceRole.Informational);
            }
            else
            {
                differences.Value(DiffSection.Environment, key, label, index < a.Count ? Gpu(a[index]) : null, index < b.Count ? Gpu(b[index]) : null, DifferenceRole.Factor);
            }
        }
    }

    private static string Gpu(GpuRecord gpu) => gpu.Driver is { } driver ? $"{gpu.Name} (driver {driver})" : gpu.Name;

    private static Dictionary<string, string> LockFiles(EnvironmentRecord environment)
    {
        var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var lockFile in environment.LockFiles)
        {
            byPath.TryAdd(lockFile.Path, lockFile.Sha256);
        }

        return byPath;
    }

    private static void CompareInterpreters(RunManifest a, RunManifest b, DifferenceList differences)
    {
        var interpreterA = a.Environment.Interpreter;
        var interpreterB = b.Environment.Interpreter;
        var command = interpreterA?.Command ?? interpreterB?.Command ?? "interpreter";
        differences.Value(DiffSection.Environment, "environment.interpreter.version", $"{command} version", interpreterA?.Version, interpreterB?.Version, DifferenceRole.Factor);
        differences.Value(DiffSection.Environment, "environment.interpreter.command", "interpreter command", interpreterA?.Command, interpreterB?.Command, DifferenceRole.Informational);
        if (!string.Equals(InProject(interpreterA?.Path, a), InProject(interpreterB?.Path, b), StringComparison.Ordinal))
        {
            differences.Value(DiffSection.Environment, "environment.interpreter.path", $"{command} path", interpreterA?.Path, interpreterB?.Path, DifferenceRole.Informational);
        }
    }

    private static void CompareDeclaredEnvironments(ProjectEnvironmentRecord a, ProjectEnvironmentRecord b, DifferenceList differences)
    {
        const DiffSection environment = DiffSection.Environment;
        differences.Value(environment, "environment.declared.kind", "declared environment", a.Kind, b.Kind, DifferenceRole.Factor);
        differences.Value(environment, "environment.declared.file", "environment file", a.File, b.File, DifferenceRole.Factor);
        differences.Add(environment, "environment.declared.sha256", a.Sha256, b.Sha256, DifferenceRole.Factor, $"environment file {b.File ?? a.File} changed");
        differences.Value(environment, "environment.declared.image", "docker image", a.Image, b.Image, DifferenceRole.Factor);
        differences.Value(environment, "environment.declared.manager", "environment manager", a.Manager, b.Manager, DifferenceRole.Factor);
    }

    /// <summary>
    /// The virtual environments of two runs: every package pip resolved differently is a factor of its own (what a
    /// verification that rebuilt the environment names as the likely cause), then the interpreter and the environment key.
    /// </summary>
    private static void ComparePythonEnvironments(PythonEnvironmentRecord? a, PythonEnvironmentRecord? b, DifferenceList differences)
    {
        const DiffSection environment = DiffSection.Environment;
        if (a is null || b is null)
        {
            differences.Value(environment, "pythonEnvironment", "Python environment", a?.Key, b?.Key, DifferenceRole.Factor);
            return;
        }

        var packagesA = ByNormalizedName(a.Resolved.Packages);
        var packagesB = ByNormalizedName(b.Resolved.Packages);
        var packagesDiffer = false;
        foreach (var name in packagesA.Keys.Union(packagesB.Keys).Order(StringComparer.Ordinal))
        {
            var packageA = packagesA.GetValueOrDefault(name);
            var packageB = packagesB.GetValueOrDefault(name);
            packagesDiffer |= !string.Equals(packageA?.Version, packageB?.Version, StringComparison.Ordinal);
            differences.Value(environment, $"pythonEnvironment.packages.{name}", $"Python package {packageA?.Name ?? packageB!.Name}", packageA?.Version, packageB?.Version, DifferenceRole.Factor);
        }

        // With the same names and versions, a different freeze means a direct reference (a URL, a VCS commit) changed.
        if (!packagesDiffer)
        {
            differences.Add(environment, "pythonEnvironment.freezeSha256", a.Resolved.FreezeSha256, b.Resolved.FreezeSha256, DifferenceRole.Factor, "pip freeze output of the Python environment changed");
        }
        differences.Value(environment, "pythonEnvironment.interpreter.version", "Python environment interpreter", a.Interpreter.Version, b.Interpreter.Version, DifferenceRole.Factor);
        differences.Value(environment, "pythonEnvironment.interpreter.path", "Python environment interpreter path", a.Interpreter.Path, b.Interpreter.Path, DifferenceRole.Informational);
        differences.Value(environment, "pythonEnvironment.key", "Python environment key", a.Key, b.Key, DifferenceRole.Informational);
    }

    private static Dictionary<string, PythonPackageRecord> ByNormalizedName(IReadOnlyList<PythonPackageRecord> packages)
    {
        var byName = new Dictionary<string, PythonPackageRecord>(StringComparer.Ordinal);
        foreach (var package in packages)
        {
            byName.TryAdd(PythonResolution.Normalize(package.Name), package);
        }

        return byName;
    }

    private static string? Text(bool? value) => value switch
    {
        true => "true",
        false => "false",
        null => null,
    };
}
