using Repro.Core.Projects;

namespace Repro.Core.Pipelines;

/// <summary>
/// The MLproject loads of one pipeline call. Every step's run resolves the project again, and validating the pipeline
/// resolves each step once more: forty parses of the same YAML for twenty steps. A load is taken again only when the
/// file's bytes differ from the ones the kept load was parsed from, so a step that edits the MLproject is seen as a
/// run of its own would see it.
/// </summary>
internal sealed class ProjectLoads
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (byte[] Bytes, LoadedProject Loaded)> _loaded = new(StringComparer.Ordinal);

    /// <summary>How many times the file was parsed, for tests.</summary>
    public int Parses { get; private set; }

    /// <summary>What <see cref="MLProjectLoader.Load"/> gives for <paramref name="projectDirectory"/>.</summary>
    /// <exception cref="Errors.InputException">As <see cref="MLProjectLoader.Load"/>.</exception>
    public LoadedProject Load(string projectDirectory)
    {
        ArgumentNullException.ThrowIfNull(projectDirectory);
        var before = Bytes(projectDirectory);
        lock (_lock)
        {
            if (before is not null && _loaded.TryGetValue(projectDirectory, out var kept) && kept.Bytes.AsSpan().SequenceEqual(before))
            {
                return kept.Loaded;
            }
        }

        var loaded = MLProjectLoader.Load(projectDirectory);
        lock (_lock)
        {
            Parses++;

            // Kept only when the file did not change while it was parsed: the bytes are then the ones parsed.
            if (before is not null && Bytes(projectDirectory) is { } after && after.AsSpan().SequenceEqual(before))
            {
                _loaded[projectDirectory] = (before, loaded);
            }
            else
            {
                _loaded.Remove(projectDirectory);
            }
        }

        return loaded;
    }

    // The MLproject file's bytes; null when there is none or it cannot be read (the loader then says why).
    private static byte[]? Bytes(string projectDirectory)
    {
        var directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory.Length == 0 ? "." : projectDirectory));
        try
        {
            return Directory.Exists(directory) && ProjectFileLocator.Find(directory, projectDirectory) is { } name
                ? File.ReadAllBytes(Path.Combine(directory, name))
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
