using Repro.Core.Processes;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Environment;

/// <summary>The Python interpreter a command starts.</summary>
internal static class PythonInterpreterProbe
{
    /// <summary>
    /// Expensive: starts <c>python --version</c> (through a pyenv or conda shim this costs a shell and more).
    /// It runs in the project directory with the given environment, so shims resolve as they will for the run.
    /// </summary>
    /// <param name="renderedCommand">The command the run will execute.</param>
    /// <param name="variables">The environment whose PATH finds the interpreter.</param>
    /// <param name="projectDirectory">The project directory.</param>
    /// <param name="timeout">Limit for the run.</param>
    /// <param name="cancellationToken">Stops the probe.</param>
    /// <returns>Null when the command does not start Python; otherwise the interpreter, with nulls for what could not be learned.</returns>
    public static async Task<Probed<InterpreterRecord?>> ProbeAsync(
        string renderedCommand, IReadOnlyDictionary<string, string> variables, string projectDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (InterpreterCommand.FindPython(renderedCommand) is not { } command)
        {
            return new Probed<InterpreterRecord?>(null, null);
        }

        if (ExecutableLocator.Find(command, variables, projectDirectory) is not { } path)
        {
            return new Probed<InterpreterRecord?>(
                new InterpreterRecord(command, null, null),
                $"{command} was not found on PATH; interpreter version not recorded");
        }

        var result = await ExternalProbe.RunAsync(path, ["--version"], projectDirectory, variables, timeout, cancellationToken);
        var version = result.Succeeded ? VersionOutputParser.ParsePython(result.Stdout + "\n" + result.Stderr) : null;
        var warning = version is null ? $"{path} --version {result.Describe(timeout)} without a version; interpreter version not recorded" : null;
        return new Probed<InterpreterRecord?>(new InterpreterRecord(command, path, version), warning);
    }
}
