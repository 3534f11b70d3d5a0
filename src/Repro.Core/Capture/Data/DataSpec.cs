using Repro.Core.Runs;

namespace Repro.Core.Capture.Data;

/// <summary>One thing to fingerprint.</summary>
/// <param name="Spec">
/// For <c>inputs</c> and <c>outputs</c>: a file, a directory or a glob (<c>*</c>, <c>?</c>, <c>**</c>) relative to
/// the project, as declared. For a <c>path</c> parameter: its resolved value, which may point anywhere.
/// </param>
/// <param name="Origin">Where it was declared.</param>
public sealed record DataSpec(string Spec, DataOrigin Origin)
{
    /// <summary>A spec from the entry point's <c>inputs:</c>.</summary>
    public static DataSpec Input(string spec) => new(spec, DataOrigin.Inputs);

    /// <summary>A spec from the entry point's <c>outputs:</c>.</summary>
    public static DataSpec Output(string spec) => new(spec, DataOrigin.Outputs);

    /// <summary>The resolved value of the <c>path</c> parameter <paramref name="name"/>.</summary>
    public static DataSpec Parameter(string name, string value) => new(value, DataOrigin.Parameter(name));

    /// <summary>
    /// Whether its files go into the object store (the default). False for an entry declared <c>store: false</c> in
    /// the MLproject (huge reference data): it is fingerprinted and recorded as not stored.
    /// </summary>
    public bool Store { get; init; } = true;

    /// <summary>The parameter name when this is a <c>path</c> parameter; otherwise null.</summary>
    public string? ParameterName => Origin.ParameterName;

    /// <summary>How messages name this spec: <c>input 'data/*.csv'</c>, <c>output 'model.pt'</c>, <c>parameter data ('/mnt/x')</c>.</summary>
    public string Describe() => ParameterName is { } name
        ? $"parameter {name} ('{Spec}')"
        : $"{(Origin.IsOutput ? "output" : "input")} '{Spec}'";
}
