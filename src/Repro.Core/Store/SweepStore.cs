using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>Sweep records in a store: <c>&lt;store&gt;/sweeps/&lt;id&gt;/sweep.json</c>, laid out as pipelines are.</summary>
public sealed class SweepStore : RunGroupStore<SweepRecord>
{
    /// <summary>The folder inside the store.</summary>
    public const string FolderName = "sweeps";

    /// <summary>The record's file name inside a sweep's folder.</summary>
    public const string FileName = "sweep.json";

    /// <summary>The sweeps of <paramref name="store"/>.</summary>
    public SweepStore(RunStore store)
        : base(store, FolderName, FileName, "sweep")
    {
    }

    /// <inheritdoc/>
    protected override string IdOf(SweepRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.SweepId;
    }
}
