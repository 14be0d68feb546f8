using DciManager.Client;

namespace DciManager.Client.Tests;

/// <summary>Rendering of filters and sort orders (pure, no wire).</summary>
public class FilterRenderingTests
{
    [Fact]
    public void Values_are_rendered_as_safe_literals()
    {
        Assert.Equal("name EQ 'web01'", DciFilter.Eq("name", "web01").ToString());
        Assert.Equal("id EQ 42", DciFilter.Eq("id", 42).ToString());
        Assert.Equal("is_new EQ false", DciFilter.Eq("is_new", false).ToString());
        Assert.Equal("owner_email IS null", DciFilter.Eq("owner_email", null).ToString());
        Assert.Equal("NOT owner_email IS null", DciFilter.Ne("owner_email", null).ToString());
        Assert.Equal(@"name EQ 'O\'Brien \\ x'", DciFilter.Eq("name", @"O'Brien \ x").ToString());
        Assert.Equal(@"name CP '%50\% off%'", DciFilter.Like("name", "50% off").ToString());
        Assert.Equal("name CP 'web%'", DciFilter.Wildcard("name", "web*").ToString());
        Assert.Equal("name CP '%b%'", DciFilter.Wildcard("name", "*b?").ToString());
        Assert.Equal(@"name CP 'a\%b%'", DciFilter.Wildcard("name", "a%b*").ToString());
        Assert.Equal("name EQ 'web*'", DciFilter.Wildcard("name", "web`*").ToString());
        Assert.Equal("name EQ 'web01'", DciFilter.Wildcard("name", "web01").ToString());
        Assert.Equal("(id EQ 1 OR id EQ 2)", "(" + DciFilter.AnyOf("id", new object[] { 1, 2 }) + ")");
        Assert.Equal("(x EQ 1)", DciFilter.Raw("x EQ 1").ToString());
        Assert.Equal("version EQ 1.5", DciFilter.Eq("version", 1.5).ToString());
    }

    [Fact]
    public void Combinations_keep_their_grouping()
    {
        var a = DciFilter.Eq("a", 1);
        var b = DciFilter.Eq("b", 2);
        var c = DciFilter.Eq("c", 3);
        Assert.Equal("a EQ 1 AND b EQ 2 AND c EQ 3", a.And(b).And(c).ToString());
        Assert.Equal("(a EQ 1 OR b EQ 2) AND c EQ 3", a.Or(b).And(c).ToString());
        Assert.Equal("a EQ 1 OR (b EQ 2 AND c EQ 3)", a.Or(b.And(c)).ToString());
        Assert.Equal("NOT (a EQ 1 OR b EQ 2)", a.Or(b).Not().ToString());
        Assert.Equal("a EQ 1 AND (id EQ 1 OR id EQ 2)", a.And(DciFilter.AnyOf("id", new object[] { 1, 2 })).ToString());
        Assert.Null(DciFilter.All(null, null));
        Assert.Equal("a EQ 1 AND c EQ 3", DciFilter.All(a, null, c)!.ToString());
    }

    [Theory]
    [InlineData("name'")]
    [InlineData("name EQ 1 OR id")]
    [InlineData("1name")]
    [InlineData("")]
    [InlineData("na-me")]
    public void Bad_field_names_are_refused(string field)
    {
        Assert.Throws<ArgumentException>(() => DciFilter.Eq(field, 1));
    }

    [Theory]
    [InlineData("name", "name asc")]
    [InlineData("name asc", "name asc")]
    [InlineData("-name", "name desc")]
    [InlineData("+id", "id asc")]
    [InlineData("name DESC", "name desc")]
    [InlineData("rack.name desc, id", "rack.name desc, id asc")]
    public void Order_by_is_normalized(string input, string expected) => Assert.Equal(expected, DciOrderBy.Parse(input));

    [Theory]
    [InlineData("name; drop")]
    [InlineData("name sideways")]
    [InlineData("-name desc")]
    [InlineData("na'me")]
    [InlineData(" ")]
    public void Bad_order_by_is_refused(string input) => Assert.Throws<ArgumentException>(() => DciOrderBy.Parse(input));
}
