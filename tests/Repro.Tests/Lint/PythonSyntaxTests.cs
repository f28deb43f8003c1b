using System.Text;
using Repro.Checks.Lint;
using Repro.Model.Findings;

namespace Repro.Tests.Lint;

/// <summary>
/// Every syntax form of Python 3.8–3.13 is linted without a fault (no INTERNAL finding, no syntax
/// error on an interpreter that knows the form), and where data can flow through the form, the
/// leak behind it is still found.
/// </summary>
public sealed class PythonSyntaxTests
{
    private const string Prelude = """
        import pandas as pd
        from sklearn.model_selection import train_test_split
        from sklearn.preprocessing import StandardScaler
        df = pd.read_csv("data.csv")
        X = df.drop(columns=["y"])
        y = df["y"]

        """;

    private static readonly Dictionary<string, Sample> Samples = new(StringComparer.Ordinal)
    {
        ["walrus"] = new(8, true, """
            if (X_scaled := StandardScaler().fit_transform(X)) is not None:
                X_train, X_test, y_train, y_test = train_test_split(X_scaled, y)
            print([z for v in [1, 2] if (z := v * 2) > 2])
            """),
        ["match with every pattern kind"] = new(10, true, """
            mode = {"kind": "scale"}
            match mode:
                case {"kind": "scale", **rest}:
                    X = StandardScaler().fit_transform(X)
                case [first, *others] if first:
                    pass
                case Point(0, y=yy) | Point(1, y=yy):
                    pass
                case str() as text:
                    pass
                case None | True | False:
                    pass
                case 1 | -2 | 3.5 | 1j | -1 + 2j | "a" "b" | b"c":
                    pass
                case pd.NA:
                    pass
                case (a, b, *_):
                    pass
                case {"k": [1, {"n": nested}], **others}:
                    pass
                case _:
                    pass
            X_train, X_test, y_train, y_test = train_test_split(X, y)
            """),
        ["match capture carries the data"] = new(10, true, """
            match X:
                case frame:
                    X_scaled = StandardScaler().fit_transform(frame)
            X_train, X_test, y_train, y_test = train_test_split(X_scaled, y)
            """),
        ["positional-only and keyword-only parameters"] = new(8, true, """
            def prepare(frame, labels, /, *extra, scale=True, **options):
                scaled = StandardScaler().fit_transform(frame)
                return train_test_split(scaled, labels, **options)
            square = lambda a, /, b, *, c=1: a * b
            """),
        ["starred parameters carry data"] = new(8, true, """
            def prepare(*frames, **named):
                scaled = StandardScaler().fit_transform(frames[0])
                return train_test_split(scaled, named["labels"])
            """),
        ["f-strings of 3.8"] = new(8, false, """
            width = 10
            print(f"{X.shape!r:>{width}} {y=} {'a' if y is not None else 'b'} {{literal}} {3.14159:.{2}f}")
            print(rf"\d{width}" F"{width:#x}" fR'{width!s}')
            """),
        ["f-strings of PEP 701"] = new(12, true, """
            name = "x"
            width = 10
            s1 = f"{"nested"} {f"{name!r:>{width}}"} {name=} {3.14159:{'.'}{2}f}"
            s2 = f"{
                name
                + "y"  # a comment inside the field
            }"
            s3 = f"{'\n'.join(['a', 'b'])}"
            s4 = f"{f"{f"{f"{name}"}"}"}"
            s5 = f"{StandardScaler().fit_transform(X)=}"
            X_train, X_test, y_train, y_test = train_test_split(f"{(X := StandardScaler().fit_transform(X))}" and X, y)
            """),
        ["async for, with and comprehensions"] = new(8, true, """
            async def train(source):
                async with source as s, source as t:
                    async for batch in s:
                        pass
                    else:
                        pass
                rows = [r async for r in source]
                ids = {r async for r in source if await r}
                pairs = {k: v async for k, v in source}
                lazy = (r async for r in source)
                scaled = StandardScaler().fit_transform(await source.read())
                return train_test_split(scaled)
            """),
        ["star expressions in subscripts"] = new(11, false, """
            cols = (0, 1)
            a = X[*cols]
            b = X[1:2, *cols, ...]
            c = X[*cols, None, ::2]
            print(*cols, *cols, sep="")
            merged = {**{"a": 1}, "b": 2, **{"c": 3}}
            items = [*cols, *cols]
            first, *middle, last = [1, 2, 3, 4]
            """),
        ["type statements"] = new(12, false, """
            type Alias = int
            type Matrix[T] = list[list[T]]
            type Call[**P, R] = "Callable[P, R]"
            type Shapes[*Ts] = tuple[*Ts]
            type = 5
            print(type)
            """),
        ["generic functions and classes"] = new(12, true, """
            def prepare[T](frame: T, labels):
                scaled = StandardScaler().fit_transform(frame)
                return train_test_split(scaled, labels)
            class Box[T: (int, str), U: float, *Ts, **P]:
                def get[S](self, other: S) -> T | S:
                    return other
            """),
        ["type parameter defaults"] = new(13, false, """
            def f[T = int](x: T) -> T:
                return x
            class C[T = str, *Ts = *tuple[int], **P = [int]]:
                pass
            type A[T = str] = list[T]
            """),
        ["except star"] = new(11, true, """
            try:
                X = StandardScaler().fit_transform(X)
            except* ValueError as group:
                pass
            except* (TypeError, KeyError):
                pass
            else:
                pass
            finally:
                pass
            X_train, X_test, y_train, y_test = train_test_split(X, y)
            """),
        ["parenthesised context managers"] = new(10, true, """
            with (
                open("a") as first,
                open("b") as second,
            ):
                X = StandardScaler().fit_transform(X)
            with (open("c")):
                pass
            with open("d") as (e, f):
                pass
            X_train, X_test, y_train, y_test = train_test_split(X, y)
            """),
        ["decorators with arbitrary expressions"] = new(9, true, """
            registry = {}
            buttons = [lambda f: f]
            @buttons[0]
            @(lambda f: f)
            @registry.get("x", lambda f: f)
            @buttons[0]
            def prepare(frame, labels):
                scaled = StandardScaler().fit_transform(frame)
                return train_test_split(scaled, labels)
            """),
        ["global and nonlocal"] = new(8, true, """
            counter = 0
            def outer():
                total = 0
                def inner():
                    nonlocal total
                    global counter, X
                    total += 1
                    counter += 1
                inner()
                return total
            X = StandardScaler().fit_transform(X)
            X_train, X_test, y_train, y_test = train_test_split(X, y)
            """),
        ["lambda defaults"] = new(8, false, """
            scale = lambda frame, k=3, *rest, key=None, **named: frame
            make = lambda: (lambda inner=[1, 2]: inner)
            pick = lambda x=X: x.mean()
            """),
        ["numeric literals"] = new(8, false, """
            numbers = [1_000_000, 0x_FF, 0b1010_1010, 0o7_7, 1_0.5e1_0, 3.14j, 1e-3J, 10 ** 100, 2 ** 64, 0.1e400, 1_0j, 0.0, -0.0]
            huge = 123456789012345678901234567890
            """),
        ["string and bytes prefixes"] = new(8, false, """"
            texts = [b"x", rb"\d", Rb"x", BR"x", bR"\x", r"\d", R"\d", u"x", U"x", "\ud800", "\udc80\udfff", "\N{BULLET}", b"\xff\x00"]
            long = '''multi
            line''' + """another""" "implicit" 'concatenation'
            raw = r'\'' + r"\""
            """"),
        ["line continuations"] = new(8, true, """
            X_scaled = StandardScaler() \
                .fit_transform(X)
            X_train, X_test, y_train, y_test = \
                train_test_split(X_scaled, y)
            """),
        ["tabs"] = new(8, true, "if True:\n\tX = StandardScaler().fit_transform(X)\n\tif X is not None:\n\t\tpass\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"),
        ["form feeds"] = new(8, true, "\fX = StandardScaler().fit_transform(X)\n\f\nif True:\n    \f    pass\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n"),
        ["windows line endings"] = new(8, true, "X = StandardScaler().fit_transform(X)\r\nX_train, X_test, y_train, y_test = train_test_split(X, y)\r\n"),
        ["repeated names in imports, targets, bases and decorators"] = new(8, true, """
            import numpy as np
            import numpy as np
            from os import path, path
            from os import path as p, sep as p
            from . import sibling
            from .. import parent as parent
            a = a = 1
            a, a = 1, 2
            v = [0, 0]
            v[0] = v[1] = 2
            (b, [c, *d]) = (1, [2, 3, 4])
            class Base: pass
            class Twice(Base, Base, metaclass=type, **{}):
                pass
            def dec(f): return f
            @dec
            @dec
            def twice(a, b): return a
            X = StandardScaler().fit_transform(X)
            X = StandardScaler().fit_transform(X)
            X_train, X_test, y_train, y_test = train_test_split(X, y)
            """),
        ["soft keywords as names"] = new(10, false, """
            match = 1
            case = 2
            _ = match + case
            print(match, case)
            match (match):
                case 1:
                    pass
            """),
        ["generators, yield and await"] = new(8, false, """
            def gen(items):
                x = yield
                y = yield from items
                yield x, y
            async def agen(source):
                async for s in source:
                    yield await s
            """),
        ["statements with odd targets"] = new(8, false, """
            from __future__ import annotations
            x: int
            z: list[int] = []
            class K:
                attr: int = 1
                def __init__(self):
                    self.value: int = 2
            del z[0:1], x
            assert X is not None, "missing"
            try:
                raise ValueError("x") from None
            except (ValueError, TypeError) as error:
                pass
            for i, (j, *k) in enumerate([(1, 2, 3)]):
                continue
            else:
                pass
            while False:
                break
            print(X[::2, 1:], X[..., None], 1 < 2 <= 3 != 4, 1 not in [2], X is not None)
            """),
    };

    public static TheoryData<string> Forms { get; } = new(Samples.Keys);

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task Each_syntax_form_is_linted_without_a_fault(string form)
    {
        var sample = Samples[form];
        var python = InterpreterFor(sample.Minor);
        var source = sample.Leaks ? Prelude + sample.Code : sample.Code;
        var findings = await LintHarness.LintAsync(source, options: new LintOptions { Python = python });
        var text = string.Join('\n', findings.Select(FindingText.Gcc));
        Assert.False(findings.Any(f => f.RuleId == LintRules.NotAnalysed.Id || f.RuleId == LintRules.Syntax.Id), $"{form} on {python}:\n{text}");
        if (sample.Leaks)
        {
            Assert.True(findings.Any(f => f.RuleId == LintRules.Leak001.Id), $"{form}: the leak through it is not found:\n{text}");
        }
    }

    [Fact]
    public async Task Syntax_newer_than_the_interpreter_is_a_syntax_error_never_a_fault()
    {
        foreach (var (form, sample) in Samples.Where(s => s.Value.Minor > 11))
        {
            var findings = await LintHarness.LintAsync(Prelude + sample.Code);
            Assert.DoesNotContain(findings, f => f.RuleId == LintRules.NotAnalysed.Id);
            Assert.True(findings.Any(f => f.RuleId == LintRules.Syntax.Id), $"{form} parsed on {LintHarness.Python}");
        }
    }

    [Fact]
    public async Task A_latin_1_coding_cookie_is_decoded_as_the_interpreter_does_and_the_leak_is_found()
    {
        var source = Encoding.Latin1.GetBytes("# -*- coding: latin-1 -*-\n" + Prelude + "label = \"caf\u00e9\"\nX = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n");
        Assert.Contains((byte)0xE9, source);
        var findings = await LintHarness.LintBytesAsync(source, LintHarness.Python);
        Assert.DoesNotContain(findings, f => f.RuleId is "INTERNAL" or "SYNTAX");
        Assert.Contains(findings, f => f.RuleId == "LEAK001" && f.Line == 9);
    }

    [Fact]
    public async Task A_byte_order_mark_is_skipped_and_the_leak_is_found()
    {
        var source = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Prelude + "X = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n")).ToArray();
        var findings = await LintHarness.LintBytesAsync(source, LintHarness.Python);
        Assert.DoesNotContain(findings, f => f.RuleId is "INTERNAL" or "SYNTAX");
        Assert.Contains(findings, f => f.RuleId == "LEAK001" && f.Line == 7);
    }

    [Fact]
    public async Task Bytes_that_are_not_in_the_declared_encoding_are_a_syntax_error_never_a_fault()
    {
        var findings = await LintHarness.LintBytesAsync([.. Encoding.ASCII.GetBytes("x = '"), 0xFF, 0xFE, .. Encoding.ASCII.GetBytes("'\n")], LintHarness.Python);
        var finding = Assert.Single(findings);
        Assert.Equal("SYNTAX", finding.RuleId);
        Assert.Equal(1, finding.Line);
    }

    [Fact]
    public async Task An_unknown_coding_cookie_and_a_null_byte_are_syntax_errors_never_faults()
    {
        var cookie = await LintHarness.LintBytesAsync(Encoding.ASCII.GetBytes("# coding: no-such-encoding\nx = 1\n"), LintHarness.Python);
        Assert.Equal("SYNTAX", Assert.Single(cookie).RuleId);
        Assert.Contains("unknown encoding", cookie[0].Message, StringComparison.Ordinal);

        var nul = await LintHarness.LintBytesAsync([.. Encoding.ASCII.GetBytes("x = 1\n"), 0, .. Encoding.ASCII.GetBytes("\n")], LintHarness.Python);
        Assert.Equal("SYNTAX", Assert.Single(nul).RuleId);
    }

    [Fact]
    public async Task Columns_count_characters_on_lines_with_non_ascii_text()
    {
        var findings = await LintHarness.LintAsync(Prelude + "données_é = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(données_é, y)\n");
        var leak = Assert.Single(findings, f => f.RuleId == "LEAK001");
        Assert.Equal(7, leak.Line);
        Assert.Equal(13, leak.Column);
    }

    [Fact]
    public async Task A_tree_nested_past_the_limit_is_named_as_not_analysed_and_other_files_are_checked()
    {
        using var dir = new TempDirectory();
        dir.Write("deep.py", "total = " + string.Concat(Enumerable.Repeat("1 + ", 1500)) + "1\n");
        dir.Write("train.py", Prelude + "X = StandardScaler().fit_transform(X)\nX_train, X_test, y_train, y_test = train_test_split(X, y)\n");
        var report = await Linter.LintAsync(["."], dir.Path, LintHarness.Options, Environment.GetEnvironmentVariable("PATH"), CancellationToken.None);
        var deep = Assert.Single(report.Findings, f => f.Path == "deep.py");
        Assert.Equal("INTERNAL", deep.RuleId);
        Assert.Equal(Severity.Warning, deep.Severity);
        Assert.Contains("nested more than 1000 levels deep", deep.Message, StringComparison.Ordinal);
        Assert.Contains(report.Findings, f => f.Path == "train.py" && f.RuleId == "LEAK001");
    }

    private static string InterpreterFor(int minor)
    {
        if (minor <= 11)
        {
            return LintHarness.Python;
        }

        var modern = LintHarness.ModernPython;
        Assert.True(modern is { } m && m.Minor >= minor, $"this sample needs CPython 3.{minor} or newer (the image's pyenv has it); found {modern?.Path ?? "none"}");
        return modern!.Value.Path;
    }

    private sealed record Sample(int Minor, bool Leaks, string Code);
}
