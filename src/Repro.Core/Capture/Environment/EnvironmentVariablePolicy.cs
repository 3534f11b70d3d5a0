using System.Text.RegularExpressions;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// Decides which environment variables a run may record. Only variables that can change numerical results
/// or which hardware is used are allowed; a name that looks like a secret, or a value shaped like a credential
/// (<see cref="SecretPatterns"/>), is withheld even when allowed, and credentials embedded in URLs are removed from
/// allowed values. Everything else in the environment is never written.
/// </summary>
public static partial class EnvironmentVariablePolicy
{
    /// <summary>Name prefixes that are allowed. Each family configures numerics, threading or device selection.</summary>
    /// <remarks>
    /// Beyond the required families, <c>PYTORCH_</c> (allocator and MPS fallback), <c>NCCL_</c> (reduction algorithm
    /// and protocol change summation order), <c>KMP_</c> (Intel OpenMP threading), <c>XLA_</c> and <c>JAX_</c>
    /// (deterministic ops, x64 mode, matmul precision), <c>ONEDNN_</c>/<c>DNNL_</c> (maximum CPU ISA and floating-point
    /// math mode) and <c>COMPlus_</c> (the older spelling of <c>DOTNET_</c> runtime switches such as
    /// <c>EnableAVX</c>) are allowed because each changes results or hardware use. <c>HF_*</c> is deliberately absent:
    /// it chooses caches and endpoints, not arithmetic, and commonly carries tokens.
    /// </remarks>
    private static readonly string[] AllowedPrefixes =
    [
        "CUDA_", "CUBLAS_", "CUDNN_", "NVIDIA_", "NCCL_",
        "OMP_", "KMP_", "MKL_", "OPENBLAS_", "ONEDNN_", "DNNL_",
        "TF_", "TORCH_", "PYTORCH_", "XLA_", "JAX_",
        "DOTNET_", "COMPlus_",
        "LC_",
    ];

    /// <summary>
    /// Prefixes inside the allow-list that belong to other tools. Terraform shares <c>TF_</c> with TensorFlow, and its
    /// <c>TF_VAR_*</c> inputs routinely hold credentials under arbitrary names.
    /// </summary>
    private static readonly string[] DeniedPrefixes =
    [
        "TF_VAR_", "TF_CLI_", "TF_LOG", "TF_TOKEN_", "TF_WORKSPACE", "TF_DATA_DIR", "TF_IN_AUTOMATION", "TF_INPUT",
        "TF_REGISTRY_", "TF_PLUGIN_", "TF_IGNORE", "TF_STATE_",
    ];

    /// <summary>Exact names that are allowed.</summary>
    private static readonly string[] AllowedNames =
    [
        "PYTHONHASHSEED", "SOURCE_DATE_EPOCH", "LANG", "TZ",
        "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS", "NUMEXPR_MAX_THREADS",
    ];

    /// <summary>Fragments that mark a name as a likely secret, compared case-insensitively.</summary>
    private static readonly string[] SecretFragments =
    [
        "TOKEN", "SECRET", "PASSWORD", "PASSWD", "KEY", "CREDENTIAL", "AUTH", "COOKIE", "SESSION", "PRIVATE",
    ];

    /// <summary>
    /// Whether <paramref name="name"/> belongs to the allow-list (Terraform's <c>TF_VAR_*</c>, <c>TF_CLI_*</c> and
    /// similar are not). Matching ignores case because Windows treats variable names that way. An allowed name may still be withheld: see <see cref="IsRecordable"/>.
    /// </summary>
    /// <param name="name">The variable name.</param>
    /// <returns>True when the variable can change results or hardware use.</returns>
    public static bool IsAllowed(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (DeniedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        foreach (var prefix in AllowedPrefixes)
        {
            if (name.Length > prefix.Length && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var allowed in AllowedNames)
        {
            if (string.Equals(name, allowed, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether <paramref name="name"/> contains, ignoring case, TOKEN, SECRET, PASSWORD, PASSWD, KEY, CREDENTIAL, AUTH,
    /// COOKIE, SESSION or PRIVATE. Such a variable's value is never recorded.
    /// </summary>
    /// <param name="name">The variable name.</param>
    /// <returns>True when the name looks like it holds a secret.</returns>
    public static bool IsSecretLooking(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var fragment in SecretFragments)
        {
            if (name.Contains(fragment, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the value of <paramref name="name"/> may be recorded: allowed and not secret-looking.</summary>
    /// <param name="name">The variable name.</param>
    /// <returns>True when the value may be written, after <see cref="Sanitize"/>.</returns>
    public static bool IsRecordable(string name) => IsAllowed(name) && !IsSecretLooking(name);

    /// <summary>
    /// Removes the user information from every URL in <paramref name="value"/>, so
    /// <c>https://user:pass@host/x</c> becomes <c>https://host/x</c>. Apply it to every value that is recorded.
    /// </summary>
    /// <param name="value">An allowed variable's value.</param>
    /// <returns>The value without URL credentials.</returns>
    public static string Sanitize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return UrlUserInfo().Replace(value, "${scheme}");
    }

    /// <summary>
    /// Splits <paramref name="variables"/> into what may be recorded (sanitized, sorted by name) and the names of
    /// allowed variables withheld because their name or their value looks like a secret (sorted). Variables outside the
    /// allow-list appear in neither.
    /// </summary>
    /// <param name="variables">The environment to filter.</param>
    /// <returns>The recordable variables and the withheld names.</returns>
    public static FilteredVariables Filter(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var recorded = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var withheld = new List<string>();
        foreach (var (name, value) in variables)
        {
            if (!IsAllowed(name))
            {
                continue;
            }

            if (IsSecretLooking(name) || SecretPatterns.LooksLikeSecret(value))
            {
                withheld.Add(name);
            }
            else
            {
                recorded[name] = Sanitize(value);
            }
        }

        withheld.Sort(StringComparer.Ordinal);
        return new FilteredVariables(recorded, withheld);
    }

    // The authority ends at '/', '?', '#' or whitespace; the greedy run stops at its last '@', so an unescaped '@'
    // inside a password is removed too.
    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();
}

/// <summary>The outcome of <see cref="EnvironmentVariablePolicy.Filter"/>.</summary>
/// <param name="Recorded">Allowed, non-secret variables with sanitized values, sorted by name (ordinal).</param>
/// <param name="Withheld">Names of allowed variables withheld because they look like secrets, sorted (ordinal).</param>
public sealed record FilteredVariables(IReadOnlyDictionary<string, string> Recorded, IReadOnlyList<string> Withheld);
