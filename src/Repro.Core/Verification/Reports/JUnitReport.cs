using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Repro.Core.Errors;
using Repro.Core.Runs;
using Repro.Core.Verification.Comparison;

namespace Repro.Core.Verification.Reports;

/// <summary>
/// Writes a verification as a JUnit XML report, the format CI servers (GitHub Actions, GitLab, Jenkins, Azure
/// Pipelines) read: a <c>testsuites</c> root holding one <c>testsuite</c> with a <c>testcase</c> per output and
/// metric. A different one carries a <c>failure</c> (message: the summary; body: the details); an equivalent one
/// says why it still passes in <c>system-out</c>; an identical one is a bare pass.
/// </summary>
public static class JUnitReport
{
    /// <summary>The class name of output cases.</summary>
    public const string OutputsClassName = "repro.verify.outputs";

    /// <summary>The class name of metric cases.</summary>
    public const string MetricsClassName = "repro.verify.metrics";

    /// <summary>Builds the report document.</summary>
    /// <param name="suite">The verification.</param>
    public static XDocument Build(JUnitSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        return Build(suite.Name, [suite]);
    }

    /// <summary>Builds a report document with one <c>testsuite</c> per suite (a pipeline's steps).</summary>
    /// <param name="name">The name of the <c>testsuites</c> root.</param>
    /// <param name="suites">The suites in report order.</param>
    public static XDocument Build(string name, IReadOnlyList<JUnitSuite> suites)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(suites);
        var root = new XElement(
            "testsuites",
            new XAttribute("name", XmlText(name)),
            new XAttribute("tests", suites.Sum(suite => suite.Cases.Count).ToString(CultureInfo.InvariantCulture)),
            new XAttribute("failures", suites.Sum(Failures).ToString(CultureInfo.InvariantCulture)),
            new XAttribute("errors", "0"),
            new XAttribute("time", Seconds(suites.Sum(suite => suite.TimeSeconds))),
            suites.Select(Suite));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    private static int Failures(JUnitSuite suite) => suite.Cases.Count(c => c.Outcome == ComparisonOutcome.Different);

    private static XElement Suite(JUnitSuite suite)
    {
        var testSuite = new XElement(
            "testsuite",
            new XAttribute("name", XmlText(suite.Name)),
            new XAttribute("tests", suite.Cases.Count.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("failures", Failures(suite).ToString(CultureInfo.InvariantCulture)),
            new XAttribute("errors", "0"),
            new XAttribute("skipped", "0"),
            new XAttribute("time", Seconds(suite.TimeSeconds)),
            new XAttribute("timestamp", suite.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture)));
        if (suite.Hostname is not null)
        {
            testSuite.Add(new XAttribute("hostname", XmlText(suite.Hostname)));
        }

        if (suite.Properties.Count > 0)
        {
            testSuite.Add(new XElement(
                "properties",
                suite.Properties.Select(p => new XElement("property", new XAttribute("name", XmlText(p.Key)), new XAttribute("value", XmlText(p.Value))))));
        }

        testSuite.Add(suite.Cases.Select(Case));
        return testSuite;
    }

    /// <summary>
    /// Writes the report to <paramref name="path"/>, creating its folder, through a temporary file renamed into
    /// place so a reader never sees half a report.
    /// </summary>
    /// <param name="path">Where to write it.</param>
    /// <param name="suite">The verification.</param>
    /// <exception cref="StoreException">The file cannot be written.</exception>
    public static void Write(string path, JUnitSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        Write(path, Build(suite));
    }

    /// <summary>Writes a report with one <c>testsuite</c> per suite, as <see cref="Write(string, JUnitSuite)"/> does.</summary>
    /// <param name="path">Where to write it.</param>
    /// <param name="name">The name of the <c>testsuites</c> root.</param>
    /// <param name="suites">The suites in report order.</param>
    /// <exception cref="StoreException">The file cannot be written.</exception>
    public static void Write(string path, string name, IReadOnlyList<JUnitSuite> suites) => Write(path, Build(name, suites));

    private static void Write(string path, XDocument document)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            var settings = new XmlWriterSettings
            {
                Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
                Indent = true,
                NewLineChars = "\n",
                NewLineHandling = NewLineHandling.Entitize,
            };
            using (var writer = XmlWriter.Create(temporary, settings))
            {
                document.Save(writer);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new StoreException($"Cannot write the JUnit report {path}: {exception.Message}", exception);
        }
    }

    private static XElement Case(JUnitTestCase testCase)
    {
        var element = new XElement(
            "testcase",
            new XAttribute("classname", XmlText(testCase.ClassName)),
            new XAttribute("name", XmlText(testCase.Name)),
            new XAttribute("time", Seconds(testCase.TimeSeconds)));
        var body = XmlText(string.Join('\n', testCase.Details.Prepend(testCase.Summary)));
        switch (testCase.Outcome)
        {
            case ComparisonOutcome.Different:
                element.Add(new XElement(
                    "failure",
                    new XAttribute("message", XmlText(testCase.Summary)),
                    new XAttribute("type", "different"),
                    body));
                break;
            case ComparisonOutcome.Equivalent:
                element.Add(new XElement("system-out", body));
                break;
            default:
                break;
        }

        return element;
    }

    private static string Seconds(double seconds) => Math.Max(0, seconds).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>
    /// The text with characters XML 1.0 cannot hold (control characters, lone surrogates) replaced by U+FFFD:
    /// details quote file content, and one stray byte must not make the whole report unreadable.
    /// </summary>
    private static string XmlText(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair || XmlConvert.IsXmlChar(c))
            {
                builder?.Append(c);
                if (pair)
                {
                    builder?.Append(text[i + 1]);
                    i++;
                }

                continue;
            }

            builder ??= new StringBuilder(text, 0, i, text.Length);
            builder.Append('\uFFFD');
        }

        return builder?.ToString() ?? text;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // The original failure is the one to report; a leftover temporary file is harmless.
        }
    }
}
