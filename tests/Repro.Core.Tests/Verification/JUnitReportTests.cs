using System.Xml.Linq;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;
using Repro.Core.Verification.Reports;

namespace Repro.Core.Tests.Verification;

public sealed class JUnitReportTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Write_MixedOutcomes_ParsesWithMatchingCounts()
    {
        var path = Path.Combine(_dir.Path, "reports", "junit.xml");

        JUnitReport.Write(path, Suite());

        var document = XDocument.Load(path);
        var suite = Assert.Single(document.Root!.Elements("testsuite"));
        Assert.Equal("testsuites", document.Root.Name.LocalName);
        Assert.Equal(("4", "2", "0"), ((string)suite.Attribute("tests")!, (string)suite.Attribute("failures")!, (string)suite.Attribute("errors")!));
        Assert.Equal("4", (string)document.Root.Attribute("tests")!);
        Assert.Equal("2", (string)document.Root.Attribute("failures")!);
        Assert.Equal(4, suite.Elements("testcase").Count());
        Assert.Equal(2, suite.Descendants("failure").Count());
        Assert.Equal("2024-05-01T12:00:00", (string)suite.Attribute("timestamp")!);
        Assert.Equal("12.5", (string)suite.Attribute("time")!);
        Assert.Equal(["recorded", "verification"], suite.Element("properties")!.Elements("property").Select(p => (string)p.Attribute("name")!));
    }

    [Fact]
    public void Write_DifferentCase_CarriesAFailureWithSummaryAndDetails()
    {
        var path = Path.Combine(_dir.Path, "junit.xml");

        JUnitReport.Write(path, Suite());

        var failure = Case(XDocument.Load(path), JUnitReport.OutputsClassName, "out/<weird> & \"name\".json").Element("failure")!;
        Assert.Equal("JSON differs at 1 path", (string)failure.Attribute("message")!);
        Assert.Equal("different", (string)failure.Attribute("type")!);
        Assert.Equal("JSON differs at 1 path\n$.a: recorded 1, re-created 2", failure.Value);
    }

    [Fact]
    public void Write_EquivalentCase_ExplainsInSystemOutAndIdenticalIsBare()
    {
        var path = Path.Combine(_dir.Path, "junit.xml");

        JUnitReport.Write(path, Suite());

        var document = XDocument.Load(path);
        var equivalent = Case(document, JUnitReport.OutputsClassName, "model.zip");
        var identical = Case(document, JUnitReport.MetricsClassName, "rmse");
        Assert.Null(equivalent.Element("failure"));
        Assert.Equal("same content, container metadata differs\nentry times differ for 3 of 3 entries", equivalent.Element("system-out")!.Value);
        Assert.Empty(identical.Elements());
    }

    [Fact]
    public void Write_ControlCharactersFromFileContent_StillGiveWellFormedXml()
    {
        var path = Path.Combine(_dir.Path, "junit.xml");
        var testCase = new JUnitTestCase(JUnitReport.OutputsClassName, "bin\u0001name", ComparisonOutcome.Different, "bad \u0000 byte", ["\ud800 lone surrogate"]);

        JUnitReport.Write(path, new JUnitSuite("repro verify", DateTimeOffset.UnixEpoch, 0, [testCase]));

        var failure = XDocument.Load(path).Descendants("failure").Single();
        Assert.Equal("bad \ufffd byte", (string)failure.Attribute("message")!);
    }

    [Fact]
    public void Write_ExistingReport_IsReplacedWithoutLeavingTemporaryFiles()
    {
        var path = _dir.Write("junit.xml", "old");

        JUnitReport.Write(path, Suite());

        Assert.Equal("testsuites", XDocument.Load(path).Root!.Name.LocalName);
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Write_UnwritablePath_RaisesStoreErrorNamingIt()
    {
        var blocker = _dir.Write("file", "x");
        var path = Path.Combine(blocker, "junit.xml");

        var error = Assert.Throws<StoreException>(() => JUnitReport.Write(path, Suite()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForOutputAndForMetric_UseTheVerifyClassNames()
    {
        var output = JUnitTestCase.ForOutput("out/m.zip", new ComparisonResult(ComparisonOutcome.Identical, ComparerName.Sha256, "bit-identical", []));
        var metric = JUnitTestCase.ForMetric(Assert.Single(MetricsComparer.Compare(
            new Dictionary<string, double> { ["acc"] = 1 }, new Dictionary<string, double> { ["acc"] = 2 }, ComparisonTolerance.Exact)));

        Assert.Equal(("repro.verify.outputs", "out/m.zip"), (output.ClassName, output.Name));
        Assert.Equal(("repro.verify.metrics", "acc", ComparisonOutcome.Different), (metric.ClassName, metric.Name, metric.Outcome));
    }

    private static XElement Case(XDocument document, string className, string name) =>
        document.Descendants("testcase").Single(c => (string)c.Attribute("classname")! == className && (string)c.Attribute("name")! == name);

    private static JUnitSuite Suite() =>
        new("repro verify 20240501-abc", new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2)), 12.5, [
            JUnitTestCase.ForOutput("model.zip", new ComparisonResult(ComparisonOutcome.Equivalent, ComparerName.Zip, "same content, container metadata differs", ["entry times differ for 3 of 3 entries"])),
            JUnitTestCase.ForOutput("out/<weird> & \"name\".json", new ComparisonResult(ComparisonOutcome.Different, ComparerName.Json, "JSON differs at 1 path", ["$.a: recorded 1, re-created 2"])),
            new JUnitTestCase(JUnitReport.MetricsClassName, "rmse", ComparisonOutcome.Identical, "0.5 (identical)", []),
            new JUnitTestCase(JUnitReport.MetricsClassName, "acc", ComparisonOutcome.Different, "recorded 0.8, re-created 0.7: outside tolerance", []),
        ])
        {
            Hostname = "ci-runner",
            Properties = [new("recorded", "20240501-abc"), new("verification", "20240501-def")],
        };
}
