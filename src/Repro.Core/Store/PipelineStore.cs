using Repro.Core.Runs;

namespace Repro.Core.Store;

/// <summary>Pipeline records in a store: <c>&lt;store&gt;/pipelines/&lt;id&gt;/pipeline.json</c>.</summary>
public sealed class PipelineStore : RunGroupStore<PipelineRecord>
{
    /// <summary>The folder inside the store.</summary>
    public const string FolderName = "pipelines";

    /// <summary>The record's file name inside a pipeline's folder.</summary>
    public const string FileName = "pipeline.json";

    /// <summary>The pipelines of <paramref name="store"/>.</summary>
    public PipelineStore(RunStore store)
        : base(store, FolderName, FileName, "pipeline")
    {
    }

    /// <inheritdoc/>
    protected override string IdOf(PipelineRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.PipelineId;
    }

    /// <inheritdoc/>
    protected override byte[] Serialize(PipelineRecord record) => PipelineRecordWriter.Write(record);
}
