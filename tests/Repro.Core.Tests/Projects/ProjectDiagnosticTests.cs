using Repro.Core.Errors;
using Repro.Core.Projects;

namespace Repro.Core.Tests.Projects;

public sealed class ProjectDiagnosticTests
{
    [Fact]
    public void InFileOrder_MixedPlaces_SortsByLineThenColumnWithWholeProjectFindingsFirst()
    {
        var diagnostics = new[]
        {
            At(3, 5, "c"),
            At(1, 9, "b"),
            new ProjectDiagnostic(DiagnosticSeverity.Warning, null, "whole project"),
            At(1, 2, "a"),
            At(12, 1, "d"),
        };

        var ordered = ProjectDiagnostic.InFileOrder(diagnostics);

        Assert.Equal(["whole project", "a", "b", "c", "d"], ordered.Select(diagnostic => diagnostic.Message));
    }

    [Fact]
    public void InFileOrder_SamePlace_KeepsTheOrderGiven()
    {
        var diagnostics = new[] { At(2, 3, "first"), At(1, 1, "earlier"), At(2, 3, "second"), At(2, 3, "third") };

        var ordered = ProjectDiagnostic.InFileOrder(diagnostics);

        Assert.Equal(["earlier", "first", "second", "third"], ordered.Select(diagnostic => diagnostic.Message));
    }

    private static ProjectDiagnostic At(long line, long column, string message) =>
        ProjectDiagnostic.Warn(new SourceLocation("MLproject", line, column), message);
}
