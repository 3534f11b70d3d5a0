
namespace Repro.Samples.Tests.Support;

/// <summary>
/// A temporary folder laid out like the repository root for the files a sample reads, so the sample runs there with
/// its default, root-relative paths (as <c>repro run</c> runs it) and writes its outputs there.
/// </summary>
public sealed class ProjectCopy : IDisposable
{
    private readonly TempDirectory _temp = new("sample");

    public ProjectCopy(params string[] files)
    {
        foreach (var file in files)
        {
            var target = System.IO.Path.Combine(_temp.Path, file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            System.IO.File.Copy(System.IO.Path.Combine(DotnetHost.RepositoryRoot(), file), target);
        }
    }

    public string Path => _temp.Path;

    public string File(string relativePath) => System.IO.Path.Combine(_temp.Path, relativePath);

    public byte[] Bytes(string relativePath) => System.IO.File.ReadAllBytes(File(relativePath));

    public void Dispose() => _temp.Dispose();
}
