namespace Repro.Core.Runs;

/// <summary>
/// A run's seed: an unsigned 32-bit integer, the range every generator repro seeds accepts (NumPy's legacy seed, Python's
/// hash seed, ML.NET's). The one parser for seeds given as text: <c>--seed</c> and the MLproject's <c>seed:</c>.
/// </summary>
public static class RunSeed
{
    /// <summary>How messages describe the range.</summary>
    public static readonly string Range = $"an integer from 0 to {uint.MaxValue}";

    /// <summary>Reads a seed written in decimal digits only: no sign, no spaces, no leading <c>+</c>, no exponent.</summary>
    public static bool TryParse(string? text, out uint seed)
    {
        seed = 0;
        return !string.IsNullOrEmpty(text)
            && text.All(char.IsAsciiDigit)
            && uint.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out seed);
    }
}
