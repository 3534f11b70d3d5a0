using System.Globalization;

namespace Repro.Core.Capture.Environment;

/// <summary>
/// A .NET SDK version as the .NET host reads it (<c>major.minor.patch[-prerelease][+build]</c>) and orders it:
/// numbers numerically, a release above its prereleases, prerelease labels by semantic-versioning precedence,
/// build metadata ignored. The SDK's feature band is the hundreds of the patch number (10.0.401 is band 4).
/// </summary>
internal sealed class DotnetSdkVersion : IComparable<DotnetSdkVersion>
{
    private readonly string[] _prerelease;

    private DotnetSdkVersion(int major, int minor, int patch, string[] prerelease, string text)
    {
        Major = major;
        Minor = minor;
        Patch = patch;
        _prerelease = prerelease;
        Text = text;
    }

    /// <summary>The major version.</summary>
    public int Major { get; }

    /// <summary>The minor version.</summary>
    public int Minor { get; }

    /// <summary>The patch number, feature band included (401).</summary>
    public int Patch { get; }

    /// <summary>The feature band: the patch number's hundreds.</summary>
    public int FeatureBand => Patch / 100;

    /// <summary>Whether the version has a prerelease label.</summary>
    public bool IsPrerelease => _prerelease.Length > 0;

    /// <summary>The version as written.</summary>
    public string Text { get; }

    /// <summary>Parses a version; null when the text is not one (as the host ignores such SDK folders).</summary>
    /// <param name="text">The text, such as <c>10.0.401</c> or <c>10.0.100-rc.2.25502.107</c>.</param>
    /// <returns>The version, or null.</returns>
    public static DotnetSdkVersion? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var core = text;
        var plus = core.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            if (!AreIdentifiers(core[(plus + 1)..], numericMustNotHaveLeadingZero: false))
            {
                return null;
            }

            core = core[..plus];
        }

        string[] prerelease = [];
        var dash = core.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            var label = core[(dash + 1)..];
            if (!AreIdentifiers(label, numericMustNotHaveLeadingZero: true))
            {
                return null;
            }

            prerelease = label.Split('.');
            core = core[..dash];
        }

        var parts = core.Split('.');
        if (parts.Length != 3
            || !TryNumber(parts[0], out var major)
            || !TryNumber(parts[1], out var minor)
            || !TryNumber(parts[2], out var patch))
        {
            return null;
        }

        return new DotnetSdkVersion(major, minor, patch, prerelease, text);
    }

    /// <inheritdoc />
    public int CompareTo(DotnetSdkVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var byNumbers = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (byNumbers != 0)
        {
            return byNumbers;
        }

        // A release ranks above every prerelease of the same numbers.
        if (_prerelease.Length == 0 || other._prerelease.Length == 0)
        {
            return (_prerelease.Length == 0).CompareTo(other._prerelease.Length == 0);
        }

        for (var i = 0; i < Math.Min(_prerelease.Length, other._prerelease.Length); i++)
        {
            var order = CompareIdentifiers(_prerelease[i], other._prerelease[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return _prerelease.Length.CompareTo(other._prerelease.Length);
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    // Numeric identifiers compare as numbers and rank below alphanumeric ones, which compare ordinally.
    private static int CompareIdentifiers(string left, string right)
    {
        var leftIsNumber = left.All(char.IsAsciiDigit);
        var rightIsNumber = right.All(char.IsAsciiDigit);
        return (leftIsNumber, rightIsNumber) switch
        {
            (true, true) => left.Length != right.Length ? left.Length.CompareTo(right.Length) : string.CompareOrdinal(left, right),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(left, right),
        };
    }

    private static bool TryNumber(string text, out int value)
    {
        value = 0;
        return text.Length > 0
            && text.All(char.IsAsciiDigit)
            && (text.Length == 1 || text[0] != '0')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool AreIdentifiers(string text, bool numericMustNotHaveLeadingZero) =>
        text.Length > 0 && text.Split('.').All(identifier =>
            identifier.Length > 0
            && identifier.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            && !(numericMustNotHaveLeadingZero && identifier.Length > 1 && identifier[0] == '0' && identifier.All(char.IsAsciiDigit)));
}
