using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Remotes;

/// <summary>
/// The remotes a project can use: those in the project's <see cref="ProjectFileName"/> (committed with it), overridden
/// by name, and for the default, by the per-user <see cref="LocalFileName"/> inside the run store (which git ignores
/// with the rest of the store). Neither file ever holds a credential.
/// </summary>
public sealed class RemoteConfiguration
{
    /// <summary>The project's remotes file, at the root of the project.</summary>
    public const string ProjectFileName = ".repro-remotes.yaml";

    /// <summary>The per-user remotes file, inside the run store.</summary>
    public const string LocalFileName = "remotes.yaml";

    private static readonly string[] ProjectMarkers = [ProjectFileName, "MLproject", "MLproject.yaml", "MLproject.yml"];

    private readonly RemotesFile _project;
    private readonly RemotesFile _local;

    private RemoteConfiguration(RemotesFile project, RemotesFile local)
    {
        _project = project;
        _local = local;
        var merged = project.Remotes.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var remote in local.Remotes)
        {
            merged[remote.Name] = remote;
        }

        Remotes = merged.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        DefaultName = local.DefaultName ?? project.DefaultName;
    }

    /// <summary>The project's remotes file.</summary>
    public string ProjectFile => _project.FilePath;

    /// <summary>The per-user remotes file.</summary>
    public string LocalFile => _local.FilePath;

    /// <summary>Every remote, by name; a per-user definition replaces the project's one of the same name.</summary>
    public IReadOnlyList<RemoteDefinition> Remotes { get; }

    /// <summary>The name of the default remote, when one is set.</summary>
    public string? DefaultName { get; }

    /// <summary>
    /// The project directory for remote commands run from <paramref name="currentDirectory"/>: the nearest folder, from
    /// there upwards, that holds a <see cref="ProjectFileName"/>, a <c>.repro</c> store or an MLproject file; else the
    /// current directory itself.
    /// </summary>
    public static string LocateProjectDirectory(string currentDirectory)
    {
        for (var directory = new DirectoryInfo(Path.GetFullPath(currentDirectory)); directory is not null; directory = directory.Parent)
        {
            if (ProjectMarkers.Any(marker => File.Exists(Path.Combine(directory.FullName, marker)))
                || Directory.Exists(Path.Combine(directory.FullName, StoreLayout.DefaultFolderName, "runs")))
            {
                return directory.FullName;
            }
        }

        return Path.GetFullPath(currentDirectory);
    }

    /// <summary>Reads both files (missing ones are empty).</summary>
    /// <param name="projectDirectory">The project; its <see cref="ProjectFileName"/> is read, and relative folder URLs are relative to it.</param>
    /// <param name="storeDirectory">The run store; its <see cref="LocalFileName"/> is read.</param>
    /// <exception cref="InputException">A file is not valid.</exception>
    public static RemoteConfiguration Load(string projectDirectory, string storeDirectory)
    {
        var project = Path.GetFullPath(projectDirectory);
        return new RemoteConfiguration(
            RemotesFile.Read(Path.Combine(project, ProjectFileName), RemoteScope.Project, project),
            RemotesFile.Read(Path.Combine(Path.GetFullPath(storeDirectory), LocalFileName), RemoteScope.Local, project));
    }

    /// <summary>The remote called <paramref name="name"/>, or the default one when <paramref name="name"/> is null.</summary>
    /// <exception cref="InputException">No such remote, or no name and no default.</exception>
    public RemoteDefinition Get(string? name)
    {
        if (name is null)
        {
            return Default ?? throw new InputException(Remotes.Count == 0
                ? "no remote is defined: add one with `repro remote add NAME URL --default`"
                : $"no default remote: pass -r NAME (one of {string.Join(", ", Remotes.Select(r => r.Name))}) or set one with `repro remote add NAME URL --default`");
        }

        return Remotes.FirstOrDefault(r => r.Name == name)
            ?? throw new InputException($"no remote named '{name}'{(Remotes.Count > 0 ? $" (defined: {string.Join(", ", Remotes.Select(r => r.Name))})" : string.Empty)}");
    }

    /// <summary>The default remote, or null when none is set.</summary>
    /// <exception cref="InputException">The default names a remote that is not defined.</exception>
    public RemoteDefinition? Default
    {
        get
        {
            if (DefaultName is null)
            {
                return null;
            }

            var file = _local.DefaultName is not null ? _local : _project;
            return Remotes.FirstOrDefault(r => r.Name == DefaultName)
                ?? throw new InputException(file.DefaultLocation is { } at
                    ? $"{at}: the default remote '{DefaultName}' is not defined"
                    : $"the default remote '{DefaultName}' is not defined");
        }
    }

    /// <summary>Adds a remote to one of the two files (replacing none: the name must be new in that file).</summary>
    /// <param name="remote">The remote; its <see cref="RemoteDefinition.Scope"/> says which file.</param>
    /// <param name="makeDefault">Whether it becomes that file's default.</param>
    /// <exception cref="InputException">The name is already defined in that file.</exception>
    /// <exception cref="StoreException">The file cannot be written.</exception>
    public void Add(RemoteDefinition remote, bool makeDefault)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var file = remote.Scope == RemoteScope.Local ? _local : _project;
        if (file.Remotes.Any(r => r.Name == remote.Name))
        {
            throw new InputException($"remote '{remote.Name}' is already defined in {file.FilePath}: remove it first");
        }

        file.Remotes.Add(remote);
        if (makeDefault)
        {
            file.DefaultName = remote.Name;
        }

        file.Write();
    }

    /// <summary>Removes a remote from one of the two files; the file's default goes with it.</summary>
    /// <exception cref="InputException">The file does not define that remote.</exception>
    /// <exception cref="StoreException">The file cannot be written.</exception>
    public void Remove(string name, RemoteScope scope)
    {
        var file = scope == RemoteScope.Local ? _local : _project;
        if (file.Remotes.RemoveAll(r => r.Name == name) == 0)
        {
            var elsewhere = (scope == RemoteScope.Local ? _project : _local).Remotes.Any(r => r.Name == name);
            throw new InputException(elsewhere
                ? $"remote '{name}' is defined in {(scope == RemoteScope.Local ? _project : _local).FilePath}, not in {file.FilePath}{(scope == RemoteScope.Local ? " (drop --local)" : " (add --local)")}"
                : $"no remote named '{name}' in {file.FilePath}");
        }

        if (file.DefaultName == name)
        {
            file.DefaultName = null;
        }

        file.Write();
    }
}
