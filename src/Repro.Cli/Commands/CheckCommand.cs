using System.CommandLine;
using Repro.Cli.Options;
using Repro.Cli.Output;
using Repro.Core.Caching;
using Repro.Core.Environments.Python;
using Repro.Core.Errors;
using Repro.Core.Pipelines;
using Repro.Core.Projects;
using Repro.Core.Sources;

namespace Repro.Cli.Commands;

/// <summary><c>repro check [URI] [-v REF] [--strict] [--json]</c>: lint an MLproject file by rendering every entry point with its defaults.</summary>
internal sealed class CheckCommand : Command
{
    public CheckCommand()
        : base("check", "Load an MLproject file, render every entry point with its defaults, and list every error and warning with its location (exit 0 or 2).")
    {
        Add(Project);
        Add(Version);
        Add(Strict);
        Add(Json);
        SetAction((parseResult, cancellationToken) => CommandFailure.GuardAsync(() => ExecuteAsync(parseResult, cancellationToken)));
    }

    public Argument<ProjectUri> Project { get; } = CommonOptions.ProjectUri();

    public Option<string?> Version { get; } = CommonOptions.ProjectVersion();

    public Option<bool> Strict { get; } = CommonOptions.Strict();

    public Option<bool> Json { get; } = CommonOptions.Json();

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        // A project URI is checked in its cached checkout, fetched first when the cache does not have it; a folder where it is.
        var uri = parseResult.GetValue(Project)!;
        var source = await ProjectSource.ResolveAsync(
            uri, parseResult.GetValue(Version), new GitProjectCache(CacheRoot.Resolve()), refresh: false, PreparationOutput.Log, cancellationToken).ConfigureAwait(false);
        var directory = source.Checkout is null ? AsGiven(parseResult, source) : source.ProjectDirectory;
        var result = WithPipelineGraph(ProjectChecker.Check(directory, parseResult.GetValue(Strict)), directory);
        if (PythonEnvCheck.Check(directory) is { Count: > 0 } environmentProblems)
        {
            result = result with { Diagnostics = [.. result.Diagnostics, .. environmentProblems] };
        }

        CheckReport.Write(result, parseResult.GetValue(Json));
        return result.Passed ? ExitCodes.Success : ExitCodes.BadInput;
    }

    // Messages name a local project's files as the user named the folder (proj/MLproject:3:5), not by absolute path.
    private string AsGiven(ParseResult parseResult, ProjectSource source)
    {
        var tokens = parseResult.GetResult(Project)?.Tokens;
        var text = tokens is { Count: > 0 } ? tokens[0].Value : ".";
        var hash = text.IndexOf('#', StringComparison.Ordinal);
        var folder = hash < 0 ? text : text[..hash];
        if (folder.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return source.ProjectDirectory;
        }

        return source.Uri.Subdirectory.Length == 0 ? folder : Path.Join(folder, source.Uri.Subdirectory);
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
