using System.Text;

namespace Repro.Cli.Output;

/// <summary>What <c>repro remote list</c> prints: one line per remote, the default marked with '*'.</summary>
internal static class RemoteTable
{
    public static string Render(IReadOnlyList<RemoteJson> remotes)
    {
        if (remotes.Count == 0)
        {
            return "no remotes (add one with `repro remote add NAME URL --default`)\n";
        }

        var text = new StringBuilder();
        var width = remotes.Max(r => r.Name.Length);
        foreach (var remote in remotes)
        {
            var settings = new List<string>();
            if (remote.Endpoint is not null)
            {
                settings.Add($"endpoint {remote.Endpoint}");
            }

            if (remote.Region is not null)
            {
                settings.Add($"region {remote.Region}");
            }

            if (remote.ChunkedUpload == true)
            {
                settings.Add("chunked uploads");
            }

            if (remote.Scope == "local")
            {
                settings.Add("this user only");
            }

            text.Append(remote.IsDefault ? '*' : ' ').Append(' ').Append(remote.Name.PadRight(width)).Append("  ").Append(remote.Url);
            text.Append(settings.Count > 0 ? $"  ({string.Join(", ", settings)})" : string.Empty).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>One remote as <c>repro remote list --json</c> prints it.</summary>
internal sealed record RemoteJson(string Name, string Url, string Kind, bool IsDefault, string Scope, string? Endpoint, string? Region, bool? ChunkedUpload);
