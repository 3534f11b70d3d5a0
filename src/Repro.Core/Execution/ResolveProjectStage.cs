using Repro.Core.Caching;
using Repro.Core.Errors;
using Repro.Core.Projects;
using Repro.Core.Runs;
using Repro.Core.Sources;

namespace Repro.Core.Execution;

/// <summary>
/// Resolve: the project directory must exist, and its MLproject file must load. Its warnings are reported with the
/// entry point's by <see cref="RenderCommandStage"/>, in the order of the file.
/// </summary>
/// <remarks>
/// A project URI (<see cref="RunRequest.Uri"/>) that goes through the git cache is cloned or fetched only when the
/// cache lacks its version, and the run then works in a copy of the cached checkout of its own, made here under the
/// store's <c>work/</c> folder (<see cref="WorkingCopy"/>): everything after this stage (the MLproject, <c>path</c>
/// parameters, inputs, outputs, the command's working directory) sees the copy, while the code is captured from the
/// pristine checkout (<see cref="RunContext.CodeDirectory"/>). The copy is removed again when the run does not start.
/// When only planning, nothing is fetched or copied: a cached checkout is read where it is, and the step is described.
/// </remarks>
public sealed class ResolveProjectStage : IRunStage
{
    /// <summary>The folder of the store that holds the working copies of runs of project URIs.</summary>
    public const string WorkFolderName = "work";

    /// <summary>Stands for the name of a working copy that is made only when the run starts (in plans).</summary>
    public const string WorkingCopyPlaceholder = "<working-copy>";

    // How the MLproject is loaded: MLProjectLoader.Load, or a pipeline's loads shared by its steps.
    private readonly Func<string, LoadedProject> _load;

    /// <summary>The stage that loads the MLproject each time.</summary>
    public ResolveProjectStage()
        : this(MLProjectLoader.Load)
    {
    }

    /// <summary>The stage that loads the MLproject through <paramref name="load"/> (which must give what <see cref="MLProjectLoader.Load"/> gives).</summary>
    internal ResolveProjectStage(Func<string, LoadedProject> load) => _load = load;

    /// <inheritdoc />
    public async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var request = run.Request;
        string projectDirectory;
        if (request.Uri is { } uri)
        {
            projectDirectory = await ResolveUriAsync(run, uri, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            projectDirectory = Path.GetFullPath(request.ProjectDirectory);
            if (!Directory.Exists(projectDirectory))
            {
                throw new InputException($"project directory {request.ProjectDirectory} does not exist");
            }
        }

        run.ProjectDirectory = projectDirectory;
        run.Loaded = _load(projectDirectory);
    }

    private static async Task<string> ResolveUriAsync(RunContext run, ProjectUri uri, CancellationToken cancellationToken)
    {
        var request = run.Request;
        var cache = new GitProjectCache(CacheRoot.Resolve(request.Environment));
        ProjectSource source;
        if (run.PlanOnly)
        {
            source = ProjectSource.FindCached(uri, request.Version, cache)
                ?? throw new InputException($"{uri} at {request.Version ?? "its default branch"} is not in the cache ({cache.FolderFor(uri.Location)}); a run would fetch it");
        }
        else
        {
            source = await ProjectSource.ResolveAsync(uri, request.Version, cache, refresh: false, request.Log, cancellationToken).ConfigureAwait(false);
        }

        run.Source = source;
        if (source.Checkout is not { } checkout)
        {
            return source.ProjectDirectory;
        }

        var relative = Path.GetRelativePath(checkout.Directory, source.ProjectDirectory);
        if (run.PlanOnly)
        {
            run.PlannedSteps.Add($"{uri} at {checkout.Commit} ({DescribeVersion(source)}) is in the cache: nothing to fetch");
            run.PlannedSteps.Add($"the run would work in a copy of {checkout.Directory} made as {Path.Combine(request.StoreDirectory, WorkFolderName, WorkingCopyPlaceholder)} (paths below are shown there)");
            return source.ProjectDirectory;
        }

        run.CodeDirectory = source.ProjectDirectory;
        run.WorkingCopy = WorkingCopy.Create(checkout.Directory, Path.Combine(request.StoreDirectory, WorkFolderName), cancellationToken);
        return Path.GetFullPath(Path.Combine(run.WorkingCopy, relative));
    }

    private static string DescribeVersion(ProjectSource source) => source.Checkout!.RefKind switch
    {
        GitRefKind.DefaultBranch => "the default branch",
        var kind => $"{kind.Name()} {source.Version}",
    };
}
