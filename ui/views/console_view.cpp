#include "console_view.h"

#include <QApplication>
#include <QEvent>
#include <QFontDatabase>
#include <QPainter>
#include <QScrollBar>
#include <QStyledItemDelegate>

#include "human_units.h"
#include "interpret/attribution.h"
#include "paint_primitives.h"
#include "phase_colors.h"
#include "theme.h"

namespace loopscope::ui {
namespace {

// Paints a line as: a small origin tag in the callback family's colour, then the text (stderr in
// the palette's error colour). A delegate keeps ten thousand lines cheap: no widget per line.
class ConsoleLineDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  void paint(QPainter* p, const QStyleOptionViewItem& option, const QModelIndex& index) const override {
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QPalette& pal = opt.palette;
    p->save();
    if (opt.state & QStyle::State_Selected) p->fillRect(opt.rect, pal.color(QPalette::Highlight));
    QRect r = opt.rect.adjusted(4, 0, -4, 0);
    const QString tag = index.data(ConsoleView::OriginRole).toString();
    const QString type = index.data(Qt::UserRole + 10).toString();
    QFont tagFont = scaledFont(opt.font, 0.8);
    // A fixed tag column keeps the printed text aligned from line to line; a longer tag is
    // shortened to the column rather than printed under the text.
    int textLeft =
        r.left() + QFontMetrics(tagFont).horizontalAdvance(QStringLiteral("[Immediate onImmediate :000]")) + 12;
    textLeft = std::min(textLeft, r.left() + r.width() / 3 + 6);
    if (!tag.isEmpty()) {
      QFontMetrics tm(tagFont);
      int w = std::min(tm.horizontalAdvance(tag) + 8, textLeft - r.left() - 6);
      QRect tagRect(r.left(), r.top() + 2, w, r.height() - 4);
      QColor c = callbackColor(callbackFamily(type.toStdString()), pal);
      p->setPen(Qt::NoPen);
      p->setBrush(faded(c, pal, 0.75));
      p->setRenderHint(QPainter::Antialiasing);
      p->drawRoundedRect(tagRect, 3, 3);
      p->setFont(tagFont);
      p->setPen(pal.color(QPalette::Text));
      p->drawText(tagRect, Qt::AlignCenter, tm.elidedText(tag, Qt::ElideRight, w - 6));
    }
    const bool isErr = index.data(ConsoleView::FdRole).toInt() == 2;
    p->setFont(opt.font);
    p->setPen(opt.state & QStyle::State_Selected ? pal.color(QPalette::HighlightedText)
              : isErr                            ? errorColor(pal)
                                                 : pal.color(QPalette::Text));
    QRect textRect(textLeft, r.top(), r.right() - textLeft, r.height());
    p->drawText(textRect, Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetrics(opt.font).elidedText(opt.text, Qt::ElideRight, textRect.width()));
    p->restore();
  }

  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const override {
    return {200, QFontMetrics(option.font).height() + 6};
  }
};

}  // namespace

ConsoleView::ConsoleView(QWidget* parent) : QListWidget(parent) {
  setItemDelegate(new ConsoleLineDelegate(this));
  setUniformItemSizes(true);
  setSelectionMode(QAbstractItemView::SingleSelection);
  setToolTip(
      tr("What the snippet printed. Each line names the callback that printed it; click "
         "one to jump to that moment."));
  applyFont();
  auto emitFor = [this](const QModelIndex& index) {
    if (index.isValid()) Q_EMIT lineActivated(size_t(index.data(EventIndexRole).toULongLong()));
  };
  connect(this, &QAbstractItemView::clicked, this, emitFor);
  connect(this, &QAbstractItemView::activated, this, emitFor);
}

void ConsoleView::applyFont() {
  // The code's font: the console is read with the snippet, from as far away (presentation, zoom).
  QSignalBlocker block(this);
  setFont(codeFont());
}

bool ConsoleView::event(QEvent* event) {
  const bool handled = QListWidget::event(event);
  // QWidget::event() never passes ApplicationFontChange on to changeEvent().
  if (event->type() == QEvent::ApplicationFontChange) applyFont();
  return handled;
}

void ConsoleView::setShowInternals(bool show) {
  if (show == m_showInternals) return;
  m_showInternals = show;
  // Every tag may change: the next showConsole() adds all lines again.
  clear();
  m_shownEvents.clear();
  m_firstRow.clear();
  m_shownLines = size_t(-1);
}

