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

    public void Dispose() => _temp.Dispose();
}
