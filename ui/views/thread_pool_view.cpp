#include "thread_pool_view.h"

#include <QFontMetricsF>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

#include "human_units.h"
#include "paint_primitives.h"
#include "phase_colors.h"

namespace loopscope::ui {
namespace {

// Pool work completes into the poll phase (libuv signals the loop through an async handle), so
// the pool borrows poll's colour.
QColor workColor(const QPalette& pal) { return phaseColor(Phase::Poll, pal); }

}  // namespace

ThreadPoolView::ThreadPoolView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ThreadPoolView::showState(const LoopState& state) {
  m_state = state;
  update();
}

const PoolJob* ThreadPoolView::jobOnSlot(int slot) const {
  size_t i = size_t(slot - 1);
  if (i >= m_state.pool.slots.size() || !m_state.pool.slots[i]) return nullptr;
  return &*m_state.pool.slots[i];
}

QStringList ThreadPoolView::slotTexts() const {
  QStringList out;
  for (int s = 1; s <= m_state.pool.size; ++s) {
    const PoolJob* job = jobOnSlot(s);
    if (!job) {
      out << tr("idle");
      continue;
    }
    uint64_t age = m_state.timeNs > job->startedNs ? m_state.timeNs - job->startedNs : 0;
    out << QStringLiteral("%1 · %2").arg(qstr(job->kind), humanDuration(int64_t(age)));
  }
  return out;
}

QStringList ThreadPoolView::backlogTexts() const {
  QStringList out;
  for (const PoolJob& j : m_state.pool.backlog) out << qstr(j.kind);
  return out;
}

QStringList ThreadPoolView::completedTexts() const {
  QStringList out;
  for (const PoolJob& j : m_state.pool.completed) out << qstr(j.kind);
  return out;
}

ThreadPoolView::Layout ThreadPoolView::layout() const {
  Layout l;
  QFontMetricsF fm(font());
  const double margin = 6, gap = 6, line = fm.height();
  l.title = QRectF(margin, margin, width() - 2 * margin, line * 1.3);
  const int n = std::max(1, m_state.pool.size);
  // Up to 4 boxes a row reads best at 300 px; bigger pools wrap into a grid.
  const int perRow = n <= 4 ? n : (n <= 8 ? (n + 1) / 2 : int(std::ceil(std::sqrt(double(n)) * 1.5)));
  const int rows = (n + perRow - 1) / perRow;
  const double top = l.title.bottom() + gap;
  const double footer = line * 3.2;  // backlog + completed rows
  const double boxW = (width() - 2 * margin - gap * (perRow - 1)) / perRow;
  const double boxH = std::max(line * 1.5, (height() - top - footer - margin - gap * rows) / rows);
  for (int s = 0; s < n; ++s) {
    int row = s / perRow, col = s % perRow;
    l.boxes.push_back({QRectF(margin + col * (boxW + gap), top + row * (boxH + gap), boxW, boxH), s + 1});
  }
  double y = top + rows * (boxH + gap);
  l.backlog = QRectF(margin, y, width() - 2 * margin, line * 1.5);
  l.completed = QRectF(margin, l.backlog.bottom() + 2, width() - 2 * margin, line * 1.5);
  return l;
}

void ThreadPoolView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Window));
  const Layout l = layout();
  const QFont base = font();
  const QColor work = workColor(pal);

  int busy = 0;
  uint64_t oldest = 1;
  for (int s = 1; s <= m_state.pool.size; ++s)
    if (const PoolJob* j = jobOnSlot(s)) {
      ++busy;
      if (m_state.timeNs > j->startedNs) oldest = std::max(oldest, m_state.timeNs - j->startedNs);
    }
  // The title shrinks a little, then says less, before it is cut: "busy" is the point of it (a
  // projector at 1280 px gives this view a third of a column).
  const QStringList titles{tr("Thread pool: %1 of %2 busy").arg(busy).arg(m_state.pool.size),
                           tr("Pool: %1 of %2 busy").arg(busy).arg(m_state.pool.size),
                           tr("Pool: %1/%2 busy").arg(busy).arg(m_state.pool.size)};
  QString title;
  QFont titleFont;
  for (const QString& candidate : titles) {
    title = candidate;
    titleFont = scaledFont(base, 1.0, true);
    for (double f = 0.95; f >= 0.8 && QFontMetricsF(titleFont).horizontalAdvance(title) > l.title.width(); f -= 0.05)
      titleFont = scaledFont(base, f, true);
    if (QFontMetricsF(titleFont).horizontalAdvance(title) <= l.title.width()) break;
  }
  p.setFont(titleFont);
  p.setPen(pal.color(QPalette::WindowText));
  m_shownTitle = QFontMetricsF(titleFont).elidedText(title, Qt::ElideRight, l.title.width());
  p.drawText(l.title, Qt::AlignLeft | Qt::AlignVCenter, m_shownTitle);

  const QFont small = scaledFont(base, 0.85);
  const QFont kindFont = scaledFont(base, 0.95, true);
  for (const Box& box : l.boxes) {
    const PoolJob* job = jobOnSlot(box.slot);
    QPainterPath path;
    path.addRoundedRect(box.rect, 6, 6);
    p.fillPath(path, job ? faded(work, pal, 0.55) : pal.color(QPalette::Base));
    if (job) {
      // The fill rises with the job's age, relative to the oldest running job: a long pbkdf2
      // towers over a quick fs.stat, which is the point about blocking the pool.
      uint64_t age = m_state.timeNs > job->startedNs ? m_state.timeNs - job->startedNs : 0;
      double frac = std::clamp(double(age) / double(oldest), 0.08, 1.0);
      QRectF level(box.rect.left(), box.rect.bottom() - box.rect.height() * frac, box.rect.width(),
                   box.rect.height() * frac);
      QPainterPath levelPath;
      levelPath.addRect(level);
      p.fillPath(levelPath.intersected(path), work);
    }
    p.setPen(QPen(job ? work.darker(130) : pal.color(QPalette::Mid), job ? 2 : 1));
    p.drawPath(path);
    QRectF inner = box.rect.adjusted(5, 3, -5, -3);
    p.setFont(small);
    QColor onBox = job ? textColorOn(work) : pal.color(QPalette::PlaceholderText);
    p.setPen(onBox);
    const QString number = QStringLiteral("#%1").arg(box.slot);
    p.drawText(inner, Qt::AlignLeft | Qt::AlignTop, number);
    // The content goes below the slot number when the box is tall enough for both, else beside
    // it: with the presentation font a box is barely two lines high, and text must not overlap.
    const QFontMetricsF numberMetrics(small);
    const double contentLines = job ? 2.0 : 1.0;
    const bool below = inner.height() >= numberMetrics.height() + QFontMetricsF(kindFont).height() * contentLines;
    inner = below ? inner.adjusted(0, numberMetrics.height(), 0, 0)
                  : inner.adjusted(numberMetrics.horizontalAdvance(number) + 4, 0, 0, 0);
    if (job) {
      uint64_t age = m_state.timeNs > job->startedNs ? m_state.timeNs - job->startedNs : 0;
      QFontMetricsF km(kindFont);
      p.setFont(kindFont);
      // "crypto.pbkdf2" is too wide for a quarter of 300 px: break it at the dot rather than
      // eliding the part that says what the job is.
      QString kind = qstr(job->kind);
      if (km.horizontalAdvance(kind) > inner.width()) kind.replace(QLatin1Char('.'), QStringLiteral(".\n"));
      QStringList rows = kind.split(QLatin1Char('\n'));
      for (QString& row : rows) row = km.elidedText(row, Qt::ElideRight, inner.width());
      // Text colour follows what is behind the text's middle: the risen fill or the faded box.
      uint64_t oldestAge = std::max<uint64_t>(oldest, 1);
      double frac = std::clamp(double(age) / double(oldestAge), 0.08, 1.0);
      QColor behind = frac >= 0.5 ? work : faded(work, pal, 0.55);
      p.setPen(textColorOn(behind));
      // As many lines as the box holds: the job's kind first, then how long it has run.
      rows << humanDuration(int64_t(age));
      const int fits = std::max(1, int(inner.height() / km.height()));
      if (rows.size() > fits) {
        const QString duration = rows.last();
        rows = {km.elidedText(qstr(job->kind), Qt::ElideRight, inner.width())};
        if (fits >= 2) rows << duration;
      }
      p.drawText(inner, Qt::AlignCenter, rows.join(QLatin1Char('\n')));
    } else if (QFontMetricsF(small).horizontalAdvance(tr("idle")) <= inner.width()) {
      p.drawText(inner, Qt::AlignCenter, tr("idle"));  // an empty box says idle by itself otherwise
    }
  }

  // Backlog and completed rows as chips.
  auto chips = [&](const QRectF& row, const QString& caption, const std::vector<PoolJob>& jobs, const QColor& color) {
    QFont capFont = scaledFont(base, 0.9);
    p.setFont(capFont);
    p.setPen(pal.color(QPalette::WindowText));
    QString cap = caption.arg(jobs.size());
    QFontMetricsF cm(capFont);
    double x = row.left();
    p.drawText(QRectF(x, row.top(), row.width(), row.height()), Qt::AlignLeft | Qt::AlignVCenter, cap);
    x += cm.horizontalAdvance(cap) + 6;
    QFont chipFont = scaledFont(base, 0.82);
    double chipY = row.top() + (row.height() - (QFontMetricsF(chipFont).height() + 4)) / 2;
    for (size_t i = 0; i < jobs.size(); ++i) {
      QString label = qstr(jobs[i].kind);
      double w = badgeWidth(chipFont, label);
      QString more = tr("+%1").arg(jobs.size() - i);
      if (x + w + badgeWidth(chipFont, more) > row.right() && i + 1 < jobs.size()) {
        drawBadge(p, QPointF(x, chipY), pal.color(QPalette::Mid), chipFont, more);
        break;
      }
      x += drawBadge(p, QPointF(x, chipY), color, chipFont, label) + 3;
    }
  };
  chips(l.backlog, tr("Waiting: %1"), m_state.pool.backlog, warningColor(pal));
  chips(l.completed, tr("Done, callback queued: %1"), m_state.pool.completed, faded(work, pal, 0.3));
}

