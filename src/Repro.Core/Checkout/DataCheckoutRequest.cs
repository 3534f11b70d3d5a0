using Repro.Core.Capture.Data;
using Repro.Core.FileSystem;
using Repro.Core.Remotes;
using Repro.Core.Runs;
using Repro.Core.Store;

namespace Repro.Core.Checkout;

/// <summary>What <c>repro checkout</c> was asked to restore.</summary>
public sealed record DataCheckoutRequest
{
    /// <summary>The store that holds the run and its objects.</summary>
    public required RunStore Store { get; init; }

    /// <summary>The run: an id, a unique prefix or <c>latest</c>.</summary>
    public required string RunReference { get; init; }

    /// <summary>
    /// The run's manifest, already read by the caller (a reused pipeline step): then <see cref="RunReference"/> is its
    /// id and the store is neither searched nor read for it. Null to resolve and read it.
    /// </summary>
    public RunManifest? Run { get; init; }

    /// <summary>Where the command was started; paths are relative to it and the project is found from it.</summary>
    public required string CurrentDirectory { get; init; }

    /// <summary>The project to restore into (<c>--project</c>); null finds it from <see cref="CurrentDirectory"/>.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>Only these files or folders (relative to <see cref="CurrentDirectory"/>); empty restores every selected file.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>Restore the run's inputs. When neither this nor <see cref="Outputs"/> is set, both are restored.</summary>
    public bool Inputs { get; init; }

    /// <summary>Restore the run's outputs.</summary>
    public bool Outputs { get; init; }

    /// <summary>Overwrite files that differ from the record.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Opens the default remote of the project at the given directory, to fetch objects the store lacks; returns null
    /// when none is set. Called only when an object is missing.
    /// </summary>
    public Func<string, IRemoteStorage?>? OpenDefaultRemote { get; init; }

    /// <summary>
    /// Where the restored files are noted to be flushed to the disk later, with others (a pipeline's reused steps flush
    /// their records and outputs together); null flushes each file before it is renamed into place.
    /// </summary>
    public DurableWrites? DeferredFlush { get; init; }

    /// <summary>Receives progress while files are hashed; null for none.</summary>
    public IProgress<HashProgress>? HashProgress { get; init; }
}
