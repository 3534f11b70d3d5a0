using Bikes;

namespace TorchSample;

/// <summary>
/// Turns an hour into the MLP's inputs: the calendar codes one-hot encoded (an MLP would otherwise read hour 23 as
/// 23 times hour 1), then the flags and the weather fields, which the dataset already scales to about [0, 1].
/// </summary>
public static class Features
{
    private static readonly (Func<BikeHour, float> Code, int First, int Count)[] OneHot =
    [
        (r => r.Hour, 0, 24),
        (r => r.Weekday, 0, 7),
        (r => r.Month, 1, 12),
        (r => r.Season, 1, 4),
        (r => r.Weather, 1, 4),
    ];

    private static readonly Func<BikeHour, float>[] Plain =
    [
        r => r.Year, r => r.Holiday, r => r.WorkingDay, r => r.Temperature, r => r.FeelsLike, r => r.Humidity, r => r.WindSpeed,
    ];

    /// <summary>Inputs per hour.</summary>
    public static int Count { get; } = OneHot.Sum(o => o.Count) + Plain.Length;

    /// <summary>The inputs of <paramref name="rows"/>, row after row: <c>rows.Count × Count</c> values.</summary>
    /// <param name="rows">The hours.</param>
    /// <returns>The flat matrix.</returns>
    /// <exception cref="InvalidDataException">A calendar code is out of its range.</exception>
    public static float[] Encode(IReadOnlyList<BikeHour> rows)
    {
        var values = new float[rows.Count * Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var offset = i * Count;
            foreach (var (code, first, count) in OneHot)
            {
                var index = (int)code(rows[i]) - first;
                if (index < 0 || index >= count)
                {
                    throw new InvalidDataException($"{rows[i].Date}: a calendar code {code(rows[i])} is outside {first}..{first + count - 1}.");
                }

                values[offset + index] = 1;
                offset += count;
            }

            foreach (var plain in Plain)
            {
                values[offset++] = plain(rows[i]);
            }
        }

        return values;
    }
}
