namespace Repro.Core.Capture.Data;

/// <summary>One thing to fingerprint.</summary>
/// <param name="Spec">
/// For <c>inputs</c> and <c>outputs</c>: a file, a directory or a glob (<c>*</c>, <c>?</c>, <c>**</c>) relative to
/// the project, as declared. For a <c>path</c> parameter: its resolved value, which may point anywhere.
/// </param>
/// <param name="Origin"><c>inputs</c>, <c>outputs</c> or <c>parameter:NAME</c>.</param>
public sealed record DataSpec(string Spec, string Origin)
{
    /// <summary>The origin of entries from the entry point's <c>inputs:</c>.</summary>
    public const string Inputs = "inputs";

    /// <summary>The origin of entries from the entry point's <c>outputs:</c>.</summary>
    public const string Outputs = "outputs";

    private const string ParameterPrefix = "parameter:";

    /// <summary>A spec from the entry point's <c>inputs:</c>.</summary>
    public static DataSpec Input(string spec) => new(spec, Inputs);

    /// <summary>A spec from the entry point's <c>outputs:</c>.</summary>
    public static DataSpec Output(string spec) => new(spec, Outputs);

    /// <summary>The resolved value of the <c>path</c> parameter <paramref name="name"/>.</summary>
    public static DataSpec Parameter(string name, string value) => new(value, ParameterPrefix + name);

    /// <summary>The parameter name when this is a <c>path</c> parameter; otherwise null.</summary>
    public string? ParameterName => Origin.StartsWith(ParameterPrefix, StringComparison.Ordinal) ? Origin[ParameterPrefix.Length..] : null;

    /// <summary>How messages name this spec: <c>input 'data/*.csv'</c>, <c>output 'model.pt'</c>, <c>parameter data ('/mnt/x')</c>.</summary>
    public string Describe() => ParameterName is { } name
        ? $"parameter {name} ('{Spec}')"
        : $"{(Origin == Outputs ? "output" : "input")} '{Spec}'";
}
