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
                var field = template[(index + 1)..close];
                var name = FieldName(entryPoint, field, index);
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

    // The end of the replacement field opened at `open`, as Python's str.format finds it: braces nest inside a format
    // spec ({a:{b}}), and a '{' in the field name is an error.
    private static int FindClose(EntryPoint entryPoint, int open)
    {
        var template = entryPoint.Command;
        var depth = 1;
        var inSpec = false;
        for (var index = open + 1; index < template.Length; index++)
        {
            switch (template[index])
            {
                case ':' or '!' when depth == 1:
                    inSpec = true;
                    break;
                case '{' when !inSpec:
                    throw Error(entryPoint, $"has a '{{' at character {open + 1} that is not closed by '}}' before the next '{{'; write '{{{{' for a literal brace");
                case '{':
                    depth++;
                    break;
                case '}' when --depth == 0:
                    return index > open + 1
                        ? index
                        : throw Error(entryPoint, $"has an empty placeholder {{}} at character {open + 1}; name a parameter inside it or write '{{{{}}}}' for literal braces");
            }
        }

        throw Error(entryPoint, $"has a '{{' at character {open + 1} that is not closed by '}}'; write '{{{{' for a literal brace");
    }

    // Python would apply a conversion (!r), a format spec (:>10), an attribute (.x) or an index ([0]) to the quoted
    // value; repro fills plain {name} placeholders only and says exactly what it met.
    private static string FieldName(EntryPoint entryPoint, string field, int open)
    {
        var end = field.IndexOfAny(['!', ':', '.', '[']);
        if (end < 0)
        {
            return field;
        }

        var name = field[..end];
        if (name.Length == 0)
        {
            throw Error(entryPoint, $"uses {{{field}}} at character {open + 1}, a positional placeholder; MLflow passes parameters by name only, so name one: {{NAME{field}}}");
        }

        var what = field[end] switch
        {
            '!' => $"the conversion '{field[end..]}'",
            ':' => $"the format spec '{field[(end + 1)..]}'",
            '.' => $"the attribute access '{field[end..]}'",
            _ => $"the index '{field[end..]}'",
        };
        throw Error(entryPoint, $"uses {{{field}}} at character {open + 1}, which applies {what} to parameter '{name}'; repro fills only plain {{NAME}} placeholders (MLflow would apply it to the shell-quoted value, which is rarely what was meant): write {{{name}}}");
    }

    private static string Declared(EntryPoint entryPoint) =>
        entryPoint.Parameters.Count == 0 ? "it declares none" : "declared: " + string.Join(", ", entryPoint.Parameters.Select(parameter => parameter.Name));

    private static InputException Error(EntryPoint entryPoint, string message) => new(entryPoint.CommandLocation, "the command " + message);
}
