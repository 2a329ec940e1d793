#!/usr/bin/env bash
# MPICH check: builds the MPI shim (native/mpi) and the ping-pong baseline against MPICH with the same warnings as
# CMake (-Wall -Wextra -Werror), then runs a 4-rank GP study under MPICH's mpiexec.hydra with that shim in place of
# the OpenMPI one. MPICH is not installed: its Debian packages are downloaded and unpacked into a temporary
# directory (installing them would change which MPI the system's mpicc/mpiexec mean for everything else).
# Build first: bash .ci/build
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd); work=$(mktemp -d "${TMPDIR:-/tmp}/mpich.XXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download libmpich-dev libmpich12 mpich libslurm38 > /dev/null 2>&1
for deb in ./*.deb; do dpkg -x "$deb" root; done
root=$work/root; lib=$root/usr/lib/x86_64-linux-gnu; include=$root/usr/include/x86_64-linux-gnu/mpich
gcc -std=c11 -O2 -Wall -Wextra -Werror -fPIC -shared -I"$include" -I"$top/native/mpi" "$top/native/mpi/hpctune_mpi.c" \
  -L"$lib" -l:libmpich.so.12 -o libhpctune_mpi.so
gcc -O2 -Wall -Wextra -Werror -I"$include" "$top/bench/native/mpi_pingpong.c" -L"$lib" -l:libmpich.so.12 -o pingpong
echo "built against $(LD_LIBRARY_PATH=$lib "$root/usr/bin/mpichversion" | head -1 | tr -s ' \t' ' ')"
cp -r "$top/artifacts/bin/HpcTune/release" app
cp libhpctune_mpi.so app/libhpctune_mpi.so
cat > study.json <<JSON
{"name": "mpich", "parameters": [{"name": "x1", "bounds": {"min": -5, "max": 10}}, {"name": "x2", "bounds": {"min": 0, "max": 15}}],
 "metrics": [{"name": "value", "objective": "minimize"}], "observation_budget": 60, "parallel_bandwidth": 3, "algorithm": {"name": "gp", "seed": 1}}
JSON
export LD_LIBRARY_PATH=$lib PATH=$root/usr/bin:$PATH
mpiexec.hydra -launcher fork -n 4 ./pingpong 500 200
mpiexec.hydra -launcher fork -n 4 dotnet app/HpcTune.dll run --study study.json --checkpoint ckpt --objective builtin:branin \
  > out.txt 2> err.txt || { cat err.txt; exit 1; }
grep -E "^study 'mpich' completed: 60/60" out.txt
dotnet app/HpcTune.dll export --checkpoint ckpt --format csv --output trials.csv
echo "trials per worker: $(cut -d, -f6 trials.csv | tail -n +2 | sort | uniq -c | tr -s ' \n' ' ')"
