namespace Bikes;

/// <summary>
/// One hour of the bike-sharing data as the models see it: calendar and weather fields, the date (kept to split by
/// time and to label predictions, never a feature) and the count to predict. <c>casual</c> and <c>registered</c> are
/// not read: they sum to the count.
/// </summary>
public sealed class BikeHour
{
    /// <summary>The day, <c>yyyy-MM-dd</c>.</summary>
    public string Date { get; set; } = "";

    /// <summary>1 winter, 2 spring, 3 summer, 4 fall.</summary>
    public float Season { get; set; }

    /// <summary>0 for 2011, 1 for 2012.</summary>
    public float Year { get; set; }

    /// <summary>1 to 12.</summary>
    public float Month { get; set; }

    /// <summary>0 to 23.</summary>
    public float Hour { get; set; }

    /// <summary>1 on a public holiday.</summary>
    public float Holiday { get; set; }

    /// <summary>0 (Sunday) to 6.</summary>
    public float Weekday { get; set; }

    /// <summary>1 when neither weekend nor holiday.</summary>
    public float WorkingDay { get; set; }

    /// <summary>1 clear to 4 heavy rain or snow.</summary>
    public float Weather { get; set; }

    /// <summary>Temperature divided by 41 °C.</summary>
    public float Temperature { get; set; }

    /// <summary>Felt temperature divided by 50 °C.</summary>
    public float FeelsLike { get; set; }

    /// <summary>Humidity divided by 100.</summary>
    public float Humidity { get; set; }

    /// <summary>Wind speed divided by 67.</summary>
    public float WindSpeed { get; set; }

    /// <summary>Rentals in the hour: the label.</summary>
    public float Count { get; set; }
}
