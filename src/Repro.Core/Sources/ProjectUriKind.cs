namespace Repro.Core.Sources;

/// <summary>What a project URI names.</summary>
public enum ProjectUriKind
{
    /// <summary>A folder on this machine, written as a path or a <c>file://</c> URL: a project directory or a git repository.</summary>
    LocalPath,

    /// <summary>A git repository reached over the network: <c>https://</c>, <c>http://</c>, <c>ssh://</c>, <c>git://</c> or scp-like <c>user@host:path</c>.</summary>
    GitUrl,
}
