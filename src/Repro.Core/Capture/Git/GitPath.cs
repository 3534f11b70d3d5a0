using System.Text;

namespace Repro.Core.Capture.Git;

/// <summary>Path quoting as git writes it in patch headers (with <c>core.quotePath</c> off).</summary>
internal static class GitPath
{
    /// <summary>
    /// Returns the path as is, or in double quotes with C escapes when it holds a control character, a quote or a
    /// backslash, which a patch header cannot carry raw.
    /// </summary>
    public static string Quote(string path)
    {
        if (!path.Any(NeedsEscape))
        {
            return path;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in path)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\a': quoted.Append("\\a"); break;
                case '\b': quoted.Append("\\b"); break;
                case '\t': quoted.Append("\\t"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\v': quoted.Append("\\v"); break;
                case '\f': quoted.Append("\\f"); break;
                case '\r': quoted.Append("\\r"); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                    {
                        quoted.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0'));
                    }
                    else
                    {
                        quoted.Append(c);
                    }

                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    private static bool NeedsEscape(char c) => c < 0x20 || c == 0x7f || c == '"' || c == '\\';
}
