#include "picture_export.h"

#include <QBuffer>
#include <QFile>
#include <QFileInfo>
#include <QFontInfo>
#include <QHash>
#include <QPainter>
#include <QPdfWriter>
#include <QPixmap>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace loopscope::ui {

namespace {

// QSvgGenerator (Qt 6.4) ignores the painter's clip, which QWidget::render() relies on: a label
// cut at its widget's edge on screen spilled over its neighbours in the SVG. So each widget is
// rendered on its own, without its children, and wrapped in a group clipped to the part of it
// that is visible in the window; text that would be clipped away entirely is left out.
class ClippedSvgWriter {
 public:
  explicit ClippedSvgWriter(QWidget* root) : m_root(root) {}

  QByteArray write() {
    QByteArray body;
    addWidget(m_root, QRect(QPoint(0, 0), m_root->size()), body);
    const QSize size = m_root->size();
    QByteArray svg;
    svg += "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n";
    svg += QStringLiteral(
               "<svg width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\" "
               "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
               "version=\"1.2\" baseProfile=\"tiny\">\n<title>Loopscope</title>\n")
               .arg(size.width())
               .arg(size.height())
               .toUtf8();
    svg += body;
    svg += "</svg>\n";
    return svg;
  }

 private:
  void addWidget(QWidget* widget, const QRect& visibleInRoot, QByteArray& out) {
    const QPoint origin = widget == m_root ? QPoint(0, 0) : widget->mapTo(m_root, QPoint(0, 0));
    const QRect clip = visibleInRoot.intersected(QRect(origin, widget->size()));
    if (clip.isEmpty()) return;
    const int id = ++m_widgets;
    const QRect localClip = clip.translated(-origin);
    out += QStringLiteral(
               "<g id=\"w%1\" data-widget=\"%2\" transform=\"translate(%3,%4)\">\n"
               "<clipPath id=\"c%1\"><rect x=\"%5\" y=\"%6\" width=\"%7\" height=\"%8\"/></clipPath>\n"
               "<g clip-path=\"url(#c%1)\">\n")
               .arg(id)
               .arg(QString::fromLatin1(widget->metaObject()->className()).toHtmlEscaped())
               .arg(origin.x())
               .arg(origin.y())
               .arg(localClip.x())
               .arg(localClip.y())
               .arg(localClip.width())
               .arg(localClip.height())
               .toUtf8();
    out += renderAlone(widget, localClip, id);
    out += "</g>\n</g>\n";
    // Children after their parent, in stacking order (QObject's child order for widgets); each
    // group stands alone, placed in window coordinates, and clipped to what its parents show.
    for (QObject* child : widget->children()) {
      auto* childWidget = qobject_cast<QWidget*>(child);
      if (!childWidget || childWidget->isWindow() || !childWidget->isVisibleTo(m_root)) continue;
      addWidget(childWidget, clip, out);
    }
  }

  // The widget's own painting as SVG elements (QSvgGenerator's output without its header),
  // with its gradient ids made unique in the whole picture.
  QByteArray renderAlone(QWidget* widget, const QRect& localClip, int id) {
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(widget->size());
    svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
    // Fonts are sized in points: at the generator's default 72 dpi they would be drawn smaller
    // than the screen layout measured them, which leaves gaps between the words of a label.
    svg.setResolution(widget->logicalDpiX());
    QPainter painter;
    if (!painter.begin(&svg)) return {};
    widget->render(&painter, QPoint(), QRegion(), QWidget::DrawWindowBackground);
    painter.end();
    QString text = QString::fromUtf8(buffer.data());
    const qsizetype defsEnd = text.indexOf(QLatin1String("</defs>"));
    const qsizetype start = defsEnd >= 0 ? defsEnd + 7 : text.indexOf(QLatin1String("<g "));
    const qsizetype end = text.lastIndexOf(QLatin1String("</svg>"));
    if (start < 0 || end < start) return {};
    text = text.mid(start, end - start);
    static const QRegularExpression gradientId(QStringLiteral("(id=\"|url\\(#)(gradient\\d+)"));
    text.replace(gradientId, QStringLiteral("\\1w%1_\\2").arg(id));
    return dropInvisibleText(withRealFontFamilies(text), localClip).toUtf8();
  }

