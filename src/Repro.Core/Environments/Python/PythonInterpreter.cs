namespace Repro.Core.Environments.Python;

/// <summary>A Python interpreter on this machine, as it described itself.</summary>
/// <param name="Path">The real executable, links resolved (<c>/usr/bin/python3.11</c>, <c>~/.pyenv/versions/3.11.7/bin/python3.11</c>).</param>
/// <param name="Version">Its version, as <c>platform.python_version()</c> gives it (<c>3.11.7</c>).</param>
/// <param name="Build">Its <c>sys.version</c> line: version, build date and compiler.</param>
/// <param name="Implementation">Its implementation (<c>cpython</c>, <c>pypy</c>).</param>
/// <param name="Machine">The machine it was built for (<c>x86_64</c>, <c>aarch64</c>).</param>
public sealed record PythonInterpreter(string Path, string Version, string Build, string Implementation, string Machine)
{
    /// <summary>What makes two interpreters interchangeable for an environment: where it is and exactly which build it is.</summary>
    public string Identity => $"{Path}\n{Implementation} {Machine}\n{Build}";

    /// <summary>
    /// Whether the interpreter satisfies a python_env request: the request's components equal the leading components of
    /// <see cref="Version"/> (<c>3.11</c> matches 3.11.7, <c>3.11.7</c> matches only 3.11.7); null matches any.
    /// </summary>
    /// <param name="requested">The version asked for.</param>
    public bool Satisfies(string? requested) =>
        requested is null
        || Version == requested
        || Version.StartsWith(requested + ".", StringComparison.Ordinal);
}
