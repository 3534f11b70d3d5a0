namespace Repro.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var root = CliRoot.Create();
        return await CliRoot.InvokeAsync(root, args).ConfigureAwait(false);
    }
}
