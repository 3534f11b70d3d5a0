namespace Repro.Core.Projects;

/// <summary>Rules for paths an MLproject file names inside its project.</summary>
internal static class ProjectRelativePath
{
    /// <summary>
    /// Whether <paramref name="path"/> is relative and stays inside the project: not rooted, and no <c>..</c>
    /// climbs above the project directory (<c>data/../x</c> is fine, <c>../x</c> is not).
    /// </summary>
    public static bool StaysInside(string path)
    {
        if (path.Length == 0 || Path.IsPathRooted(path) || path[0] is '/' or '\\')
        {
            return false;
        }

        var depth = 0;
        foreach (var segment in path.Split('/', '\\'))
        {
            depth += segment switch
            {
                ".." => -1,
                "" or "." => 0,
                _ => 1,
            };
            if (depth < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The scalar's text when it is a path that <see cref="StaysInside"/>; otherwise an error at the scalar.</summary>
    /// <param name="node">The YAML value.</param>
    /// <param name="what">What the path is, for the message ("an output of entry point 'main'").</param>
    public static string Read(YamlTreeNode node, string what)
    {
        var text = node.ExpectScalar(what).Text;
        return StaysInside(text)
            ? text
            : throw node.Error($"{what} must be a path relative to the project directory that stays inside it, not '{text}'");
    }
}
