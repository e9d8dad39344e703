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
size_t pageSize()
{
    static const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    return page;
}
size_t roundUp(size_t bytes)
{
    const size_t page = pageSize();
    return (bytes + page - 1) / page * page;
}
} // namespace

void* grow(void* old, size_t oldBytes, size_t newBytes)
{
    const size_t oldMapped = roundUp(oldBytes), newMapped = roundUp(newBytes);
    void* p = nullptr;
    if (!old) p = mmap(nullptr, newMapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    else if (newMapped == oldMapped) return old;
    else p = mremap(old, oldMapped, newMapped, MREMAP_MAYMOVE);
    if (p == MAP_FAILED) throw std::bad_alloc();
    return p;
}

void release(void* p, size_t bytes)
{
    if (p) munmap(p, roundUp(bytes));
}

void discardTail(void* p, size_t keep, size_t bytes)
{
    const size_t from = roundUp(keep), to = roundUp(bytes);
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
