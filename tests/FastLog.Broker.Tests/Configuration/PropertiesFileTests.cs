using FastLog.Broker.Configuration;

namespace FastLog.Broker.Tests.Configuration;

public sealed class PropertiesFileTests
{
    [Fact]
    public void Comments_and_blank_lines_are_skipped()
    {
        var properties = PropertiesFile.Parse("""
            # a comment
              ! another, indented

            num.partitions=3
            #num.partitions=9
            """);

        Assert.Equal(new Dictionary<string, string> { ["num.partitions"] = "3" }, properties);
    }

    [Theory]
    [InlineData("key=value")]
    [InlineData("key: value")]
    [InlineData("key:value")]
    [InlineData("key value")]
    [InlineData("  key   =   value   ")]
    [InlineData("\tkey\t:\tvalue\t")]
    [InlineData("key = value\r")]
    public void Separators_and_surrounding_whitespace(string line)
    {
        var properties = PropertiesFile.Parse(line);

        Assert.Equal("value", Assert.Single(properties, p => p.Key == "key").Value);
    }

    [Fact]
    public void Only_the_first_separator_splits_the_line()
    {
        var properties = PropertiesFile.Parse("listeners=PLAINTEXT://:9092\nlog.dirs: /a=b:c");

        Assert.Equal("PLAINTEXT://:9092", properties["listeners"]);
        Assert.Equal("/a=b:c", properties["log.dirs"]);
    }

    [Fact]
    public void Backslash_continues_a_line_and_the_next_lines_leading_blanks_are_dropped()
    {
        var properties = PropertiesFile.Parse("log.dirs=/data/a,\\\n    /data/b,\\\r\n\t/data/c\nnext=1");

        Assert.Equal("/data/a,/data/b,/data/c", properties["log.dirs"]);
        Assert.Equal("1", properties["next"]);
    }

    [Fact]
    public void An_even_number_of_trailing_backslashes_is_an_escaped_backslash_not_a_continuation()
    {
        var properties = PropertiesFile.Parse("path=C:\\\\\nnext=1");

        Assert.Equal("C:\\", properties["path"]);
        Assert.Equal("1", properties["next"]);
    }

    [Fact]
    public void A_continued_line_may_start_with_a_comment_character()
    {
        var properties = PropertiesFile.Parse("key=a\\\n  #b");

        Assert.Equal("a#b", properties["key"]);
    }

    [Fact]
    public void A_comment_ending_in_a_backslash_does_not_continue()
    {
        var properties = PropertiesFile.Parse("# comment \\\nkey=value");

        Assert.Equal("value", properties["key"]);
    }

    [Fact]
    public void Escapes_are_decoded()
    {
        var properties = PropertiesFile.Parse("a\\=b=c\\:d\\u0041\\t\nspace\\ key=x");

        Assert.Equal("c:dA\t", properties["a=b"]);
        Assert.Equal("x", properties["space key"]);
    }

    [Fact]
    public void A_key_without_a_value_has_the_empty_value()
    {
        var properties = PropertiesFile.Parse("cluster.id\nnode.id=");

        Assert.Equal("", properties["cluster.id"]);
        Assert.Equal("", properties["node.id"]);
    }

    [Fact]
    public void The_last_of_a_repeated_key_wins()
    {
        var properties = PropertiesFile.Parse("num.partitions=1\nnum.partitions=4");

        Assert.Equal("4", properties["num.partitions"]);
    }

    [Fact]
    public void A_malformed_unicode_escape_is_refused()
    {
        Assert.Throws<ConfigException>(() => PropertiesFile.Parse("key=\\u12"));
    }

    [Fact]
    public void A_missing_file_is_a_config_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fastlog-missing-{Guid.NewGuid():N}.properties");

        var error = Assert.Throws<ConfigException>(() => PropertiesFile.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
