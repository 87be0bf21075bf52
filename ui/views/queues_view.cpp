#include "queues_view.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include "human_units.h"
#include "paint_primitives.h"
#include "phase_colors.h"

namespace loopscope::ui {

QueuesView::QueuesView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void QueuesView::showState(const LoopState& state) {
  m_received = state;
  m_state = state;
  if (!m_showInternals) {
    for (CallbackQueue* queue : {&m_state.timers, &m_state.immediates, &m_state.nextTicks, &m_state.microtasks})
      std::erase_if(*queue, [](const QueueEntry& e) { return e.internal; });
  }
  update();
}

void QueuesView::setShowInternals(bool show) {
  if (show == m_showInternals) return;
  m_showInternals = show;
  showState(m_received);
}

QString QueuesView::columnTitle(int column) {
  switch (column) {
    case Timers: return tr("Timers");
    case Immediates: return tr("Immediate");
    case NextTick: return tr("nextTick");
    case Microtasks: return tr("Microtasks");
    default: return {};
  }
}

const CallbackQueue& QueuesView::entries(int column) const {
  switch (column) {
    case Timers: return m_state.timers;
    case Immediates: return m_state.immediates;
    case NextTick: return m_state.nextTicks;
    default: return m_state.microtasks;
  }
}

QColor QueuesView::columnColor(int column) const {
  const QPalette pal = palette();
  switch (column) {
    case Timers: return phaseColor(Phase::Timers, pal);
    case Immediates: return phaseColor(Phase::Check, pal);
    case NextTick: return nextTickColor(pal);
    default: return microtaskColor(pal);
  }
}

QString QueuesView::cardDetail(int column, const QueueEntry& e) const {
  QString where = entryWhere(e);
  if (column != Timers) return where;
  QString due = timerDueText(e.dueNs, m_state.timeNs);
  if (e.repeat) due += tr(" ↻");
  return where.isEmpty() ? due : due + QStringLiteral(" · ") + where;
}

QString QueuesView::cardToolTip(int column, const QueueEntry& e) const {
  QString tip = QStringLiteral("<b>%1</b> (%2, async id %3)")
                    .arg(entryTitle(e).toHtmlEscaped(), qstr(e.type).toHtmlEscaped())
                    .arg(e.asyncId);
  if (e.line > 0) tip += QStringLiteral("<br>%1:%2:%3").arg(qstr(e.file).toHtmlEscaped()).arg(e.line).arg(e.column);
  if (column == Timers) {
    tip += tr("<br>%1(…, %2) — %3")
               .arg(e.repeat ? QStringLiteral("setInterval") : QStringLiteral("setTimeout"))
               .arg(e.delayMs)
               .arg(timerDueText(e.dueNs, m_state.timeNs));
    tip += tr("<br>Timers run in the timers phase, once their time has come.");
  } else if (column == Immediates) {
    tip += tr("<br>Immediates run in the check phase, right after poll.");
  } else if (column == NextTick) {
    tip += tr("<br>nextTick callbacks run as soon as the current callback ends, before promises.");
  } else if (column == Microtasks) {
    tip +=
        tr("<br>Promise reactions run after the nextTick queue is empty, before the loop "
           "moves on.");
  }
  if (m_state.timeNs >= e.sinceNs)
    tip += tr("<br>queued %1 ago").arg(humanDuration(int64_t(m_state.timeNs - e.sinceNs)));
  return tip;
}

QStringList QueuesView::columnTexts(int column) const {
  QStringList out;
  for (const QueueEntry& e : entries(column)) {
    QString line = entryTitle(e);
    if (QString where = entryWhere(e); !where.isEmpty()) line += QStringLiteral("  ") + where;
    if (column == Timers) line += QStringLiteral("  ") + timerDueText(e.dueNs, m_state.timeNs);
    out << line;
  }
  if (out.isEmpty()) out << tr("empty");
  return out;
}

QString QueuesView::runningText() const {
  if (!m_state.current) return {};
  const QueueEntry& c = *m_state.current;
  QString text = tr("Running: %1 %2").arg(qstr(c.type), entryTitle(c));
  if (QString where = entryWhere(c); !where.isEmpty()) text += QStringLiteral(" ") + where;
  if (m_state.inLoop) text += QStringLiteral(" (%1)").arg(phaseTitle(m_state.phase));
  return text;
}

QueuesView::Layout QueuesView::layout() const {
  Layout l;
  QFontMetricsF fm(font());
  const double line = fm.height();
  const double margin = 6, gap = 6;
  l.running = QRectF(margin, margin, width() - 2 * margin, line * 2.5);
  const double headerTop = l.running.bottom() + gap * 1.5;
  const double columns = ColumnCount;
  const double available = width() - 2 * margin - gap * (columns - 1);
  // Column widths depend on the view's width only, never on the cards: during a replay callbacks
  // come and go every step, and columns that jumped sideways with them would pull the class's
  // eyes away from the cards themselves (a long callback name is elided, its tooltip has it whole).
  double widths[ColumnCount];
  for (double& width : widths) width = available / columns;
  const double cardsTop = headerTop + line * 1.6;
  const double cardHeight = line * 2.4, cardGap = 4;
  const double availableHeight = height() - margin - cardsTop;
  const QFontMetricsF detailMetrics(scaledFont(scaledFont(font(), 0.95), 0.88));
  double x = margin;
  for (int c = 0; c < ColumnCount; ++c) {
    const double columnWidth = widths[c];
    if (c > 0) x += widths[c - 1] + gap;
    l.headers.emplace_back(x, headerTop, columnWidth, line * 1.4);
    const auto& queue = entries(c);
    // How many cards fit; if not all, the last slot becomes "+ M more".
    auto fit = size_t(std::max(0.0, (availableHeight + cardGap) / (cardHeight + cardGap)));
    size_t shown = queue.size() <= fit ? queue.size() : (fit > 0 ? fit - 1 : 0);
    for (size_t i = 0; i < shown; ++i) {
      Card card;
      card.rect = QRectF(x, cardsTop + double(i) * (cardHeight + cardGap), columnWidth, cardHeight);
      card.title = entryTitle(queue[i]);
      card.detail = cardDetail(c, queue[i]);
      // A narrow card drops the file name before the line number: the line is what a student
      // looks for in the editor, and the file is nearly always the snippet.
      if (detailMetrics.horizontalAdvance(card.detail) > columnWidth - 14 && queue[i].line > 0) {
        QString shortWhere = QStringLiteral(":%1").arg(queue[i].line);
        QString due = timerDueText(queue[i].dueNs, m_state.timeNs) + (queue[i].repeat ? tr(" ↻") : QString());
        card.detail = c == Timers ? due + QStringLiteral(" · ") + shortWhere : shortWhere;
      }
      card.toolTip = cardToolTip(c, queue[i]);
      card.accent = columnColor(c);
      card.asyncId = queue[i].asyncId;
      l.cards.push_back(card);
    }
    if (shown < queue.size()) {
      Card more;
      more.more = true;
      more.rect = QRectF(x, cardsTop + double(shown) * (cardHeight + cardGap), columnWidth, line * 1.4);
      more.title = tr("+ %1 more").arg(queue.size() - shown);
      QStringList rest;
      for (size_t i = shown; i < queue.size() && i < shown + 15; ++i)
        rest << entryTitle(queue[i]).toHtmlEscaped() + QStringLiteral(" ") + entryWhere(queue[i]);
      if (queue.size() > shown + 15) rest << QStringLiteral("…");
      more.toolTip = rest.join(QStringLiteral("<br>"));
      l.cards.push_back(more);
    }
  }
  return l;
}

void QueuesView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Window));
  const Layout l = layout();
  const QFont base = font();

  // The running callback, prominent: this is what the JavaScript thread is doing right now.
  if (m_state.current) {
    const QueueEntry& c = *m_state.current;
    QColor accent = callbackColor(callbackFamily(c.type), pal);
    QString title = tr("Running: %1").arg(entryTitle(c));
    QStringList detail{qstr(c.type)};
    if (QString where = entryWhere(c); !where.isEmpty()) detail << tr("line %1 (%2)").arg(c.line).arg(qstr(c.file));
    if (m_state.inLoop)
      detail << tr("%1 phase").arg(phaseTitle(m_state.phase));
    else
      detail << tr("before the loop");
    if (m_state.callbackStack.size() > 1) detail << tr("nested %1 deep").arg(m_state.callbackStack.size() - 1);
    drawCard(p, l.running, accent, pal, scaledFont(base, 1.15), title, detail.join(QStringLiteral(" · ")), true);
  } else {
    QString idle;
    if (!m_state.started)
      idle = tr("Nothing has run yet.");
    else if (m_state.finished)
      idle = tr("The run has finished: every queue is empty.");
    else if (m_state.pollWaiting)
      idle = tr("Nothing running: the loop waits in poll for I/O or the next timer.");
    else if (m_state.inLoop)
      idle = tr("Nothing running (%1 phase).").arg(phaseTitle(m_state.phase));
    else
      idle = tr("Nothing running.");
    p.setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(l.running, 6, 6);
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.setFont(scaledFont(base, 1.05));
    p.drawText(l.running.adjusted(10, 0, -10, 0), Qt::AlignVCenter | Qt::AlignLeft, idle);
  }

  // Column headers: a colour bar (the phase colour) + title + count.
  const QFont headerFont = scaledFont(base, 1.0, true);
  for (int c = 0; c < ColumnCount; ++c) {
    const QRectF& h = l.headers[size_t(c)];
    QColor color = columnColor(c);
    p.fillRect(QRectF(h.left(), h.bottom() - 3, h.width(), 3), color);
    p.setFont(headerFont);
    p.setPen(pal.color(QPalette::WindowText));
    QString title = columnTitle(c);
    size_t n = entries(c).size();
    QFontMetricsF fm(headerFont);
    QFont badgeFont = scaledFont(base, 0.75, true);
    QString count = QString::number(n);
    const double bw = n ? badgeWidth(badgeFont, count) + 4 : 0;
    // Narrow columns shrink the title a little before eliding it: a cut "Imm…" teaches nothing.
    QFont titleFont = headerFont;
    for (int percent = 95; percent >= 70 && QFontMetricsF(titleFont).horizontalAdvance(title) > h.width() - bw;
         percent -= 5)
      titleFont = scaledFont(base, percent / 100.0, true);
    p.setFont(titleFont);
    p.drawText(h.adjusted(0, 0, -bw, -4), Qt::AlignLeft | Qt::AlignVCenter,
               QFontMetricsF(titleFont).elidedText(title, Qt::ElideRight, h.width() - bw));
    if (n) {
      double badgeH = QFontMetricsF(badgeFont).height() + 4;
      drawBadge(p, QPointF(h.right() - bw + 4, h.top() + (h.height() - 4 - badgeH) / 2), color, badgeFont, count);
    }
    if (entries(c).empty()) {
      p.setPen(pal.color(QPalette::PlaceholderText));
      QFont italic = base;
      italic.setItalic(true);
      p.setFont(italic);
      p.drawText(QRectF(h.left(), h.bottom() + 6, h.width(), fm.height() * 1.5), Qt::AlignCenter, tr("empty"));
    }
  }
  const QFont cardFont = scaledFont(base, 0.95);
  for (const Card& card : l.cards) {
    if (card.more) {
      p.setPen(pal.color(QPalette::WindowText));
      p.setFont(scaledFont(base, 0.95, true));
      p.drawText(card.rect, Qt::AlignCenter, card.title);
      continue;
    }
    drawCard(p, card.rect, card.accent, pal, cardFont, card.title, card.detail);
  }
  // The selected callback (its origin is in the Origin tab): a ring around its card.
  if (m_selected != 0) {
    QRectF ring;
    if (m_state.current && m_state.current->asyncId == m_selected) ring = l.running;
    for (const Card& card : l.cards)
      if (!card.more && card.asyncId == m_selected) ring = card.rect;
    if (!ring.isNull()) {
      p.setPen(QPen(pal.color(QPalette::Highlight), 2.5));
      p.setBrush(Qt::NoBrush);
      p.drawRoundedRect(ring.adjusted(-2, -2, 2, 2), 7, 7);
    }
  }
}

