using System.Runtime.CompilerServices;
using Repro.Core.Remotes.S3;

namespace Repro.Core.Remotes;

/// <summary>Opens the storage behind a remote.</summary>
public static class RemoteStorageFactory
{
    /// <summary>Transfers in flight at once, unless told otherwise.</summary>
    public const int DefaultParallelism = 8;

    /// <summary>The storage of <paramref name="remote"/>; nothing is contacted until the first call.</summary>
    /// <param name="remote">The remote.</param>
    /// <param name="parallelism">At most this many transfers at once.</param>
    /// <exception cref="Errors.StoreException">The S3 client cannot be configured.</exception>
    public static IRemoteStorage Open(RemoteDefinition remote, int parallelism = DefaultParallelism)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return remote.Location.Kind == RemoteKind.S3 ? OpenS3(remote, parallelism) : new DirectoryRemoteStorage(remote);
    }

    // Out of line, so that nothing but an S3 remote ever loads the AWS SDK: every other command starts without it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static S3RemoteStorage OpenS3(RemoteDefinition remote, int parallelism) => S3RemoteStorage.Create(remote, parallelism);
}
