#!/usr/bin/env bash
# Makes the golden first-edition checkpoint in checkpoint/ beside this script with a given HpcTune.dll (README.md here).
#   bash tests/HpcTune.Cli.Tests/Data/golden-first-edition/make.sh artifacts/publish/HpcTune/HpcTune.dll
set -euo pipefail
dll=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
ckpt=$work/ckpt
started=$work/started
touch "$started"
objective=(--command /usr/bin/python3 "$here/objective.py" '{x}' '{n}' '{k}' "$started")

# Waits until COUNT objectives for trials FROM and above have started.
wait_started() { until [ "$(awk -v from="$1" '$1 >= from' "$started" | wc -l)" -ge "$2" ]; do sleep 0.1; done; }

# 1. run: trials from 5 on hang; SIGTERM with --grace 0 journals them as interrupted (exit 3).
GOLDEN_HANG_FROM=5 dotnet "$dll" run --study "$here/study.json" --checkpoint "$ckpt" --workers 3 --grace 0 "${objective[@]}" &
master=$!
wait_started 5 3
kill -TERM "$master"
wait "$master" || [ $? -eq 3 ]

# 2. resume: the interrupted trials go out again and finish, then trials from 9 on hang; kill -9 leaves them open.
GOLDEN_HANG_FROM=9 dotnet "$dll" resume --checkpoint "$ckpt" --workers 3 "${objective[@]}" &
master=$!
wait_started 9 3
kill -KILL "$master"
wait "$master" || true
awk '$1 >= 9 { print $2 }' "$started" | xargs -r kill # the orphaned objectives of the open trials

rm -rf "$here/checkpoint"
mkdir "$here/checkpoint"
find "$ckpt" -maxdepth 1 -type f ! -name master.lock ! -name master.info -exec cp {} "$here/checkpoint/" \;
dotnet "$dll" status --checkpoint "$here/checkpoint"
rm -rf "$work"
