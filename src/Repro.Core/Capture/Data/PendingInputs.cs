using Repro.Core.Runs;

namespace Repro.Core.Capture.Data;

/// <summary>
/// Inputs fingerprinted and not yet copied into the object store (<see cref="Fingerprinter.FingerprintInputsStoringLaterAsync"/>):
/// their records as they stand, and the step that copies them.
/// </summary>
public sealed class PendingInputs
{
    private readonly Lazy<IReadOnlyList<DataRecord>> _unstored;
    private readonly Func<IReadOnlyList<DataRecord>?, IReadOnlySet<string>?, IReadOnlyList<DataRecord>> _store;

    // The store step is given the records as they stand when they were asked for already, to take their digests rather
    // than hash each folder's listing again.
    internal PendingInputs(Func<IReadOnlyList<DataRecord>> unstored, Func<IReadOnlyList<DataRecord>?, IReadOnlySet<string>?, IReadOnlyList<DataRecord>> store)
    {
        _unstored = new Lazy<IReadOnlyList<DataRecord>>(unstored);
        _store = store;
    }

    /// <summary>The records, every file marked as not kept: their digests are final, their <see cref="FileRecord.Stored"/> flags are not.</summary>
    public IReadOnlyList<DataRecord> Unstored => _unstored.Value;

    /// <summary>
    /// Copies the files to keep into the object store, unless their object is there already, and returns the records
    /// with the files kept marked so, as <see cref="Fingerprinter.FingerprintInputsAsync"/> returns them.
    /// </summary>
    /// <param name="knownStored">
    /// Digests of objects the caller has proved are in the store: not looked for. Null looks for every one.
    /// </param>
    /// <exception cref="Errors.StoreException">The store cannot be written, or a file cannot be read.</exception>
    public IReadOnlyList<DataRecord> Store(IReadOnlySet<string>? knownStored) => _store(_unstored.IsValueCreated ? _unstored.Value : null, knownStored);
}
