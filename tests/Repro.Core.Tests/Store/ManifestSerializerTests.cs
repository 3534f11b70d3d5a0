using Repro.Core.Store;
using Repro.Core.Tests.Verification.Differences;

namespace Repro.Core.Tests.Store;

public sealed class ManifestSerializerTests
{
    [Fact]
    public async Task Prepare_RacingTheFirstWriteAndRead_ChangesNoByteOfTheManifest()
    {
        var manifest = TestManifests.Original();
        var preparing = Task.Run(ManifestSerializer.Prepare);
        var preparingReads = Task.Run(ManifestSerializer.PrepareReading);

        var written = ManifestSerializer.Serialize(manifest);
        var read = ManifestSerializer.Deserialize(written, "run.json");
        await Task.WhenAll(preparing, preparingReads);

        Assert.Equal(written, ManifestSerializer.Serialize(manifest));
        Assert.Equal(written, ManifestSerializer.Serialize(read));
    }
}
