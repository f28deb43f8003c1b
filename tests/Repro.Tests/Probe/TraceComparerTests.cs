using System.Text;
using Repro.Capture.Probe;
using Repro.Judging.Diffing;
using Repro.Model.Verdicts;

namespace Repro.Tests.Probe;

/// <summary>The first divergence and parameter differences from hand-written traces, as the Python side writes them.</summary>
public sealed class TraceComparerTests
{
    private static ProbeTrace Trace(params string[] lines) => ProbeTraceReader.Parse(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));

    private static string Fp(string sha, string kind = "ndarray") => $$"""{"k":"{{kind}}","dtype":"<f8","shape":[10,2],"sha256":"{{sha}}"}""";

    private static string Call(int pid, string call, string inputs, string outputs, string? state = null) =>
        $$"""{"t":"call","pid":{{pid}},"call":"{{call}}","cls":"sklearn.x.{{call.Split('.')[0]}}","depth":0,"in":{{{inputs}}},"out":[{{outputs}}]{{(state is null ? string.Empty : $",\"state\":{state}")}}}""";

    private const string Start = """{"t":"start","pid":1,"seq":0,"every":100,"budget":1024}""";

    [Fact]
    public void Identical_traces_have_no_first_divergence()
    {
        var a = Trace(Start, Call(1, "StandardScaler.fit_transform", $"\"X\":{Fp("a")}", Fp("b")));
        var b = Trace(Start, Call(1, "StandardScaler.fit_transform", $"\"X\":{Fp("a")}", Fp("b")));
        Assert.Null(TraceComparer.FirstDivergence(a, b, []));
    }

    [Fact]
    public void The_first_call_with_equal_inputs_and_a_different_state_is_named_with_the_unseeded_rng()
    {
        var a = Trace(Start, """{"t":"rng","pid":1,"lib":"numpy","state":"s1"}""", Call(1, "MLPClassifier.fit", $"\"X\":{Fp("x")},\"y\":{Fp("y")}", string.Empty, """{"k":"state","sha256":"fa","parts":{"coefs_":"1","n_iter_":"2"}}"""), Call(1, "MLPClassifier.predict", $"\"X\":{Fp("x")}", Fp("p1")));
        var b = Trace(Start, """{"t":"rng","pid":1,"lib":"numpy","state":"s2"}""", Call(1, "MLPClassifier.fit", $"\"X\":{Fp("x")},\"y\":{Fp("y")}", string.Empty, """{"k":"state","sha256":"fb","parts":{"coefs_":"3","n_iter_":"2"}}"""), Call(1, "MLPClassifier.predict", $"\"X\":{Fp("x")}", Fp("p2")));
        var first = TraceComparer.FirstDivergence(a, b, [])!;
        Assert.Equal("MLPClassifier.fit", first.Call);
        Assert.Equal(0, first.Index);
        Assert.Equal(["X", "y"], first.EqualInputs);
        Assert.Equal(["fitted state (coefs_)"], first.Differed);
        Assert.Equal("unseeded_rng", first.CauseKind);
        Assert.False(first.WalkedBack);
    }

    [Fact]
    public void Inputs_that_already_differ_are_traced_back_to_untraced_code()
    {
        var a = Trace(Start, Call(1, "LogisticRegression.fit", $"\"X\":{Fp("x1")},\"y\":{Fp("y")}", string.Empty, """{"k":"state","sha256":"s1"}"""));
        var b = Trace(Start, Call(1, "LogisticRegression.fit", $"\"X\":{Fp("x2")},\"y\":{Fp("y")}", string.Empty, """{"k":"state","sha256":"s2"}"""));
        var first = TraceComparer.FirstDivergence(a, b, [])!;
        Assert.True(first.WalkedBack);
        Assert.Equal(["X"], first.DifferingInputs);
        Assert.Equal(["y"], first.EqualInputs);
        Assert.Equal("untraced_input", first.CauseKind);
    }

    [Fact]
    public void Runs_that_make_different_calls_part_at_the_first_different_call()
    {
        var a = Trace(Start, Call(1, "KMeans.fit", $"\"X\":{Fp("x")}", string.Empty, """{"k":"state","sha256":"s"}"""));
        var b = Trace(Start, Call(1, "KMeans.fit", $"\"X\":{Fp("x")}", string.Empty, """{"k":"state","sha256":"s"}"""), Call(1, "KMeans.predict", $"\"X\":{Fp("x")}", Fp("p")));
        var first = TraceComparer.FirstDivergence(a, b, [])!;
        Assert.Equal("different_calls", first.CauseKind);
        Assert.Equal(1, first.Index);
    }

    [Fact]
    public void A_parameter_left_at_a_default_that_changed_is_marked_a_changed_default()
    {
        const string v1 = """{"t":"estimator","pid":1,"cls":"m.Shrink","name":"Shrink","params":{"alpha":1.0,"fit_intercept":true,"tol":0.1},"defaults":["alpha","fit_intercept"],"default_values":{"alpha":1.0,"fit_intercept":true,"tol":0.001}}""";
        const string v2 = """{"t":"estimator","pid":1,"cls":"m.Shrink","name":"Shrink","params":{"alpha":2.0,"fit_intercept":true,"tol":0.2},"defaults":["alpha","fit_intercept"],"default_values":{"alpha":2.0,"fit_intercept":true,"tol":0.001}}""";
        var differences = TraceComparer.EstimatorParameters(Trace(Start, v1).Record, Trace(Start, v2).Record);
        Assert.Equal(2, differences.Count);
        Assert.Equal(new EstimatorParameterDifference("Shrink", "alpha", "1.0", "2.0", ChangedDefault: true), differences[0]);
        Assert.Equal(new EstimatorParameterDifference("Shrink", "tol", "0.1", "0.2", ChangedDefault: false), differences[1]);
    }

    [Fact]
    public void The_reader_counts_dropped_events_partial_fingerprints_and_a_torn_last_line()
    {
        var trace = ProbeTraceReader.Parse(Encoding.UTF8.GetBytes(string.Join("\n",
            Start,
            """{"t":"call","pid":1,"call":"checkpoint:x","in":{},"out":[{"k":"ndarray","sha256":"a","partial":true}]}""",
            """{"t":"start","pid":2,"seq":0}""",
            """{"t":"warning","pid":2,"msg":"inputs: ValueError: boom"}""",
            """{"t":"end","pid":1,"dropped_events":7,"dropped_bytes":700}""",
            """{"t":"call","pid":1,"call":"tor""")));
        Assert.Equal(2, trace.Record.Processes);
        Assert.Equal(1, trace.Record.Calls);
        Assert.Equal(1, trace.Record.PartialFingerprints);
        Assert.Equal(7, trace.Record.DroppedEvents);
        Assert.Equal(700, trace.Record.DroppedBytes);
        Assert.Equal(1, trace.Malformed);
        Assert.Equal(["inputs: ValueError: boom"], trace.Warnings);
    }

    [Fact]
    public void A_nested_call_given_different_inputs_is_attributed_to_the_enclosing_call_whose_inputs_were_identical()
    {
        static string Nested(int pid, string call, string inputs, string state, int depth) =>
            $$$"""{"t":"call","pid":{{{pid}}},"call":"{{{call}}}","cls":"sklearn.x.T","depth":{{{depth}}},"in":{{{{inputs}}}},"out":[],"state":{"k":"state","sha256":"{{{state}}}"}}""";
        var a = Trace(Start, """{"t":"rng","pid":1,"lib":"numpy","state":"s1"}""", Nested(1, "DecisionTreeClassifier.fit", $"\"X\":{Fp("x")},\"sample_weight\":{Fp("w1")}", "t1", 1), Nested(1, "RandomForestClassifier.fit", $"\"X\":{Fp("x")},\"y\":{Fp("y")}", "f1", 0));
        var b = Trace(Start, """{"t":"rng","pid":1,"lib":"numpy","state":"s2"}""", Nested(1, "DecisionTreeClassifier.fit", $"\"X\":{Fp("x")},\"sample_weight\":{Fp("w2")}", "t2", 1), Nested(1, "RandomForestClassifier.fit", $"\"X\":{Fp("x")},\"y\":{Fp("y")}", "f2", 0));
        var first = TraceComparer.FirstDivergence(a, b, [])!;
        Assert.Equal("RandomForestClassifier.fit", first.Call);
        Assert.Equal(1, first.Index);
        Assert.Equal(["X", "y"], first.EqualInputs);
        Assert.Contains("inside it, DecisionTreeClassifier.fit already received different sample_weight", first.Differed);
        Assert.Equal("unseeded_rng", first.CauseKind);
    }
}
