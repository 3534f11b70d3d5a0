using Repro.Core.FileSystem;

namespace Repro.Core.Tests.FileSystem;

public sealed class PathTextTests
{
    [Theory]
    [InlineData(new byte[] { 0x64, 0x2F, 0x61, 0x2E, 0x74 }, "d/a.t")]
    [InlineData(new byte[] { 0x63, 0x61, 0x66, 0xFF }, "\"caf\\xff\"")]
    [InlineData(new byte[] { 0xC3, 0xA9, 0xE9 }, "\"é\\xe9\"")]
    [InlineData(new byte[] { 0x22, 0x71, 0x22 }, "\"\\\"q\\\"\"")]
    [InlineData(new byte[] { 0x5C, 0xFE }, "\"\\\\\\xfe\"")]
    [InlineData(new byte[] { 0xED, 0xB2, 0x80 }, "\"\\xed\\xb2\\x80\"")]
    public void Recorded_AnyBytes_IsTheDocumentedFormAndDecodesToTheSameBytes(byte[] bytes, string recorded)
    {
        var native = PathText.FromBytes(bytes);

        Assert.Equal(recorded, PathText.ToRecorded(native));
        Assert.Equal(native, PathText.FromRecorded(recorded));
        Assert.Equal([.. bytes, 0], PathText.ToNullTerminatedBytes(native));
    }

    [Theory]
    [InlineData("\"a\\q\"")]
    [InlineData("\"a\\x4\"")]
    [InlineData("\"a\\x41\"")]
    [InlineData("\"a\\\"")]
    public void FromRecorded_MalformedEscape_IsAFormatError(string recorded) =>
        Assert.Throws<FormatException>(() => PathText.FromRecorded(recorded));

    [Fact]
    public void FromRecorded_UnquotedPath_IsLiteral() =>
        Assert.Equal("a\\xff\"", PathText.FromRecorded("a\\xff\""));
}
