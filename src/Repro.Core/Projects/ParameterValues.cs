using System.Text.RegularExpressions;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Projects;

/// <summary>Checks a parameter value against its declared type and turns it into what the command receives.</summary>
internal static partial class ParameterValues
{
    /// <summary>Whether repro knows the type word; any other word acts as <c>string</c>.</summary>
    public static bool IsKnownType(string type) => new ParameterType(type).IsKnown;

    /// <summary>The value the command receives: unchanged, except that a <c>path</c> becomes an absolute path.</summary>
    /// <param name="name">Parameter name, for messages.</param>
    /// <param name="type">Declared type word.</param>
    /// <param name="value">The value given with <c>-P</c>, or the default.</param>
    /// <param name="projectDirectory">Absolute project directory, against which relative paths resolve.</param>
    /// <exception cref="InputException">The value does not fit the type.</exception>
    public static string Resolve(string name, string type, string value, string projectDirectory) => type switch
    {
        "float" => FloatNumber().IsMatch(value) ? value : throw Invalid(name, type, value, "must be a number"),
        "int" => Integer().IsMatch(value) ? value : throw Invalid(name, type, value, "must be an integer"),
        "uri" => UriScheme().IsMatch(value) ? value : throw Invalid(name, type, value, "must be a URI with a scheme (such as s3://bucket/key or file:///data)"),
        "path" => ResolvePath(name, value, projectDirectory),
        _ => value,
    };

    private static string ResolvePath(string name, string value, string projectDirectory)
    {
        if (value.Length == 0)
        {
            throw Invalid(name, "path", value, "must name a file or directory");
        }

        var local = value;
        if (!Path.IsPathRooted(value) && UrlWithAuthority().IsMatch(value))
        {
            // MLflow downloads remote URIs into a temporary folder; repro only records local data, so only file:// is accepted.
            local = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.IsFile && uri.IsLoopback
                ? uri.LocalPath
                : throw Invalid(name, "path", value, "must be a local path or a file:// URI");
        }

        var resolved = Path.GetFullPath(local, projectDirectory);
        return File.Exists(resolved) || Directory.Exists(resolved)
            ? resolved
            : throw Invalid(name, "path", value, $"does not exist (looked for {resolved})");
    }

    private static InputException Invalid(string name, string type, string value, string requirement) =>
        new($"parameter '{name}' ({type}) {requirement}; got '{value}'");

    // What Python's float() accepts, less underscores and surrounding spaces.
    [GeneratedRegex("^[+-]?(?:(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FloatNumber();

    [GeneratedRegex("^[+-]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Integer();

    // The scheme rule of Python's urllib.parse.urlparse, which MLflow's is_uri relies on.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex UriScheme();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*://", RegexOptions.CultureInvariant)]
    private static partial Regex UrlWithAuthority();
}
