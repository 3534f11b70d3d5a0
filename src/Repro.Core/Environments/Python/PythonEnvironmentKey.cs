using System.Security.Cryptography;
using System.Text;

namespace Repro.Core.Environments.Python;

/// <summary>
/// The key of a cached Python environment: SHA-256 of the interpreter's identity, the python_env file's content and
/// the content of every requirements and constraints file it reaches. Two projects with the same key share one
/// environment; changing any of these makes a new one.
/// </summary>
/// <remarks>
/// What the files do not pin is not in the key: an unpinned requirement resolves to whatever the index served at build
/// time, so the resolved packages are recorded separately. A line that installs a local path (<c>.</c>, <c>-e ./pkg</c>)
/// adds the project directory to the key, since no file hash covers that folder's content.
/// </remarks>
public static class PythonEnvironmentKey
{
    /// <summary>Changes whenever what goes into the key or how an environment is built changes, so old environments are not reused.</summary>
    public const int FormatVersion = 1;

    /// <summary>Computes the key.</summary>
    /// <param name="interpreter">The interpreter the environment is made from.</param>
    /// <param name="envFileContent">The python_env file's bytes.</param>
    /// <param name="requirements">The files its lines reach.</param>
    /// <param name="projectDirectory">The project directory pip runs in.</param>
    /// <returns>64 lower-case hex digits.</returns>
    public static string Compute(PythonInterpreter interpreter, ReadOnlySpan<byte> envFileContent, RequirementSet requirements, string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(interpreter);
        ArgumentNullException.ThrowIfNull(requirements);
        var text = new StringBuilder()
            .Append("repro python environment ").Append(FormatVersion).Append('\n')
            .Append("interpreter\n").Append(interpreter.Identity).Append('\n')
            .Append("python_env ").Append(Convert.ToHexStringLower(SHA256.HashData(envFileContent))).Append('\n');
        foreach (var file in requirements.Files)
        {
            text.Append("requirements ").Append(file.Sha256).Append(' ').Append(file.Path).Append('\n');
        }

        if (requirements.InstallsLocalPaths)
        {
            text.Append("local paths from ").Append(Path.GetFullPath(projectDirectory)).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
