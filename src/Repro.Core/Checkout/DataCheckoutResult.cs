using System.Text.Json.Serialization;

namespace Repro.Core.Checkout;

/// <summary>What <c>repro checkout</c> did, or why it did nothing.</summary>
/// <param name="RunId">The run.</param>
/// <param name="ProjectDirectory">Where its files were (or would have been) restored.</param>
/// <param name="Completed">
/// Whether the checkout was carried out. False when a file differs from the record without <c>--force</c>, or a
/// file's content is nowhere to be had: then nothing was changed, and <see cref="Files"/> says which files.
/// </param>
/// <param name="Files">Every selected file, sorted by path.</param>
/// <param name="FetchedFrom">The remote objects were fetched from, when any were.</param>
/// <param name="ObjectsFetched">How many objects were fetched.</param>
public sealed record DataCheckoutResult(
    string RunId,
    string ProjectDirectory,
    bool Completed,
    IReadOnlyList<DataCheckoutFile> Files,
    string? FetchedFrom,
    int ObjectsFetched);

/// <summary>One file of a checkout.</summary>
/// <param name="Path">Path relative to the project, forward slashes.</param>
/// <param name="Origin"><c>input</c> or <c>output</c>.</param>
/// <param name="Sha256">The recorded digest; null for a symbolic link recorded without one.</param>
/// <param name="Size">The recorded size.</param>
/// <param name="State">What happened to it.</param>
/// <param name="Detail">Why, when that needs saying.</param>
public sealed record DataCheckoutFile(string Path, string Origin, string? Sha256, long Size, DataCheckoutState State, string? Detail);

/// <summary>What happened to one file.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DataCheckoutState>))]
public enum DataCheckoutState
{
    /// <summary>Written from the store.</summary>
    [JsonStringEnumMemberName("restored")]
    Restored,

    /// <summary>Would have been written, but the checkout was refused (because of other files): left as it is.</summary>
    [JsonStringEnumMemberName("notRestored")]
    NotRestored,

    /// <summary>Already identical to the record: not touched.</summary>
    [JsonStringEnumMemberName("identical")]
    Identical,

    /// <summary>Differs from the record, and <c>--force</c> was not given: the checkout was refused.</summary>
    [JsonStringEnumMemberName("differs")]
    Differs,

    /// <summary>Its content is in neither the store nor the default remote: the checkout was refused.</summary>
    [JsonStringEnumMemberName("unavailable")]
    Unavailable,

    /// <summary>Not restored by design: outside the project.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,
}
