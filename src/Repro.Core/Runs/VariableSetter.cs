using System.Text.Json.Serialization;

namespace Repro.Core.Runs;

/// <summary>Who set a determinism variable in the child's environment (<see cref="DeterminismVariable.SetBy"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VariableSetter>))]
public enum VariableSetter
{
    /// <summary>repro set it.</summary>
    [JsonStringEnumMemberName("repro")]
    Repro,

    /// <summary>It was already set in repro's environment, and repro left it alone.</summary>
    [JsonStringEnumMemberName("user")]
    User,

    /// <summary>The entry point's <c>env:</c> in the MLproject file set it, and repro left it alone.</summary>
    [JsonStringEnumMemberName("mlproject")]
    MLproject,
}
