using Repro.Blobs.Storage.Search;
using Repro.Storage.Sql.Search;

namespace Repro.Tests.Search;

public sealed class SearchFilterParserTests
{
    [Fact]
    public void The_documented_example_parses_into_four_typed_clauses()
    {
        var clauses = SearchFilterParser.Parse("metrics.acc > 0.9 AND params.lr = '0.01' AND tags.\"mlflow.runName\" LIKE 'x%' AND attributes.status = 'FINISHED'");

        Assert.Equal(4, clauses.Count);
        Assert.Equal(new FilterClause { Entity = FilterEntity.Metric, Key = "acc", Comparator = FilterComparator.Greater, Number = 0.9 }, clauses[0]);
        Assert.Equal(new FilterClause { Entity = FilterEntity.Param, Key = "lr", Comparator = FilterComparator.Equal, Text = "0.01" }, clauses[1]);
        Assert.Equal(new FilterClause { Entity = FilterEntity.Tag, Key = "mlflow.runName", Comparator = FilterComparator.Like, Text = "x%" }, clauses[2]);
        Assert.Equal(new FilterClause { Entity = FilterEntity.Attribute, Key = "status", Comparator = FilterComparator.Equal, Text = "FINISHED" }, clauses[3]);
    }

    [Theory]
    [InlineData("metric.acc >= 1", FilterEntity.Metric, "acc")]
    [InlineData("param.lr = 'a'", FilterEntity.Param, "lr")]
    [InlineData("parameters.lr = 'a'", FilterEntity.Param, "lr")]
    [InlineData("tag.team = 'a'", FilterEntity.Tag, "team")]
    [InlineData("tags.mlflow.source.name = 'a'", FilterEntity.Tag, "mlflow.source.name")]
    [InlineData("params.`model-type` = 'a'", FilterEntity.Param, "model-type")]
    [InlineData("metrics.\"error rate\" < 2", FilterEntity.Metric, "error rate")]
    [InlineData("metrics.2nd_loss < 2", FilterEntity.Metric, "2nd_loss")]
    [InlineData("attr.run_id = 'a'", FilterEntity.Attribute, "run_id")]
    [InlineData("run.run_name = 'a'", FilterEntity.Attribute, "run_name")]
    [InlineData("attribute.`run name` = 'a'", FilterEntity.Attribute, "run_name")]
    [InlineData("attributes.created > 5", FilterEntity.Attribute, "start_time")]
    [InlineData("status = 'FAILED'", FilterEntity.Attribute, "status")]
    [InlineData("`tags`.team = 'a'", FilterEntity.Tag, "team")]
    public void Entity_aliases_and_quoted_or_dotted_keys_are_understood(string filter, FilterEntity entity, string key)
    {
        var clause = Assert.Single(SearchFilterParser.Parse(filter));
        Assert.Equal(entity, clause.Entity);
        Assert.Equal(key, clause.Key);
    }

    [Fact]
    public void Keywords_ignore_case_and_strings_take_either_quote_with_doubled_quote_escapes()
    {
        var clauses = SearchFilterParser.Parse("params.a like \"x\"\"y\" and tags.b ILIKE 'it''s' AND attributes.run_id not in ('r1', \"r2\")");

        Assert.Equal(FilterComparator.Like, clauses[0].Comparator);
        Assert.Equal("x\"y", clauses[0].Text);
        Assert.Equal(FilterComparator.ILike, clauses[1].Comparator);
        Assert.Equal("it's", clauses[1].Text);
        Assert.Equal(FilterComparator.NotIn, clauses[2].Comparator);
        Assert.Equal(["r1", "r2"], clauses[2].List!);
    }

    [Theory]
    [InlineData("metrics.x > -1.5e-3", -0.0015)]
    [InlineData("metrics.x = 42", 42.0)]
    [InlineData("metrics.x != .5", 0.5)]
    [InlineData("metrics.x <= +3", 3.0)]
    public void Numbers_take_sign_fraction_and_exponent(string filter, double expected)
    {
        Assert.Equal(expected, Assert.Single(SearchFilterParser.Parse(filter)).Number);
    }

    [Fact]
    public void A_blank_filter_has_no_clauses()
    {
        Assert.Empty(SearchFilterParser.Parse(null));
        Assert.Empty(SearchFilterParser.Parse("   "));
    }

