using Repro.Core.Randomness;

namespace Repro.Core.Tests.Randomness;

public sealed class OsRandomTests
{
    [Fact]
    public void Fill_ManyDraws_EveryBitOfEveryByteTakesBothValues()
    {
        // A GUID's fixed version and variant bits must not leak into the bytes: over 200 draws of 40 bytes (more than
        // two GUIDs' worth each), a fixed bit would show as a bit that never changes. A fair bit stays put 200 times
        // with a chance of 2^-199.
        var seenOne = new byte[40];
        var seenZero = new byte[40];
        var bytes = new byte[40];
        for (var draw = 0; draw < 200; draw++)
        {
            OsRandom.Fill(bytes);
            for (var i = 0; i < bytes.Length; i++)
            {
                seenOne[i] |= bytes[i];
                seenZero[i] |= (byte)~bytes[i];
            }
        }

        Assert.All(seenOne, value => Assert.Equal(0xFF, value));
        Assert.All(seenZero, value => Assert.Equal(0xFF, value));
    }

    [Fact]
    public void HexString_Length_GivesThatManyLowerCaseHexDigits()
    {
        var text = OsRandom.HexString(8);

        Assert.Equal(8, text.Length);
        Assert.All(text, digit => Assert.True(char.IsAsciiHexDigitLower(digit), $"'{digit}' in {text}"));
    }

    [Fact]
    public void HexString_TwoCalls_Differ()
    {
        // 128 random bits each: equal only by a failure of the source.
        Assert.NotEqual(OsRandom.HexString(32), OsRandom.HexString(32));
    }

    [Fact]
    public void HexString_OddLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => OsRandom.HexString(7));
    }
}
