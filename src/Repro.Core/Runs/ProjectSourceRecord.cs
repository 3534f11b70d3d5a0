namespace Repro.Core.Runs;

/// <summary>
/// Where a project came from when it was named by a URI and checked out through the git cache: what a teammate, CI or
/// <c>repro verify</c> needs to fetch the same code again. Credentials are never part of it. A local folder used in
/// place has no such record; its <see cref="GitRecord"/> says where its code came from.
/// </summary>
/// <param name="Uri">The repository URL without credentials, or the absolute path of a local repository, without the <c>#subdirectory</c>.</param>
/// <param name="Subdirectory">The project folder inside it, forward slashes; empty for the root.</param>
/// <param name="Version">The version asked for (<c>--version</c>); null for the repository's default branch.</param>
/// <param name="RefKind">What the version named.</param>
/// <param name="Commit">The commit checked out.</param>
public sealed record ProjectSourceRecord(string Uri, string Subdirectory, string? Version, GitRefKind RefKind, string Commit);