void QueuesView::setSelectedCallback(int64_t asyncId) {
  if (asyncId == m_selected) return;
  m_selected = asyncId;
  update();
}

QRectF QueuesView::cardRect(int64_t asyncId) const {
  const Layout l = layout();
  if (m_state.current && m_state.current->asyncId == asyncId) return l.running;
  for (const Card& card : l.cards)
    if (!card.more && card.asyncId == asyncId) return card.rect;
  return {};
}

void QueuesView::mousePressEvent(QMouseEvent* event) {
  QWidget::mousePressEvent(event);
  if (event->button() != Qt::LeftButton) return;
  const Layout l = layout();
  for (const Card& card : l.cards)
    if (!card.more && card.asyncId != 0 && card.rect.contains(event->position())) {
      Q_EMIT callbackClicked(card.asyncId);
      return;
    }
  if (m_state.current && l.running.contains(event->position())) Q_EMIT callbackClicked(m_state.current->asyncId);
}

bool QueuesView::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    const Layout l = layout();
    QString tip;
    for (const Card& card : l.cards)
      if (card.rect.contains(help->pos())) tip = card.toolTip;
    if (tip.isEmpty() && l.running.contains(help->pos()) && m_state.current) tip = cardToolTip(-1, *m_state.current);
    for (int c = 0; tip.isEmpty() && c < ColumnCount; ++c) {
      if (!l.headers[size_t(c)].contains(help->pos())) continue;
      // One per column, in column order.
      static const char* why[ColumnCount] = {
          QT_TR_NOOP("setTimeout / setInterval callbacks, ordered by due time."),
          QT_TR_NOOP("setImmediate callbacks: they run in the check phase, right after poll."),
          QT_TR_NOOP("process.nextTick callbacks: they run before anything else once the current callback ends."),
          QT_TR_NOOP("Promise reactions and queueMicrotask: after the nextTick queue, before the loop moves on.")};
      tip = tr(why[c]);
    }
    if (tip.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(help->globalPos(), tip, this);
    return true;
  }
  return QWidget::event(e);
}

}  // namespace loopscope::ui
