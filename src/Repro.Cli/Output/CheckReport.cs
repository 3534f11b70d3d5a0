using Repro.Core.Projects;
using Repro.Core.Runs;

namespace Repro.Cli.Output;

/// <summary>What <c>repro check</c> prints: each finding as <c>FILE:LINE:COL: warning|error: message</c>, then each entry point.</summary>
internal static class CheckReport
{
    public static void Write(ProjectCheckResult result, bool asJson)
    {
        if (asJson)
        {
            var report = new CheckResultJson(
                result.FilePath,
                result.Passed,
                result.ErrorCount,
                result.WarningCount,
                [.. result.Diagnostics.Select(DiagnosticJson.Of)],
                [.. result.EntryPoints.Select(entryPoint => new EntryPointCheckJson(
                    entryPoint.Name,
                    entryPoint.Error is null,
                    entryPoint.Rendered?.Command,
                    entryPoint.Rendered?.Parameters ?? [],
                    entryPoint.Rendered?.Required ?? [],
                    entryPoint.Error?.Message))]);
            Console.Out.WriteLine(JsonOutput.Serialize(report, CliJsonContext.Default.CheckResultJson));
            return;
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            Console.Out.WriteLine(diagnostic.ToString());
        }

        foreach (var entryPoint in result.EntryPoints)
        {
            if (entryPoint.Rendered is { } rendered)
            {
                var needs = rendered.Required.Count > 0 ? $"   (needs -P {string.Join(", ", rendered.Required.Select(name => name + "=…"))})" : string.Empty;
                Console.Out.WriteLine($"entry point {entryPoint.Name}: {rendered.Command}{needs}");
            }
            else
            {
                Console.Out.WriteLine($"entry point {entryPoint.Name}: cannot run (error above)");
            }
        }

        var file = result.FilePath ?? "the project";
        var verdict = result.Passed ? "ok" : "FAILED";
        Console.Out.WriteLine($"{file}: {verdict}: {result.EntryPoints.Count} entry point(s), {result.ErrorCount} error(s), {result.WarningCount} warning(s)");
    }
}

/// <summary>One finding as JSON.</summary>
internal sealed record DiagnosticJson(string Severity, string? File, long? Line, long? Column, string Message, string? EntryPoint, string Text)
{
    public static DiagnosticJson Of(ProjectDiagnostic diagnostic) => new(
        diagnostic.SeverityName,
        diagnostic.Location?.File,
        diagnostic.Location?.Line,
        diagnostic.Location?.Column,
        diagnostic.Message,
        diagnostic.EntryPoint,
        diagnostic.ToString());
}

/// <summary>One entry point as <c>repro check --json</c> prints it.</summary>
internal sealed record EntryPointCheckJson(string Name, bool Ok, string? Command, IReadOnlyList<ParameterRecord> Parameters, IReadOnlyList<string> Required, string? Error);

/// <summary>The JSON object <c>repro check --json</c> prints.</summary>
internal sealed record CheckResultJson(string? File, bool Ok, int Errors, int Warnings, IReadOnlyList<DiagnosticJson> Diagnostics, IReadOnlyList<EntryPointCheckJson> EntryPoints);
