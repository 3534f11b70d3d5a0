using Repro.Core.Errors;
using Repro.Core.Projects.Python;
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

/// <summary>
/// Turns the top level of a parsed MLproject file into an <see cref="MLProject"/>, reading the keys MLflow reads the
/// way it reads them (mlflow/projects/_project_spec.py, <c>load_project</c>). A problem inside one entry point makes
/// only that entry point broken; problems with the file as a whole are errors.
/// </summary>
internal static class ProjectSpecReader
{
    private const string PythonEnv = "python_env";
    private const string CondaEnv = "conda_env";
    private const string DockerEnv = "docker_env";

    private static readonly string[] s_environmentKeys = [PythonEnv, CondaEnv, DockerEnv];
    private static readonly string[] s_knownKeys = ["name", "entry_points", "seed", "databricks_spark_job", .. s_environmentKeys];
    private static readonly string[] s_dockerKeys = ["image", "volumes", "environment"];

    /// <summary>Builds the project, or raises the first problem with the file as a whole at its location.</summary>
    /// <param name="root">The parsed document; null when the file holds none.</param>
    /// <param name="file">The file the document came from.</param>
    public static LoadedProject Read(YamlTreeNode? root, ProjectFile file)
    {
        if (root is null)
        {
            throw new InputException(new SourceLocation(file.DisplayPath, 1, 1), "the file is empty; an MLproject file is a mapping with entry_points");
        }

        var mapping = root.ExpectMapping("an MLproject file");
        var entryPointsEntry = mapping.Find("entry_points");
        var diagnostics = new List<ProjectDiagnostic>();
        void Warn(YamlTreeNode node, string message) => diagnostics.Add(ProjectDiagnostic.Warn(node.Location, message));

        WarnAboutFileWideProblems(mapping, entryPointsEntry, Warn);
        foreach (var entry in mapping.Entries.Where(entry => !s_knownKeys.Contains(entry.Name, StringComparer.Ordinal)))
        {
            Warn(entry.Key, EntryPointReader.UnknownKeyMessage(entry.Name, "at the top level", s_knownKeys));
        }

        if (mapping.Find("databricks_spark_job") is { } databricks)
        {
            Warn(databricks.Key, "databricks_spark_job is for MLflow's Databricks backend; repro runs entry points on this host and ignores it");
        }

        if (entryPointsEntry is { Value.IsNull: true })
        {
            Warn(entryPointsEntry.Value, "entry_points is empty, on which MLflow fails; write 'entry_points: {}' or remove the key");
        }

        var entryPoints = new OrderedDictionary<string, EntryPoint>(StringComparer.Ordinal);
        var broken = new OrderedDictionary<string, ProjectDiagnostic>(StringComparer.Ordinal);
        foreach (var entry in entryPointsEntry?.Value.ExpectMappingOrNull("entry_points").Entries ?? [])
        {
            try
            {
                entryPoints[entry.Name] = EntryPointReader.Read(entry);
            }
            catch (InputException exception)
            {
                broken[entry.Name] = ProjectDiagnostic.FromError(exception, entry.Name);
            }
        }

        var project = new MLProject(
            file.Directory,
            file.FullPath,
            file.FileName,
            ReadName(mapping.Find("name"), Warn),
            ReadEnvironment(mapping, file.Directory, Warn),
            ReadSeed(mapping.Find("seed")),
            entryPoints)
        {
            BrokenEntryPoints = broken,
        };
        return new LoadedProject(project, diagnostics);
    }

    // Repeated keys outside the entry points, and any value PyYAML cannot build: yaml.safe_load fails on the whole
    // file then, so mlflow run cannot load it, even where repro never reads the value.
    private static void WarnAboutFileWideProblems(YamlTreeMapping root, YamlTreeEntry? entryPoints, Action<YamlTreeNode, string> warn)
    {
        var entryPointBodies = new HashSet<YamlTreeNode>(ReferenceEqualityComparer.Instance);
        if (entryPoints?.Value is YamlTreeMapping declared)
        {
            foreach (var entry in declared.Entries)
            {
                entryPointBodies.UnionWith(entry.Value.DescendantsAndSelf());
            }
        }

        var reported = new HashSet<SourceLocation>();
        foreach (var node in root.DescendantsAndSelf())
        {
            if (node is YamlTreeMapping mapping && !entryPointBodies.Contains(node))
            {
                foreach (var (key, first) in mapping.Duplicates)
                {
                    warn(key, EntryPointReader.DuplicateMessage(key, first));
                }
            }

            if (node is YamlTreeScalar scalar && !scalar.TryResolve(out _, out var failure) && reported.Add(scalar.Location))
            {
                warn(scalar, $"{failure}: MLflow's YAML reader (PyYAML) fails on this value, so mlflow run cannot load this file");
            }
        }
    }

