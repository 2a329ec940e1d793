#!/usr/bin/env bash
# Runs a benchmark command against an earlier commit's CLI and this tree's, alternating, PAIRS times (default 3):
#   bash bench/side-by-side.sh COMMIT [PAIRS] -- bash bench/mpi-utilization.sh 64 gp 12
# The earlier CLI is built (native/ included) and published by this tree's .ci/publish-cli, as .ci/build publishes
# this tree's, from a temporary worktree, and handed to the command as HPCTUNE_DLL, which bench/mpi-utilization.sh and
# bench/mpi-dispatch.sh honour. This machine's figures drift by several
# points from one minute to the next, so only runs taken side by side are compared. Build this tree first: bash .ci/build
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
usage() { echo "usage: bash bench/side-by-side.sh COMMIT [PAIRS] -- COMMAND..." >&2; exit 2; }
[[ $# -ge 1 ]] || usage
commit=$1; shift
pairs=3
if [[ $# -gt 0 && $1 != "--" ]]; then pairs=$1; shift; fi
[[ $# -gt 1 && $1 == "--" && $pairs =~ ^[1-9][0-9]*$ ]] || usage
shift
git -C "$top" rev-parse --verify --quiet "$commit^{commit}" > /dev/null || { echo "no such commit: $commit" >&2; exit 2; }
work=$(mktemp -d)
trap 'git -C "$top" worktree remove --force "$work/tree" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$top" worktree add -q --detach "$work/tree" "$commit"
# The earlier commit's own native/ too: the shim's interface version moves with the managed side (1 -> 2 when
# sends stopped blocking), and a CLI refuses a shim of another version.
{ cmake -S "$work/tree" -B "$work/tree/build" -DCMAKE_BUILD_TYPE=Release && cmake --build "$work/tree/build" -j 2 \
  && bash "$top/.ci/publish-cli" "$work/tree/src/HpcTune/HpcTune.csproj" "$work/publish" "$work/tree/build/native"; } > "$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }
for ((i = 1; i <= pairs; i++)); do
  echo "[$commit] $(HPCTUNE_DLL="$work/publish/HpcTune.dll" "$@" | tail -1)"
  echo "[this tree] $("$@" | tail -1)"
done
