namespace Repro.Core.Tests.Capture.Environment;

/// <summary>Captured system text that parser tests feed to the parsers.</summary>
internal static class Fixture
{
    public static string Read(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Capture", "Environment", "Fixtures", name));
}
