#pragma once
// Inside core/store's column filter (column_filter.cpp evaluates, column_predicate.cpp compiles):
// the columnar predicate a filter's syntax tree compiles to. Not a public API.
#include "core/model/result.h"
#include "core/query/filter_ip.h"
#include "core/store/columns.h"
#include "core/store/store_impl.h"

#include <QByteArray>
#include <cstdint>
#include <optional>
#include <vector>

namespace core::filterlang {
struct Node;
}

namespace core::detail {

/// Offset of the store's encoded addresses: IPv4 as value - kAddrBias, others as string code + kAddrBias.
constexpr int64_t kAddrBias = int64_t{1} << 31;

/// One node of the columnar predicate.
struct PNode {
    /// Slot / AddrSlot: an integer / address field without a hot column (version, traffic-path,
    /// pkt-srcaddr, ...), read per row from the cold columns of a store that holds every value.
    enum Kind { And, Or, Not, Ctx, Int, Drops, Addr, Slot, AddrSlot, Fixed } kind = Fixed;
    std::vector<PNode> children;
    std::vector<uint64_t> ctxBits; ///< Ctx: bit per context code
    IntColumn column = IntColumn::Packets;
    bool dst = false; ///< Addr: dstaddr, else srcaddr
    int slot = -1;    ///< Slot: SchemaSlots integer slot; AddrSlot: address slot
    enum Test { Present, Eq, Lt, Le, Gt, Ge, In, Has, Cidr4, Host4, Net6 } test = Present;
    int64_t value = 0;
    std::vector<int64_t> values;
    uint32_t mask = 0, net = 0; ///< Cidr4 / Host4 (mask all ones)
    IpNetwork network;          ///< Cidr4 / Net6 (for addresses held as text)
    QByteArray hostText;        ///< Host4: the canonical text SQL compares with
    bool fixed = false;         ///< Fixed: the constant answer
};

/// The predicate of `tree` (parsed by filterlang::parseFilter and accepted by compileFilter); nullopt
/// when the columns cannot answer it (run SQL); an Error when a term is invalid for the columns the
/// way SQL would fail it. Call with the ColumnScanLock held (reads the context dictionary; name
/// terms query `names` through `store`).
using CompiledPredicate = std::optional<Result<PNode>>;
CompiledPredicate compilePredicate(const Store& store, const Store::Impl& impl, const filterlang::Node& tree);

} // namespace core::detail
