using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Capture.Data;

/// <summary>Fingerprints of the declared outputs after the child exited, and the outputs that were not there.</summary>
/// <param name="Records">One record per output that exists, in declaration order.</param>
/// <param name="Missing">Declared outputs that do not exist (or globs that match nothing), in declaration order.</param>
public sealed record OutputFingerprints(IReadOnlyList<DataRecord> Records, IReadOnlyList<MissingData> Missing)
{
    /// <summary>Whether every declared output exists. A run that exited 0 is FAILED when this is false.</summary>
    public bool Complete => Missing.Count == 0;

    /// <summary>One line naming every missing output, for the run's status message; null when none is missing.</summary>
    public string? MissingMessage => Complete ? null : MessageList.Join(Missing.Select(m => m.Message), separator: "; ");
}

/// <summary>A declared entry with nothing behind it.</summary>
/// <param name="Spec">The entry.</param>
/// <param name="Message">One line saying what is missing, naming it.</param>
public sealed record MissingData(DataSpec Spec, string Message);
