using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Store;

public sealed class ManifestSerializerTests
{
    [Fact]
    public async Task PrepareReading_RacingTheFirstRead_ChangesNoByteOfTheManifest()
    {
        var manifest = TestManifests.Original();
        var written = ManifestSerializer.Serialize(manifest);
        var preparingReads = Task.Run(ManifestSerializer.PrepareReading);

        var read = ManifestSerializer.Deserialize(written, "run.json");
        await preparingReads;

        Assert.Equal(written, ManifestSerializer.Serialize(manifest));
        Assert.Equal(written, ManifestSerializer.Serialize(read));
    }
}
