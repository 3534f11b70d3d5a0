using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>Where a parameter's value came from (<see cref="ParameterRecord.Source"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ParameterSource>))]
public enum ParameterSource
{
    /// <summary>Given with <c>-P</c> for a declared parameter.</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>The declared default.</summary>
    [JsonStringEnumMemberName("default")]
    Default,

    /// <summary>Given with <c>-P</c> but not declared: appended to the command as <c>--KEY VALUE</c>.</summary>
    [JsonStringEnumMemberName("extra")]
    Extra,
}
