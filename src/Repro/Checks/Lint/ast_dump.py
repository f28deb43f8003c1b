# Shipped with repro (embedded in Repro.Core): reads a JSON list of Python sources from the file
# named by argv[1] and prints, for each, its syntax tree from the standard `ast` module as JSON,
# or the SyntaxError with its line. All analysis happens in repro itself; this only parses.
# Each source is "b" + base64 of a file's bytes (decoded here as the interpreter does: BOM, coding
# cookie) or "t" + text (a notebook cell, already text).
import ast
import base64
import io
import json
import sys
import tokenize

SKIP = {"ctx", "type_comment", "end_lineno", "end_col_offset", "lineno", "col_offset", "type_ignores"}

# Deeper trees are not analysed (repro walks them recursively); real code stays far below
# (the standard library's deepest file is about 35 levels).
MAX_DEPTH = 1000


class TooDeep(Exception):
    pass


def text(value):
    # Lone surrogates ("\udc80" in a literal) are valid Python but not valid UTF-16 JSON text.
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def constant(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return text(value)
    if isinstance(value, int):
        return value if -(2 ** 53) <= value <= 2 ** 53 else repr(value)
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else repr(value)
    return text(repr(value))


class Encoder:
    def __init__(self, lines):
        # ast columns count UTF-8 bytes; findings count characters.
        self.lines = lines

    def column(self, line, offset):
        if 0 < line <= len(self.lines):
            source = self.lines[line - 1]
            if not source.isascii():
                return len(source.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        return offset

    def encode(self, node, depth):
        if isinstance(node, ast.AST):
            if depth > MAX_DEPTH:
                raise TooDeep()
            out = {"_": type(node).__name__}
            line = getattr(node, "lineno", None)
            if line is not None:
                out["@"] = [line, self.column(line, node.col_offset)]
            for name, value in ast.iter_fields(node):
                if name in SKIP:
                    continue
                if name == "value" and isinstance(node, ast.Constant):
                    out["value"] = constant(value)
                elif value is not None and value != []:
                    # A missing field reads as None or [] on the other side: less JSON to move.
                    out[name] = self.encode(value, depth + 1)
            return out
        if isinstance(node, list):
            return [self.encode(item, depth) for item in node]
        return constant(node)


def comments(source):
    # Only real comments, found by the tokenizer, so a string that mentions "repro:" does not count.
    if "repro:" not in source:
        return []
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and "repro:" in token.string:
                found.append([token.start[0], text(token.string)])
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def decode(raw):
    # The same decoding the interpreter applies (BOM, coding cookie); only reached once parsing worked.
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        decoded = raw.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        decoded = raw.decode("utf-8", "replace")
    return decoded[1:] if decoded.startswith("\ufeff") else decoded


def analyse(item):
    kind, payload = item[:1], item[1:]
    source = base64.b64decode(payload) if kind == "b" else payload
    try:
        tree = ast.parse(source)
    except SyntaxError as error:
        # Also an unknown coding cookie or bytes that are not in the declared encoding.
        return {"error": "%s: %s" % (type(error).__name__, text(error.msg)), "line": error.lineno or 1, "col": error.offset or 1}
    except RecursionError:
        return {"error": "too deeply nested for the parser", "line": 1, "col": 1}
    except (ValueError, TypeError) as error:
        return {"error": "cannot parse: %s" % text(str(error)), "line": 1, "col": 1}
    decoded = decode(source) if kind == "b" else source
    try:
        # Lines as the tokenizer counts them (\n, \r\n or \r; not form feeds, unlike splitlines).
        lines = decoded.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        encoded = Encoder(lines).encode(tree, 0)
    except (TooDeep, RecursionError):
        return {"limit": "its syntax tree is nested more than %d levels deep" % MAX_DEPTH}
    return {"tree": encoded, "comments": comments(decoded)}


def main():
    sys.setrecursionlimit(20000)
    with open(sys.argv[1], encoding="utf-8") as handle:
        sources = json.load(handle)
    results = [analyse(item) for item in sources]
    sys.stdout.write(json.dumps(results, separators=(",", ":")))


main()
