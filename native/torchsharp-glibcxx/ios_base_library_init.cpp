// std::ios_base_library_init() came with GCC 13 (GLIBCXX_3.4.32); libLibTorchSharp.so of TorchSharp 0.107 calls it
// to set up the standard streams. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so fix-libtorchsharp.sh links this
// definition into a copy of that library (docs/gp-engines.md). Constructing an ios_base::Init is all GCC 13's does.
#include <ios>

namespace std
{
__attribute__((visibility("default"))) void ios_base_library_init()
{
    static ios_base::Init init;
}
}
