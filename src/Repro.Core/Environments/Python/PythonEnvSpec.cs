using Repro.Core.Errors;

namespace Repro.Core.Environments.Python;

/// <summary>One item of <c>build_dependencies</c> or <c>dependencies</c>: a line of a pip requirements file.</summary>
/// <param name="Text">The line as written (<c>numpy==1.26.4</c>, <c>-r requirements.txt</c>, <c>--index-url …</c>).</param>
/// <param name="Location">Where it is written.</param>
public sealed record RequirementLine(string Text, SourceLocation Location)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>
/// A <c>python_env.yaml</c> in MLflow's format: the Python version, the packages pip installs first
/// (<c>build_dependencies</c>) and the project's packages (<c>dependencies</c>), each a requirements-file line.
/// </summary>
/// <param name="File">Absolute path of the file.</param>
/// <param name="Python">The version asked for (<c>3.11</c> or <c>3.11.7</c>); null when the file names none, which MLflow reads as "the current Python".</param>
/// <param name="BuildDependencies">Installed first, in a pip call of their own.</param>
/// <param name="Dependencies">Installed second.</param>
public sealed record PythonEnvSpec(
    string File,
    string? Python,
    IReadOnlyList<RequirementLine> BuildDependencies,
    IReadOnlyList<RequirementLine> Dependencies);
