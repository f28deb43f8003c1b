#!/usr/bin/env python3
"""Assemble the leakage corpus's files from local git copies of the repositories in SOURCES.

Usage: assemble.py REPOS OUT

REPOS holds one git repository (bare or not) per source repository, found as REPOS/owner/name,
REPOS/owner+name or REPOS/owner+name/repo. Each file is written to OUT under its local name: the
file at the pinned commit and path, with notebook outputs emptied (outputs [], execution_count
null, attachments dropped; sources untouched). Stdlib only.
"""
import json
import os
import subprocess
import sys


def git_dir(root, repo):
    owner, name = repo.split("/", 1)
    for candidate in (os.path.join(root, owner, name), os.path.join(root, f"{owner}+{name}", "repo"), os.path.join(root, f"{owner}+{name}")):
        if os.path.isdir(candidate):
            return candidate
    return None


def strip(notebook):
    for cell in notebook.get("cells", []):
        cell.pop("attachments", None)
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return notebook


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    root, out = argv[1], argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(out, exist_ok=True)
    missing = 0
    with open(os.path.join(here, "SOURCES"), encoding="utf-8") as sources:
        for line in sources:
            if line.startswith("#") or not line.strip():
                continue
            local, repo, commit, path, _licence = line.rstrip("\n").split("\t")
            directory = git_dir(root, repo)
            if directory is None:
                print(f"{local}: no copy of {repo} under {root}", file=sys.stderr)
                missing += 1
                continue
            shown = subprocess.run(["git", "--git-dir", directory if directory.endswith(".git") or not os.path.isdir(os.path.join(directory, ".git")) else os.path.join(directory, ".git"), "show", f"{commit}:{path}"], capture_output=True)
            if shown.returncode != 0:
                print(f"{local}: {repo}@{commit[:12]}:{path}: {shown.stderr.decode(errors='replace').strip()}", file=sys.stderr)
                missing += 1
                continue
            data = shown.stdout
            if local.endswith(".ipynb"):
                data = (json.dumps(strip(json.loads(data)), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
            temp = os.path.join(out, local + ".tmp")
            with open(temp, "wb") as handle:
                handle.write(data)
            os.replace(temp, os.path.join(out, local))
    print(f"{missing} missing", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