void ConsoleView::showRecording(const RecordingSource& source) {
  // Event indexes of another recording could match the shown ones by chance: start empty.
  m_source = source;
  clear();
  m_shownEvents.clear();
  m_firstRow.clear();
  m_shownLines = size_t(-1);
  m_shownPosition = 0;
}

void ConsoleView::showMoment(size_t position, const LoopState& state) {
  if (!m_source.trace || !m_source.timeline) return;
  const bool same = state.consoleLines == m_shownLines && position >= m_shownPosition;
  m_shownPosition = position;
  if (same) return;
  showConsole(m_source.timeline->consoleUpTo(position), *m_source.trace);
  m_shownLines = state.consoleLines;
}

QString ConsoleView::originTag(int64_t asyncId, const Trace& trace, bool showInternals) {
  if (asyncId == 0) return {};
  if (!showInternals && isInternalCallback(trace, asyncId)) {
    // Up the triggers to the first callback of the program's own (bounded: a damaged trace
    // may hold a cycle).
    int64_t id = asyncId;
    for (int step = 0; step < 32 && id > 1 && isInternalCallback(trace, id); ++step) {
      const AsyncInfo* info = trace.async(id);
      id = info ? info->trigger : 0;
    }
    if (id != 0 && !isInternalCallback(trace, id)) {
      const QString tag = originTag(id, trace, true);
      return QStringLiteral("[via %1").arg(tag.mid(1));
    }
  }
  if (asyncId == 1) return tr("[main script]");
  if (asyncId == 1) return tr("[main script]");
  QString type = qstr(trace.asyncType(asyncId));
  QString name;
  int line = 0;
  if (const AsyncInfo* info = trace.async(asyncId))
    if (const FunctionSiteInfo* site = trace.site(info->site)) {
      name = qstr(site->name);
      line = site->line;
    }
  QStringList parts;
  if (!type.isEmpty()) parts << type;
  if (!name.isEmpty()) parts << name;
  if (line > 0) parts << QStringLiteral(":%1").arg(line);
  if (parts.isEmpty()) parts << QStringLiteral("#%1").arg(asyncId);
  return QStringLiteral("[%1]").arg(parts.join(QLatin1Char(' ')));
}

void ConsoleView::appendLine(const ConsoleLine& line, const Trace& trace) {
  m_shownEvents.push_back(line.eventIndex);
  m_firstRow.push_back(count());
  QString text = qstr(line.text);
  if (text.endsWith(QLatin1Char('\n'))) text.chop(1);
  const QString tag = originTag(line.asyncId, trace, m_showInternals);
  const QString type = line.asyncId == 1 ? QStringLiteral("main") : qstr(trace.asyncType(line.asyncId));
  const QStringList rows = text.split(QLatin1Char('\n'));
  for (int i = 0; i < rows.size(); ++i) {
    auto* item = new QListWidgetItem(rows[i]);
    item->setData(EventIndexRole, qulonglong(line.eventIndex));
    item->setData(OriginRole, i == 0 ? tag : QString());
    item->setData(Qt::UserRole + 10, type);
    item->setData(FdRole, line.fd);
    QString label = trace.callbackLabel(line.asyncId).empty() ? tag : qstr(trace.callbackLabel(line.asyncId));
    item->setToolTip(tr("%1 printed by %2 (event %3)")
                         .arg(line.fd == 2 ? QStringLiteral("stderr") : QStringLiteral("stdout"), label)
                         .arg(line.eventIndex));
    addItem(item);
  }
}

void ConsoleView::showConsole(const std::vector<ConsoleLine>& lines, const Trace& trace) {
  const bool atBottom = verticalScrollBar()->value() >= verticalScrollBar()->maximum() - 2;
  // How many of the shown lines are still the same (same printing event, same place).
  size_t same = 0;
  while (same < lines.size() && same < m_shownEvents.size() && lines[same].eventIndex == m_shownEvents[same]) ++same;
  if (same < m_shownEvents.size()) {
    // Stepping back: drop what is past the common part.
    int keepRows = m_firstRow[same];
    while (count() > keepRows) delete takeItem(count() - 1);
    m_shownEvents.resize(same);
    m_firstRow.resize(same);
  }
  for (size_t i = same; i < lines.size(); ++i) appendLine(lines[i], trace);
  if (atBottom) scrollToBottom();
}

}  // namespace loopscope::ui
