using System.Text.RegularExpressions;
using Repro.Core.Errors;
using Repro.Core.Projects.Python;
using Repro.Core.Runs;

namespace Repro.Core.Projects;

/// <summary>Checks a parameter value against its declared type and turns it into what the command receives.</summary>
internal static partial class ParameterValues
{
    /// <summary>The type words repro knows.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = [.. ParameterType.KnownTypes.Select(type => type.Word)];

    /// <summary>Whether repro knows the type word; any other word acts as <c>string</c>.</summary>
    public static bool IsKnownType(string type) => new ParameterType(type).IsKnown;

    /// <summary>
    /// What an <c>int</c> or <c>float</c> value fails to be (<c>"a number"</c>, <c>"an integer"</c>), or null when it fits
    /// or the type is not checked. MLflow checks neither type; repro checks values given with <c>-P</c>.
    /// </summary>
    public static string? NumberProblem(string type, string value) => type switch
    {
        "float" when !FloatNumber().IsMatch(value) => "a number",
        "int" when !Integer().IsMatch(value) => "an integer",
        _ => null,
    };

    /// <summary>The value the command receives: unchanged, except that a <c>path</c> becomes an absolute path.</summary>
    /// <param name="name">Parameter name, for messages.</param>
    /// <param name="type">Declared type word.</param>
    /// <param name="value">The value given with <c>-P</c>, or the default.</param>
    /// <param name="projectDirectory">Absolute project directory, against which relative paths resolve.</param>
    /// <param name="checkNumbers">Whether <c>int</c> and <c>float</c> values are checked (they are for <c>-P</c> values).</param>
    /// <exception cref="InputException">The value does not fit the type.</exception>
    public static string Resolve(string name, string type, string value, string projectDirectory, bool checkNumbers = true)
    {
        if (checkNumbers && NumberProblem(type, value) is { } problem)
        {
            throw Invalid(name, type, value, "must be " + problem);
        }

        return type switch
        {
            // Parameter._compute_uri_value: mlflow.utils.data_utils.is_uri, a scheme by urllib.parse.urlparse.
            "uri" => PythonPaths.UrlSplit(value).Scheme.Length > 0 ? value : throw Invalid(name, type, value, "must be a URI with a scheme (such as s3://bucket/key or file:///data)"),
            "path" => ResolvePath(name, value, projectDirectory),
            _ => value,
        };
    }

    /// <summary>
    /// A <c>path</c> value as MLflow resolves it (mlflow/projects/_project_spec.py, <c>_compute_path_value</c>, and
    /// mlflow/utils/file_utils.py, <c>get_local_path_or_none</c> and <c>local_file_uri_to_path</c>): a value without a
    /// scheme, or a <c>file:</c> URI without a host, is local; a <c>file:</c> URI gives its path part; the result is
    /// percent-decoded (<c>url2pathname</c>), must exist, and becomes absolute and normalised (<c>os.path.abspath</c>).
    /// repro resolves a relative path against the project directory where MLflow uses its current directory, takes
    /// <c>file://localhost/…</c> as local, and refuses remote URIs, which MLflow downloads.
    /// </summary>
    private static string ResolvePath(string name, string value, string projectDirectory)
    {
        var (scheme, netloc, path) = PythonPaths.UrlSplit(value);
        var isLocal = scheme.Length == 0 || (scheme == "file" && netloc is "" or "localhost");
        if (!isLocal)
        {
            throw Invalid(name, "path", value, "must be a local path or a file: URI (repro does not download remote data; MLflow would)");
        }

        var local = PythonPaths.Unquote(value.StartsWith("file:", StringComparison.Ordinal) ? path : value);
        var absolute = PythonPaths.AbsPath(local, projectDirectory);
        return local.Length > 0 && (File.Exists(absolute) || Directory.Exists(absolute))
            ? absolute
            : throw Invalid(name, "path", value, $"does not exist (looked for {absolute})");
    }

    private static InputException Invalid(string name, string type, string value, string requirement) =>
        new($"parameter '{name}' ({type}) {requirement}; got '{value}'");

    // What Python's float() accepts, less underscores and surrounding spaces.
    [GeneratedRegex("^[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FloatNumber();

    [GeneratedRegex("^[+-]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();
}
