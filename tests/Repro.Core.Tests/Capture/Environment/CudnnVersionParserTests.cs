using Repro.Core.Capture.Environment;

namespace Repro.Core.Tests.Capture.Environment;

public sealed class CudnnVersionParserTests
{
    [Fact]
    public void Parse_VersionHeader_GivesMajorMinorPatch()
    {
        Assert.Equal("8.9.7", CudnnVersionParser.Parse(Fixture.Read("cudnn_version.h")));
    }

    [Fact]
    public void Parse_HeaderWithoutPatchLevel_GivesUnknown()
    {
        Assert.Null(CudnnVersionParser.Parse("#define CUDNN_MAJOR 9\n#define CUDNN_MINOR 1\n"));
    }
}
