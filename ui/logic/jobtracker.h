#pragma once
// Runs work off the GUI thread and delivers only the newest result: every request gets a
// generation id; a reply whose id is not the latest is dropped. One helper for all pages.
#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>
#include <atomic>
#include <functional>
#include <memory>

namespace ui {

class JobTracker : public QObject {
    Q_OBJECT
public:
    explicit JobTracker(QObject* parent = nullptr) : QObject(parent) {}
    ~JobTracker() override { cancelAll(); }

    /// Starts `work(cancelFlag)` on the thread pool; when it finishes, `done(result)` runs on
    /// this object's thread if no newer run() happened in between. The previous job's cancel
    /// flag is raised. Returns the generation id.
    template <class Work, class Done> quint64 run(Work work, Done done)
    {
        using R = std::invoke_result_t<Work, const std::atomic<bool>*>;
        if (m_cancel) m_cancel->store(true);
        auto cancel = std::make_shared<std::atomic<bool>>(false);
        m_cancel = cancel;
        const quint64 gen = ++m_generation;
        Q_EMIT busyChanged(true);
        auto* watcher = new QFutureWatcher<R>(this);
        QPointer<JobTracker> self(this);
        connect(watcher, &QFutureWatcher<R>::finished, this, [self, watcher, gen, done]() {
            watcher->deleteLater();
            if (!self || gen != self->m_generation) return; // stale: a newer request exists
            Q_EMIT self->busyChanged(false);
            done(watcher->result());
        });
        watcher->setFuture(QtConcurrent::run([work, cancel]() { return work(cancel.get()); }));
        return gen;
    }

    /// Raises the cancel flag of the running job and drops its result.
    void cancelAll()
    {
        if (m_cancel) m_cancel->store(true);
        ++m_generation;
    }
    quint64 generation() const { return m_generation; }

Q_SIGNALS:
    void busyChanged(bool busy);

private:
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace ui
