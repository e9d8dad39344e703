// Export never loses data: core::exportCsvFile writes atomically; on any failure (read-only
// place, full disk, write error) or cancel, an existing target file stays byte-identical and no
// temporary file is left behind; the error names the file and says why.
//
// Running as root (CI containers) bypasses permission bits, so read-only and full filesystems
// are real small tmpfs mounts when mount(2) is permitted; otherwise those rows are skipped and
// the always-available simulations (/dev/full, a failing QIODevice, /proc) still run.
#include "core/export/csv.h"
#include "core/ingest/loader.h"
#include "core/store/store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace core;

namespace {

const char kVpcHeader[] =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n";

/// A QIODevice that accepts `limit` bytes and then fails every write (a disk filling up).
class FailingDevice final : public QIODevice {
public:
    explicit FailingDevice(qint64 limit) : m_limit(limit) {}
    qint64 written = 0;

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char*, qint64 len) override
    {
        if (written + len > m_limit) {
            setErrorString(QStringLiteral("No space left on device (simulated)"));
            return -1;
        }
        written += len;
        return len;
    }

private:
    qint64 m_limit;
};

/// A tmpfs mounted for the duration of a test (root with CAP_SYS_ADMIN only).
class TmpfsMount {
public:
    TmpfsMount(const QString& dir, const QByteArray& options) : m_dir(QFile::encodeName(dir))
    {
        m_ok = ::mount("tmpfs", m_dir.constData(), "tmpfs", 0, options.constData()) == 0;
        if (!m_ok) m_error = QString::fromLocal8Bit(std::strerror(errno));
    }
    ~TmpfsMount()
    {
        if (m_ok) ::umount2(m_dir.constData(), MNT_DETACH);
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;
    bool ok() const { return m_ok; }
    QString error() const { return m_error; }
    bool remountReadOnly() { return ::mount("tmpfs", m_dir.constData(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0; }

private:
    QByteArray m_dir;
    bool m_ok = false;
    QString m_error;
};

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

bool writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(data) == data.size() && f.flush();
}

QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
}

} // namespace

