#!/usr/bin/env bash
# Makes TorchSharp 0.107's libLibTorchSharp.so load on a system whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12):
# on the copy at $1 (a build output, never the NuGet cache) the GLIBCXX_3.4.32 requirement becomes weak and a small
# library defining std::ios_base_library_init(), its one symbol of that version, is added as a dependency beside it.
# Does nothing where libstdc++ has the version or the copy is already fixed. Usage: fix-libtorchsharp.sh LIB [CACHE_DIR]
# (CACHE_DIR keeps the compiled helper between builds). Needs g++ and patchelf (.ci/packages.txt). docs/gp-engines.md.
set -euo pipefail
lib=$1
cache=${2:-$(dirname "$lib")}
here=$(cd "$(dirname "$0")" && pwd)
helper=libhpctune_iosinit.so
version=GLIBCXX_3.4.32

libstdcxx=$(/sbin/ldconfig -p | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [[ -z "$libstdcxx" ]]; then
    libstdcxx=$(g++ -print-file-name=libstdc++.so.6)
fi
if grep -qa "$version" "$libstdcxx"; then
    exit 0 # the system's libstdc++ has it: the library loads as it is
fi
command -v patchelf >/dev/null || { echo "fix-libtorchsharp.sh: patchelf is needed to make libLibTorchSharp.so load here (apt-get install patchelf)" >&2; exit 1; }

mkdir -p "$cache"
if [[ ! -f "$cache/$helper" || "$here/ios_base_library_init.cpp" -nt "$cache/$helper" ]]; then
    g++ -shared -fPIC -O2 -o "$cache/$helper.tmp" "$here/ios_base_library_init.cpp"
    mv "$cache/$helper.tmp" "$cache/$helper"
fi
if [[ "$(cd "$(dirname "$lib")" && pwd)" != "$(cd "$cache" && pwd)" ]]; then
    cp "$cache/$helper" "$(dirname "$lib")/$helper"
fi

if patchelf --print-needed "$lib" | grep -qx "$helper"; then
    exit 0 # fixed by an earlier build
fi
# Patch a private copy and move it in: the file in the output may be a link into the NuGet cache.
tmp=$(mktemp "$(dirname "$lib")/.libLibTorchSharp.XXXXXX")
trap 'rm -f "$tmp"' EXIT
cp "$lib" "$tmp"
/usr/bin/python3 "$here/weaken_version.py" "$tmp" "$version" >/dev/null
patchelf --add-needed "$helper" "$tmp"
chmod 755 "$tmp"
mv -f "$tmp" "$lib"
trap - EXIT
echo "fix-libtorchsharp.sh: $lib now loads without $version (helper $helper)"
