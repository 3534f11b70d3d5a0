using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>Where a run's seed came from (<see cref="SeedRecord.Source"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeedSource>))]
public enum SeedSource
{
    /// <summary>Given with <c>--seed</c>.</summary>
    [JsonStringEnumMemberName("cli")]
    Cli,

    /// <summary>The MLproject file's top-level <c>seed:</c>.</summary>
    [JsonStringEnumMemberName("mlproject")]
    MLproject,

    /// <summary>Drawn by repro from the operating system's random source.</summary>
    [JsonStringEnumMemberName("random")]
    Random,
}
