# Shipped with repro (embedded in Repro.Core): reads a JSON list of Python sources from the file
# named by argv[1] and prints, for each, its syntax tree from the standard `ast` module as JSON,
# or the SyntaxError with its line. All analysis happens in repro itself; this only parses.
import ast
import io
import json
import sys
import tokenize

SKIP = {"ctx", "type_comment", "end_lineno", "end_col_offset", "lineno", "col_offset", "type_ignores"}


def constant(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if -(2 ** 53) <= value <= 2 ** 53 else repr(value)
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else repr(value)
    return repr(value)


def encode(node):
    if isinstance(node, ast.AST):
        out = {"_": type(node).__name__}
        line = getattr(node, "lineno", None)
        if line is not None:
            out["@"] = [line, node.col_offset]
        for name, value in ast.iter_fields(node):
            if name in SKIP:
                continue
            if name == "value" and isinstance(node, ast.Constant):
                out["value"] = constant(value)
            elif value is not None and value != []:
                # A missing field reads as None or [] on the other side: less JSON to move.
                out[name] = encode(value)
        return out
    if isinstance(node, list):
        return [encode(item) for item in node]
    return constant(node)


def comments(source):
    # Only real comments, found by the tokenizer, so a string that mentions "repro:" does not count.
    if "repro:" not in source:
        return []
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and "repro:" in token.string:
                found.append([token.start[0], token.string])
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def main():
    sys.setrecursionlimit(20000)
    with open(sys.argv[1], encoding="utf-8") as handle:
        sources = json.load(handle)
    results = []
    for source in sources:
        try:
            results.append({"tree": encode(ast.parse(source)), "comments": comments(source)})
        except SyntaxError as error:
            results.append({"error": "%s: %s" % (type(error).__name__, error.msg), "line": error.lineno or 1, "col": error.offset or 1})
        except RecursionError:
            results.append({"error": "too deeply nested for the parser", "line": 1, "col": 1})
        except ValueError as error:
            results.append({"error": "cannot parse: %s" % error, "line": 1, "col": 1})
    sys.stdout.write(json.dumps(results, separators=(",", ":")))


main()
