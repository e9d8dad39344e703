#pragma once
// Test helper for the tests that compare two ways of reading the same input (the gzip thread
// against inline decoding, the two-thread parser against one thread): everything a reader hands
// to its sink as text, a file outcome as text, and a store's rows as text.
#include "core/ingest/ingest.h"
#include "core/model/fields.h"
#include "core/store/store.h"

#include <QString>
#include <QStringList>
#include <QTest>
#include <algorithm>
#include <functional>
#include <string_view>
#include <utility>

namespace readertext {

/// Every record (line, each field or "-", extras, raw line) and rejection (line, reason, raw)
/// a reader hands over, in order, as text (views are copied at once). Extra columns are numbered
/// by `column` (default: all of them 0).
class RecordingSink final : public core::RecordSink {
public:
    explicit RecordingSink(std::function<int(std::string_view)> column = [](std::string_view) { return 0; })
        : m_column(std::move(column))
    {
    }
    QStringList items;
    void record(const core::FlowRecord& r) override
    {
        QString s = QStringLiteral("R %1 |").arg(r.line);
        for (int f = 0; f < core::kFieldCount; ++f) {
            const auto id = static_cast<core::FieldId>(f);
            if (!r.has(id)) s += QStringLiteral(" -");
            else if (core::fieldInfo(id).type == core::FieldType::Integer) s += QStringLiteral(" %1").arg(r.integer(id));
            else s += QLatin1Char(' ') + QString::fromUtf8(r.text(id).data(), static_cast<qsizetype>(r.text(id).size()));
        }
        for (const auto& [idx, v] : r.extras)
            s += QStringLiteral(" x%1=%2").arg(idx).arg(QString::fromUtf8(v.data(), static_cast<qsizetype>(v.size())));
        s += QStringLiteral(" | ") + QString::fromUtf8(r.raw.data(), static_cast<qsizetype>(r.raw.size()));
        items << s;
    }
    void reject(const core::Rejection& r) override { items << QStringLiteral("X %1 %2 | %3").arg(r.line).arg(r.reason, r.raw); }
    int extraColumn(std::string_view name) override { return m_column(name); }

private:
    std::function<int(std::string_view)> m_column;
};

/// A file outcome's counts, flags and fatal error as one line.
inline QString outcomeText(const core::FileOutcome& o)
{
    return QStringLiteral("%1 records=%2 rejected=%3 lines=%4 skipped=%5 truncated=%6 cancelled=%7 fatal=%8")
        .arg(o.format)
        .arg(o.records)
        .arg(o.rejected)
        .arg(o.linesRead)
        .arg(o.skipped)
        .arg(o.truncated)
        .arg(o.cancelled)
        .arg(o.fatal ? o.fatal->toString() : QString());
}

/// The rows of `sql` on `store`, cells joined by '|' ("prepare failed: ..." when it does not prepare).
inline QStringList query(core::Store& store, const QString& sql)
{
    QStringList rows;
    auto st = store.prepare(sql);
    if (!st.ok()) return {QStringLiteral("prepare failed: ") + st.error().message};
    while (st->next()) {
        QStringList cells;
        for (int i = 0; i < st->columnCount(); ++i) cells << st->text(i);
        rows << cells.join(QLatin1Char('|'));
    }
    return rows;
}

/// An ASan+UBSan build is ~20x slower per record: the comparisons run the same cases on fewer records.
#if defined(__SANITIZE_ADDRESS__)
constexpr int kSanitizerScale = 4;
#else
constexpr int kSanitizerScale = 1;
#endif

/// Fails at the first item of `got` (the way under test) that differs from `want` (one thread),
/// naming it, then on a different count.
inline void compareLists(const QStringList& got, const QStringList& want)
{
    for (qsizetype i = 0; i < std::min(got.size(), want.size()); ++i)
        if (got[i] != want[i])
            QFAIL(qPrintable(QStringLiteral("item %1 differs:\n  under test: %2\n  one thread: %3")
                                 .arg(i)
                                 .arg(got[i].left(300), want[i].left(300))));
    QCOMPARE(got.size(), want.size());
}

} // namespace readertext
