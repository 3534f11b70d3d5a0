using System.Globalization;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Projects;

/// <summary>Where an MLproject file is, absolutely and as the user would name it.</summary>
/// <param name="Directory">Absolute project directory.</param>
/// <param name="FileName">The file's name as spelled on disk.</param>
/// <param name="DisplayPath">The file as the user would name it, used in every location.</param>
internal sealed record ProjectFile(string Directory, string FileName, string DisplayPath)
{
    /// <summary>Absolute path of the file.</summary>
    public string FullPath => Path.Join(Directory, FileName);
}

/// <summary>Turns the top level of a parsed MLproject file into an <see cref="MLProject"/>.</summary>
internal static class ProjectSpecReader
{
    private const string PythonEnv = "python_env";
    private const string CondaEnv = "conda_env";
    private const string DockerEnv = "docker_env";

    private static readonly string[] s_environmentKeys = [PythonEnv, CondaEnv, DockerEnv];
    private static readonly string[] s_knownKeys = ["name", "entry_points", "seed", .. s_environmentKeys];
    private static readonly string[] s_dockerKeys = ["image", "volumes", "environment"];

    /// <summary>Builds the project, or raises the first problem at its location.</summary>
    /// <param name="root">The parsed document; null when the file holds none.</param>
    /// <param name="file">The file the document came from.</param>
    public static LoadedProject Read(YamlTreeNode? root, ProjectFile file)
    {
        if (root is null)
        {
            throw new InputException(new SourceLocation(file.DisplayPath, 1, 1), "the file is empty; an MLproject file is a mapping with entry_points");
        }

        var mapping = root.ExpectMapping("an MLproject file");
        var warnings = new List<string>();
        foreach (var entry in mapping.Entries.Where(entry => !s_knownKeys.Contains(entry.Name, StringComparer.Ordinal)))
        {
            warnings.Add($"{entry.Key.Location}: unknown top-level key '{entry.Name}' ignored");
        }

        var entryPoints = new OrderedDictionary<string, EntryPoint>(StringComparer.Ordinal);
        foreach (var entry in (mapping.Find("entry_points")?.Value)?.ExpectMappingOrNull("entry_points").Entries ?? [])
        {
            entryPoints.Add(entry.Name, EntryPointReader.Read(entry));
        }

        var project = new MLProject(
            file.Directory,
            file.FullPath,
            file.FileName,
            ReadName(mapping.Find("name")),
            ReadEnvironment(mapping, file.Directory, warnings),
            ReadSeed(mapping.Find("seed")),
            entryPoints);
        return new LoadedProject(project, warnings);
    }

    private static string? ReadName(YamlTreeEntry? entry) =>
        entry is null || entry.Value.IsNull ? null : entry.Value.ExpectScalar("name").Text;

    private static uint? ReadSeed(YamlTreeEntry? entry)
    {
        if (entry is null || entry.Value.IsNull)
        {
            return null;
        }

        var scalar = entry.Value.ExpectScalar("seed");
        return RunSeed.TryParse(scalar.Text, out var seed)
            ? seed
            : throw scalar.Error($"seed must be {RunSeed.Range}, not '{scalar.Text}'");
    }

    private static ProjectEnvironment ReadEnvironment(YamlTreeMapping mapping, string directory, List<string> warnings)
    {
        var declared = mapping.Entries.Where(entry => s_environmentKeys.Contains(entry.Name, StringComparer.Ordinal)).ToList();
        if (declared.Count > 1)
        {
            throw declared[1].Key.Error(
                $"'{declared[1].Name}' is given after '{declared[0].Name}'; declare at most one of {string.Join(", ", s_environmentKeys)}");
        }

        if (declared.Count == 0)
        {
            return ProjectEnvironment.None;
        }

        return declared[0].Name == DockerEnv ? ReadDocker(declared[0], warnings) : ReadEnvFile(declared[0], directory);
    }

    private static ProjectEnvironment ReadEnvFile(YamlTreeEntry entry, string directory)
    {
        var scalar = entry.Value.ExpectScalar(entry.Name);
        return File.Exists(Path.Join(directory, scalar.Text))
            ? new ProjectEnvironment(entry.Name, scalar.Text, null)
            : throw scalar.Error($"{entry.Name} file '{scalar.Text}' does not exist in the project directory");
    }

    private static ProjectEnvironment ReadDocker(YamlTreeEntry entry, List<string> warnings)
    {
        var docker = entry.Value.ExpectMapping(DockerEnv);
        foreach (var unknown in docker.Entries.Where(key => !s_dockerKeys.Contains(key.Name, StringComparer.Ordinal)))
        {
            warnings.Add($"{unknown.Key.Location}: unknown key '{unknown.Name}' in docker_env ignored");
        }

        var image = docker.Find("image") ?? throw docker.Error("docker_env needs an image");
        return new ProjectEnvironment(DockerEnv, null, image.Value.ExpectScalar("docker_env image").Text);
    }
}
