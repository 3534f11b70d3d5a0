using Repro.Core.Capture.Results;
using Repro.Core.Runs;

namespace Repro.Core.Tests.Capture.Results;

public sealed class SdkReportTests : IDisposable
{
    private readonly TempDirectory _temp = new("sdk");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Read_NoReport_IsNullWithoutAWarning()
    {
        var warnings = new List<string>();

        Assert.Null(SdkReport.Read(new RunFolder(_temp.Path), warnings));
        Assert.Empty(warnings);
    }

    [Fact]
    public void Read_Report_KeepsItsValuesAndNumberSpellings()
    {
        _temp.Write(RunFolder.SdkReportFileName, "{\"seed\": {\"value\": 42}, \"lr\": 1.50, \"tags\": [\"a\", true, null], \"loss\": NaN}");

        var report = SdkReport.Read(new RunFolder(_temp.Path), [])!;

        Assert.Equal("{\"seed\":{\"value\":42},\"lr\":1.50,\"tags\":[\"a\",true,null],\"loss\":\"NaN\"}", report.ToJsonString());
    }

    [Theory]
    [InlineData("[1]", "not a JSON object")]
    [InlineData("{\"a\": }", "line 1, column 7")]
    public void Read_UnreadableReport_IsNotMergedWithOneWarning(string content, string reason)
    {
        _temp.Write(RunFolder.SdkReportFileName, content);
        var warnings = new List<string>();

        Assert.Null(SdkReport.Read(new RunFolder(_temp.Path), warnings));
        var warning = Assert.Single(warnings);
        Assert.StartsWith("the Repro.Sdk report sdk.json could not be read (", warning, StringComparison.Ordinal);
        Assert.Contains(reason, warning, StringComparison.Ordinal);
    }
}
