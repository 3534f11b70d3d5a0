using Repro.Core.Errors;

namespace Repro.Core.Projects;

/// <summary>Parses the values of repeated <c>-P KEY=VALUE</c> options.</summary>
public static class ParameterArguments
{
    /// <summary>
    /// Splits each token at its first <c>=</c>: the key (case-sensitive, non-empty) and the value (which may be empty or hold more <c>=</c>).
    /// </summary>
    /// <param name="tokens">The option values in the order given.</param>
    /// <returns>The pairs in the order given.</returns>
    /// <exception cref="InputException">A token has no <c>=</c>, an empty key, or repeats a key.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var pairs = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            var equals = token.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                throw new InputException($"-P '{token}' is not KEY=VALUE");
            }

            if (equals == 0)
            {
                throw new InputException($"-P '{token}' has an empty parameter name; write KEY=VALUE");
            }

            var key = token[..equals];
            if (!seen.Add(key))
            {
                throw new InputException($"parameter '{key}' is given more than once with -P");
            }

            pairs.Add(new KeyValuePair<string, string>(key, token[(equals + 1)..]));
        }

        return pairs;
    }
}
