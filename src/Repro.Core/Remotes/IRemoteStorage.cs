namespace Repro.Core.Remotes;

/// <summary>
/// The storage behind a remote, addressed by keys that are paths relative to the remote's root with forward slashes
/// (<see cref="RemoteLayout"/>). Every failure is a <see cref="Errors.StoreException"/> with one line that names the
/// remote; a write is whole or absent, never partial.
/// </summary>
public interface IRemoteStorage : IDisposable
{
    /// <summary>The remote, for messages: its name and URL.</summary>
    string Display { get; }

    /// <summary>Every key under <paramref name="prefix"/> (which ends with '/'), with its size.</summary>
    Task<IReadOnlyDictionary<string, long>> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>The size of the value at <paramref name="key"/>, or null when there is none.</summary>
    Task<long?> SizeOfAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the content of <paramref name="localPath"/> at <paramref name="key"/>, replacing what is there, and checks
    /// the stored size afterwards. <paramref name="sha256"/> names an object: where the content passes through repro
    /// (S3, or a folder the kernel cannot copy to), content that does not hash to it is not sent.
    /// </summary>
    Task PutFileAsync(string key, string localPath, string? sha256, CancellationToken cancellationToken);

    /// <summary>Writes the value at <paramref name="key"/> into <paramref name="destination"/>.</summary>
    Task GetAsync(string key, Stream destination, CancellationToken cancellationToken);

    /// <summary>
    /// The local file that holds <paramref name="key"/>, when the remote is a folder (so the kernel can copy or clone
    /// it); null for remotes reached over the network.
    /// </summary>
    string? LocalPathOf(string key);
}
