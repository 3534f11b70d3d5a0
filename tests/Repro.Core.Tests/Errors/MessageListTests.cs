using Repro.Core.Errors;

namespace Repro.Core.Tests.Errors;

public sealed class MessageListTests
{
    [Fact]
    public void Join_FewItems_NamesEveryOne()
    {
        Assert.Equal("a, b, c", MessageList.Join(["a", "b", "c"]));
    }

    [Fact]
    public void Join_ManyItems_NamesTheFirstAndCountsTheRest()
    {
        var names = Enumerable.Range(0, 100_000).Select(i => $"entry{i}").ToList();

        var text = MessageList.Join(names);

        Assert.Equal("entry0, entry1, entry2, entry3, entry4, entry5, entry6, entry7, entry8, entry9 and 99,990 more", text);
    }
}
