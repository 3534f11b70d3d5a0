namespace Repro.Core.Capture.Data;

/// <summary>How a <see cref="Fingerprinter"/> works.</summary>
public sealed record FingerprintOptions
{
    /// <summary>The hash cache to consult and fill; null hashes everything and remembers nothing.</summary>
    public HashCache? Cache { get; init; }

    /// <summary>Ignore cached digests and read every file again (<c>repro run --rehash</c>); fresh digests are still stored.</summary>
    public bool Rehash { get; init; }

    /// <summary>
    /// Input digests looked up in <see cref="Cache"/> ahead of need, taken for a file whose status is still the one
    /// looked up, before the cache is asked (see <see cref="DigestPrefetch"/>); null asks the cache. Unused with
    /// <see cref="Rehash"/>.
    /// </summary>
    public DigestPrefetch? Prefetched { get; init; }

    /// <summary>
    /// Receives progress from a background thread when hashing takes more than about a second: then every
    /// 200 ms and once more when done (<see cref="HashProgress.IsComplete"/>). Null for none.
    /// </summary>
    public IProgress<HashProgress>? Progress { get; init; }

    /// <summary>
    /// Where copies of inputs inside the project and of outputs go (files up to its size limit, specs not declared
    /// <c>store: false</c>); null stores nothing.
    /// </summary>
    public ObjectStore? ObjectStore { get; init; }

    /// <summary>
    /// Digests the outputs are expected to have, by path relative to the project with forward slashes (<c>repro
    /// verify</c> passes the recorded run's). An output to keep whose expected object the store holds, with the
    /// output's size, is hashed first and, when it matches, recorded without being copied; otherwise it is stored as
    /// any new output is. Never trusted without that hash. Null for none (the hash cache's last digest at the path is
    /// then the guess).
    /// </summary>
    public IReadOnlyDictionary<string, string>? ExpectedOutputs { get; init; }
}
