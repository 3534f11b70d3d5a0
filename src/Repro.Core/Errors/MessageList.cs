namespace Repro.Core.Errors;

/// <summary>Lists inside one-line messages: the first few items, then how many more, so a message stays one readable line.</summary>
public static class MessageList
{
    /// <summary>How many items a message names before it only counts the rest.</summary>
    public const int DefaultShown = 10;

    /// <summary>The first <paramref name="shown"/> items joined with <paramref name="separator"/>, then "and N more".</summary>
    public static string Join(IEnumerable<string> items, int shown = DefaultShown, string separator = ", ")
    {
        ArgumentNullException.ThrowIfNull(items);
        var list = items as IReadOnlyCollection<string> ?? items.ToList();
        if (list.Count <= shown)
        {
            return string.Join(separator, list);
        }

        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{string.Join(separator, list.Take(shown))} and {list.Count - shown:N0} more");
    }
}
