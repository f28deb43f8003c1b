#!/usr/bin/env bash
# Builds repro and the benchmarks in Release, then runs them.
#   bench/run.sh [--quick] [--only sha256,folder,cli,python,npy,verify,data,leak,lint,container,pgstore,executor,search,mlflow,ui,slurm,load] [--temp DIR] [--store sqlite|postgresql|both]
# --quick: a 256 MiB file, 2,000 small files and 5 process starts instead of 1 GiB, 20,000 and 10.
# --temp: where the scratch folder goes (default: the system temp folder; try a tmpfs such as
# /dev/shm to take the file system's cost of creating files out of the picture).
# --store: the store the mlflow, search and ui benchmarks use (default sqlite); postgresql starts a
# throw-away server (Debian's binaries) for the run and stops it by its pid; both prints the two side by side.
# Prints a Markdown table (also written to bench/results/latest.md); progress goes to stderr.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
usage="usage: bench/run.sh [--quick] [--only sha256,folder,cli,python,npy,verify,data,leak,lint,container,pgstore,executor,search,mlflow,ui,slurm,load] [--temp DIR] [--store sqlite|postgresql|both]"

args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) args+=(--quick) ;;
    --only|--temp|--store)
      [[ $# -ge 2 ]] || { echo "$usage" >&2; exit 2; }
      args+=("$1" "$2")
      shift
      ;;
    -h|--help) echo "$usage"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'; $usage" >&2; exit 2 ;;
  esac
  shift
done

# The processes timed are the repro users run: on Linux x64 the native (ahead-of-time compiled)
# program that the README's install line packs (build_repro in scripts/build-repro), elsewhere the
# portable one.
source "$root/scripts/build-repro"
echo "building repro and Repro.Bench (Release)..." >&2
repro_path="$(build_repro)"
dotnet build "$here/Repro.Bench" -c Release -nologo -v quiet >&2
echo "timing $repro_path" >&2

dotnet "$here/Repro.Bench/bin/Release/net10.0/Repro.Bench.dll" "${args[@]}" \
  --repro "$repro_path" \
  --results "$here/results/latest.md"
