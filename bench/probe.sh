#!/usr/bin/env bash
# The Python probe's cost, each figure beside the same work without the probe, in the same run:
#   1. Python start-up: `python -c pass` with and without the probe on PYTHONPATH (median of N);
#   2. the bundled demo training (examples/loan-approval/train.py) with and without, interleaved
#      (median of 11; the cost is the median of the pairs' ratios, steadier than a ratio of medians);
#   3. fingerprinting: GB/s of the probe's fingerprint of a contiguous float64 array (no copy),
#      beside hashlib.sha256 over the same memory (the ceiling) in the same process;
#   4. a notebook: `jupyter nbconvert --execute` of a one-cell notebook (a kernel start, both
#      processes probed), with and without (median of N/4), when /usr/bin/jupyter is installed.
# Nothing asserts a time. Usage: bench/probe.sh [--quick] [--python /usr/bin/python3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python=/usr/bin/python3
starts=40
mib=1024
demos=11
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) starts=15; mib=256; demos=3 ;;
    --python) python="$2"; shift ;;
    *) echo "usage: bench/probe.sh [--quick] [--python PATH]" >&2; exit 2 ;;
  esac
  shift
done

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT INT TERM
cp -r "$root/src/Repro/Capture/Probe/python" "$scratch/probe"
cp -r "$root/examples/loan-approval" "$scratch/demo"
# The first start compiles the probe's sources, as the first run of a repro version does.
REPRO_PROBE_TRACE="$scratch/warm.jsonl" PYTHONPATH="$scratch/probe" "$python" -c pass

export SCRATCH="$scratch" PYTHON="$python" STARTS="$starts" MIB="$mib" DEMOS="$demos"
"$python" - <<'PY'
import os, statistics, subprocess, sys, time
scratch, python, starts, mib = os.environ["SCRATCH"], os.environ["PYTHON"], int(os.environ["STARTS"]), int(os.environ["MIB"])
base = {k: v for k, v in os.environ.items() if not k.startswith("REPRO_PROBE_") and k != "PYTHONPATH"}
probed = dict(base, PYTHONPATH=scratch + "/probe", REPRO_PROBE_TRACE=scratch + "/trace.jsonl", REPRO_PROBE_SEED="0")

import resource
cpu = {"last": 0.0}

def timed(argv, env, cwd=None):
    # Wall time, and the child's CPU time (user + system) in cpu["last"]: on a loaded machine the
    # CPU time is the steadier of the two.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu["last"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall

rows = []
bare, probe = [], []
for _ in range(starts):  # interleaved, so a busy moment hits both alike
    bare.append(timed([python, "-c", "pass"], base))
    probe.append(timed([python, "-c", "pass"], probed))
b, p = statistics.median(bare), statistics.median(probe)
rows.append(("python -c pass (median of %d)" % starts, "%.1f ms" % (p * 1e3), "%.1f ms" % (b * 1e3), "+%.1f ms" % ((p - b) * 1e3)))

demo = scratch + "/demo"
subprocess.run([python, "make_data.py"], cwd=demo, env=base, check=True, stdout=subprocess.DEVNULL)
train = [python, "train.py", "--n-estimators", "100"]
timed(train, base, demo)
bare, probe, bare_cpu, probe_cpu = [], [], [], []
demos = int(os.environ["DEMOS"])
for _ in range(demos):
    bare.append(timed(train, base, demo))
    bare_cpu.append(cpu["last"])
    os.remove(scratch + "/trace.jsonl") if os.path.exists(scratch + "/trace.jsonl") else None
    probe.append(timed(train, probed, demo))
    probe_cpu.append(cpu["last"])
def paired(with_probe, without):
    return statistics.median(p / b for p, b in zip(with_probe, without)) - 1
b, p = statistics.median(bare), statistics.median(probe)
rows.append(("demo training, 100 trees (median of %d)" % demos, "%.2f s" % p, "%.2f s" % b, "%+.1f %%" % (paired(probe, bare) * 100)))
b, p = statistics.median(bare_cpu), statistics.median(probe_cpu)
rows.append(("demo training, CPU time (user + system, median of %d)" % demos, "%.2f s" % p, "%.2f s" % b, "%+.1f %%" % (paired(probe_cpu, bare_cpu) * 100)))

code = r'''
import os, sys, time, hashlib
sys.path.insert(0, os.environ["SCRATCH"] + "/probe")
os.environ["REPRO_PROBE_TRACE"] = os.environ["SCRATCH"] + "/fp.jsonl"
os.environ["REPRO_PROBE_BUDGET"] = str(1 << 40)
import numpy as np
import _repro_probe
a = np.arange(int(os.environ["MIB"]) * (1 << 20) // 8, dtype=np.float64)
def best(f):
    times = []
    for _ in range(3):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return min(times)
fp = best(lambda: _repro_probe.fingerprint(a))
raw = best(lambda: hashlib.sha256(memoryview(a).cast("B")).hexdigest())
print("%f %f" % (a.nbytes / fp / 1e9, a.nbytes / raw / 1e9))
'''
out = subprocess.run([python, "-c", code], env=base, check=True, capture_output=True, text=True).stdout.split()
rows.append(("fingerprint of %d MiB float64 (best of 3)" % mib, "%.2f GB/s" % float(out[0]), "%.2f GB/s (hashlib.sha256)" % float(out[1]), "%.0f %%" % (float(out[0]) / float(out[1]) * 100)))

jupyter = "/usr/bin/jupyter"
if os.path.exists(jupyter):
    with open(scratch + "/nb.ipynb", "w") as f:
        f.write('{"cells": [{"cell_type": "code", "execution_count": null, "id": "c0", "metadata": {}, "outputs": [], "source": "pass"}], '
                '"metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}')
    execute = [jupyter, "nbconvert", "--to", "notebook", "--execute", "nb.ipynb", "--output", "out.ipynb"]
    timed(execute, base, scratch)
    bare, probe = [], []
    kernels = max(3, starts // 4)
    for _ in range(kernels):
        bare.append(timed(execute, base, scratch))
        probe.append(timed(execute, probed, scratch))
    b, p = statistics.median(bare), statistics.median(probe)
    rows.append(("jupyter nbconvert --execute, one cell (median of %d)" % kernels, "%.2f s" % p, "%.2f s" % b, "%+.0f ms" % ((p - b) * 1e3)))

print("| probe benchmark | with the probe | without (peer) | cost |")
print("| --- | --- | --- | --- |")
for row in rows:
    print("| %s | %s | %s | %s |" % row)
PY
