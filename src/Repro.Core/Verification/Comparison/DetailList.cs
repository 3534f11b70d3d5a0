using System.Globalization;

namespace Repro.Core.Verification.Comparison;

/// <summary>
/// Detail lines with a cap, so a file where every line differs yields a readable report rather than a copy of itself.
/// </summary>
internal sealed class DetailList
{
    private readonly List<string> _lines = [];
    private readonly int _limit;
    private int _omitted;

    public DetailList(int limit = FileComparer.MaxDetails)
    {
        _limit = limit;
    }

    public int Count => _lines.Count + _omitted;

    public void Add(string line)
    {
        if (_lines.Count < _limit)
        {
            _lines.Add(line);
        }
        else
        {
            _omitted++;
        }
    }

    public IReadOnlyList<string> ToList() =>
        _omitted == 0
            ? _lines.ToArray()
            : [.. _lines, string.Create(CultureInfo.InvariantCulture, $"... and {_omitted} more")];
}
