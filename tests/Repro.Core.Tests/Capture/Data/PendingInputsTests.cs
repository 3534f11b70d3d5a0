using Repro.Core.Capture.Data;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Data;

/// <summary>Inputs fingerprinted first and copied into the object store afterwards (<see cref="PendingInputs"/>).</summary>
public sealed class PendingInputsTests : IDisposable
{
    private readonly DataTestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Store_DigestKnownToBeStored_IsNeitherLookedForNorCopiedAndItsFileIsMarkedKept()
    {
        var known = _directory.Write("data/known.txt", "known");
        var other = _directory.Write("data/other.txt", "other");
        // Older than the hash cache's racy margin, so neither is copied while it is hashed: both wait for Store.
        await Task.Delay(HashCache.DefaultRacyMargin + TimeSpan.FromMilliseconds(200));
        var objects = new ObjectStore(_directory.Store);
        var fingerprinter = new Fingerprinter(new FingerprintOptions { ObjectStore = objects });

        var pending = await fingerprinter.FingerprintInputsStoringLaterAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);

        Assert.All(Assert.Single(pending.Unstored).Files, file => Assert.False(file.Stored));
        Assert.False(objects.Contains(DataTestDirectory.ReferenceSha256(known)));
        Assert.False(objects.Contains(DataTestDirectory.ReferenceSha256(other)));

        var records = pending.Store(new HashSet<string>(StringComparer.Ordinal) { DataTestDirectory.ReferenceSha256(known) });

        Assert.Equal(1, fingerprinter.StoreLookups);
        Assert.All(Assert.Single(records).Files, file => Assert.True(file.Stored));
        Assert.False(objects.Contains(DataTestDirectory.ReferenceSha256(known)));
        Assert.True(objects.Contains(DataTestDirectory.ReferenceSha256(other)));
        Assert.Equal(Assert.Single(pending.Unstored).Digest, Assert.Single(records).Digest);
    }

    [Fact]
    public async Task Store_NothingKnown_GivesTheRecordsOfFingerprintInputsAsync()
    {
        _directory.Write("data/a.txt", "a");
        _directory.Write("data/b.txt", "b");
        _directory.Write("outside-the-store.txt", "not kept");
        var specs = new[] { DataSpec.Input("data"), DataSpec.Input("outside-the-store.txt") with { Store = false } };
        var objects = new ObjectStore(_directory.Store);

        var pending = await new Fingerprinter(new FingerprintOptions { ObjectStore = objects }).FingerprintInputsStoringLaterAsync(_directory.Project, specs, CancellationToken.None);
        var stored = pending.Store(null);
        var direct = await new Fingerprinter(new FingerprintOptions { ObjectStore = objects }).FingerprintInputsAsync(_directory.Project, specs, CancellationToken.None);

        Assert.Equal(Files(direct), Files(stored));
        Assert.Equal([true, true, false], Files(stored).Select(file => file.Stored));
    }

    [Fact]
    public async Task Store_AfterUnstored_GivesTheRecordsOfFingerprintInputsAsyncWithTheirDigests()
    {
        _directory.Write("data/a.txt", "a");
        _directory.Write("data/sub/b.txt", "b");
        _directory.Write("data/c.txt", "a");
        _directory.Write("single.txt", "single");
        _directory.Write("outside-the-store.txt", "not kept");
        var specs = new[] { DataSpec.Input("data"), DataSpec.Input("single.txt"), DataSpec.Input("outside-the-store.txt") with { Store = false } };
        var objects = new ObjectStore(_directory.Store);

        var pending = await new Fingerprinter(new FingerprintOptions { ObjectStore = objects }).FingerprintInputsStoringLaterAsync(_directory.Project, specs, CancellationToken.None);
        var unstored = pending.Unstored;
        var stored = pending.Store(null);
        var direct = await new Fingerprinter(new FingerprintOptions { ObjectStore = objects }).FingerprintInputsAsync(_directory.Project, specs, CancellationToken.None);

        Assert.Equal(direct.Select(record => (record.Spec, record.Kind, record.Digest, record.Store)), stored.Select(record => (record.Spec, record.Kind, record.Digest, record.Store)));
        Assert.Equal(unstored.Select(record => record.Digest), stored.Select(record => record.Digest));
        Assert.Equal(Files(direct), Files(stored));
    }

    private static List<FileRecord> Files(IReadOnlyList<DataRecord> records) => [.. records.SelectMany(record => record.Files)];
}
