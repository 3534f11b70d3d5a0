using Repro.Core.Verification.Differences;

namespace Repro.Core.Tests.Verification.Differences;

/// <summary>Expected texts are what GNU <c>diff -u</c> prints for the same inputs.</summary>
public sealed class PatchDiffTests
{
    private const string PatchA = """
        diff --git a/train.py b/train.py
        index 1111111..2222222 100644
        --- a/train.py
        +++ b/train.py
        @@ -1,3 +1,3 @@
         import numpy as np
        -lr = 0.1
        +lr = 0.01
         epochs = 10

        """;

    private const string PatchB = """
        diff --git a/train.py b/train.py
        index 1111111..3333333 100644
        --- a/train.py
        +++ b/train.py
        @@ -1,3 +1,3 @@
         import numpy as np
        -lr = 0.1
        +lr = 0.001
         epochs = 10

        """;

    [Fact]
    public void Create_TwoSmallPatches_GivesTheUnifiedDiffOfThePatches()
    {
        var diff = PatchDiff.Create(PatchA, PatchB)!;

        Assert.Equal(
            """
            --- a/code.patch
            +++ b/code.patch
            @@ -1,9 +1,9 @@
             diff --git a/train.py b/train.py
            -index 1111111..2222222 100644
            +index 1111111..3333333 100644
             --- a/train.py
             +++ b/train.py
             @@ -1,3 +1,3 @@
              import numpy as np
             -lr = 0.1
            -+lr = 0.01
            ++lr = 0.001
              epochs = 10

            """,
            diff.Text);
        Assert.Equal(14, diff.TotalLines);
        Assert.False(diff.Truncated);
        Assert.False(diff.IsEmpty);
    }

    [Fact]
    public void Create_LabelsGiven_NamesThePatchesWithThem()
    {
        var diff = PatchDiff.Create(PatchA, PatchB, "run-a/code.patch", "run-b/code.patch")!;

        Assert.StartsWith("--- run-a/code.patch\n+++ run-b/code.patch\n@@ ", diff.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EqualPatches_IsEmpty()
    {
        var diff = PatchDiff.Create(PatchA, PatchA)!;

        Assert.True(diff.IsEmpty);
        Assert.Equal(string.Empty, diff.Text);
    }

    [Fact]
    public void Create_NeitherRunHasAPatch_GivesNull() => Assert.Null(PatchDiff.Create(null, null));

    [Fact]
    public void Create_OnlyBHasAPatch_ShowsItAllAdded() =>
        Assert.Equal("--- a/code.patch\n+++ b/code.patch\n@@ -0,0 +1,2 @@\n+x\n+y\n", PatchDiff.Create(null, "x\ny\n")!.Text);

    [Fact]
    public void Create_OnlyAHasAPatch_ShowsItAllRemoved() =>
        Assert.Equal("--- a/code.patch\n+++ b/code.patch\n@@ -1,2 +0,0 @@\n-x\n-y\n", PatchDiff.Create("x\ny\n", null)!.Text);

    [Fact]
    public void Create_ChangesFarApart_WritesTwoHunksWithThreeLinesOfContext()
    {
        var a = Lines(Enumerable.Range(1, 30).Select(Number));
        var b = Lines(Enumerable.Range(1, 30).Where(line => line != 25).Select(line => line == 3 ? "three" : Number(line)));

        Assert.Equal(
            """
            --- a/code.patch
            +++ b/code.patch
            @@ -1,6 +1,6 @@
             1
             2
            -3
            +three
             4
             5
             6
            @@ -22,7 +22,6 @@
             22
             23
             24
            -25
             26
             27
             28

            """,
            PatchDiff.Create(a, b)!.Text);
    }

    [Fact]
    public void Create_ChangesSixLinesApart_ShareOneHunk()
    {
        var a = Lines(Enumerable.Range(1, 12).Select(Number));
        var b = Lines(Enumerable.Range(1, 12).Select(line => line switch { 2 => "two", 9 => "nine", _ => Number(line) }));

        var text = PatchDiff.Create(a, b)!.Text;

        Assert.Single(text.Split('\n'), line => line.StartsWith("@@", StringComparison.Ordinal));
        Assert.Contains("@@ -1,12 +1,12 @@\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LineAppendedAtTheEnd_StartsTheHunkAtItsContext() =>
        Assert.Equal(
            "--- a/code.patch\n+++ b/code.patch\n@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+6\n",
            PatchDiff.Create("1\n2\n3\n4\n5\n", "1\n2\n3\n4\n5\n6\n")!.Text);

    [Fact]
    public void Create_OnlyTheFinalLineFeedDiffers_MarksTheLineWithoutOne() =>
        Assert.Equal(
            "--- a/code.patch\n+++ b/code.patch\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+y\n",
            PatchDiff.Create("x\ny", "x\ny\n")!.Text);

    [Fact]
    public void Create_CarriageReturns_StayPartOfTheLine() =>
        Assert.Equal(
            "--- a/code.patch\n+++ b/code.patch\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n",
            PatchDiff.Create("a\r\nb\r\n", "a\r\nc\r\n")!.Text);

    [Fact]
    public void Create_DiffLongerThanTheLimit_KeepsTheFirstLinesAndCountsTheRest()
    {
        var a = Lines(Enumerable.Range(1, 1000).Select(Number));
        var b = Lines(Enumerable.Range(1, 1000).Select(line => $"changed {line}"));

        var diff = PatchDiff.Create(a, b, maxLines: 10)!;

        Assert.True(diff.Truncated);
        Assert.Equal(10, diff.ShownLines);
        Assert.Equal(2 + 1 + 2000, diff.TotalLines);
        Assert.Equal(10, diff.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("--- a/code.patch\n+++ b/code.patch\n@@ -1,1000 +1,1000 @@\n-1\n", diff.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LimitBelowOne_IsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PatchDiff.Create("a\n", "b\n", maxLines: 0));

    private static string Number(int line) => line.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Lines(IEnumerable<string> lines) => string.Concat(lines.Select(line => line + "\n"));
}
