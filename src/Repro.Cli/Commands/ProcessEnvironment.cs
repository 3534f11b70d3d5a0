using System.Collections;

namespace Repro.Cli.Commands;

/// <summary>repro's own environment as a dictionary, which Core filters before recording anything.</summary>
internal static class ProcessEnvironment
{
    public static Dictionary<string, string> Variables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                variables[name] = value;
            }
        }

        return variables;
    }
}
