// The strong index types (core/model/ids.h): the compile-time checks are the point (a record id
// is not a table row, not a bare integer, not a context code, and no kind converts into
// another); the rows check that comparison and hashing follow the wrapped value.
#include "core/model/ids.h"

#include <QHash>
#include <QTest>
#include <set>
#include <type_traits>
#include <unordered_set>

using core::ContextCode;
using core::RecordId;
using core::StringCode;
using core::TableRow;

// Explicit construction only: no implicit integer -> id.
static_assert(std::is_constructible_v<RecordId, qint64>);
static_assert(!std::is_convertible_v<qint64, RecordId>);
static_assert(!std::is_convertible_v<int, TableRow>);
static_assert(!std::is_convertible_v<uint32_t, ContextCode>);
static_assert(!std::is_convertible_v<uint32_t, StringCode>);
// No way back to the integer but get().
static_assert(!std::is_convertible_v<RecordId, qint64>);
static_assert(!std::is_convertible_v<TableRow, int>);
static_assert(!std::is_convertible_v<ContextCode, uint32_t>);
// No kind converts into or is built from another.
static_assert(!std::is_convertible_v<RecordId, TableRow>);
static_assert(!std::is_constructible_v<TableRow, RecordId>);
static_assert(!std::is_convertible_v<TableRow, RecordId>);
static_assert(!std::is_constructible_v<RecordId, TableRow>);
static_assert(!std::is_convertible_v<ContextCode, StringCode>);
static_assert(!std::is_constructible_v<StringCode, ContextCode>);
static_assert(!std::is_constructible_v<ContextCode, StringCode>);
// Comparison only within a kind.
template <class A, class B>
concept EqualityComparable = requires(A a, B b)
{
    a == b;
};
static_assert(EqualityComparable<RecordId, RecordId>);
static_assert(!EqualityComparable<RecordId, TableRow>);
static_assert(!EqualityComparable<RecordId, qint64>);
static_assert(!EqualityComparable<ContextCode, StringCode>);
// Zero cost: one integer, trivially copyable.
static_assert(sizeof(RecordId) == sizeof(qint64) && sizeof(TableRow) == sizeof(int));
static_assert(sizeof(ContextCode) == sizeof(uint32_t) && sizeof(StringCode) == sizeof(uint32_t));
static_assert(std::is_trivially_copyable_v<RecordId> && std::is_trivially_copyable_v<TableRow>);
static_assert(RecordId{} == RecordId{0} && core::kNoRecord.get() == -1 && core::kNoRow.get() == -1);

class TestIds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void compare_data()
    {
        QTest::addColumn<qint64>("a");
        QTest::addColumn<qint64>("b");
        QTest::newRow("equal") << qint64(7) << qint64(7);
        QTest::newRow("less") << qint64(1) << qint64(2);
        QTest::newRow("greater") << qint64(5000000000) << qint64(3);
        QTest::newRow("none below every id") << qint64(-1) << qint64(1);
    }
    void compare()
    {
        QFETCH(qint64, a);
        QFETCH(qint64, b);
        QCOMPARE(RecordId(a) == RecordId(b), a == b);
        QCOMPARE(RecordId(a) < RecordId(b), a < b);
        QCOMPARE(RecordId(a) > RecordId(b), a > b);
        QCOMPARE(TableRow(static_cast<int>(a % 1000)) <= TableRow(static_cast<int>(b % 1000)), a % 1000 <= b % 1000);
    }

    void hashing()
    {
        // The same value hashes as the integer it wraps; distinct ids stay distinct in both hashes.
        QCOMPARE(std::hash<RecordId>{}(RecordId(42)), std::hash<qint64>{}(42));
        QCOMPARE(qHash(RecordId(42), 7), qHash(qint64(42), 7));
        std::unordered_set<RecordId> ids{RecordId(1), RecordId(2), RecordId(1)};
        QCOMPARE(ids.size(), size_t(2));
        QHash<ContextCode, int> codes;
        codes.insert(ContextCode(3), 1);
        codes.insert(ContextCode(3), 2);
        codes.insert(ContextCode(4), 3);
        QCOMPARE(codes.size(), 2);
        QCOMPARE(codes.value(ContextCode(3)), 2);
        std::set<TableRow> rows{TableRow(2), TableRow(0), TableRow(1)};
        QCOMPARE(rows.begin()->get(), 0);
    }
};

QTEST_GUILESS_MAIN(TestIds)
#include "tst_ids.moc"
