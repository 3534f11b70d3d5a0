using System.Collections;

namespace Repro.Core.Environments.Python;

/// <summary>
/// The environment venv and pip run with: the caller's, so <c>PIP_INDEX_URL</c>, <c>PIP_FIND_LINKS</c>,
/// <c>PIP_NO_INDEX</c>, <c>PIP_CONFIG_FILE</c> and pip.conf (found through <c>HOME</c>/<c>XDG_CONFIG_HOME</c>) apply as in
/// the user's shell, minus what would make pip install somewhere else than the environment being built.
/// </summary>
internal static class PythonToolEnvironment
{
    // PYTHONHOME/PYTHONPATH point the interpreter at other packages; VIRTUAL_ENV and the PIP_* below send the install
    // to the user site or another prefix.
    private static readonly string[] Removed =
    [
        "PYTHONHOME", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONUSERBASE", "VIRTUAL_ENV", "__PYVENV_LAUNCHER__",
        "PIP_USER", "PIP_TARGET", "PIP_PREFIX", "PIP_ROOT", "PIP_REQUIRE_VIRTUALENV",
    ];

    /// <summary>The variables of this process.</summary>
    public static Dictionary<string, string> ProcessVariables()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && entry.Value is string value)
            {
                variables[name] = value;
            }
        }

        return variables;
    }

    /// <summary>The variables a Python tool gets, from the caller's <paramref name="variables"/>.</summary>
    public static Dictionary<string, string> For(IReadOnlyDictionary<string, string> variables)
    {
        var result = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        foreach (var name in Removed)
        {
            result.Remove(name);
        }

        // Output is parsed (pip list --format=json) and shown; it must be UTF-8 and free of prompts and nags.
        result["PYTHONUTF8"] = "1";
        result["PYTHONIOENCODING"] = "utf-8";
        result["PIP_DISABLE_PIP_VERSION_CHECK"] = "1";
        result["PIP_NO_INPUT"] = "1";
        return result;
    }
}
