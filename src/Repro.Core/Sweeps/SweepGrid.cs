using System.Text;
using Repro.Core.Errors;
using Repro.Core.Runs;

namespace Repro.Core.Sweeps;

/// <summary>
/// The <c>--grid K=V1,V2,…</c> options of <c>repro sweep</c> and the cartesian product they span. A comma separates
/// values; <c>\,</c> is a comma inside a value and <c>\\</c> a backslash (docs/scale-out.md). Pure.
/// </summary>
public static class SweepGrid
{
    /// <summary>Reads one <c>--grid</c> value.</summary>
    /// <exception cref="InputException">No <c>=</c>, no name, a dangling or unknown escape.</exception>
    public static SweepAxis Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new InputException($"--grid '{text}': expected NAME=VALUE1,VALUE2,… (a comma inside a value is written \\,)");
        }

        var name = text[..equals];
        var values = new List<string>();
        var current = new StringBuilder();
        var rest = text[(equals + 1)..];
        for (var index = 0; index < rest.Length; index++)
        {
            var c = rest[index];
            if (c == '\\')
            {
                if (index + 1 >= rest.Length || rest[index + 1] is not (',' or '\\'))
                {
                    throw new InputException($"--grid {name}: a backslash must be followed by ',' (a comma inside a value) or '\\' (a backslash), at character {equals + 2 + index}");
                }

                current.Append(rest[++index]);
            }
            else if (c == ',')
            {
                values.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        values.Add(current.ToString());
        return new SweepAxis(name, values);
    }

    /// <summary>Checks the axes together: no parameter twice, none also given with <c>-P</c>.</summary>
    /// <exception cref="InputException">A repeated or fixed parameter.</exception>
    public static void Check(IReadOnlyList<SweepAxis> axes, IEnumerable<string> fixedNames)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var fixedSet = fixedNames.ToHashSet(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var axis in axes)
        {
            if (!seen.Add(axis.Name))
            {
                throw new InputException($"--grid {axis.Name} is given twice: give all its values in one --grid");
            }

            if (fixedSet.Contains(axis.Name))
            {
                throw new InputException($"--grid {axis.Name}: the parameter is also given with -P; give it in one place");
            }
        }

        if (axes.Count == 0)
        {
            throw new InputException("repro sweep needs at least one --grid NAME=VALUE1,VALUE2,…");
        }
    }

    /// <summary>Every combination, the first axis slowest (as nested loops in the order given).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Points(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        IEnumerable<List<KeyValuePair<string, string>>> points = [[]];
        foreach (var axis in axes)
        {
            points = points.SelectMany(point => axis.Values.Select(value => new List<KeyValuePair<string, string>>(point) { KeyValuePair.Create(axis.Name, value) })).ToList();
        }

        return points.Select(point => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(point, StringComparer.Ordinal)).ToList();
    }
}
