using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>Whether a run's code could be tied to a commit (<see cref="GitRecord.State"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GitState>))]
public enum GitState
{
    /// <summary>The project is inside a git working tree with a commit.</summary>
    [JsonStringEnumMemberName("repository")]
    Repository,

    /// <summary>The project is inside a repository whose HEAD has no commit yet.</summary>
    [JsonStringEnumMemberName("no-commits")]
    NoCommits,

    /// <summary>The project is outside any git working tree.</summary>
    [JsonStringEnumMemberName("not-a-repository")]
    NotARepository,
}
