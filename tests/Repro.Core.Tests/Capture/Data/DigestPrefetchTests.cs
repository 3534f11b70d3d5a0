using Repro.Core.Capture.Data;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Data;

/// <summary>
/// Input digests looked up in the hash cache ahead of need (<see cref="DigestPrefetch"/>), and taken by a fingerprint
/// only for files whose status is still the one looked up.
/// </summary>
public sealed class DigestPrefetchTests : IDisposable
{
    private readonly DataTestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Fingerprint_FilesPrefetched_TakesTheirDigestsAndRecordsWhatTheCacheAloneGives()
    {
        _directory.Write("data/a.txt", "a");
        _directory.Write("data/b.txt", "b");
        using var cache = TrustingCache();
        var direct = await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache);

        var found = prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);
        var records = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(2, found);
        Assert.Equal(2, prefetch.Taken);
        Assert.Equal(Files(direct), Files(records));
        Assert.Equal(Assert.Single(direct).Digest, Assert.Single(records).Digest);
    }

    [Fact]
    public async Task Fingerprint_FileChangedAfterThePrefetch_IsFingerprintedAgainAsItIsNow()
    {
        _directory.Write("data/a.txt", "a");
        var changed = _directory.Write("data/b.txt", "b");
        using var cache = TrustingCache();
        await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache);
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);

        // A different size, so the status differs even within one tick of the kernel's clock.
        File.WriteAllText(changed, "changed between the plan and the step's turn");
        var records = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(1, prefetch.Taken);
        var file = Assert.Single(Files(records), file => file.Path == "data/b.txt");
        Assert.Equal(DataTestDirectory.ReferenceSha256(changed), file.Sha256);
    }

    [Fact]
    public async Task Fingerprint_FileAddedAfterThePrefetch_IsRecordedToo()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache);
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);

        var added = _directory.Write("data/new.txt", "new");
        var records = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(["data/a.txt", "data/new.txt"], Files(records).Select(file => file.Path));
        Assert.Equal(DataTestDirectory.ReferenceSha256(added), Files(records)[1].Sha256);
    }

    [Fact]
    public async Task Fingerprint_WithRehash_TakesNothingPrefetched()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache);
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);

        await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch, Rehash = true });

        Assert.Equal(1, prefetch.Count);
        Assert.Equal(0, prefetch.Taken);
    }

    [Fact]
    public void Fill_FilesTheCacheDoesNotKnow_KeepsNothing()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        var prefetch = new DigestPrefetch(cache);

        Assert.Equal(0, prefetch.Fill(_directory.Project, [DataSpec.Input("data")]));
        Assert.Equal(0, prefetch.Count);
    }

    [Fact]
    public void Fill_MissingOrEscapingSpecsOrNoProject_ThrowsNothingAndLeavesThemToTheFingerprint()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        var prefetch = new DigestPrefetch(cache);

        var found = prefetch.Fill(_directory.Project, [DataSpec.Input("missing.txt"), DataSpec.Input("../outside.txt"), DataSpec.Input("*.none")]);
        var inNoProject = prefetch.Fill(Path.Combine(_directory.Root, "no-such-project"), [DataSpec.Input("data")]);

        Assert.Equal(0, found);
        Assert.Equal(0, inNoProject);
    }

    [Fact]
    public async Task Fingerprint_PrefetchKeepingListings_TakesEachListingOnceAndRecordsWhatItsOwnListingGives()
    {
        _directory.Write("data/a.txt", "a");
        _directory.Write("data/sub/b.txt", "b");
        using var cache = TrustingCache();
        var direct = await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache) { KeepsListings = true };
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);

        var first = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });
        var second = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(1, prefetch.ListingsTaken);
        Assert.Equal(Files(direct), Files(first));
        Assert.Equal(Assert.Single(direct).Digest, Assert.Single(first).Digest);
        Assert.Equal(Files(direct), Files(second));
    }

    [Fact]
    public async Task Fingerprint_FileAddedAfterAListingWasKept_IsRecordedOnceTheListingsAreStopped()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache) { KeepsListings = true };
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);
        _directory.Write("data/new.txt", "new");

        // Taken as listed: the inputs as they were when the prefetch listed them.
        var listed = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);
        prefetch.StopListings();
        var now = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(["data/a.txt"], Files(listed).Select(file => file.Path));
        Assert.Equal(["data/a.txt", "data/new.txt"], Files(now).Select(file => file.Path));
        Assert.Equal(1, prefetch.ListingsTaken);
    }

    [Fact]
    public async Task Fill_AfterTheListingsStopped_KeepsNoneAndTheFingerprintListsTheSpecItself()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache) { KeepsListings = true };
        prefetch.StopListings();

        var found = prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);
        _directory.Write("data/new.txt", "new");
        var records = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(1, found);
        Assert.Equal(0, prefetch.ListingsTaken);
        Assert.Equal(1, prefetch.Taken);
        Assert.Equal(["data/a.txt", "data/new.txt"], Files(records).Select(file => file.Path));
    }

    [Fact]
    public async Task Fill_AFileTheCacheDoesNotVouchFor_KeepsNoListingOfItsSpec()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        await Inputs(new FingerprintOptions { Cache = cache });
        var unknown = _directory.Write("data/unknown.txt", "not in the cache yet");
        var prefetch = new DigestPrefetch(cache) { KeepsListings = true };
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);

        var records = await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(0, prefetch.ListingsTaken);
        Assert.Equal(DataTestDirectory.ReferenceSha256(unknown), Files(records).Single(file => file.Path == "data/unknown.txt").Sha256);
    }

    [Fact]
    public async Task Fingerprint_PrefetchNotKeepingListings_ListsEverySpecItself()
    {
        _directory.Write("data/a.txt", "a");
        using var cache = TrustingCache();
        await Inputs(new FingerprintOptions { Cache = cache });
        var prefetch = new DigestPrefetch(cache);
        prefetch.Fill(_directory.Project, [DataSpec.Input("data")]);

        await Inputs(new FingerprintOptions { Cache = cache, Prefetched = prefetch });

        Assert.Equal(0, prefetch.ListingsTaken);
        Assert.Equal(1, prefetch.Taken);
    }

    private Task<IReadOnlyList<DataRecord>> Inputs(FingerprintOptions options) =>
        new Fingerprinter(options).FingerprintInputsAsync(_directory.Project, [DataSpec.Input("data")], CancellationToken.None);

    private static List<FileRecord> Files(IReadOnlyList<DataRecord> records) => [.. records.SelectMany(record => record.Files)];

    // A cache that trusts files written a moment ago (production waits two seconds, the racy margin).
    private HashCache TrustingCache()
    {
        var cache = HashCache.Open(_directory.Store);
        cache.RacyMargin = TimeSpan.FromDays(-1);
        return cache;
    }
}
