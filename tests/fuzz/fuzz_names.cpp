// libFuzzer target: core::parseNamesJson on arbitrary bytes (AWS CLI describe-* JSON), then
// storeNames into a store. Checks: a failed parse adds nothing; every entry can be found by
// its id; labels are never empty; storing the directory never fails.
#include "core/names/names.h"
#include "core/store/store.h"
#include "fuzz_common.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

core::Store* store()
{
    static std::unique_ptr<core::Store> s = [] {
        auto created = core::Store::create();
        if (!created.ok()) {
            std::fprintf(stderr, "Store::create failed: %s\n", qPrintable(created.error().toString()));
            std::abort();
        }
        return std::move(created.value());
    }();
    return s.get();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size > (1u << 20)) return 0;
    const QByteArray json(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    const QString path = QStringLiteral("fuzz-names.json");

    core::NameDirectory dir;
    core::NameEntry pre;
    pre.id = QStringLiteral("vpc-preexisting");
    pre.name = QStringLiteral("kept");
    dir.add(pre);

    const auto r = core::parseNamesJson(json, path, dir);
    if (!r.ok()) {
        FUZZ_CHECK(dir.entries().size() == 1, "a failed parse adds nothing");
        FUZZ_CHECK(dir.name(pre.id) == pre.name, "a failed parse changes nothing");
        FUZZ_CHECK(r.error().file == path, "the error names the file");
        FUZZ_CHECK(!r.error().message.isEmpty(), "the error has a message");
        return 0;
    }
    FUZZ_CHECK(r->entries >= 0, "entry count non-negative");
    FUZZ_CHECK(static_cast<qsizetype>(dir.entries().size()) <= 1 + r->entries, "no more entries than reported");
    for (const core::NameEntry& e : dir.entries()) {
        FUZZ_CHECK(dir.find(e.id) != nullptr, "every entry can be found by its id");
        FUZZ_CHECK(!dir.label(e.id).isEmpty() || e.id.isEmpty(), "labels are not empty");
        if (!e.name.isEmpty()) FUZZ_CHECK(dir.idsForName(e.name).contains(e.id), "idsForName finds the entry");
        for (const QString& ip : e.privateIps) (void)dir.eniForAddress(ip);
    }
    (void)dir.logFormats();
    const core::Status st = core::storeNames(*store(), dir);
    if (!st.ok() && fuzz::invariantsEnabled()) {
        std::fprintf(stderr, "storeNames failed: %s\n", qPrintable(st.error().toString()));
        std::abort();
    }
    return 0;
}
