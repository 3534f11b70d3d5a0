using System.Globalization;

namespace Repro.Sdk.Parameters;

/// <summary>
/// The run's resolved parameters, name to the string passed on the command line (or the MLproject default),
/// with typed accessors that parse in the invariant culture. A missing or malformed parameter raises
/// <see cref="ReproSdkException"/> naming it.
/// </summary>
public sealed class RunParameters
{
    private readonly Dictionary<string, string> _values;
    private readonly string _source;
    private readonly string _baseDirectory;

    internal RunParameters(IReadOnlyDictionary<string, string> values, string source, string baseDirectory)
    {
        _values = new Dictionary<string, string>(values, StringComparer.Ordinal);
        _source = source;
        _baseDirectory = baseDirectory;
    }

    /// <summary>Every parameter, name to value as passed.</summary>
    public IReadOnlyDictionary<string, string> All => _values;

    /// <summary>Whether the parameter was passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <returns>True when present.</returns>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The parameter's value as passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <returns>The value.</returns>
    public string GetString(string name) => Require(name);

    /// <summary>The parameter's value as passed, or <paramref name="defaultValue"/> when it was not passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The value.</returns>
    public string GetString(string name, string defaultValue) => _values.GetValueOrDefault(name, defaultValue);

    /// <summary>The parameter as a 32-bit integer (invariant culture, optional sign).</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <returns>The value.</returns>
    public int GetInt32(string name) => ParseInt32(name, Require(name));

    /// <summary>The parameter as a 32-bit integer, or <paramref name="defaultValue"/> when it was not passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The value.</returns>
    public int GetInt32(string name, int defaultValue) =>
        _values.TryGetValue(name, out var text) ? ParseInt32(name, text) : defaultValue;

    /// <summary>The parameter as a 64-bit integer (invariant culture, optional sign).</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <returns>The value.</returns>
    public long GetInt64(string name) => ParseInt64(name, Require(name));

    /// <summary>The parameter as a 64-bit integer, or <paramref name="defaultValue"/> when it was not passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The value.</returns>
    public long GetInt64(string name, long defaultValue) =>
        _values.TryGetValue(name, out var text) ? ParseInt64(name, text) : defaultValue;

    /// <summary>The parameter as a double: invariant culture, <c>.</c> as decimal point, exponent allowed, no thousands separators.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string name) => ParseDouble(name, Require(name));

    /// <summary>The parameter as a double, or <paramref name="defaultValue"/> when it was not passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The value.</returns>
    public double GetDouble(string name, double defaultValue) =>
        _values.TryGetValue(name, out var text) ? ParseDouble(name, text) : defaultValue;

    /// <summary>The parameter as a boolean: <c>true</c>/<c>false</c> in any case, or <c>1</c>/<c>0</c>.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <returns>The value.</returns>
    public bool GetBoolean(string name) => ParseBoolean(name, Require(name));

    /// <summary>The parameter as a boolean, or <paramref name="defaultValue"/> when it was not passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The value.</returns>
    public bool GetBoolean(string name, bool defaultValue) =>
        _values.TryGetValue(name, out var text) ? ParseBoolean(name, text) : defaultValue;

    /// <summary>
    /// The parameter as an absolute path: a relative value is resolved against the working directory the run
    /// context was created in (the project directory under <c>repro run</c>).
    /// </summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <returns>The absolute path.</returns>
    public string GetPath(string name) => ResolvePath(name, Require(name));

    /// <summary>The parameter as an absolute path, or <paramref name="defaultValue"/> resolved the same way when it was not passed.</summary>
    /// <param name="name">Parameter name, case-sensitive.</param>
    /// <param name="defaultValue">Value when absent.</param>
    /// <returns>The absolute path.</returns>
    public string GetPath(string name, string defaultValue) =>
        ResolvePath(name, _values.GetValueOrDefault(name, defaultValue));

    private string Require(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        var known = _values.Count == 0 ? "none" : string.Join(", ", _values.Keys.Order(StringComparer.Ordinal));
        throw new ReproSdkException($"Parameter '{name}' was not passed to this run ({_source}; parameters: {known}).");
    }

    private int ParseInt32(string name, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(name, text, "a 32-bit integer");

    private long ParseInt64(string name, string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(name, text, "a 64-bit integer");

    private double ParseDouble(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Malformed(name, text, "a number");

    private bool ParseBoolean(string name, string text) => text.Trim() switch
    {
        var t when t.Equals("true", StringComparison.OrdinalIgnoreCase) || t == "1" => true,
        var t when t.Equals("false", StringComparison.OrdinalIgnoreCase) || t == "0" => false,
        _ => throw Malformed(name, text, "a boolean (true, false, 1 or 0)"),
    };

    private string ResolvePath(string name, string text) =>
        string.IsNullOrWhiteSpace(text)
            ? throw Malformed(name, text, "a path")
            : Path.GetFullPath(text, _baseDirectory);

    private ReproSdkException Malformed(string name, string text, string expected) =>
        new($"Parameter '{name}' is '{text}', not {expected} ({_source}).");
}
