using Repro.Core.Projects;
using Repro.Core.Projects.Python;

namespace Repro.Core.Tests.Projects.Python;

/// <summary>The pieces of Python that MLflow's rendering goes through, each against what CPython 3.11 prints.</summary>
public sealed class PythonSemanticsTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(1e-4, "0.0001")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(123456.789, "123456.789")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(9007199254740992.0, "9007199254740992.0")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    public void FloatRepr_IsCPythonsShortestReprWithItsExponentRules(double value, string expected) =>
        Assert.Equal(expected, PythonFloatFormat.Repr(value));

    [Theory]
    [InlineData("", ".")]
    [InlineData(".", ".")]
    [InlineData("//x", "//x")]
    [InlineData("///x", "/x")]
    [InlineData("/../a", "/a")]
    [InlineData("a/../../b", "../b")]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("../x/..", "..")]
    [InlineData("/a/b/..", "/a")]
    public void NormPath_IsPosixpathNormpath(string path, string expected) => Assert.Equal(expected, PythonPaths.NormPath(path));

    [Theory]
    [InlineData("a%20b", "a b")]
    [InlineData("%zz", "%zz")]
    [InlineData("%C3", "\uFFFD")]
    [InlineData("%C3%A9%", "é%")]
    [InlineData("é%41", "éA")]
    [InlineData("%e2%82", "\uFFFD")]
    [InlineData("100%", "100%")]
    public void Unquote_IsUrllibUnquote(string text, string expected) => Assert.Equal(expected, PythonPaths.Unquote(text));

    [Theory]
    [InlineData("s3://bucket/key", "s3", "bucket", "/key")]
    [InlineData("file:///data/x.csv", "file", "", "/data/x.csv")]
    [InlineData("file:rel/x", "file", "", "rel/x")]
    [InlineData("FILE://host/x?y#z", "file", "host", "/x")]
    [InlineData(" \ts3://b/k", "s3", "b", "/k")]
    [InlineData("data/x.csv", "", "", "data/x.csv")]
    [InlineData("1http://x", "", "", "1http://x")]
    [InlineData("c:/x", "c", "", "/x")]
    public void UrlSplit_FindsSchemeNetlocAndPathAsUrllib(string url, string scheme, string netloc, string path) =>
        Assert.Equal((scheme, netloc, path), PythonPaths.UrlSplit(url));

    [Theory]
    [InlineData("it's", "\"it's\"")]
    [InlineData("say \"hi\"", "'say \"hi\"'")]
    [InlineData("both ' \"", "'both \\' \"'")]
    [InlineData("tab\tnew\nline\r", "'tab\\tnew\\nline\\r'")]
    [InlineData("\u0001\u007f\u0080\u00a0é\u2028😀", "'\\x01\\x7f\\x80\\xa0é\\u2028😀'")]
    [InlineData("back\\slash", "'back\\\\slash'")]
    public void StringRepr_IsCPythonsRepr(string text, string expected) => Assert.Equal(expected, PythonRepr.Text(text));

    [Theory]
    [InlineData("type str", "did you mean 'type: str' (the colon is missing)?")]
    [InlineData("type:int", "did you mean 'type: int' (YAML needs a space after the colon)?")]
    [InlineData("default=\"x\"", "did you mean 'default: \"x\"' (YAML separates a key from its value with ': ', not '=')?")]
    [InlineData("defualt", "did you mean 'default'?")]
    [InlineData("Type", "did you mean 'type'?")]
    [InlineData("tpye", "did you mean 'type'?")]
    [InlineData("colour", null)]
    public void KeySuggestion_NamesTheKnownKeyMeant(string key, string? expected) =>
        Assert.Equal(expected, KeySuggestions.For(key, ["type", "default", "description"]));
}
