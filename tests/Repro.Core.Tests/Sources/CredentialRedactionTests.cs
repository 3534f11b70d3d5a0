using Repro.Core.Sources;

namespace Repro.Core.Tests.Sources;

public sealed class CredentialRedactionTests
{
    [Fact]
    public void Redact_GitMessageQuotingTheUrl_ShowsItWithoutCredentials()
    {
        const string Url = "https://deploy:tok3nValue@git.example.com/team/repo.git";
        var message = $"fatal: unable to access '{Url}/': Could not resolve host: git.example.com";

        var redacted = CredentialRedaction.Redact(message, Url);

        Assert.Equal("fatal: unable to access 'https://git.example.com/team/repo.git/': Could not resolve host: git.example.com", redacted);
    }

    [Fact]
    public void Redact_TokenRepeatedOutsideTheUrl_IsMasked()
    {
        const string Url = "https://ghp_abcdef123456@github.com/org/repo";

        var redacted = CredentialRedaction.Redact("remote: Invalid username or token ghp_abcdef123456.", Url);

        Assert.DoesNotContain("ghp_abcdef123456", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_PercentEncodedPassword_IsMaskedDecodedToo()
    {
        const string Url = "https://user:p%40ssword99@host/repo";

        var redacted = CredentialRedaction.Redact("authentication failed for user:p@ssword99", Url);

        Assert.DoesNotContain("p@ssword99", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_ScpLikeAddressWithPassword_HidesThePassword()
    {
        const string Url = "git:s3cretpass@github.com:org/repo.git";

        var redacted = CredentialRedaction.Redact($"fatal: could not read from {Url}", Url);

        Assert.DoesNotContain("s3cretpass", redacted, StringComparison.Ordinal);
        Assert.Contains("git@github.com:org/repo.git", redacted, StringComparison.Ordinal);
    }
}
