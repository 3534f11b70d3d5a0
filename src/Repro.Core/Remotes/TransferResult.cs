using System.Text.Json.Serialization;

namespace Repro.Core.Remotes;

/// <summary>What a push or pull did.</summary>
/// <param name="Remote">The remote, by name and URL.</param>
/// <param name="Runs">Each run named or selected, in order.</param>
/// <param name="ObjectsSent">Objects transferred.</param>
/// <param name="ObjectBytes">Their bytes.</param>
/// <param name="ObjectsAlreadyThere">Objects the other side already had.</param>
/// <param name="FilesSent">Run folder files transferred (manifests included).</param>
/// <param name="Warnings">Things the user should know: a running run skipped, an object nowhere to be had.</param>
public sealed record TransferResult(
    string Remote,
    IReadOnlyList<RunTransfer> Runs,
    int ObjectsSent,
    long ObjectBytes,
    int ObjectsAlreadyThere,
    int FilesSent,
    IReadOnlyList<string> Warnings);

/// <summary>What happened to one run in a push or pull.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Outcome">Whether it was transferred.</param>
/// <param name="ObjectsSent">Objects of this run transferred (an object two runs share counts for the first).</param>
/// <param name="ObjectsUnavailable">Objects the run references that the sending side does not hold.</param>
public sealed record RunTransfer(string RunId, RunTransferOutcome Outcome, int ObjectsSent, int ObjectsUnavailable);

/// <summary>What happened to one run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunTransferOutcome>))]
public enum RunTransferOutcome
{
    /// <summary>Sent: the remote now holds the run and every object it references that the local store holds.</summary>
    [JsonStringEnumMemberName("pushed")]
    Pushed,

    /// <summary>Pulled: the local store now holds the run and every object it references that the remote holds.</summary>
    [JsonStringEnumMemberName("pulled")]
    Pulled,

    /// <summary>Nothing was missing on the receiving side.</summary>
    [JsonStringEnumMemberName("upToDate")]
    UpToDate,

    /// <summary>Not pushed: the run has not ended.</summary>
    [JsonStringEnumMemberName("skippedRunning")]
    SkippedRunning,
}
