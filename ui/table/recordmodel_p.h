#pragma once
// What the record model's two files share (recordmodel.cpp: refresh, first page, order;
// recordmodel_pages.cpp: the page cache and fetchRows): the job reply, runJob, and the
// statement helpers. Private to ui/table.
#include "ui/table/recordmodel.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <span>

namespace ui {

namespace recordmodel_detail {

constexpr int kIdsPerStatement = 900;
constexpr int kPagesPerFetch = 4;
constexpr int kMaxWanted = 32;

/// `column` in double quotes (an SQL identifier).
QString quoted(const QString& column);

/// The reply error of a failed prepare or step: "cancelled" (dropped without a message) when
/// the job's flag was raised or SQLite was interrupted, e.g. a cancel that landed while the
/// statement was being prepared; the SQLite sentence otherwise.
QString failure(const QString& error, const std::atomic<bool>* cancel);

/// Fills cells (ids.size() * ncols, row-major, in the order of `ids`) with the rows of those ids.
/// `idCol` is the position of "id" in the select list. Returns an error sentence or "".
QString fetchCells(const core::Store& store, const QString& selectList, int ncols, int idCol, std::span<const qint64> ids,
                   QVariant* cells, const std::atomic<bool>* cancel);

} // namespace recordmodel_detail

struct RecordModel::Reply {
    QString error;
    bool orderFollows = false; ///< a first page whose order comes in a later reply
    bool isOrder = false;      ///< the order of a column job (else a first page)
    qint64 count = -1;         ///< exact row count known with a first page, else -1
    Page first;
    std::vector<qint64> order;
    QHash<int, Page> pages;
};

template <class Work, class Done> void RecordModel::runJob(Work work, Done done)
{
    using R = std::invoke_result_t<Work>;
    auto* watcher = new QFutureWatcher<R>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [watcher, done]() {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run(&m_pool, std::move(work)));
}

} // namespace ui
