namespace Repro.Core.Verification.Comparison;

/// <summary>One side of a file comparison: where its content is, and its SHA-256 when already known.</summary>
/// <param name="Path">
/// The file to read; null when its content was not kept (the store only has its fingerprint), in which case
/// the comparison can only say whether the hashes match.
/// </param>
/// <param name="Sha256">Its SHA-256 in hex (either case), when the caller already knows it; computed from the file when null.</param>
public sealed record ComparedFile(string? Path, string? Sha256)
{
    /// <summary>
    /// The file's name as the user knows it (such as <c>result.json</c>), whose extension chooses the comparer;
    /// <see cref="Path"/> when null. The run store keeps recorded content under its hash, without an extension.
    /// </summary>
    public string? Name { get; init; }
}
