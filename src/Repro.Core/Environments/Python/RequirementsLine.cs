using System.Text;
using System.Text.RegularExpressions;
using Repro.Core.Errors;

namespace Repro.Core.Environments.Python;

/// <summary>
/// What one logical line of a pip requirements file means for building an environment: the file it includes
/// (<c>-r</c>, <c>-c</c>), whether it pins hashes, whether it installs from a local path. Everything else on the line
/// is pip's business and left alone.
/// </summary>
/// <param name="IncludedFile">The file named by <c>-r</c>/<c>--requirement</c> or <c>-c</c>/<c>--constraint</c>, as written; null otherwise.</param>
/// <param name="IsConstraint">Whether <see cref="IncludedFile"/> is a constraints file (<c>-c</c>).</param>
/// <param name="HasHash">Whether the line carries <c>--hash</c>.</param>
/// <param name="InstallsLocalPath">Whether it installs a local folder or file.</param>
internal sealed partial record RequirementsLine(string? IncludedFile, bool IsConstraint, bool HasHash, bool InstallsLocalPath)
{
    private static readonly RequirementsLine Nothing = new(null, false, false, false);

    private static readonly string[] IncludeOptions = ["-r", "--requirement", "-c", "--constraint"];
    private static readonly string[] EditableOptions = ["-e", "--editable"];
    private static readonly string[] VersionControlPrefixes = ["git+", "hg+", "svn+", "bzr+"];

    /// <summary>Reads one logical line (continuations already joined).</summary>
    public static RequirementsLine Parse(string line)
    {
        var text = Comment().Replace(line, string.Empty).Trim();
        if (text.Length == 0)
        {
            return Nothing;
        }

        var tokens = Split(text);
        var first = tokens[0];
        foreach (var option in IncludeOptions)
        {
            if (OptionValue(tokens, option) is { } file)
            {
                return new RequirementsLine(file, option is "-c" or "--constraint", false, false);
            }
        }

        foreach (var option in EditableOptions)
        {
            if (OptionValue(tokens, option) is { } target)
            {
                var versionControlled = VersionControlPrefixes.Any(prefix => target.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
                return new RequirementsLine(null, false, false, !versionControlled && IsLocal(target));
            }
        }

        if (first.StartsWith('-'))
        {
            // --index-url, --find-links, --pre and the like: options for pip, no package.
            return Nothing;
        }

        var hasHash = tokens.Any(token => token.StartsWith("--hash", StringComparison.Ordinal));
        var local = IsLocal(first) || text.Contains("file:", StringComparison.OrdinalIgnoreCase);
        return new RequirementsLine(null, false, hasHash, local);
    }

    /// <summary>Splits a requirements file into logical lines, joining lines that end in a backslash, each located at its first line.</summary>
    /// <param name="content">The file's text.</param>
    /// <param name="displayName">The file as named in locations.</param>
    public static List<(string Text, SourceLocation Location)> ReadFile(string content, string displayName)
    {
        var lines = new List<(string, SourceLocation)>();
        var physical = content.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var current = new StringBuilder();
        var start = 0;
        for (var index = 0; index < physical.Length; index++)
        {
            var line = physical[index];
            if (current.Length == 0)
            {
                start = index;
            }

            if (line.EndsWith('\\') && !Comment().IsMatch(line))
            {
                current.Append(line, 0, line.Length - 1);
                continue;
            }

            current.Append(line);
            lines.Add((current.ToString(), new SourceLocation(displayName, start + 1, 1)));
            current.Clear();
        }

        if (current.Length > 0)
        {
            lines.Add((current.ToString(), new SourceLocation(displayName, start + 1, 1)));
        }

        return lines;
    }

    // "-r file", "-rfile", "--requirement file", "--requirement=file" as the line's first word.
    private static string? OptionValue(List<string> tokens, string option)
    {
        var first = tokens[0];
        if (first == option)
        {
            return tokens.Count > 1 ? tokens[1] : null;
        }

        if (option.StartsWith("--", StringComparison.Ordinal))
        {
            return first.StartsWith(option + "=", StringComparison.Ordinal) ? first[(option.Length + 1)..] : null;
        }

        return first.StartsWith(option, StringComparison.Ordinal) && first.Length > option.Length ? first[option.Length..] : null;
    }

    private static bool IsLocal(string target) =>
        target.StartsWith('.') || target.StartsWith('/') || target.StartsWith('~')
        || target.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
        || ((target.Contains('/', StringComparison.Ordinal) || target.Contains('\\', StringComparison.Ordinal)) && !target.Contains("://", StringComparison.Ordinal));

    // pip splits option words as a POSIX shell would; quotes matter for paths with spaces.
    private static List<string> Split(string text)
    {
        var tokens = new List<string>();
        var token = new StringBuilder();
        var inToken = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    token.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                {
                    tokens.Add(token.ToString());
                    token.Clear();
                    inToken = false;
                }
            }
            else
            {
                token.Append(c);
                inToken = true;
            }
        }

        if (inToken)
        {
            tokens.Add(token.ToString());
        }

        return tokens;
    }

    // pip's COMMENT_RE: a '#' at the start or after whitespace begins a comment.
    [GeneratedRegex(@"(^|\s+)#.*$", RegexOptions.CultureInvariant)]
    private static partial Regex Comment();
}