class TestExportSafety : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Store> m_store;
    QTemporaryDir m_dir;
    static constexpr int kRecords = 5000; // ~500 KB of CSV: more than the small tmpfs holds
    const QByteArray m_old = "the previous export\r\nmust survive\r\n";

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto created = Store::create();
        QVERIFY(created.ok());
        m_store = std::move(created.value());
        QByteArray data = kVpcHeader;
        for (int i = 0; i < kRecords; ++i)
            data += "2 123456789012 eni-0123456789abcdef0 10.1." + QByteArray::number(i % 250) + ".3 10.2.3.4 "
                    + QByteArray::number(1024 + i) + " 443 6 10 " + QByteArray::number(i * 7)
                    + " 1700000000 1700000060 ACCEPT OK\n";
        const LoadReport r = loadBuffer(*m_store, data, QStringLiteral("many.log"), LoadOptions{});
        QCOMPARE(r.records, qint64(kRecords));
    }

    void exportSucceeds()
    {
        const QString dir = m_dir.filePath(QStringLiteral("ok"));
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QStringLiteral("/out.csv");
        QVERIFY(writeFile(path, m_old));
        Error e;
        QCOMPARE(exportCsvFile(*m_store, ExportRequest{}, path, {}, nullptr, &e), Outcome::Ok);
        const QByteArray csv = readAll(path);
        QCOMPARE(csv.count("\r\n"), kRecords + 1);
        QVERIFY(csv.startsWith("file_id,line,"));
        QCOMPARE(entries(dir), QStringList{QStringLiteral("out.csv")}); // no temporary left
    }

    void failures_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("parent is a regular file") << "parent-file";
        QTest::newRow("parent does not exist") << "no-parent";
        QTest::newRow("target is a directory") << "target-dir";
        QTest::newRow("read-only directory (chmod, non-root)") << "chmod";
        QTest::newRow("read-only filesystem (tmpfs, root)") << "ro-mount";
        QTest::newRow("full filesystem (64 KiB tmpfs, root)") << "full-mount";
        QTest::newRow("read-only pseudo filesystem (/proc)") << "proc";
    }

    void failures()
    {
        QFETCH(QString, kind);
        const QString dir = m_dir.filePath(kind);
        QVERIFY(QDir().mkpath(dir));
        QString path = dir + QStringLiteral("/out.csv");
        QString expectInMessage;
        bool hasOld = true;
        std::unique_ptr<TmpfsMount> mount;

        if (kind == QLatin1String("parent-file")) {
            QVERIFY(writeFile(dir + QStringLiteral("/file"), "x"));
            path = dir + QStringLiteral("/file/out.csv");
            hasOld = false;
        } else if (kind == QLatin1String("no-parent")) {
            path = dir + QStringLiteral("/missing/out.csv");
            hasOld = false;
        } else if (kind == QLatin1String("target-dir")) {
            QVERIFY(QDir().mkpath(path));
            hasOld = false;
        } else if (kind == QLatin1String("chmod")) {
            if (::geteuid() == 0) QSKIP("running as root: permission bits do not stop root (see the tmpfs rows)");
            QVERIFY(writeFile(path, m_old));
            QVERIFY(QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::ExeOwner));
        } else if (kind == QLatin1String("ro-mount") || kind == QLatin1String("full-mount")) {
            mount = std::make_unique<TmpfsMount>(dir, QByteArray("size=64k,mode=0755"));
            if (!mount->ok()) QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs here: ") + mount->error()));
            QVERIFY(writeFile(path, m_old));
            if (kind == QLatin1String("ro-mount")) {
                QVERIFY(mount->remountReadOnly());
                expectInMessage = QStringLiteral("(read-only|not writable)");
            } else {
                expectInMessage = QStringLiteral("space");
            }
        } else if (kind == QLatin1String("proc")) {
            path = QStringLiteral("/proc/version"); // exists, read-only; its directory cannot take a temporary
        }

        const QByteArray before = hasOld ? readAll(path) : QByteArray();
        const QStringList dirBefore = entries(QFileInfo(path).absolutePath());
        Error e;
        const Outcome outcome = exportCsvFile(*m_store, ExportRequest{}, path, {}, nullptr, &e);
        const QByteArray after = hasOld ? readAll(path) : QByteArray();
        const QStringList dirAfter = entries(QFileInfo(path).absolutePath());
        if (kind == QLatin1String("chmod"))
            QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);

        QCOMPARE(outcome, Outcome::Failed);
        QVERIFY2(!e.message.isEmpty(), "the failure is explained");
        QVERIFY2(e.file == path || e.message.contains(path), qPrintable(e.toString()));
        if (hasOld) QCOMPARE(after, before);                              // the existing file is untouched
        if (kind != QLatin1String("proc")) QCOMPARE(dirAfter, dirBefore); // no temporary file left behind
        if (!expectInMessage.isEmpty()) {
            const QRegularExpression re(expectInMessage, QRegularExpression::CaseInsensitiveOption);
            QVERIFY2(e.message.contains(re), qPrintable(e.toString()));
        }
    }

    /// Writing to a device that reports ENOSPC (/dev/full) fails with the reason.
    void devFull()
    {
        QFile full(QStringLiteral("/dev/full"));
        if (!full.open(QIODevice::WriteOnly)) QSKIP("/dev/full is not available");
        Error e;
        QCOMPARE(exportCsv(*m_store, ExportRequest{}, full, {}, nullptr, &e), Outcome::Failed);
        QVERIFY2(e.message.contains(QLatin1String("space"), Qt::CaseInsensitive), qPrintable(e.toString()));
    }

    /// A device that fails part-way (after the header, in the middle, at the very end).
    void writeErrorPartWay_data()
    {
        QTest::addColumn<qint64>("limit");
        QTest::newRow("nothing fits") << 0LL;
        QTest::newRow("header only") << 200LL;
        QTest::newRow("half") << 250000LL;
    }
    void writeErrorPartWay()
    {
        QFETCH(qint64, limit);
        FailingDevice dev(limit);
        QVERIFY(dev.open(QIODevice::WriteOnly));
        Error e;
        QCOMPARE(exportCsv(*m_store, ExportRequest{}, dev, {}, nullptr, &e), Outcome::Failed);
        QVERIFY2(e.message.contains(QLatin1String("No space left")), qPrintable(e.toString()));
        QVERIFY(dev.written <= limit);
    }

    /// Cancel (from the progress callback, from a pre-set flag, or via Store::interrupt) leaves
    /// the existing file byte-identical and no temporary file.
    void cancelLeavesFileIdentical_data()
    {
        // (Store::interrupt is covered in tst_readonly_sql: from a callback between steps it
        // cannot be made to land deterministically, sqlite3_interrupt only hits running statements.)
        QTest::addColumn<int>("how"); // 0 flag set before, 1 flag set in the first progress call
        QTest::newRow("flag set before") << 0;
        QTest::newRow("flag set during") << 1;
    }
    void cancelLeavesFileIdentical()
    {
        QFETCH(int, how);
        const QString dir = m_dir.filePath(QStringLiteral("cancel%1").arg(how));
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + QStringLiteral("/out.csv");
        QVERIFY(writeFile(path, m_old));
        std::atomic<bool> cancel{how == 0};
        int calls = 0;
        const auto progress = [&](qint64, qint64) {
            ++calls;
            if (how == 1) cancel = true;
        };
        Error e;
        const Outcome outcome = exportCsvFile(*m_store, ExportRequest{}, path, progress, &cancel, &e);
        QCOMPARE(outcome, Outcome::Cancelled);
        if (how == 1) QVERIFY(calls >= 1);
        QCOMPARE(readAll(path), m_old);
        QCOMPARE(entries(dir), QStringList{QStringLiteral("out.csv")});
        QCOMPARE(m_store->recordCount(), qint64(kRecords));
    }

    /// The target is a device node or FIFO (e.g. `-o /dev/null` run as root): the export must
    /// not replace the node with a regular file.
    void deviceTargetNotReplaced()
    {
        const QString dir = m_dir.filePath(QStringLiteral("dev"));
        QVERIFY(QDir().mkpath(dir));
        const QString node = dir + QStringLiteral("/null");
        if (::mknod(QFile::encodeName(node).constData(), S_IFCHR | 0666, makedev(1, 3)) != 0)
            QSKIP("cannot create a device node here (needs root)");
        Error e;
        const Outcome outcome = exportCsvFile(*m_store, ExportRequest{}, node, {}, nullptr, &e);
        struct stat st {};
        QCOMPARE(::lstat(QFile::encodeName(node).constData(), &st), 0);
        QVERIFY2(S_ISCHR(st.st_mode), "the device node is still a device node");
        QCOMPARE(outcome, Outcome::Failed);
        QVERIFY2(e.message.contains(QStringLiteral("not a regular file")), qPrintable(e.message));
        QCOMPARE(e.file, node);
    }

    void cleanupTestCase()
    {
        // Restore permissions so QTemporaryDir can clean up.
        QFile::setPermissions(m_dir.filePath(QStringLiteral("chmod")),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    }
};

QTEST_GUILESS_MAIN(TestExportSafety)
#include "tst_export_safety.moc"
