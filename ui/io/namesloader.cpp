#include "ui/io/namesloader.h"

#include "ui/logic/session.h"

#include <QFileInfo>
#include <QMessageBox>

namespace ui {

bool allNamesJson(const QStringList& paths)
{
    if (paths.isEmpty()) return false;
    for (const QString& p : paths)
        if (!QFileInfo(p).isFile() || !core::looksLikeNamesJson(p)) return false;
    return true;
}

int loadNamesFiles(Session* session, const QStringList& paths, QWidget* parent, std::vector<core::NamesFileReport>* appliedFiles)
{
    core::NameDirectory names = session->names();
    QStringList errors;
    int applied = 0;
    int entries = 0;
    for (const QString& p : paths) {
        core::NameDirectory one; // parse alone first: a bad file must change nothing
        auto r = core::loadNamesFile(p, one);
        if (!r.ok()) {
            errors << r.error().toString();
            continue;
        }
        for (const auto& e : one.entries()) names.add(e);
        entries += r->entries;
        ++applied;
        if (appliedFiles) appliedFiles->push_back(r.value());
    }
    if (applied > 0) session->setNames(std::move(names));
    if (!errors.isEmpty()) {
        auto* box = new QMessageBox(
            QMessageBox::Warning, QObject::tr("Cannot read AWS resource names"),
            QObject::tr("%n file(s) could not be read as AWS CLI describe output.", nullptr, static_cast<int>(errors.size())),
            QMessageBox::Ok, parent);
        box->setInformativeText(errors.join(QLatin1Char('\n')));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    Q_UNUSED(entries);
    return applied;
}

void mergeNames(Session* session, const core::NameDirectory& found)
{
    if (found.isEmpty()) return;
    core::NameDirectory names = session->names();
    for (const auto& e : found.entries()) names.add(e);
    session->setNames(std::move(names));
}

} // namespace ui
