#pragma once
// Test helper: the many-VPC-records store text tst_cancel and tst_column_cancel load (one
// generator, so the two cancel tests scan the same kind of store), and the two kinds of store the
// column tests compare (flow_data as the virtual table over the columns, or as a real table).
#include "core/store/store.h"
#include "core/store/store_impl.h"

#include <QByteArray>
#include <memory>

namespace storetest {

/// VPC default format (version 2) header line.
inline constexpr char kVpcHeader[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";

/// The header and `records` VPC records: record i on ENI i % 7, from 10.1.(i % 250).3 port
/// 1024 + i % 5000 to 10.2.3.4, TCP, 10 packets, 7i bytes, start 1700000000 + i, one minute
/// long, REJECT every third (i % 3 == 0). Destination port 443, or 22 every fourth record
/// (i % 4 == 0) with `sshEveryFourth`.
inline QByteArray manyVpcRecords(int records, bool sshEveryFourth = false)
{
    QByteArray data = kVpcHeader;
    for (int i = 0; i < records; ++i)
        data += "2 123456789012 eni-0123456789abcdef" + QByteArray::number(i % 7) + " 10.1." + QByteArray::number(i % 250)
                + ".3 10.2.3.4 " + QByteArray::number(1024 + i % 5000) + " " + (sshEveryFourth && i % 4 == 0 ? "22" : "443")
                + " 6 10 " + QByteArray::number(i * 7) + " " + QByteArray::number(1700000000 + i) + " "
                + QByteArray::number(1700000060 + i) + (i % 3 ? " ACCEPT OK\n" : " REJECT OK\n");
    return data;
}

/// A new empty store: `flow_data` the virtual table over the typed columns (virtualTable), or a
/// real SQLite table (the reference the column tests compare against). Null on failure.
inline std::unique_ptr<core::Store> newStore(bool virtualTable)
{
    auto created = core::Store::create();
    if (!created.ok()) return nullptr;
    std::unique_ptr<core::Store> store = std::move(created.value());
    if (!virtualTable && !store->impl().useFlowDataTable().ok()) return nullptr;
    return store;
}

} // namespace storetest
