// ColumnArray's storage (see columns_array.h): mmap + mremap on Linux, malloc + realloc elsewhere.
#include "core/store/columns_array.h"

#include <cstdlib>
#include <cstring>
#include <new>

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace core::columns_detail {

#ifdef __linux__
namespace {
// Blocks of at least kHugeFrom bytes are mapped in whole 2 MiB pages, 2 MiB aligned, with
// MADV_HUGEPAGE: a growing column then takes one page fault per 2 MiB instead of 512 (on this
// kind of VM a 4 KiB fault costs ~17 us: 1M records' columns were 10,000 faults, most of the
// writer's kernel time). Smaller blocks (small stores, the first rows of a load) keep 4 KiB
// pages, so a column of a few thousand rows does not hold 2 MiB. The resident cost of a huge
// block is its bytes rounded up to 2 MiB (< 2 MiB more per column).
constexpr size_t kHuge = size_t{2} << 20;
constexpr size_t kHugeFrom = size_t{256} << 10;

size_t pageSize()
{
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return page;
}
size_t roundUpTo(size_t bytes, size_t unit)
{
    return (bytes + unit - 1) / unit * unit;
}
/// Bytes mapped for a block of `bytes` (what munmap and mremap are given).
size_t mapped(size_t bytes)
{
    return roundUpTo(bytes, bytes >= kHugeFrom ? kHuge : pageSize());
}
/// A fresh zeroed mapping of `bytes` (a multiple of kHuge) starting on a 2 MiB boundary, advised
/// for huge pages; nullptr on failure.
void* mapAligned(size_t bytes)
{
    void* raw = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    auto* base = static_cast<char*>(raw);
    const size_t head = (kHuge - reinterpret_cast<uintptr_t>(raw) % kHuge) % kHuge;
    if (head) munmap(base, head);
    if (kHuge - head) munmap(base + head + bytes, kHuge - head);
    madvise(base + head, bytes, MADV_HUGEPAGE);
    return base + head;
}
} // namespace

void* grow(void* old, size_t oldBytes, size_t newBytes)
{
    const size_t oldMapped = old ? mapped(oldBytes) : 0, newMapped = mapped(newBytes);
    if (old && newMapped == oldMapped) return old;
    if (newBytes < kHugeFrom) { // 4 KiB pages
        void* p = old ? mremap(old, oldMapped, newMapped, MREMAP_MAYMOVE)
                      : mmap(nullptr, newMapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        return p;
    }
    if (old && oldBytes >= kHugeFrom) { // huge already: grow in place, else move the page tables to a 2 MiB boundary
        void* p = mremap(old, oldMapped, newMapped, 0);
        if (p != MAP_FAILED) {
            madvise(p, newMapped, MADV_HUGEPAGE);
            return p;
        }
        void* target = mapAligned(newMapped);
        if (!target) throw std::bad_alloc();
        p = mremap(old, oldMapped, newMapped, MREMAP_MAYMOVE | MREMAP_FIXED, target);
        if (p == MAP_FAILED) {
            munmap(target, newMapped);
            throw std::bad_alloc();
        }
        madvise(p, newMapped, MADV_HUGEPAGE);
        return p;
    }
    // The first huge block: its 4 KiB pages would keep the first 2 MiB out of a huge page, so the
    // (< 256 KiB) old block is copied rather than moved.
    void* p = mapAligned(newMapped);
    if (!p) throw std::bad_alloc();
    if (old) {
        std::memcpy(p, old, oldBytes);
        munmap(old, oldMapped);
    }
    return p;
}

void release(void* p, size_t bytes)
{
    if (p) munmap(p, mapped(bytes));
}

void discardTail(void* p, size_t keep, size_t bytes)
{
    // A huge block's last 2 MiB page is resident past `bytes` too: discard up to its end.
    const size_t from = roundUpTo(keep, pageSize()), to = mapped(bytes);
    if (p && to > from) madvise(static_cast<char*>(p) + from, to - from, MADV_DONTNEED); // reads back as zero
}
#else
void* grow(void* old, size_t oldBytes, size_t newBytes)
{
    void* p = std::realloc(old, newBytes);
    if (!p) throw std::bad_alloc();
    std::memset(static_cast<char*>(p) + oldBytes, 0, newBytes - oldBytes);
    return p;
}

void release(void* p, size_t)
{
    std::free(p);
}

void discardTail(void*, size_t, size_t) {}
#endif

} // namespace core::columns_detail