    [Theory]
    [InlineData("metrics.acc > 0.9 OR metrics.acc < 0.1", "Invalid clause(s) in filter string: 'OR metrics.acc < 0.1' (the filter grammar has no OR")]
    [InlineData("metrics.acc > '0.9'", "Expected numeric value type for metric. Found '0.9'")]
    [InlineData("params.lr = 0.01", "Expected a quoted string value for param (e.g. 'my-value'). Got value 0.01")]
    [InlineData("tags.team = credit", "Expected a quoted string value for tag (e.g. 'my-value'). Got value credit")]
    [InlineData("metrics.acc LIKE '0.9'", "Invalid comparator 'LIKE' not one of '{'=', '!=', '>', '>=', '<', '<='}'")]
    [InlineData("params.lr > '1'", "Invalid comparator '>' not one of '{'=', '!=', 'LIKE', 'ILIKE'}'")]
    [InlineData("foo.bar = 'x'", "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']")]
    [InlineData("attributes.colour = 'x'", "Invalid attribute key 'colour' specified. Valid keys are '")]
    [InlineData("attributes.run_name IN ('a')", "Only the 'run_id' and 'status' attributes support comparison with a list")]
    [InlineData("attributes.run_id IN ()", "expected a non-empty list of string values, but got empty list")]
    [InlineData("attributes.run_id IN ('a', 1)", "expected string value, punctuation, or whitespace, but got different type in list: 1")]
    [InlineData("attributes.start_time > 'yesterday'", "Expected numeric value type for numeric attribute: start_time. Found 'yesterday'")]
    [InlineData("attributes.status = FINISHED", "Expected a quoted string value for attributes. Got value FINISHED")]
    [InlineData("params.lr = 'open", "the quote opened at position 13 is never closed")]
    [InlineData("metrics.acc > 0.9 metrics.loss < 1", "Invalid clause(s) in filter string: 'metrics.loss < 1'")]
    [InlineData("metrics.acc > 0.9 AND", "it ends where a comparison was expected")]
    [InlineData("metrics.acc", "Expected a comparator, found 'end of filter'")]
    [InlineData("metrics.acc <> 1", "Invalid comparator '<>'")]
    [InlineData("(metrics.acc > 1)", "Invalid clause(s) in filter string: '(metrics.acc > 1)'")]
    [InlineData("datasets.name = 'iris'", "Invalid entity type 'datasets': repro records a run's data as its deps")]
    [InlineData("metrics.acc > 1; DROP TABLE runs", "unexpected ';' at position 16")]
    public void Bad_filters_are_refused_with_mlflow_style_messages(string filter, string message)
    {
        var error = Assert.Throws<SearchFilterException>(() => SearchFilterParser.Parse(filter));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal("INVALID_PARAMETER_VALUE", SearchFilterException.ErrorCode);
    }

    [Theory]
    [InlineData("metrics.acc DESC", FilterEntity.Metric, "acc", false)]
    [InlineData("params.lr", FilterEntity.Param, "lr", true)]
    [InlineData("attributes.start_time ASC", FilterEntity.Attribute, "start_time", true)]
    [InlineData("metrics.`my metric` desc", FilterEntity.Metric, "my metric", false)]
    [InlineData("start_time", FilterEntity.Attribute, "start_time", true)]
    [InlineData("tags.\"mlflow.runName\" DESC", FilterEntity.Tag, "mlflow.runName", false)]
    public void Order_by_items_name_an_entity_and_a_direction(string text, FilterEntity entity, string key, bool ascending)
    {
        Assert.Equal(new OrderClause(entity, key, ascending), SearchFilterParser.ParseOrderBy(text));
    }

    [Theory]
    [InlineData("metrics.acc UP", "Invalid ordering key in order_by clause 'metrics.acc UP'.")]
    [InlineData("metrics.acc DESC, params.lr", "Invalid order_by clause 'metrics.acc DESC, params.lr'. Could not be parsed.")]
    [InlineData("", "Invalid order_by clause ''. Could not be parsed.")]
    [InlineData("attributes.size", "Invalid attribute key 'size' specified.")]
    public void Bad_order_by_items_are_refused(string text, string message)
    {
        var error = Assert.Throws<SearchFilterException>(() => SearchFilterParser.ParseOrderBy(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x%", "x*")]
    [InlineData("a_c", "a?c")]
    [InlineData("100\\%", "100%")]
    [InlineData("a*b?[c]", "a[*]b[?][[]c]")]
    [InlineData("\\_lit", "_lit")]
    public void A_like_pattern_becomes_the_glob_pattern_with_the_same_meaning(string like, string glob)
    {
        Assert.Equal(glob, SearchSqlBuilder.LikeToGlob(like));
    }
}
