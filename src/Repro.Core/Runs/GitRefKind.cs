using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>What a project's <c>--version</c> turned out to name; written in a manifest as the kebab-case word.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GitRefKind>))]
public enum GitRefKind
{
    /// <summary>No version was given: the branch the repository's HEAD names.</summary>
    [JsonStringEnumMemberName("default-branch")]
    DefaultBranch,

    /// <summary>A branch.</summary>
    [JsonStringEnumMemberName("branch")]
    Branch,

    /// <summary>A tag (annotated tags are peeled to their commit).</summary>
    [JsonStringEnumMemberName("tag")]
    Tag,

    /// <summary>A commit id, full or abbreviated.</summary>
    [JsonStringEnumMemberName("commit")]
    Commit,
}
