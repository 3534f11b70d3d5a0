using Repro.Core.Runs;

namespace Repro.Core.Environments.Python;

/// <summary>A package installed in an environment, as <c>pip list</c> names it.</summary>
/// <param name="Name">Distribution name.</param>
/// <param name="Version">Installed version.</param>
public sealed record PythonPackage(string Name, string Version);

/// <summary>A built Python environment in the cache, ready for a child to run in.</summary>
/// <param name="Key">The environment key (see <see cref="PythonEnvironmentKey"/>).</param>
/// <param name="Directory">The virtual environment's folder.</param>
/// <param name="Interpreter">The interpreter it was made from.</param>
/// <param name="Spec">The python_env file it was built from.</param>
/// <param name="Requirements">The requirements files that file reaches.</param>
/// <param name="Packages">The packages installed, from <c>pip list --format=json</c> right after the build.</param>
/// <param name="FreezeSha256">SHA-256 of <c>pip freeze</c>'s output right after the build (lines joined with <c>\n</c>).</param>
/// <param name="Built">Whether this request built it (false: an environment with the same key was reused and no pip ran).</param>
public sealed record PythonEnvironment(
    string Key,
    string Directory,
    PythonInterpreter Interpreter,
    PythonEnvSpec Spec,
    RequirementSet Requirements,
    IReadOnlyList<PythonPackage> Packages,
    string FreezeSha256,
    bool Built)
{
    /// <summary>The folder of its executables (<c>bin</c>, or <c>Scripts</c> on Windows).</summary>
    public string BinDirectory => BinFolder(Directory);

    /// <summary>Its <c>python</c>.</summary>
    public string PythonPath => PythonIn(Directory);

    /// <summary>Makes a child run in the environment, as activating it would: <see cref="BinDirectory"/> first on <c>PATH</c>, <c>VIRTUAL_ENV</c> set, <c>PYTHONHOME</c> removed.</summary>
    /// <param name="variables">The child's environment, changed in place.</param>
    public void ApplyTo(IDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var pathName = variables.Keys.FirstOrDefault(name => string.Equals(name, "PATH", StringComparison.OrdinalIgnoreCase)) ?? "PATH";
        variables[pathName] = variables.TryGetValue(pathName, out var path) && path.Length > 0
            ? BinDirectory + System.IO.Path.PathSeparator + path
            : BinDirectory;
        variables["VIRTUAL_ENV"] = Directory;
        variables.Remove("PYTHONHOME");
    }

    /// <summary>What a run manifest records about the environment: the key, the interpreter, the requested and the resolved packages.</summary>
    /// <param name="projectDirectory">The project directory, to record the python_env file relative to it.</param>
    public PythonEnvironmentRecord ToRecord(string projectDirectory)
    {
        var file = ProjectRelativePaths.Display(Spec.File, projectDirectory);
        return new PythonEnvironmentRecord(
            Key,
            new PythonInterpreterRecord(Interpreter.Path, Interpreter.Version),
            new PythonRequestedRecord(
                file,
                Spec.Python,
                [.. Spec.BuildDependencies.Select(line => line.Text)],
                [.. Spec.Dependencies.Select(line => line.Text)],
                [.. Requirements.Files.Select(requirement => new LockFileRecord(requirement.Path, requirement.Sha256))]),
            new PythonResolvedRecord([.. Packages.Select(package => new PythonPackageRecord(package.Name, package.Version))], FreezeSha256));
    }

    /// <summary>The executables folder of the virtual environment in <paramref name="directory"/>.</summary>
    internal static string BinFolder(string directory) => System.IO.Path.Combine(directory, OperatingSystem.IsWindows() ? "Scripts" : "bin");

    /// <summary>The <c>python</c> of the virtual environment in <paramref name="directory"/>.</summary>
    internal static string PythonIn(string directory) => System.IO.Path.Combine(BinFolder(directory), OperatingSystem.IsWindows() ? "python.exe" : "python");
}
