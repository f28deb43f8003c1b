#!/usr/bin/env python3
"""Writes the malformed-input corpus under tests/Corpus/malformed/<parser>/ (checked in).

Each folder holds files one parser of repro must refuse (or, for a run's metrics, skip with a
warning) with one clear error, in bounded time and memory. Files stay small: inputs that must be
big (10 MB single lines, a million zip entries) are made at test time by the corpus tests.
Run it again after changing it: `/usr/bin/python3 tests/Corpus/generate.py`.
"""
import io
import json
import os
import shutil
import struct
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "malformed")


def write(parser, name, data):
    folder = os.path.join(ROOT, parser)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def truncations(text, count):
    """count prefixes of text, cut at spread-out points (never empty, never whole)."""
    step = max(1, len(text) // (count + 1))
    return [text[: step * (i + 1)] for i in range(count) if 0 < step * (i + 1) < len(text)]


def yaml_bomb(levels, fan):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i-1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


def json_corpus(parser, ext):
    valid = json.dumps({"accuracy": 0.91, "loss": [0.5, 0.4, 0.3], "nested": {"f1": 0.8, "auc": 0.93}})
    for i, t in enumerate(truncations(valid, 8)):
        write(parser, f"truncated-{i}{ext}", t)
    write(parser, f"empty{ext}", "")
    write(parser, f"bom-only{ext}", b"\xef\xbb\xbf")
    write(parser, f"deep-object-300{ext}", '{"a":' * 300 + "1" + "}" * 300)
    write(parser, f"deep-array-100000{ext}", "[" * 100000 + "]" * 100000)
    write(parser, f"deep-unclosed-50000{ext}", "[" * 50000)
    write(parser, f"huge-number{ext}", '{"accuracy": 1e999}')
    write(parser, f"huge-negative-number{ext}", '{"loss": -1e400}')
    write(parser, f"number-5000-digits{ext}", '{"accuracy": ' + "9" * 5000 + "}")
    write(parser, f"nul-bytes{ext}", b'{"accuracy": \x00 0.9}')
    write(parser, f"nul-in-key{ext}", b'{"acc\x00uracy": 0.9, ')
    write(parser, f"invalid-utf8{ext}", b'{"accuracy": "\xff\xfe\xc3\x28", "x": ')
    write(parser, f"utf16-le{ext}", '{"accuracy": 0.9'.encode("utf-16-le"))
    write(parser, f"utf16-bom{ext}", b"\xff\xfe" + '{"accuracy": 0.9}'.encode("utf-16-le"))
    write(parser, f"unterminated-string{ext}", '{"accuracy": "0.9')
    write(parser, f"lone-surrogate{ext}", '{"accuracy": "\\ud800", "x": [}')
    write(parser, f"trailing-garbage{ext}", '{"accuracy": 0.9} }}}} garbage')
    write(parser, f"single-quotes{ext}", "{'accuracy': 0.9}")
    write(parser, f"nan-literal{ext}", '{"accuracy": NaN, "x": Infinity,')
    write(parser, f"control-chars{ext}", '{"accuracy\x01\x02": 0.9\x1b[31m')
    write(parser, f"binary-noise{ext}", bytes((i * 73 + 41) % 256 for i in range(4096)))
    write(parser, f"only-brackets{ext}", "]]]]}}}}")
    write(parser, f"missing-colon{ext}", '{"accuracy" 0.9}')
    write(parser, f"overflow-exponent{ext}", '{"accuracy": 1e99999999999999999999}')


def yaml_corpus(parser, ext):
    valid = "accuracy: 0.91\nloss:\n  - 0.5\n  - 0.4\nnested:\n  f1: 0.8\n"
    broken = 'accuracy: "0.91\nloss: [0.5, 0.4\nnested: {f1: 0.8\n'
    for i, t in enumerate(truncations(broken[12:], 4)):
        write(parser, f"truncated-{i}{ext}", broken[:12] + t)
    write(parser, f"alias-bomb-9x9{ext}", yaml_bomb(9, 9))
    write(parser, f"alias-bomb-12x4{ext}", yaml_bomb(12, 4))
    write(parser, f"alias-bomb-mapping{ext}", "a: &a {x: 1, y: 1}\n" + "".join(f"b{i}: &b{i} {{p: *{'a' if i == 0 else 'b' + str(i - 1)}, q: *{'a' if i == 0 else 'b' + str(i - 1)}}}\n" for i in range(40)))
    write(parser, f"merge-key-bomb{ext}", "a: &a {x: 1}\n" + "".join(f"m{i}: &m{i} {{<<: *{'a' if i == 0 else 'm' + str(i - 1)}, k{i}: [*{'a' if i == 0 else 'm' + str(i - 1)}, *{'a' if i == 0 else 'm' + str(i - 1)}]}}\n" for i in range(40)))
    write(parser, f"deep-flow-300{ext}", "a: " + "[" * 300 + "]" * 300 + "\n")
    write(parser, f"deep-flow-unclosed-20000{ext}", "a: " + "[" * 20000 + "\n")
    write(parser, f"deep-block-300{ext}", "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v: 1\n")
    write(parser, f"undefined-alias{ext}", "accuracy: *nowhere\n")
    write(parser, f"tab-indent{ext}", "nested:\n\tf1: 0.8\n")
    write(parser, f"nul-bytes{ext}", b"accuracy: 0.9\x00\nloss: \x00\n")
    write(parser, f"invalid-utf8{ext}", b"accuracy: \xff\xfe\xc3\x28\n")
    write(parser, f"utf16-le{ext}", "accuracy: 0.9\n".encode("utf-16-le"))
    write(parser, f"unterminated-quote{ext}", 'accuracy: "0.9\nloss: 1\n')
    write(parser, f"python-tag{ext}", "model: !!python/object/apply:os.system ['true']\naccuracy: [\n")
    write(parser, f"binary-noise{ext}", bytes((i * 91 + 7) % 256 for i in range(4096)))
    write(parser, f"duplicate-anchor-loop{ext}", "a: &a [*a]\n")
    write(parser, f"huge-number{ext}", "accuracy: 1e999\nloss: [1, 2\n")
    write(parser, f"mixed-documents{ext}", "accuracy: 0.9\n---\n- [\n...\n%YAML 9.9\n")
    write(parser, f"directive-garbage{ext}", "%YAML 1.1\n%TAG ! tag:x\n%%%\n")
    write(parser, f"many-documents{ext}", "---\na: 1\n" * 2000 + "- [")


def csv_corpus(parser, ext):
    sep = "\t" if ext == ".tsv" else ","
    write(parser, f"unterminated-quote{ext}", f'step{sep}loss\n0{sep}"0.5\n1{sep}0.4\n')
    write(parser, f"ragged{ext}", f"step{sep}loss{sep}acc\n0{sep}0.5\n1{sep}0.4{sep}0.9{sep}7\n")
    write(parser, f"empty{ext}", "")
    write(parser, f"blank-lines{ext}", "\n\n   \n\t\n")
    write(parser, f"columns-20000{ext}", sep.join(f"c{i}" for i in range(20000)) + "\n" + sep.join("1" for _ in range(20000)) + "\n")
    write(parser, f"nul-bytes{ext}", f"step{sep}loss\n0{sep}\x000.5\n".encode())
    write(parser, f"invalid-utf8{ext}", b"step,loss\n0,\xff\xfe\n1,\xc3\x28\n" if sep == "," else b"step\tloss\n0\t\xff\xfe\n")
    write(parser, f"utf16-le{ext}", f"step{sep}loss\n0{sep}0.5\n".encode("utf-16-le"))
    write(parser, f"quote-in-middle{ext}", f'step{sep}loss\n0{sep}0."5"5{sep}"\n')
    write(parser, f"quote-never-closed-long{ext}", f'step{sep}loss\n0{sep}"' + "x" * 200000 + "\n")
    write(parser, f"cr-only{ext}", f"step{sep}loss\r0{sep}0.5\r1{sep}\"0.4\r")
    write(parser, f"header-only-quote{ext}", '"\n')
    write(parser, f"binary-noise{ext}", bytes((i * 37 + 11) % 256 for i in range(4096)))
    write(parser, f"huge-number{ext}", f"step{sep}loss\n0{sep}1e999\n1{sep}\"\n")


def notebook_corpus():
    p = "notebook"
    good = {"cells": [{"cell_type": "code", "source": ["import numpy as np\n", "np.random.rand()\n"]}], "nbformat": 4}
    text = json.dumps(good)
    for i, t in enumerate(truncations(text, 5)):
        write(p, f"truncated-{i}.ipynb", t)
    write(p, "not-json.ipynb", "print('hello')\n")
    write(p, "empty.ipynb", "")
    write(p, "root-array.ipynb", "[1, 2, 3]")
    write(p, "root-string.ipynb", '"cells"')
    write(p, "cells-not-list.ipynb", '{"cells": {"a": 1}}')
    write(p, "no-cells.ipynb", '{"nbformat": 4}')
    write(p, "deep-nesting.ipynb", '{"cells": ' + "[" * 10000 + "]" * 10000 + "}")
    write(p, "huge-number.ipynb", '{"cells": [], "nbformat": 1e999}')
    write(p, "nul-bytes.ipynb", b'{"cells": [\x00]}')
    write(p, "invalid-utf8.ipynb", b'{"cells": [{"cell_type": "code", "source": "\xff\xfe"')
    write(p, "utf16.ipynb", text.encode("utf-16"))
    write(p, "binary-noise.ipynb", bytes((i * 53 + 3) % 256 for i in range(4096)))


def pointer_corpus():
    p = "pointer"
    sha = "a" * 64
    write(p, "alias-bomb.repro", yaml_bomb(9, 9))
    write(p, "deep-flow.repro", "sha256: " + "[" * 5000 + "\n")
    write(p, "escape-parent.repro", f"sha256: {sha}\nsize: 1\npath: ../../../etc/passwd\n")
    write(p, "escape-absolute.repro", f"sha256: {sha}\nsize: 1\npath: /etc/passwd\n")
    write(p, "escape-dotdot-inside.repro", f"sha256: {sha}\nsize: 1\npath: data/../../outside\n")
    write(p, "missing-sha.repro", "size: 1\npath: data.csv\n")
    write(p, "missing-path.repro", f"sha256: {sha}\nsize: 1\n")
    write(p, "sha-not-hex.repro", "sha256: zz" + "z" * 62 + "\nsize: 1\npath: data.csv\n")
    write(p, "sha-short.repro", "sha256: abc\nsize: 1\npath: data.csv\n")
    write(p, "negative-size.repro", f"sha256: {sha}\nsize: -5\npath: data.csv\n")
    write(p, "huge-size.repro", f"sha256: {sha}\nsize: 99999999999999999999999999\npath: data.csv\n")
    write(p, "files-not-number.repro", f"sha256: {sha}\nsize: 1\nfiles: many\npath: data\n")
    write(p, "not-a-mapping.repro", "- a\n- b\n")
    write(p, "nul-bytes.repro", f"sha256: {sha}\x00\nsize: 1\npath: data.csv\n".encode())
    write(p, "invalid-utf8.repro", b"sha256: \xff\xfe\nsize: 1\npath: \xc3\x28\n")
    write(p, "binary-noise.repro", bytes((i * 29 + 5) % 256 for i in range(2048)))
    write(p, "truncated.repro", f"sha256: {sha}\nsize: 1\npath: \"data")
    write(p, "two-documents.repro", f"sha256: {sha}\nsize: 1\npath: a\n---\nsha256: {sha}\n")
    write(p, "too-large.repro", f"sha256: {sha}\nsize: 1\npath: data.csv\n# " + "x" * 70000 + "\n")
    write(p, "path-nul.repro", f"sha256: {sha}\nsize: 1\npath: \"data\\0.csv\"\n")


def dvc_corpus():
    p = "dvc"
    md5 = "d41d8cd98f00b204e9800998ecf8427e"
    write(p, "alias-bomb.dvc", yaml_bomb(9, 9))
    write(p, "deep.dvc", "outs: " + "[" * 5000 + "\n")
    write(p, "escape-parent.dvc", f"outs:\n- md5: {md5}\n  size: 0\n  path: ../../outside\n")
    write(p, "escape-absolute.dvc", f"outs:\n- md5: {md5}\n  size: 0\n  path: /etc/passwd\n")
    write(p, "outs-not-list.dvc", "outs: 5\n")
    write(p, "out-no-path.dvc", f"outs:\n- md5: {md5}\n")
    write(p, "unknown-key.dvc", "outz: []\n")
    write(p, "not-a-mapping.dvc", "- 1\n- 2\n")
    write(p, "nul-bytes.dvc", b"outs:\n- md5: \x00\n  path: a\n")
    write(p, "invalid-utf8.dvc", b"outs:\n- path: \xff\xfe\n")
    write(p, "truncated.dvc", f"outs:\n- md5: {md5}\n  path: \"da")
    write(p, "binary-noise.dvc", bytes((i * 17 + 3) % 256 for i in range(2048)))
    write(p, "wdir-escape.dvc", f"wdir: ../..\nouts:\n- md5: {md5}\n  path: x\n")
    p = "dvc-lock"
    write(p, "alias-bomb.lock", yaml_bomb(9, 9))
    write(p, "deep.lock", "schema: '2.0'\nstages: " + "[" * 5000 + "\n")
    write(p, "schema-1.lock", "train:\n  cmd: python train.py\n")
    write(p, "schema-unknown.lock", "schema: '9.0'\nstages: {}\n")
    write(p, "stages-not-mapping.lock", "schema: '2.0'\nstages: [1, 2]\n")
    write(p, "stage-no-cmd.lock", "schema: '2.0'\nstages:\n  train:\n    deps: []\n")
    write(p, "dep-no-path.lock", f"schema: '2.0'\nstages:\n  train:\n    cmd: x\n    deps:\n    - md5: {md5}\n")
    write(p, "dep-escape.lock", f"schema: '2.0'\nstages:\n  train:\n    cmd: x\n    deps:\n    - path: ../../../etc/passwd\n      md5: {md5}\n")
    write(p, "isexec-not-bool.lock", f"schema: '2.0'\nstages:\n  train:\n    cmd: x\n    outs:\n    - path: m\n      md5: {md5}\n      isexec: perhaps\n")
    write(p, "nul-bytes.lock", b"schema: '2.0'\x00\nstages: {}\n")
    write(p, "invalid-utf8.lock", b"schema: '2.0'\nstages:\n  \xff\xfe: {}\n")
    write(p, "truncated.lock", "schema: '2.0'\nstages:\n  train:\n    cmd: \"python")
    write(p, "binary-noise.lock", bytes((i * 13 + 1) % 256 for i in range(2048)))
    write(p, "not-a-mapping.lock", "[1, 2]\n")


def zip_bytes(entries, symlinks=(), comment=b""):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
        for name, target in symlinks:
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            z.writestr(info, target)
        z.comment = comment
    return buffer.getvalue()


def lie_about_size(data, name, size):
    """Rewrites the uncompressed size of entry `name` in the central directory and local header."""
    out = bytearray(data)
    encoded = name.encode()
    i = 0
    while True:
        i = out.find(b"PK\x01\x02", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", out, i + 28)[0]
        if bytes(out[i + 46:i + 46 + n]) == encoded:
            struct.pack_into("<I", out, i + 24, size)
        i += 4
    i = 0
    while True:
        i = out.find(b"PK\x03\x04", i)
        if i < 0:
            break
        n = struct.unpack_from("<H", out, i + 26)[0]
        if bytes(out[i + 30:i + 30 + n]) == encoded:
            struct.pack_into("<I", out, i + 22, size)
        i += 4
    return bytes(out)


def bundle_corpus():
    p = "bundle"
    index = json.dumps({"kind": "repro-bundle", "schema_version": 1, "subject": "0" * 32, "runs": [], "verifications": [], "blobs": [], "commits": {}})
    write(p, "not-a-zip.reprobundle", "this is not a zip file\n")
    write(p, "empty.reprobundle", "")
    write(p, "zip-slip-parent.reprobundle", zip_bytes([("bundle.json", index), ("../../evil.txt", "x")]))
    write(p, "zip-slip-inner.reprobundle", zip_bytes([("bundle.json", index), ("runs/../../../evil.json", "x")]))
    write(p, "zip-slip-absolute.reprobundle", zip_bytes([("bundle.json", index), ("/tmp/evil.txt", "x")]))
    write(p, "zip-slip-backslash.reprobundle", zip_bytes([("bundle.json", index), ("..\\..\\evil.txt", "x")]))
    write(p, "zip-slip-drive.reprobundle", zip_bytes([("bundle.json", index), ("C:/evil.txt", "x")]))
    write(p, "symlink-entry.reprobundle", zip_bytes([("bundle.json", index)], symlinks=[("blobs/" + "a" * 64, "/etc/passwd")]))
    write(p, "symlink-escape.reprobundle", zip_bytes([("bundle.json", index)], symlinks=[("runs/link", "../../../../")]))
    write(p, "duplicate-entry.reprobundle", zip_bytes([("bundle.json", index), ("bundle.json", index)]))
    write(p, "no-index.reprobundle", zip_bytes([("runs/" + "0" * 32 + ".json", "{}")]))
    write(p, "index-truncated.reprobundle", zip_bytes([("bundle.json", index[: len(index) // 2])]))
    write(p, "index-deep.reprobundle", zip_bytes([("bundle.json", "[" * 100000 + "]" * 100000)]))
    write(p, "index-huge-number.reprobundle", zip_bytes([("bundle.json", index.replace('"schema_version": 1', '"schema_version": 1e999'))]))
    write(p, "index-wrong-kind.reprobundle", zip_bytes([("bundle.json", index.replace("repro-bundle", "other"))]))
    write(p, "index-nul.reprobundle", zip_bytes([("bundle.json", "\x00" * 100)]))
    write(p, "index-invalid-utf8.reprobundle", zip_bytes([("bundle.json", b'{"kind": "\xff\xfe"}')]))
    write(p, "unexpected-entry.reprobundle", zip_bytes([("bundle.json", index), ("notes.txt", "hi")]))
    write(p, "blob-not-listed.reprobundle", zip_bytes([("bundle.json", index), ("blobs/" + "b" * 64, "data")]))
    write(p, "subject-missing.reprobundle", zip_bytes([("bundle.json", index)]))
    lying = zip_bytes([("bundle.json", index), ("blobs/" + "c" * 64, b"\0" * 100000)])
    write(p, "declared-size-lies-small.reprobundle", lie_about_size(lying, "bundle.json", 10))
    write(p, "declared-size-huge.reprobundle", lie_about_size(lying, "blobs/" + "c" * 64, 0xFFFFFFF0))
    bomb = zip_bytes([("bundle.json", index)] + [(f"blobs/{i:064x}", b"\0" * 5_000_000) for i in range(3)])
    write(p, "zeros-bomb.reprobundle", bomb)
    corrupt = bytearray(zip_bytes([("bundle.json", index * 20)]))
    mid = len(corrupt) // 3
    corrupt[mid:mid + 16] = b"\xff" * 16
    write(p, "corrupt-deflate.reprobundle", bytes(corrupt))
    write(p, "truncated-zip.reprobundle", zip_bytes([("bundle.json", index)])[:-30])
    write(p, "binary-noise.reprobundle", b"PK\x03\x04" + bytes((i * 41 + 9) % 256 for i in range(4096)))


def npy_header(header, version=1, magic=b"\x93NUMPY"):
    h = header.encode("latin1")
    if version == 1:
        return magic + bytes([1, 0]) + struct.pack("<H", len(h)) + h
    return magic + bytes([version, 0]) + struct.pack("<I", len(h)) + h


def npy_corpus():
    p = "npy"
    good = npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }".ljust(117) + "\n") + struct.pack("<3d", 1, 2, 3)
    for i, t in enumerate(truncations(good, 5)):
        write(p, f"truncated-{i}.npy", t)
    write(p, "bad-magic.npy", b"\x93NUMPX" + good[6:])
    write(p, "empty.npy", b"")
    write(p, "version-9.npy", good[:6] + b"\x09\x00" + good[8:])
    write(p, "header-length-huge-v2.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFF0) + b"{")
    write(p, "header-length-past-end.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", 60000) + b"{'descr'")
    write(p, "shape-overflow.npy", npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }\n"))
    write(p, "shape-100-dims.npy", npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (" + ", ".join(["1"] * 100) + "), }\n"))
    write(p, "shape-not-number.npy", npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (x, y), }\n"))
    write(p, "no-descr.npy", npy_header("{'fortran_order': False, 'shape': (3,), }\n") + b"\0" * 24)
    write(p, "object-dtype.npy", npy_header("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }\n") + b"\x80\x04cos\nsystem\n")
    write(p, "nul-header.npy", npy_header("\x00" * 100))
    write(p, "data-short.npy", npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000,), }\n") + b"\0" * 8)
    write(p, "huge-dimension.npy", npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (" + "9" * 40 + ",), }\n"))
    write(p, "binary-noise.npy", b"\x93NUMPY" + bytes((i * 61 + 17) % 256 for i in range(4096)))


def safetensors(header_bytes, data=b"", length=None):
    return struct.pack("<Q", len(header_bytes) if length is None else length) + header_bytes + data


def safetensors_corpus():
    p = "safetensors"
    good_header = json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}).encode()
    good = safetensors(good_header, struct.pack("<2f", 1, 2))
    for i, t in enumerate(truncations(good, 4)):
        write(p, f"truncated-{i}.safetensors", t)
    write(p, "empty.safetensors", b"")
    write(p, "header-length-huge.safetensors", safetensors(b"{}", length=2 ** 63))
    write(p, "header-length-past-end.safetensors", safetensors(b"{}", length=1000))
    write(p, "header-not-json.safetensors", safetensors(b"not json at all"))
    write(p, "header-deep.safetensors", safetensors(b"[" * 100000 + b"]" * 100000))
    write(p, "header-root-array.safetensors", safetensors(b"[1, 2, 3]"))
    write(p, "offsets-outside.safetensors", safetensors(json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 800000]}}).encode(), b"\0" * 8))
    write(p, "offsets-reversed.safetensors", safetensors(json.dumps({"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}).encode(), b"\0" * 8))
    write(p, "shape-negative.safetensors", safetensors(json.dumps({"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}).encode(), b"\0" * 8))
    write(p, "shape-overflow.safetensors", safetensors(json.dumps({"w": {"dtype": "F32", "shape": [2 ** 62, 2 ** 62], "data_offsets": [0, 8]}}).encode(), b"\0" * 8))
    write(p, "shape-float.safetensors", safetensors(json.dumps({"w": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 8]}}).encode(), b"\0" * 8))
    write(p, "offsets-huge-number.safetensors", safetensors(b'{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 1e999]}}', b"\0" * 8))
    write(p, "offsets-not-array.safetensors", safetensors(b'{"w": {"dtype": "F32", "shape": [2], "data_offsets": 5}}', b"\0" * 8))
    write(p, "nul-header.safetensors", safetensors(b"\0" * 64))
    write(p, "invalid-utf8-header.safetensors", safetensors(b'{"\xff\xfe": {}}'))


def npz_corpus():
    p = "npz"
    good_npy = npy_header("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }".ljust(117) + "\n") + struct.pack("<3d", 1, 2, 3)
    write(p, "not-a-zip.npz", "not a zip")
    write(p, "empty.npz", b"")
    write(p, "member-not-npy.npz", zip_bytes([("a.npy", "hello")]))
    write(p, "member-truncated.npz", zip_bytes([("a.npy", good_npy[:40])]))
    write(p, "member-huge-header.npz", zip_bytes([("a.npy", b"\x93NUMPY\x02\x00" + struct.pack("<I", 0xFFFFFFF0))]))
    write(p, "declared-size-lies.npz", lie_about_size(zip_bytes([("a.npy", good_npy + b"\0" * 100000)]), "a.npy", len(good_npy)))
    write(p, "declared-size-huge.npz", lie_about_size(zip_bytes([("a.npy", good_npy)]), "a.npy", 0xFFFFFFF0))
    write(p, "zip-slip.npz", zip_bytes([("../../a.npy", good_npy)]))
    write(p, "truncated-zip.npz", zip_bytes([("a.npy", good_npy)])[:-25])
    write(p, "binary-noise.npz", b"PK\x05\x06" + bytes((i * 7 + 1) % 256 for i in range(1024)))


def steplog_corpus():
    p = "steplog"
    write(p, "not-json.jsonl", "loss=0.5\nloss=0.4\n")
    write(p, "deep-line.jsonl", "[" * 50000 + "\n" + '{"key": "loss", "value": 0.5}\n')
    write(p, "huge-value.jsonl", '{"key": "loss", "value": 1e999}\n{"key": "loss", "value": 0.5, "step": 1e30}\n')
    write(p, "wrong-types.jsonl", '{"key": 5, "value": "x"}\n{"key": "loss", "value": [1]}\n[1, 2]\n"str"\n')
    write(p, "nul-bytes.jsonl", b'{"key": "loss", "value": 0.5}\x00\n\x00\x00\n')
    write(p, "invalid-utf8.jsonl", b'{"key": "\xff\xfe", "value": 0.5}\n')
    write(p, "duplicate-keys.jsonl", '{"key": "a", "key": "b", "value": 1, "value": {"x": 2}}\n')
    write(p, "truncated.jsonl", '{"key": "loss", "value": 0.5}\n{"key": "lo')
    write(p, "binary-noise.jsonl", bytes((i * 97 + 13) % 256 for i in range(4096)))
    write(p, "many-bad-lines.jsonl", "}\n" * 5000)


def config_corpus():
    p = "config"
    write(p, "alias-bomb.yaml", "version: 1\nstore: x\n" + yaml_bomb(9, 9).replace("a0:", "remotes:", 1))
    write(p, "deep.yaml", "version: 1\nremotes: " + "[" * 5000 + "\n")
    write(p, "remotes-not-mapping.yaml", "version: 1\nremotes: [1, 2]\n")
    write(p, "remote-no-url.yaml", "version: 1\nremotes:\n  origin: {}\n")
    write(p, "nul-bytes.yaml", b"version: 1\nremotes:\x00\n")
    write(p, "invalid-utf8.yaml", b"version: 1\nremotes:\n  \xff\xfe: {url: x}\n")
    write(p, "truncated.yaml", "version: 1\nremotes:\n  origin: {url: \"s3://b")
    write(p, "binary-noise.yaml", bytes((i * 23 + 19) % 256 for i in range(2048)))
    write(p, "tab-indent.yaml", "version: 1\nremotes:\n\torigin: {url: x}\n")
    write(p, "too-large.yaml", "version: 1\n# " + "x" * (17 << 20) + "\n" if False else "version: 1\nremotes: {origin: {url: [[[[[\n")


def leak_corpus():
    p = "leak"
    write(p, "unterminated-quote.csv", 'id,x,y\n1,"2,3\n4,5,6\n')
    write(p, "empty.csv", "")
    write(p, "no-target.csv", "id,x\n1,2\n")
    write(p, "columns-20000.csv", ",".join(f"c{i}" for i in range(20000)) + ",y\n" + ",".join("1" for _ in range(20001)) + "\n")
    write(p, "quote-never-closed-long.csv", 'id,x,y\n1,"' + "x" * 300000 + "\n")
    write(p, "binary-noise.csv", bytes((i * 43 + 21) % 256 for i in range(4096)))
    write(p, "nul-header.csv", b"\x00\x00\x00\n1,2,3\n")
    write(p, "utf16.csv", "id,x,y\n1,2,3\n".encode("utf-16"))
    write(p, "quote-in-field.csv", 'id,x,y\n1,a"b"c,"d\n')
    write(p, "ragged.csv", "id,x,y\n1,2\n3,4,5,6,7\n")


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    json_corpus("metrics-json", ".json")
    yaml_corpus("metrics-yaml", ".yaml")
    csv_corpus("metrics-csv", ".csv")
    csv_corpus("metrics-tsv", ".tsv")
    json_corpus("params-json", ".json")
    yaml_corpus("params-yaml", ".yaml")
    notebook_corpus()
    pointer_corpus()
    dvc_corpus()
    bundle_corpus()
    npy_corpus()
    safetensors_corpus()
    npz_corpus()
    steplog_corpus()
    config_corpus()
    leak_corpus()
    total = sum(len(files) for _, _, files in os.walk(ROOT))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(ROOT) for f in files)
    print(f"{total} files, {size} bytes under {ROOT}")


if __name__ == "__main__":
    main()
