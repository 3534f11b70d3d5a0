using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

/// <summary>A project directory of its own in the temp folder, deleted on dispose.</summary>
internal sealed class TempProject : IDisposable
{
    public TempProject()
    {
        Directory = Path.Join(Path.GetTempPath(), "repro-projects-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>The MLproject path as errors name it when the directory is given absolutely.</summary>
    public string MLprojectPath => Path.Join(Directory, "MLproject");

    public TempProject With(string relativePath, string content = "")
    {
        var path = Path.Join(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
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

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