    // MLflow keeps the name as read and only uses it to name a Docker image; anything but a single value is ignored here.
    private static string? ReadName(YamlTreeEntry? entry, Action<YamlTreeNode, string> warn)
    {
        if (entry is null || entry.Value.IsNull)
        {
            return null;
        }

        if (entry.Value is YamlTreeScalar scalar)
        {
            return scalar.TryResolve(out var value, out _) ? value.Str() : scalar.Text;
        }

        warn(entry.Value, $"name should be a single value, not {entry.Value.ShapeName}; repro ignores it");
        return null;
    }

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

    // MLflow refuses more than one environment key (even an empty one), then uses the first that is not empty.
    private static ProjectEnvironment ReadEnvironment(YamlTreeMapping mapping, string directory, Action<YamlTreeNode, string> warn)
    {
        var declared = mapping.Entries.Where(entry => s_environmentKeys.Contains(entry.Name, StringComparer.Ordinal)).ToList();
        if (declared.Count > 1)
        {
            throw declared[1].Key.Error(
                $"'{declared[1].Name}' is given after '{declared[0].Name}'; declare at most one of {string.Join(", ", s_environmentKeys)} (MLflow refuses this too)");
        }

        if (declared.Count == 0)
        {
            return ProjectEnvironment.None;
        }

        var entry = declared[0];
        if (IsFalsy(entry.Value))
        {
            warn(entry.Value, $"{entry.Name} is empty; ignored, as MLflow ignores it");
            return ProjectEnvironment.None;
        }

        return entry.Name == DockerEnv ? ReadDocker(entry, warn) : ReadEnvFile(entry, directory);
    }

    private static ProjectEnvironment ReadEnvFile(YamlTreeEntry entry, string directory)
    {
        var scalar = entry.Value.ExpectScalar(entry.Name);
        var value = scalar.ToPython();
        if (value is not PythonString)
        {
            throw scalar.Error($"{entry.Name} is read by MLflow's YAML reader as the {value.TypeName} {value.Str()}, not a file name, and MLflow fails on it; quote it");
        }

        return File.Exists(Path.Join(directory, scalar.Text))
            ? new ProjectEnvironment(entry.Name, scalar.Text, null)
            : throw scalar.Error($"{entry.Name} file '{scalar.Text}' does not exist in the project directory");
    }

    // The checks of mlflow/projects/_project_spec.py for docker_env: an image, volumes a list of strings, environment a
    // list of strings and [NAME, VALUE] pairs.
    private static ProjectEnvironment ReadDocker(YamlTreeEntry entry, Action<YamlTreeNode, string> warn)
    {
        var docker = entry.Value.ExpectMapping(DockerEnv);
        foreach (var unknown in docker.Entries.Where(key => !s_dockerKeys.Contains(key.Name, StringComparer.Ordinal)))
        {
            warn(unknown.Key, EntryPointReader.UnknownKeyMessage(unknown.Name, "in docker_env", s_dockerKeys));
        }

        var image = docker.Find("image");
        if (image is null || IsFalsy(image.Value))
        {
            throw (image?.Value ?? docker).Error("docker_env needs an image (MLflow refuses it too)");
        }

        if (docker.Find("volumes") is { } volumes && !IsFalsy(volumes.Value)
            && (volumes.Value is not YamlTreeSequence list || list.Items.Any(item => item is not YamlTreeScalar { IsString: true })))
        {
            throw volumes.Value.Error("docker_env volumes must be a list of strings, such as [\"/data:/data\"] (MLflow refuses it too)");
        }

        if (docker.Find("environment") is { } environment && !IsFalsy(environment.Value)
            && (environment.Value is not YamlTreeSequence variables || variables.Items.Any(item => item is not (YamlTreeScalar { IsString: true } or YamlTreeSequence))))
        {
            throw environment.Value.Error("docker_env environment must be a list of names to copy and [NAME, VALUE] pairs (MLflow refuses it too)");
        }

        return new ProjectEnvironment(DockerEnv, null, image.Value.ToPython().Str());
    }

    // Python's truth value of what PyYAML reads: None, '', 0, 0.0, False, [] and {} are false; MLflow tests with `if value:`.
    private static bool IsFalsy(YamlTreeNode node) => node switch
    {
        YamlTreeSequence sequence => sequence.Items.Count == 0,
        YamlTreeMapping mapping => mapping.Entries.Count == 0,
        YamlTreeScalar scalar when scalar.TryResolve(out var value, out _) => value switch
        {
            PythonNone => true,
            PythonString text => text.Value.Length == 0,
            PythonBool flag => !flag.Value,
            PythonInt number => number.Value.IsZero,
            PythonFloat number => number.Value == 0,
            _ => false,
        },
        _ => false,
    };
}
