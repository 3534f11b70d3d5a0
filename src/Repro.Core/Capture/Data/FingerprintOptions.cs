namespace Repro.Core.Capture.Data;

/// <summary>How a <see cref="Fingerprinter"/> works.</summary>
public sealed record FingerprintOptions
{
    /// <summary>The hash cache to consult and fill; null hashes everything and remembers nothing.</summary>
    public HashCache? Cache { get; init; }

    /// <summary>Ignore cached digests and read every file again (<c>repro run --rehash</c>); fresh digests are still stored.</summary>
    public bool Rehash { get; init; }

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
}
