// Hostile input, files and folders: files that grow, shrink or vanish while read, directory
// trees with links, unreadable and special entries, missing and special paths. Loading
// finishes and every failure names its path. Helpers: tests/hostiletestutil.h.
#include "core/ingest/gzip.h"
#include "core/ingest/ingest.h"
#include "core/ingest/loader.h"
#include "core/names/names.h"
#include "core/store/store.h"
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>
#include <QTemporaryDir>
#include <QtTest>
#include <atomic>
#include <functional>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/hostiletestutil.h"

using namespace core;
using namespace hostiletest;

class TestHostileFiles : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // ---------------------------------------------------------------------------------
    // Files that change under the reader, and hostile directories.

    void fileChangesWhileReading_data()
    {
        QTest::addColumn<int>("action"); // 0 delete, 1 truncate to 0, 2 truncate mid-line, 3 replace
        QTest::newRow("deleted") << 0;
        QTest::newRow("truncated to 0") << 1;
        QTest::newRow("truncated mid-line") << 2;
        QTest::newRow("replaced by rename") << 3;
    }
    void fileChangesWhileReading()
    {
        QFETCH(int, action);
        const QString path = m_dir.filePath(QStringLiteral("changing.log"));
        constexpr int kLines = 40000; // ~4 MB: several 1 MiB reads
        QVERIFY(writeRepeated(path, kVpcHeader, kVpcLine, kLines, {}));
        bool acted = false;
        Sink sink;
        sink.onRecord = [&](qint64) {
            if (acted) return;
            acted = true;
            switch (action) {
            case 0:
                QFile::remove(path);
                break;
            case 1:
                QFile::resize(path, 0);
                break;
            case 2:
                QFile::resize(path, (2 << 20) + 17);
                break;
            case 3: {
                const QString other = m_dir.filePath(QStringLiteral("other.log"));
                writeRepeated(other, kVpcHeader, kVpcLine, 3, {});
                ::rename(QFile::encodeName(other).constData(), QFile::encodeName(path).constData());
                break;
            }
            }
        };
        const FileOutcome o = readFile(path, ReadOptions{}, sink);
        QVERIFY(acted);
        VERIFY_LINES_ACCOUNTED(o);
        QCOMPARE(o.records, sink.records);
        switch (action) {
        case 0:
        case 3: // the open file keeps its inode: everything is read
            QCOMPARE(o.records, kLines);
            QCOMPARE(o.rejected, 0);
            break;
        case 1:
        case 2: // what was read is kept; the rest is gone; a cut line is rejected, never half-parsed
            QVERIFY(o.records >= 1);
            QVERIFY(o.records < kLines);
            QVERIFY(o.rejected <= 1);
            break;
        }
        QFile::remove(path);
    }

    void hostileDirectory()
    {
        const QString root = m_dir.filePath(QStringLiteral("tree"));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/sub/deeper")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/empty")));
        auto write = [](const QString& p, const QByteArray& d) {
            QFile f(p);
            return f.open(QIODevice::WriteOnly) && f.write(d) == d.size();
        };
        QVERIFY(write(root + QStringLiteral("/a.log"), QByteArray(kVpcHeader) + kVpcLine + kVpcLine));
        QVERIFY(write(root + QStringLiteral("/sub/deeper/b.log.gz"), gzip(QByteArray(kTgwHeader) + kTgwLine)));
        QVERIFY(write(root + QStringLiteral("/sub/garbage.bin"), QByteArray(3000, '\0')));
        const QByteArray r = QFile::encodeName(root);
        QCOMPARE(::symlink("does-not-exist.log", (r + "/dangling.log").constData()), 0);
        QCOMPARE(::symlink("..", (r + "/sub/loop").constData()), 0);             // loop back to the root
        QCOMPARE(::symlink("self", (r + "/self").constData()), 0);               // ELOOP
        QCOMPARE(::symlink("deeper", (r + "/sub/deeper/again").constData()), 0); // a dangling relative link
        QCOMPARE(::mkfifo((r + "/fifo").constData(), 0600), 0);                  // must not block
        const bool root0 = ::geteuid() == 0;
        QVERIFY(write(root + QStringLiteral("/locked.log"), QByteArray(kVpcHeader) + kVpcLine));
        QVERIFY(QFile::setPermissions(root + QStringLiteral("/locked.log"), QFileDevice::Permissions()));

        auto store = newStore();
        const LoadReport rep = loadPaths(*store, {root}, LoadOptions{});
        const QString errors = rep.errors.join(QLatin1Char('\n'));
        QCOMPARE(rep.outcome, Outcome::Ok);
        // a.log (2) + b.log.gz (1), + locked.log (1) when running as root (permissions bypassed)
        QCOMPARE(rep.records, root0 ? 4 : 3);
        QCOMPARE(store->recordCount(), rep.records);
        QVERIFY2(errors.contains(root + QStringLiteral("/dangling.log")), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("broken symbolic link")), qPrintable(errors));
        QVERIFY2(errors.contains(root + QStringLiteral("/sub/loop")), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("loop")), qPrintable(errors));
        QVERIFY2(errors.contains(root + QStringLiteral("/self")), qPrintable(errors));
        QVERIFY2(errors.contains(root + QStringLiteral("/sub/garbage.bin")), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("binary data")), qPrintable(errors));
        if (!root0) {
            QVERIFY2(errors.contains(root + QStringLiteral("/locked.log")), qPrintable(errors));
            QVERIFY2(errors.contains(QLatin1String("permission denied")), qPrintable(errors));
        }
        // No file was read twice through the loop.
        QStringList seen;
        for (const FileReport& f : rep.files)
            if (f.error.isEmpty()) seen << QFileInfo(f.path).canonicalFilePath();
        QCOMPARE(seen.size(), static_cast<qsizetype>(QSet<QString>(seen.begin(), seen.end()).size()));
        // Every error sentence names a path inside the tree.
        for (const QString& e : rep.errors) QVERIFY2(e.startsWith(root), qPrintable(e));
        QFile::setPermissions(root + QStringLiteral("/locked.log"), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }

    void missingAndSpecialPaths()
    {
        const QString good = m_dir.filePath(QStringLiteral("good.log"));
        {
            QFile f(good);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(kVpcHeader) + kVpcLine);
        }
        const QString missing = m_dir.filePath(QStringLiteral("missing.log"));
        const QString dangling = m_dir.filePath(QStringLiteral("dangling-top.log"));
        QCOMPARE(::symlink("nowhere", QFile::encodeName(dangling).constData()), 0);
        auto store = newStore();
        const LoadReport rep = loadPaths(*store, {missing, good, dangling, good, QStringLiteral("/dev/null")}, LoadOptions{});
        const QString errors = rep.errors.join(QLatin1Char('\n'));
        QCOMPARE(rep.outcome, Outcome::Ok);
        QCOMPARE(rep.records, 1); // good.log once, although named twice
        QVERIFY2(errors.contains(missing), qPrintable(errors));
        QVERIFY2(errors.contains(dangling), qPrintable(errors));
        QVERIFY2(errors.contains(QLatin1String("/dev/null")), qPrintable(errors)); // empty, named
    }
};

QTEST_GUILESS_MAIN(TestHostileFiles)
#include "tst_hostile_files.moc"
