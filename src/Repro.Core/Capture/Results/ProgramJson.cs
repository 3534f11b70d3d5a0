using System.Text;
using Repro.Core.Json;

namespace Repro.Core.Capture.Results;

/// <summary>Reading a JSON file a program wrote after the run, with <see cref="LenientJsonParser"/>.</summary>
internal static class ProgramJson
{
    /// <summary>The one value in <paramref name="bytes"/> (UTF-8, a byte-order mark allowed).</summary>
    /// <exception cref="JsonSyntaxException">The bytes are not one JSON value.</exception>
    public static JsonTree Parse(byte[] bytes) => LenientJsonParser.Parse(Encoding.UTF8.GetString(bytes));

    /// <summary>A number the way Python writes them: a JSON number, or NaN, Infinity and -Infinity bare or as strings.</summary>
    public static bool TryGetNumber(JsonTree value, out double number)
    {
        switch (value.Kind)
        {
            case JsonKind.Number:
                number = value.Number;
                return true;
            case JsonKind.String when value.Text is "NaN":
                number = double.NaN;
                return true;
            case JsonKind.String when value.Text is "Infinity":
                number = double.PositiveInfinity;
                return true;
            case JsonKind.String when value.Text is "-Infinity":
                number = double.NegativeInfinity;
                return true;
            default:
                number = 0;
                return false;
        }
    }
}
