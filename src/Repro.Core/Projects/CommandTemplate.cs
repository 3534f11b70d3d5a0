using System.Text;
using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>
/// Fills an entry point's command the way Python's <c>str.format(**params)</c> does for MLflow: <c>{name}</c> becomes the
/// parameter's quoted value and <c>{{</c>/<c>}}</c> become literal braces. Where Python would crash (an unknown name,
/// a stray brace) this raises an <see cref="InputException"/> at the command's location instead.
/// </summary>
internal static class CommandTemplate
{
    /// <summary>The command with every placeholder replaced.</summary>
    /// <param name="entryPoint">The entry point whose command this is.</param>
    /// <param name="quotedValues">Declared parameters by name, already shell-quoted.</param>
    public static string Fill(EntryPoint entryPoint, IReadOnlyDictionary<string, string> quotedValues)
    {
        var template = entryPoint.Command;
        var filled = new StringBuilder(template.Length);
        var index = 0;
        while (index < template.Length)
        {
            var c = template[index];
            var doubled = index + 1 < template.Length && template[index + 1] == c;
            if (c is '{' or '}' && doubled)
            {
                filled.Append(c);
                index += 2;
            }
            else if (c == '}')
            {
                throw Error(entryPoint, $"has a single '}}' at character {index + 1}; write '}}}}' for a literal brace");
            }
            else if (c == '{')
            {
                var close = FindClose(entryPoint, index);
                var name = template[(index + 1)..close];
                if (!quotedValues.TryGetValue(name, out var value))
                {
                    throw Error(entryPoint, $"uses {{{name}}}, which names no declared parameter of entry point '{entryPoint.Name}' ({Declared(entryPoint)})");
                }

                filled.Append(value);
                index = close + 1;
            }
            else
            {
                filled.Append(c);
                index++;
            }
        }

        return filled.ToString();
    }

    private static int FindClose(EntryPoint entryPoint, int open)
    {
        var template = entryPoint.Command;
        var close = template.IndexOf('}', open + 1);
        var nextOpen = template.IndexOf('{', open + 1);
        if (close < 0 || (nextOpen >= 0 && nextOpen < close))
        {
            throw Error(entryPoint, $"has a '{{' at character {open + 1} that is not closed by '}}'; write '{{{{' for a literal brace");
        }

        return close > open + 1
            ? close
            : throw Error(entryPoint, $"has an empty placeholder {{}} at character {open + 1}; name a parameter inside it or write '{{{{}}}}' for literal braces");
    }

    private static string Declared(EntryPoint entryPoint) =>
        entryPoint.Parameters.Count == 0 ? "it declares none" : "declared: " + string.Join(", ", entryPoint.Parameters.Select(parameter => parameter.Name));

    private static InputException Error(EntryPoint entryPoint, string message) => new(entryPoint.CommandLocation, "the command " + message);
}