bool ThreadPoolView::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    const Layout l = layout();
    QString tip;
    for (const Box& box : l.boxes) {
      if (!box.rect.contains(help->pos())) continue;
      if (const PoolJob* job = jobOnSlot(box.slot)) {
        uint64_t age = m_state.timeNs > job->startedNs ? m_state.timeNs - job->startedNs : 0;
        uint64_t waited = job->startedNs > job->submittedNs ? job->startedNs - job->submittedNs : 0;
        tip = tr("Thread #%1 runs %2 (job %3) for %4 so far; it waited %5 for a free thread.")
                  .arg(box.slot)
                  .arg(qstr(job->kind))
                  .arg(job->jobId)
                  .arg(humanDuration(int64_t(age)), humanDuration(int64_t(waited)));
      } else {
        tip = tr("Thread #%1 is idle.").arg(box.slot);
      }
    }
    if (tip.isEmpty() && l.backlog.contains(help->pos()))
      tip = tr("Jobs submitted while every thread was busy wait here (fs, dns.lookup, crypto, "
               "zlib share these %1 threads; set UV_THREADPOOL_SIZE to change it).")
                .arg(m_state.pool.size);
    if (tip.isEmpty() && l.completed.contains(help->pos()))
      tip = tr("Finished on the pool; their callbacks run on the main thread in the next poll phase.");
    if (tip.isEmpty() && l.title.contains(help->pos()))
      tip =
          tr("libuv runs file system, dns.lookup, crypto and zlib work on these threads, so "
             "JavaScript keeps running meanwhile.");
    if (tip.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(help->globalPos(), tip, this);
    return true;
  }
  return QWidget::event(e);
}

}  // namespace loopscope::ui
