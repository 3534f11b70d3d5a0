using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

/// <summary>A project directory of its own in the temp folder, deleted on dispose.</summary>
internal sealed class TempProject : IDisposable
{
    private readonly TempDirectory _temp = new("project");

    public string Directory => _temp.Path;

    /// <summary>The MLproject path as errors name it when the directory is given absolutely.</summary>
    public string MLprojectPath => Path.Join(Directory, "MLproject");

    public TempProject With(string relativePath, string content = "")
    {
        _temp.Write(relativePath, content);
        return this;
    }

    public TempProject WithMLproject(string yaml) => With("MLproject", yaml);

    public LoadedProject Load() => MLProjectLoader.Load(Directory);

    public MLProject Project => Load().Project;

    /// <summary>Asserts loading fails at LINE:COL of the MLproject file with a message holding every fragment.</summary>
    public InputException LoadFailsAt(long line, long column, params string[] fragments)
    {
        var error = Assert.Throws<InputException>(Load);
        Assert.Equal(new SourceLocation(MLprojectPath, line, column), error.Location);
        Assert.StartsWith($"{MLprojectPath}:{line}:{column}: ", error.Message, StringComparison.Ordinal);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }

        return error;
    }

    /// <summary>
    /// Asserts the file loads but entry point <paramref name="entryPoint"/> is broken at LINE:COL with a message holding
    /// every fragment, and that running it fails with that same located message.
    /// </summary>
    public InputException EntryPointFailsAt(string entryPoint, long line, long column, params string[] fragments)
    {
        var loaded = Load();
        Assert.False(loaded.Project.EntryPoints.ContainsKey(entryPoint), $"entry point '{entryPoint}' loaded");
        var broken = loaded.Project.BrokenEntryPoints[entryPoint];
        Assert.Equal(DiagnosticSeverity.Error, broken.Severity);
        Assert.Equal(new SourceLocation(MLprojectPath, line, column), broken.Location);
        var error = Assert.Throws<InputException>(() => CommandRenderer.Render(loaded.Project, entryPoint, [], shell: null));
        Assert.Equal($"{MLprojectPath}:{line}:{column}: {broken.Message}", error.Message);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }

        return error;
    }

    /// <summary><see cref="EntryPointFailsAt"/> for entry point <c>main</c>.</summary>
    public InputException MainFailsAt(long line, long column, params string[] fragments) => EntryPointFailsAt("main", line, column, fragments);

    /// <summary>The warnings of the file and of entry point <c>main</c> when it runs with its defaults, as printed.</summary>
    public IReadOnlyList<string> MainWarnings(params string[] tokens)
    {
        var loaded = Load();
        var rendered = CommandRenderer.Render(loaded.Project, "main", ParameterArguments.Parse(tokens), shell: null);
        return [.. loaded.Warnings, .. rendered.Warnings];
    }

    public void Dispose() => _temp.Dispose();
}
