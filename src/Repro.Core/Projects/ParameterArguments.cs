using System.Collections;
using System.Runtime.CompilerServices;
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
    public static GivenParameters Parse(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var pairs = new List<KeyValuePair<string, string>>();
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

            pairs.Add(new KeyValuePair<string, string>(token[..equals], token[(equals + 1)..]));
        }

        return GivenParameters.From(pairs);
    }
}

/// <summary>
/// Parameters given for a run, in the order given, each name once. Every way to make one goes through
/// <see cref="From"/>, which holds repro's one check for repeated names.
/// </summary>
[CollectionBuilder(typeof(GivenParameters), nameof(Create))]
public sealed class GivenParameters : IReadOnlyList<KeyValuePair<string, string>>
{
    private readonly OrderedDictionary<string, string> _values;

    private GivenParameters(OrderedDictionary<string, string> values)
    {
        _values = values;
    }

    /// <summary>No parameters.</summary>
    public static GivenParameters None { get; } = new(new OrderedDictionary<string, string>(StringComparer.Ordinal));

    /// <inheritdoc />
    public int Count => _values.Count;

    /// <inheritdoc />
    public KeyValuePair<string, string> this[int index] => _values.GetAt(index);

    /// <summary>Takes <paramref name="pairs"/> in order.</summary>
    /// <exception cref="InputException">A name is given more than once.</exception>
    public static GivenParameters From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var values = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            if (!values.TryAdd(key, value))
            {
                throw new InputException($"parameter '{key}' is given more than once with -P");
            }
        }

        return new GivenParameters(values);
    }

    /// <summary>Takes <paramref name="pairs"/> in order (what a collection expression calls).</summary>
    /// <exception cref="InputException">A name is given more than once.</exception>
    public static GivenParameters Create(ReadOnlySpan<KeyValuePair<string, string>> pairs) => From(pairs.ToArray());

    /// <summary>Whether a value was given for <paramref name="name"/>.</summary>
    public bool Contains(string name) => _values.ContainsKey(name);

    /// <summary>The value given for <paramref name="name"/>, if any.</summary>
    public bool TryGetValue(string name, out string value) => _values.TryGetValue(name, out value!);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
