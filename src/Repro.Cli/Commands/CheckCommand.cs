using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Errors;
using Repro.Core.Pipelines;
using Repro.Core.Projects;

namespace Repro.Cli.Commands;

/// <summary><c>repro check [DIR] [--strict] [--json]</c>: lint an MLproject file by rendering every entry point with its defaults.</summary>
internal sealed class CheckCommand : Command
{
    public CheckCommand()
        : base("check", "Load an MLproject file, render every entry point with its defaults, and list every error and warning with its location (exit 0 or 2).")
    {
        Add(ProjectDirectory);
        Add(Strict);
        Add(Json);
        SetAction((parseResult, _) => CommandFailure.GuardAsync(() => Task.FromResult(Execute(parseResult))));
    }

    public Argument<string> ProjectDirectory { get; } = CommonOptions.ProjectDirectory();

    public Option<bool> Strict { get; } = CommonOptions.Strict();

    public Option<bool> Json { get; } = CommonOptions.Json();

    private int Execute(ParseResult parseResult)
    {
        var directory = parseResult.GetValue(ProjectDirectory)!;
        var result = WithPipelineGraph(ProjectChecker.Check(directory, parseResult.GetValue(Strict)), directory);
        CheckReport.Write(result, parseResult.GetValue(Json));
        return result.Passed ? ExitCodes.Success : ExitCodes.BadInput;
    }

    // The pipeline graph (needs, outputs, cycles) is checked too: a project that `repro pipeline` refuses fails the lint.
    private static ProjectCheckResult WithPipelineGraph(ProjectCheckResult result, string directory)
    {
        if (result.FilePath is null || result.EntryPoints.Count == 0)
        {
            return result;
        }

        try
        {
            PipelineGraph.Build(MLProjectLoader.Load(directory).Project);
            return result;
        }
        catch (InputException exception)
        {
            return result with { Diagnostics = [.. result.Diagnostics, ProjectDiagnostic.FromError(exception)] };
        }
    }
}
