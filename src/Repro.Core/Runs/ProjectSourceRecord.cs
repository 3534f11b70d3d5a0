namespace Repro.Core.Runs;

/// <summary>
/// Where a project came from when it was named by a URI: what a teammate, CI or <c>repro verify</c> needs to fetch
/// the same code again. Credentials are never part of it.
/// </summary>
/// <param name="Uri">The repository URL without credentials, or the absolute local path, without the <c>#subdirectory</c>.</param>
/// <param name="Subdirectory">The project folder inside it, forward slashes; empty for the root.</param>
/// <param name="Version">The version asked for (<c>--version</c>); null for the default branch or a local folder.</param>
/// <param name="RefKind">What the version named; null for a local folder used in place.</param>
/// <param name="Commit">The commit checked out; null for a local folder used in place (the git section records its state).</param>
public sealed record ProjectSourceRecord(string Uri, string Subdirectory, string? Version, GitRefKind? RefKind, string? Commit);
