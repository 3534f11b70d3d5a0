using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class CudnnLocatorTests
{
    [Fact]
    public void IncludeFolders_RootVariables_ComeBeforeSystemFolders()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CUDA_HOME"] = "/opt/cuda-12.4",
            ["CUDNN_PATH"] = "/opt/cudnn",
            ["CUDA_PATH"] = "relative/not/used",
        };

        var folders = CudnnLocator.IncludeFolders(variables).ToList();

        Assert.Equal([Path.Combine("/opt/cudnn", "include"), Path.Combine("/opt/cuda-12.4", "include")], folders.Take(2));
        Assert.DoesNotContain(folders, folder => folder.StartsWith("relative", StringComparison.Ordinal));
    }
}
