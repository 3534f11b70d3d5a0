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

    /// <summary>Whether further lines are only counted.</summary>
    public bool IsFull => _lines.Count >= _limit;

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

    /// <summary>Adds a line formatted only when it will be kept: a file where a million cells differ formats fifty.</summary>
    public void Add(Func<string> format)
    {
        if (IsFull)
        {
            _omitted++;
        }
        else
        {
            _lines.Add(format());
        }
    }

    public IReadOnlyList<string> ToList() =>
        _omitted == 0
            ? _lines.ToArray()
            : [.. _lines, string.Create(CultureInfo.InvariantCulture, $"... and {_omitted} more")];
}
