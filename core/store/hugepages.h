#pragma once
// Advice for large blocks about to be written in full (a restored column, a session's twin array):
// huge pages where the kernel grants them on request. On this kind of VM a 4 KiB page fault
// costs microseconds, and 10M records' columns are 110,000 of them; with 2 MiB pages a few
// hundred. Kept out of columns_array.h (included nearly everywhere).
#include <cstddef>
#include <cstdint>

#ifdef __linux__
#include <sys/mman.h>
#endif

namespace core {

/// Asks for huge pages behind the whole 2 MiB pages of [p, p + bytes). Advice only; Linux only.
inline void adviseHugePages(void* p, size_t bytes)
{
#ifdef __linux__
    if (!p) return;
    constexpr uintptr_t kHuge = uintptr_t{2} << 20;
    // Offsets of the first and past-the-last whole huge page inside the block (no int-to-pointer cast).
    const auto addr = reinterpret_cast<uintptr_t>(p);
    const uintptr_t first = ((addr + kHuge - 1) & ~(kHuge - 1)) - addr;
    const uintptr_t last = ((addr + bytes) & ~(kHuge - 1)) - addr;
    if (last > first) madvise(static_cast<char*>(p) + first, last - first, MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}

} // namespace core
