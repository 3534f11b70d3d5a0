using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class CpuInfoParserTests
{
    [Fact]
    public void Parse_IntelSapphireRapids_GivesModelAndEveryAvx512AndAmxFlag()
    {
        var (model, isa) = CpuInfoParser.Parse(Fixture.Read("cpuinfo-intel-sapphire-rapids.txt"));

        Assert.Equal("Intel(R) Xeon(R) Platinum 8480+", model);
        Assert.Equal(
            [
                "amx_bf16", "amx_int8", "amx_tile", "avx", "avx2",
                "avx512_bf16", "avx512_bitalg", "avx512_fp16", "avx512_vbmi2", "avx512_vnni", "avx512_vpopcntdq",
                "avx512bw", "avx512cd", "avx512dq", "avx512f", "avx512ifma", "avx512vbmi", "avx512vl",
                "avx_vnni", "fma", "sse4.1", "sse4.2",
            ],
            isa);
    }

    [Fact]
    public void Parse_AmdEpyc_KeepsAvx2AndFmaButNotTheMemoryEncryptionFlag()
    {
        var (model, isa) = CpuInfoParser.Parse(Fixture.Read("cpuinfo-amd-epyc.txt"));

        Assert.Equal("AMD EPYC 7763 64-Core Processor", model);
        Assert.Equal(["avx", "avx2", "fma", "sse4.1", "sse4.2"], isa);
    }

    [Fact]
    public void Parse_ArmNeoverseV2_NamesTheCoreAndKeepsSveAndHalfPrecisionFeatures()
    {
        var (model, isa) = CpuInfoParser.Parse(Fixture.Read("cpuinfo-arm-neoverse-v2.txt"));

        Assert.Equal("ARM Neoverse-V2", model);
        Assert.Equal(
            ["asimd", "asimddp", "asimdfhm", "asimdhp", "bf16", "fphp", "i8mm", "sve", "sve2", "svebf16", "svei8mm"],
            isa);
    }

    [Fact]
    public void Parse_ArmNeoverseN1_NamesTheCore()
    {
        var (model, isa) = CpuInfoParser.Parse(Fixture.Read("cpuinfo-arm-neoverse-n1.txt"));

        Assert.Equal("ARM Neoverse-N1", model);
        Assert.Equal(["asimd", "asimddp", "asimdhp", "fphp"], isa);
    }

    [Fact]
    public void Parse_ArmCoreOutsideTheTable_ReportsImplementerAndPartRatherThanGuessing()
    {
        var (model, _) = CpuInfoParser.Parse(Fixture.Read("cpuinfo-arm-ampereone.txt"));

        Assert.Equal("CPU implementer 0xc0 part 0xac3", model);
    }

    [Fact]
    public void Parse_NoModelOrFlags_GivesUnknown()
    {
        Assert.Equal((null, null), CpuInfoParser.Parse("processor\t: 0\nbogomips\t: 100\n"));
    }
}
