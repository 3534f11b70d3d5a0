using System.Text;
using System.Text.RegularExpressions;

namespace Repro.Core.Capture.Environment;

/// <summary>Finds the Python interpreter a rendered command starts.</summary>
internal static partial class InterpreterCommand
{
    /// <summary>
    /// The first word of <paramref name="renderedCommand"/> after leading <c>NAME=value</c> assignments (and an
    /// optional <c>env</c> or <c>exec</c>), when its file name is <c>python</c>, <c>python3</c> or <c>python3.N</c>.
    /// </summary>
    /// <param name="renderedCommand">The command as bash will run it.</param>
    /// <returns>The word as written (a bare name or a path), or null when the command does not start Python directly.</returns>
    public static string? FindPython(string renderedCommand)
    {
        foreach (var word in LeadingWords(renderedCommand))
        {
            if (Assignment().IsMatch(word) || word is "env" or "exec")
            {
                continue;
            }

            var fileName = word.Replace('\\', '/').Split('/')[^1];
            if (fileName.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
            {
                fileName = fileName[..^4];
            }

            return PythonName().IsMatch(fileName) ? word : null;
        }

        return null;
    }

    /// <summary>
    /// Splits the start of a shell command into words, removing quotes and backslash escapes. It stops at the first
    /// shell operator, because whatever follows it is a different command.
    /// </summary>
    private static IEnumerable<string> LeadingWords(string command)
    {
        var word = new StringBuilder();
        var inWord = false;
        var i = 0;
        while (i < command.Length)
        {
            var c = command[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    yield return word.ToString();
                    word.Clear();
                    inWord = false;
                }

                i++;
            }
            else if (!inWord && c is ';' or '&' or '|' or '(' or ')' or '<' or '>')
            {
                yield break;
            }
            else if (c == '\'')
            {
                var end = command.IndexOf('\'', i + 1);
                if (end < 0)
                {
                    yield break;
                }

                word.Append(command, i + 1, end - i - 1);
                inWord = true;
                i = end + 1;
            }
            else if (c == '"')
            {
                i++;
                while (i < command.Length && command[i] != '"')
                {
                    if (command[i] == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    word.Append(command[i]);
                    i++;
                }

                if (i >= command.Length)
                {
                    yield break;
                }

                inWord = true;
                i++;
            }
            else if (c == '\\' && i + 1 < command.Length)
            {
                word.Append(command[i + 1]);
                inWord = true;
                i += 2;
            }
            else
            {
                word.Append(c);
                inWord = true;
                i++;
            }
        }

        if (inWord)
        {
            yield return word.ToString();
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=", RegexOptions.CultureInvariant)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^python(3(\.[0-9]+)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PythonName();
}