  // QSvgGenerator names the family the widget asked for ("Sans Serif", "Monospace"): names a
  // browser does not know, so it draws another font of other widths, and words placed by Qt's
  // measurements overlap or drift apart. The family Qt actually used comes first, then the
  // generic CSS family of the same kind.
  QString withRealFontFamilies(const QString& svg) {
    static const QRegularExpression family(QStringLiteral("font-family=\"([^\"]*)\""));
    QString result;
    qsizetype copied = 0;
    for (auto it = family.globalMatch(svg); it.hasNext();) {
      const QRegularExpressionMatch m = it.next();
      const QString asked = m.captured(1);
      auto known = m_families.find(asked);
      if (known == m_families.end()) {
        const QFontInfo used{QFont(asked)};
        const QString generic = used.fixedPitch() ? QStringLiteral("monospace") : QStringLiteral("sans-serif");
        known = m_families.insert(
            asked, QStringLiteral("font-family=\"'%1', %2\"").arg(used.family().toHtmlEscaped(), generic));
      }
      result += svg.mid(copied, m.capturedStart() - copied);
      result += *known;
      copied = m.capturedEnd();
    }
    result += svg.mid(copied);
    return result;
  }

  // Leaves out <text> elements whose anchor lies outside the clip: clipped away on screen, they
  // would only add words to the file that no one sees (and that search or copy would find).
  static QString dropInvisibleText(const QString& svg, const QRect& clip) {
    // One pass over the groups (whose matrix places what follows them) and the texts, in order.
    static const QRegularExpression groupOrText(
        QStringLiteral("<g\\b[^>]*transform=\"matrix\\(([^)]*)\\)\"[^>]*>|<text\\b[^>]*>.*?</text>"),
        QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression xAttribute(QStringLiteral("\\bx=\"([-0-9.eE]+)\""));
    static const QRegularExpression yAttribute(QStringLiteral("\\by=\"([-0-9.eE]+)\""));
    double matrix[6] = {1, 0, 0, 1, 0, 0};
    QString result;
    qsizetype copied = 0;
    for (auto it = groupOrText.globalMatch(svg); it.hasNext();) {
      const QRegularExpressionMatch m = it.next();
      if (m.capturedView(0).startsWith(QLatin1String("<g"))) {
        const QStringList n = m.captured(1).split(QLatin1Char(','));
        if (n.size() == 6)
          for (int i = 0; i < 6; ++i) matrix[i] = n[i].toDouble();
        continue;
      }
      const QString element = m.captured(0);
      const double tx = xAttribute.match(element).captured(1).toDouble();
      const double ty = yAttribute.match(element).captured(1).toDouble();
      const double x = matrix[0] * tx + matrix[2] * ty + matrix[4];
      const double y = matrix[1] * tx + matrix[3] * ty + matrix[5];
      // A baseline may sit a descent below the clip; an anchor past the right or bottom edge, or
      // above the top, draws nothing that shows.
      const bool visible = x < clip.right() + 1 && y > clip.top() && y < clip.bottom() + 1 + 6;
      result += svg.mid(copied, m.capturedStart() - copied);
      if (visible) result += element;
      copied = m.capturedEnd();
    }
    result += svg.mid(copied);
    return result;
  }

  QWidget* m_root;
  int m_widgets = 0;
  QHash<QString, QString> m_families;  // asked-for family → the attribute to write
};

}  // namespace

bool saveWidgetPicture(QWidget* widget, const QString& path, QString* error) {
  const QString suffix = QFileInfo(path).suffix().toLower();
  const QSize size = widget->size();
  auto fail = [&](const QString& why) {
    if (error) *error = why;
    return false;
  };
  if (suffix == QLatin1String("svg")) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(ClippedSvgWriter(widget).write()) < 0 || !file.commit())
      return fail(QStringLiteral("Cannot write '%1': check that the folder exists and is writable.").arg(path));
    return true;
  }
  if (suffix == QLatin1String("pdf")) {
    QPdfWriter pdf(path);
    // One page the size of the widget, at screen resolution, so nothing is scaled or cut.
    pdf.setResolution(96);
    pdf.setPageSize(QPageSize(QSizeF(size.width() * 72.0 / 96, size.height() * 72.0 / 96), QPageSize::Point));
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    if (!painter.begin(&pdf)) return fail(QStringLiteral("Cannot write '%1'.").arg(path));
    widget->render(&painter);
    painter.end();
    return true;
  }
  if (suffix != QLatin1String("png") && suffix != QLatin1String("jpg") && suffix != QLatin1String("jpeg"))
    return fail(QStringLiteral("Cannot save a picture as '.%1': choose .png, .jpg, .svg or .pdf.").arg(suffix));
  if (!widget->grab().save(path))
    return fail(QStringLiteral("Cannot write '%1': check that the folder exists and is writable.").arg(path));
  return true;
}

}  // namespace loopscope::ui
