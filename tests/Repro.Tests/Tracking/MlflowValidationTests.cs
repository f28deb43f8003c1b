using Repro.Interop.Tracking;

namespace Repro.Tests.Tracking;

public sealed class MlflowValidationTests
{
    [Theory]
    [InlineData("loss")]
    [InlineData("eval/acc")]
    [InlineData("train loss.v2-x")]
    public void Keys_mlflow_accepts_pass(string key) => MlflowValidation.Param(key, "1");

    [Theory]
    [InlineData("../up", "Invalid parameter name: '../up'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '../up'")]
    [InlineData("a//b", "Invalid parameter name: 'a//b'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to 'a/b'")]
    [InlineData("/abs", "Invalid parameter name: '/abs'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '/abs'")]
    [InlineData("semi;colon", "Invalid parameter name: 'semi;colon'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).")]
    public void Keys_mlflow_refuses_get_its_message(string key, string message)
    {
        var error = Assert.Throws<TrackingException>(() => MlflowValidation.Param(key, "1"));
        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Values_over_the_length_limits_are_refused()
    {
        MlflowValidation.Param("p", new string('x', MlflowValidation.MaxParamValueLength));
        var param = Assert.Throws<TrackingException>(() => MlflowValidation.Param("p", new string('x', MlflowValidation.MaxParamValueLength + 1)));
        Assert.EndsWith("had length 6001, which exceeded length limit of 6000", param.Message, StringComparison.Ordinal);
        var tag = Assert.Throws<TrackingException>(() => MlflowValidation.Tag("t", new string('x', 5001)));
        Assert.EndsWith("had length 5001, which exceeded length limit of 5000", tag.Message, StringComparison.Ordinal);
        Assert.Throws<TrackingException>(() => MlflowValidation.Tag(new string('k', 251), "v"));
    }

    [Fact]
    public void Duplicate_param_keys_in_one_batch_are_refused()
    {
        var error = Assert.Throws<TrackingException>(() => MlflowValidation.UniqueParamKeys(["a", "b", "a"]));
        Assert.StartsWith("Duplicate parameter keys have been submitted: ['a'].", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_tokens_round_trip_and_garbage_is_refused()
    {
        Assert.Equal(0, OffsetPageToken.Offset(null));
        Assert.Equal(250, OffsetPageToken.Offset(OffsetPageToken.For(250)));
        Assert.Equal("INVALID_PARAMETER_VALUE", Assert.Throws<TrackingException>(() => OffsetPageToken.Offset("not base64!")).ErrorCode);
    }

    [Fact]
    public void Experiment_filters_match_names_and_tags_like_mlflow()
    {
        var experiment = new MlflowExperiment
        {
            ExperimentId = "3",
            Name = "Churn-model",
            ArtifactLocation = "file:///a",
            LifecycleStage = "active",
            Tags = new Dictionary<string, string> { ["team"] = "risk" },
        };
        Assert.True(ExperimentFilter.Parse("name LIKE 'Churn%'")(experiment));
        Assert.False(ExperimentFilter.Parse("name LIKE 'churn%'")(experiment));
        Assert.True(ExperimentFilter.Parse("name ILIKE 'churn%' AND tags.team = 'risk'")(experiment));
        Assert.False(ExperimentFilter.Parse("tags.`team` != 'risk'")(experiment));
        Assert.Throws<TrackingException>(() => ExperimentFilter.Parse("name >> 'x'"));
    }
}
