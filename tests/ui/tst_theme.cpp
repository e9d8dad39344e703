// View > Theme: a toolbar too narrow for its actions shows its overflow button (») in a colour
// that stands out from the toolbar, in the light and in the dark theme, also after switching
// between them (the base style's fixed dark-grey pixmap was nearly invisible on the dark
// toolbar). Real toolbar offscreen; the icon's drawn pixels are read back.
#include "ui/shell/theme.h"

#include <QAction>
#include <QApplication>
#include <QMainWindow>
#include <QStyle>
#include <QStyleFactory>
#include <QToolBar>
#include <QToolButton>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace ui;

Q_DECLARE_METATYPE(ui::Theme)

namespace {

int luminance(const QColor& c)
{
    return (299 * c.red() + 587 * c.green() + 114 * c.blue()) / 1000;
}

// The largest luminance difference between an opaque pixel of `icon` at `size` px and `background`.
int contrast(const QIcon& icon, int size, const QColor& background)
{
    const QImage img = icon.pixmap(QSize(size, size)).toImage().convertToFormat(QImage::Format_ARGB32);
    int best = 0;
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x) {
            const QColor c = img.pixelColor(x, y);
            if (c.alpha() < 200) continue;
            best = std::max(best, std::abs(luminance(c) - luminance(background)));
        }
    return best;
}

} // namespace

class TestTheme : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void overflowButtonStandsOut_data();
    void overflowButtonStandsOut();
};

void TestTheme::overflowButtonStandsOut_data()
{
    QTest::addColumn<QList<ui::Theme>>("themes");
    QTest::newRow("light") << QList<Theme>{Theme::Light};
    QTest::newRow("dark") << QList<Theme>{Theme::Dark};
    QTest::newRow("light then dark") << QList<Theme>{Theme::Light, Theme::Dark};
    QTest::newRow("dark then light") << QList<Theme>{Theme::Dark, Theme::Light};
}

void TestTheme::overflowButtonStandsOut()
{
    QFETCH(QList<ui::Theme>, themes);
    // The window is made under the platform's plain style, as the app's is (its theme is applied
    // once the window exists).
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(QApplication::style()->standardPalette());
    ThemeOptions options;
    QMainWindow window;
    auto* bar = new QToolBar(&window);
    for (int i = 0; i < 12; ++i) bar->addAction(QStringLiteral("Action number %1").arg(i));
    window.addToolBar(bar);
    window.resize(300, 200);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    for (const Theme t : themes) {
        options.setTheme(t);
        QCoreApplication::processEvents();
    }
    auto* ext = bar->findChild<QToolButton*>(QStringLiteral("qt_toolbar_ext_button"));
    QVERIFY(ext);
    QTRY_VERIFY(ext->isVisible());
    const QColor background = bar->palette().color(QPalette::Window);
    // As painted on screen.
    const QImage shown = ext->grab().toImage();
    const int painted = contrast(QIcon(QPixmap::fromImage(shown)), shown.width(), background);
    QVERIFY2(painted >= 100, qPrintable(QStringLiteral("the painted » button differs by %1 in luminance").arg(painted)));
    // The sizes a toolbar's extension button asks for (about 8-12 px) and a larger one.
    for (const int size : {8, 12, 16, 24}) {
        const int c = contrast(ext->icon(), size, background);
        QVERIFY2(c >= 100, qPrintable(QStringLiteral("the %1 px » icon differs by %2 in luminance from the toolbar (%3)")
                                          .arg(size)
                                          .arg(c)
                                          .arg(background.name())));
    }
}

QTEST_MAIN(TestTheme)
#include "tst_theme.moc"
