using Repro.Core.Capture.Environment;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class NvidiaSmiParserTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void ParseGpus_NoDevices_GivesEmptyList()
    {
        Assert.Empty(NvidiaSmiParser.ParseGpus(Fixture.Read("nvidia-smi-query-0-gpus.txt")));
    }

    [Fact]
    public void ParseGpus_OneGpu_GivesNameDriverAndMemoryInBytes()
    {
        var gpus = NvidiaSmiParser.ParseGpus(Fixture.Read("nvidia-smi-query-1-gpu.txt"));

        Assert.Equal([new GpuRecord("NVIDIA H100 80GB HBM3", "550.54.15", 81559 * MiB)], gpus);
    }

    [Fact]
    public void ParseGpus_TwoGpusOneWithoutMemory_KeepsOrderAndRecordsUnknownMemoryAsNull()
    {
        var gpus = NvidiaSmiParser.ParseGpus(Fixture.Read("nvidia-smi-query-2-gpus.txt"));

        Assert.Equal(
            [
                new GpuRecord("NVIDIA A100-SXM4-40GB", "535.104.05", 40960 * MiB),
                new GpuRecord("NVIDIA A100-SXM4-40GB", "535.104.05", null),
            ],
            gpus);
    }

    [Fact]
    public void ParseGpus_NameWithComma_KeepsTheWholeName()
    {
        var gpus = NvidiaSmiParser.ParseGpus("Vendor GPU, rev 2, 525.60.13, 16384\r\n");

        Assert.Equal([new GpuRecord("Vendor GPU, rev 2", "525.60.13", 16384 * MiB)], gpus);
    }

    [Theory]
    [InlineData("nvidia-smi-header-cuda124.txt", "12.4")]
    [InlineData("nvidia-smi-header-cuda114.txt", "11.4")]
    public void ParseCudaVersion_Header_GivesTheVersion(string fixture, string version)
    {
        Assert.Equal(version, NvidiaSmiParser.ParseCudaVersion(Fixture.Read(fixture)));
    }

    [Fact]
    public void ParseCudaVersion_NotApplicable_GivesUnknown()
    {
        Assert.Null(NvidiaSmiParser.ParseCudaVersion(Fixture.Read("nvidia-smi-header-no-cuda.txt")));
    }
}
