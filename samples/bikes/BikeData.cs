using System.Globalization;

namespace Bikes;

/// <summary>Reads <c>hour.csv</c> and splits it by time.</summary>
public static class BikeData
{
    /// <summary>The header <c>hour.csv</c> must have, in this order.</summary>
    public static readonly string[] Header =
    [
        "instant", "dteday", "season", "yr", "mnth", "hr", "holiday", "weekday", "workingday", "weathersit",
        "temp", "atemp", "hum", "windspeed", "casual", "registered", "cnt",
    ];

    /// <summary>The date format of <c>dteday</c> and of split dates in a configuration.</summary>
    public const string DateFormat = "yyyy-MM-dd";

    /// <summary>Every row of the file, in file order.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="displayPath">How errors name the file.</param>
    /// <returns>The rows.</returns>
    /// <exception cref="InvalidDataException">The header or a row is malformed; the message names the line.</exception>
    public static List<BikeHour> Load(string path, string displayPath)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{displayPath}: no such data file.", path);
        }

        var rows = new List<BikeHour>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            var fields = line.Split(',');
            if (lineNumber == 1)
            {
                if (!fields.SequenceEqual(Header, StringComparer.Ordinal))
                {
                    throw new InvalidDataException($"{displayPath}:1: the header is not the bike-sharing header '{string.Join(',', Header)}'.");
                }

                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            rows.Add(Parse(fields, displayPath, lineNumber));
        }

        return rows.Count > 0 ? rows : throw new InvalidDataException($"{displayPath}: no rows after the header.");
    }

    /// <summary>Splits rows by date: before <paramref name="testFrom"/> for training, from it on for testing. File order is kept.</summary>
    /// <param name="rows">All rows.</param>
    /// <param name="testFrom">The first day of the test period.</param>
    /// <returns>The training and test rows.</returns>
    public static (List<BikeHour> Train, List<BikeHour> Test) SplitByDate(IEnumerable<BikeHour> rows, DateOnly testFrom)
    {
        var train = new List<BikeHour>();
        var test = new List<BikeHour>();
        foreach (var row in rows)
        {
            (ParseDate(row.Date) < testFrom ? train : test).Add(row);
        }

        return (train, test);
    }

    /// <summary>Parses a <c>yyyy-MM-dd</c> date.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The date.</returns>
    /// <exception cref="FormatException">Not a <c>yyyy-MM-dd</c> date.</exception>
    public static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, DateFormat, CultureInfo.InvariantCulture);

    private static BikeHour Parse(string[] fields, string displayPath, int lineNumber)
    {
        if (fields.Length != Header.Length)
        {
            throw new InvalidDataException($"{displayPath}:{lineNumber}: {fields.Length} fields; expected {Header.Length}.");
        }

        float Number(int column) =>
            float.TryParse(fields[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && float.IsFinite(value)
                ? value
                : throw new InvalidDataException($"{displayPath}:{lineNumber}: {Header[column]} is '{fields[column]}', not a number.");

        if (!DateOnly.TryParseExact(fields[1], DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new InvalidDataException($"{displayPath}:{lineNumber}: dteday is '{fields[1]}', not a {DateFormat} date.");
        }

        return new BikeHour
        {
            Date = fields[1],
            Season = Number(2),
            Year = Number(3),
            Month = Number(4),
            Hour = Number(5),
            Holiday = Number(6),
            Weekday = Number(7),
            WorkingDay = Number(8),
            Weather = Number(9),
            Temperature = Number(10),
            FeelsLike = Number(11),
            Humidity = Number(12),
            WindSpeed = Number(13),
            Count = Number(16),
        };
    }
}
