#include "loop_wheel_view.h"

#include <initializer_list>
#include <iterator>

#include <QFontInfo>
#include <QFontMetricsF>
#include <QHelpEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "human_units.h"
#include "paint_primitives.h"
#include "phase_colors.h"

namespace loopscope::ui {
namespace {

// One ring segment. Angles are degrees clockwise from 12 o'clock. Idle and prepare share one
// narrow segment: Node only uses them internally, no user callback ever runs there. Poll gets the
// widest segment because that is where a Node process spends most of its life.
struct Segment {
  Phase phase;  // Idle stands for "idle, prepare"
  double start;
  double sweep;
};
constexpr double kGap = 3.0;
constexpr std::array<Segment, 6> kSegments{{
    {Phase::Timers, -31, 62},
    {Phase::Pending, 31 + kGap, 46},
    {Phase::Idle, 80 + 2 * kGap, 30},
    {Phase::Poll, 110 + 3 * kGap, 96},
    {Phase::Check, 206 + 4 * kGap, 62},
    {Phase::Close, 268 + 5 * kGap, 46},
}};

Phase segmentPhase(Phase p) { return p == Phase::Prepare ? Phase::Idle : p; }

QPointF polar(const QPointF& c, double radius, double clockwiseDegFromTop) {
  double rad = (clockwiseDegFromTop - 90.0) * std::numbers::pi / 180.0;
  return {c.x() + radius * std::cos(rad), c.y() + radius * std::sin(rad)};
}

QPainterPath annularSector(const QPointF& c, double inner, double outer, double start, double sweep) {
  // QPainterPath angles are counter-clockwise from 3 o'clock.
  const double qtStart = 90.0 - start;
  QPainterPath path;
  QRectF outerRect(c.x() - outer, c.y() - outer, 2 * outer, 2 * outer);
  QRectF innerRect(c.x() - inner, c.y() - inner, 2 * inner, 2 * inner);
  path.arcMoveTo(outerRect, qtStart);
  path.arcTo(outerRect, qtStart, -sweep);
  path.arcTo(innerRect, qtStart - sweep, sweep);
  path.closeSubpath();
  return path;
}

bool isTick(const std::optional<QueueEntry>& cur) {
  return cur && callbackFamily(cur->type) == CallbackFamily::NextTick;
}
bool isMicrotask(const std::optional<QueueEntry>& cur) {
  return cur && callbackFamily(cur->type) == CallbackFamily::Microtask;
}

void drawHourglass(QPainter& p, const QRectF& r, const QColor& color) {
  p.save();
  p.setPen(QPen(color, std::max<qreal>(1.2, r.width() / 10), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  p.setBrush(Qt::NoBrush);
  QPainterPath glass;
  glass.moveTo(r.topLeft());
  glass.lineTo(r.topRight());
  glass.lineTo(r.center());
  glass.lineTo(r.bottomRight());
  glass.lineTo(r.bottomLeft());
  glass.lineTo(r.center());
  glass.closeSubpath();
  p.drawPath(glass);
  QPainterPath sand;  // the sand at the bottom: time is passing
  sand.moveTo(r.center().x(), r.center().y() + r.height() * 0.18);
  sand.lineTo(r.right() - r.width() * 0.12, r.bottom() - 1);
  sand.lineTo(r.left() + r.width() * 0.12, r.bottom() - 1);
  sand.closeSubpath();
  p.fillPath(sand, color);
  p.restore();
}

}  // namespace

struct LoopWheelView::Geometry {
  QPointF center;
  double outer = 0, inner = 0;
  double fontPx = 12;  // the widget's font size in pixels: text never goes below a share of it
  QRectF nextTickGate, microtaskGate;
};

LoopWheelView::LoopWheelView(QWidget* parent) : QWidget(parent) {
  setMouseTracking(true);
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  // Learners mostly run Node 20+ at home: say which order this is and what differs there.
  setToolTip(
      tr("The event loop as this engine runs it (Node 18, libuv 1.44): each turn visits timers, "
         "pending, idle, prepare, poll, check and close, in this order. Node 20 and later "
         "(libuv 1.45+) run due timers once before the first turn and then at the end of each "
         "turn, after close: callbacks still run in the same order, only the turn a timer "
         "belongs to differs (lesson 1, newer-node.js)."));
}

void LoopWheelView::showState(const LoopState& state) {
  m_state = state;
  update();
}

Phase LoopWheelView::highlightedPhase() const {
  if (!m_state.inLoop || m_state.finished) return Phase::Main;
  return m_state.phase;
}

bool LoopWheelView::nextTickGateLit() const { return isTick(m_state.current); }
bool LoopWheelView::microtaskGateLit() const { return isMicrotask(m_state.current); }

QString LoopWheelView::statusLine() const {
  if (m_state.current) {
    const QueueEntry& cur = *m_state.current;
    QString where = cur.line > 0 ? QStringLiteral(" :%1").arg(cur.line) : QString();
    return QStringLiteral("▶ %1%2").arg(entryTitle(cur), where);
  }
  if (m_state.inLoop && m_state.phase == Phase::Poll && m_state.pollWaiting) {
    if (m_state.pollTimeoutMs < 0) return tr("waiting for I/O (no timeout)");
    if (m_state.pollTimeoutMs == 0) return tr("checking for I/O (no wait)");
    return tr("waiting up to %1 ms").arg(m_state.pollTimeoutMs);
  }
  if (m_state.inLoop) return tr("in %1").arg(phaseTitle(m_state.phase));
  return {};
}

QStringList LoopWheelView::centerLines() const {
  QStringList lines;
  if (m_state.finished) {
    lines << tr("finished") << tr("exit code %1").arg(m_state.exitCode);
    if (m_state.endReason != EndReason::Finished) lines << qstr(endReasonName(m_state.endReason));
    return lines;
  }
  if (!m_state.started) return {tr("not started")};
  if (!m_state.inLoop) {
    lines << tr("before the loop") << tr("main script");
  } else {
    lines << tr("iteration") << QString::number(m_state.iteration);
  }
  if (QString s = statusLine(); !s.isEmpty()) lines << s;
  return lines;
}

LoopWheelView::Geometry LoopWheelView::geometry() const {
  Geometry g;
  const double side = std::min(width(), height());
  g.center = QRectF(rect()).center();
  g.outer = side * 0.47;
  g.fontPx = QFontInfo(font()).pixelSize();
  // A thin ring suits a big wheel; a small one (a 1280×720 projector leaves it about 220 px, with
  // the presentation font) needs a thicker band, or the phase names shrink below what a class
  // can read from the back.
  // Not thicker than 30 % of the radius: the middle needs its room for the gates.
  g.inner = std::max(g.outer * 0.7, std::min(g.outer * 0.78, g.outer - g.fontPx * 1.7));
  const double gateW = g.inner * 0.72, gateH = g.inner * 0.36;
  const double gateTop = g.center.y() + g.inner * 0.36;
  g.nextTickGate = QRectF(g.center.x() - gateW - g.inner * 0.04, gateTop, gateW, gateH);
  g.microtaskGate = QRectF(g.center.x() + g.inner * 0.04, gateTop, gateW, gateH);
  return g;
}

void LoopWheelView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  const QPalette pal = palette();
  p.fillRect(rect(), pal.color(QPalette::Window));
  const Geometry g = geometry();
  const double band = g.outer - g.inner;
  const Phase lit = highlightedPhase();
  const bool loopDone = m_state.finished;
  m_ringLabels.clear();

  // Text sizes follow the wheel's size but never shrink below a share of the widget's font, so
  // presentation mode (a bigger application font) still enlarges them.
  auto px = [&](double wanted, double minShareOfFont) {
    QFont f = font();
    f.setPixelSize(int(std::max(wanted, g.fontPx * minShareOfFont)));
    return f;
  };

  // --- the ring ---------------------------------------------------------------------------
  for (const Segment& s : kSegments) {
    const bool active = lit != Phase::Main && segmentPhase(lit) == s.phase;
    QColor color = phaseColor(s.phase, pal);
    QColor fill = active ? color : faded(color, pal, loopDone ? 0.8 : 0.62);
    double outer = active ? g.outer + band * 0.12 : g.outer;
    QPainterPath path = annularSector(g.center, g.inner, outer, s.start, s.sweep);
    p.fillPath(path, fill);
    if (active) {
      p.setPen(QPen(pal.color(QPalette::WindowText), std::max(2.0, band * 0.07)));
      p.setBrush(Qt::NoBrush);
      p.drawPath(path);
    }
    // Label, horizontal, in the middle of the band.
    QPointF mid = polar(g.center, (g.inner + outer) / 2, s.start + s.sweep / 2);
    const bool small = s.phase == Phase::Idle;
    // Ring labels may grow with the application font, but only as far as the band allows.
    auto ringFont = [&](double wanted, double share, double capShareOfBand) {
      QFont rf = font();
      rf.setPixelSize(int(std::min(std::max(wanted, g.fontPx * share), band * capShareOfBand)));
      return rf;
    };
    QFont f = ringFont(band * (small ? 0.27 : 0.36), small ? 0.6 : 0.8, small ? 0.3 : 0.42);
    f.setBold(active);
    p.setFont(f);
    p.setPen(active ? textColorOn(fill) : textColorOn(fill));
    QString label = small ? tr("idle\nprepare") : phaseTitle(s.phase);
    // What the phase runs, in the words of the code on screen: the link a newcomer needs
    // between "setImmediate" in the editor and "check" on the wheel.
    QString runs;
    if (s.phase == Phase::Timers)
      runs = tr("setTimeout");
    else if (s.phase == Phase::Poll)
      runs = tr("I/O callbacks");
    else if (s.phase == Phase::Check)
      runs = tr("setImmediate");
    // Kept inside the widget: on a narrow wheel "setImmediate" under "check" would otherwise run
    // off the left edge; shifted a little, it still sits on its segment.
    QFontMetricsF labelMetrics(f);
    double labelWidth = 0;
    for (const QString& part : label.split(QLatin1Char('\n')))
      labelWidth = std::max(labelWidth, labelMetrics.horizontalAdvance(part));
    if (!runs.isEmpty()) {
      const double runsWidth = QFontMetricsF(ringFont(band * 0.3, 0.72, 0.34)).horizontalAdvance(runs);
      // The API name is a hint; on a small wheel with a projector's font it would reach into the
      // middle of the wheel and be cut by it, so it gives way to the phase's own name.
      // Beside the wheel's middle (left and right) horizontal text crosses the band, so it has
      // little room; above and below it runs along the band.
      const double across = std::abs(mid.x() - g.center.x()) / std::max(1.0, (g.inner + outer) / 2);
      if (runsWidth > band * (2.6 - 1.5 * across))
        runs.clear();
      else
        labelWidth = std::max(labelWidth, runsWidth);
    }
    const double halfWidth = std::min(labelWidth / 2 + 2, width() / 2.0);
    const double labelX = std::clamp(mid.x(), halfWidth, width() - halfWidth);
    // Never narrower than the text: drawText() cuts what does not fit its box.
    const double boxWidth = std::max(band * 3.2, labelWidth + 4);
    QRectF box(labelX - boxWidth / 2, mid.y() - band * 0.6, boxWidth, band * 1.2);
    // A label wider than the band (a big projector font on a small wheel) would run off its
    // segment onto the window, where white text on the lit segment vanishes ("chec"): it gets a
    // pill in the segment's colour, so every letter stays on the colour it was chosen for.
    const double textHeight = labelMetrics.height() * (label.count(QLatin1Char('\n')) + 1 + (runs.isEmpty() ? 0 : 0.9));
    const QRectF textBox(labelX - labelWidth / 2, mid.y() - textHeight / 2, labelWidth, textHeight);
    m_ringLabels.push_back({runs.isEmpty() ? label : label + QLatin1Char('\n') + runs, textBox});
    if (labelWidth > band * 1.15) {
      const QRectF pill = textBox.adjusted(-3, -1, 3, 1);
      p.save();
      p.setPen(Qt::NoPen);
      p.setBrush(fill);
      p.drawRoundedRect(pill, 4, 4);
      p.restore();
    }
    if (runs.isEmpty()) {
      p.drawText(box, Qt::AlignCenter, label);
    } else {
      QFontMetricsF lm(f);
      QFont sub = ringFont(band * 0.3, 0.72, 0.34);
      QFontMetricsF sm(sub);
      double total = lm.height() + sm.height() * 0.9;
      QRectF top(box.left(), mid.y() - total / 2, box.width(), lm.height());
      p.drawText(top, Qt::AlignCenter, label);
      p.setFont(sub);
      p.drawText(QRectF(box.left(), top.bottom() - sm.height() * 0.1, box.width(), sm.height()), Qt::AlignCenter, runs);
    }
    if (s.phase == Phase::Poll && active && m_state.pollWaiting && !m_state.current) {
      double h = band * 0.5;
      QPointF at = polar(g.center, (g.inner + outer) / 2, s.start + s.sweep * 0.2);
      drawHourglass(p, QRectF(at.x() - h * 0.35, at.y() - h / 2, h * 0.7, h), textColorOn(fill));
    }
  }
  // Direction arrows in the gaps: the loop only ever turns clockwise.
  p.setPen(Qt::NoPen);
  p.setBrush(pal.color(QPalette::WindowText));
  for (const Segment& s : kSegments) {
    double at = s.start + s.sweep + kGap / 2;
    double r = (g.inner + g.outer) / 2;
    double a = band * 0.22;
    QPointF tip = polar(g.center, r, at + 2.2);
    QPolygonF arrow{polar(g.center, r - a, at - 1.2), polar(g.center, r + a, at - 1.2), tip};
    p.drawPolygon(arrow);
  }
  // A needle from the middle to the lit segment: "we are here".
  if (lit != Phase::Main) {
    for (const Segment& s : kSegments) {
      if (segmentPhase(lit) != s.phase) continue;
      double mid = s.start + s.sweep / 2;
      QColor c = phaseColor(s.phase, pal);
      p.setBrush(c);
      QPolygonF needle{polar(g.center, g.inner - 2, mid), polar(g.center, g.inner * 0.9, mid - 6),
                       polar(g.center, g.inner * 0.9, mid + 6)};
      p.drawPolygon(needle);
    }
  }

  // --- the middle -------------------------------------------------------------------------
  const QColor text = pal.color(QPalette::WindowText);
  const QColor muted = pal.color(QPalette::PlaceholderText);
  const double r = g.inner;
  QRectF captionBox(g.center.x() - r * 0.9, g.center.y() - r * 0.78, r * 1.8, r * 0.22);
  QRectF bigBox(g.center.x() - r * 0.9, g.center.y() - r * 0.58, r * 1.8, r * 0.42);
  QRectF statusBox(g.center.x() - r * 0.92, g.center.y() - r * 0.12, r * 1.84, r * 0.34);
  QStringList lines = centerLines();
  p.setPen(muted);
  p.setFont(px(r * 0.13, 0.75));
  if (!lines.isEmpty()) p.drawText(captionBox, Qt::AlignCenter, lines.value(0));
  p.setPen(text);
  const bool numeric = m_state.inLoop && !m_state.finished;
  p.setFont(px(numeric ? r * 0.38 : r * 0.2, 1.0));
  QFont bigFont = p.font();
  bigFont.setBold(true);
  p.setFont(bigFont);
  p.drawText(bigBox, Qt::AlignCenter,
             QFontMetricsF(bigFont).elidedText(lines.value(1), Qt::ElideRight, bigBox.width()));

  // Status: the running callback as a pill in its family's colour, or poll's wait.
  QString status = lines.value(2);
  if (!status.isEmpty()) {
    QFont f = px(r * 0.13, 0.8);
    f.setBold(bool(m_state.current));
    QFontMetricsF fm(f);
    const bool waiting = !m_state.current && m_state.pollWaiting;
    double glyph = waiting ? fm.height() * 0.9 : 0;
    double w = std::min(statusBox.width(), fm.horizontalAdvance(status) + fm.height() + glyph);
    QRectF pill(statusBox.center().x() - w / 2, statusBox.center().y() - fm.height() * 0.7, w, fm.height() * 1.4);
    QColor fill = m_state.current ? callbackColor(callbackFamily(m_state.current->type), pal)
                                  : faded(phaseColor(m_state.phase, pal), pal, 0.75);
    p.setPen(Qt::NoPen);
    p.setBrush(fill);
    p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
    p.setFont(f);
    p.setPen(textColorOn(fill));
    QRectF textRect = pill.adjusted(fm.height() / 2 + glyph, 0, -fm.height() / 2, 0);
    if (waiting)
      drawHourglass(
          p,
          QRectF(pill.left() + fm.height() * 0.45, pill.top() + pill.height() * 0.2, glyph * 0.6, pill.height() * 0.6),
          textColorOn(fill));
    p.drawText(textRect, Qt::AlignCenter, fm.elidedText(status, Qt::ElideRight, textRect.width()));
  }

  // The two gates: after every callback Node empties the nextTick queue, then the microtasks.
  if (m_state.started && !m_state.finished) {
    QFont capFont = px(r * 0.1, 0.7);
    p.setFont(capFont);
    p.setPen(muted);
    // A small wheel with a projector's large font cannot hold the long wording: shorter words
    // read better than clipped ones.
    auto fitting = [](const QFont& font, double width, std::initializer_list<QString> choices) {
      QFontMetricsF fm(font);
      for (const QString& choice : choices)
        if (fm.horizontalAdvance(choice) <= width) return choice;
      return fm.elidedText(*std::prev(choices.end()), Qt::ElideRight, width);
    };
    const QRectF captionRect(g.nextTickGate.left(), g.nextTickGate.top() - r * 0.16,
                             g.microtaskGate.right() - g.nextTickGate.left(), r * 0.15);
    p.drawText(
        captionRect, Qt::AlignCenter,
        fitting(capFont, captionRect.width(), {tr("after every callback:"), tr("after each callback:"), tr("then:")}));
    auto gate = [&](const QRectF& box, std::initializer_list<QString> names, size_t queued, bool on, QColor color) {
      QColor fill = on ? color : pal.color(QPalette::Base);
      QPainterPath path;
      // An arch: a gate the callback's exit passes through.
      path.moveTo(box.bottomLeft());
      path.lineTo(box.left(), box.top() + box.height() * 0.3);
      path.quadTo(box.left(), box.top(), box.left() + box.height() * 0.3, box.top());
      path.lineTo(box.right() - box.height() * 0.3, box.top());
      path.quadTo(box.right(), box.top(), box.right(), box.top() + box.height() * 0.3);
      path.lineTo(box.bottomRight());
      path.closeSubpath();
      p.fillPath(path, fill);
      p.setPen(QPen(on ? text : color, on ? 2.5 : 1.5));
      p.setBrush(Qt::NoBrush);
      p.drawPath(path);
      QFont nameFont = px(box.height() * 0.3, 0.7);
      nameFont.setBold(true);
      p.setFont(nameFont);
      p.setPen(on ? textColorOn(fill) : color);
      QRectF top(box.left(), box.top(), box.width(), box.height() * 0.52);
      p.drawText(top, Qt::AlignHCenter | Qt::AlignBottom, fitting(nameFont, box.width() - 4, names));
      QFont countFont = px(box.height() * 0.28, 0.7);
      p.setFont(countFont);
      p.setPen(on ? textColorOn(fill) : text);
      const QString count =
          queued == 0 ? fitting(countFont, box.width() - 4, {tr("empty"), tr("0")})
                      : fitting(countFont, box.width() - 4, {tr("%1 queued").arg(queued), QString::number(queued)});
      p.drawText(QRectF(box.left(), box.top() + box.height() * 0.5, box.width(), box.height() * 0.48), Qt::AlignCenter,
                 count);
    };
    gate(g.nextTickGate, {tr("nextTick"), tr("tick")}, m_state.nextTicks.size(), nextTickGateLit(), nextTickColor(pal));
    gate(g.microtaskGate, {tr("microtasks"), tr("micro"), tr("μ")}, m_state.microtasks.size(), microtaskGateLit(),
         microtaskColor(pal));
  }
  if (m_state.paused) {
    QFont f = px(g.fontPx * 0.9, 0.9);
    drawBadge(p, QPointF(4, 4), warningColor(pal), f, tr("paused"));
  }
}

QString LoopWheelView::toolTipAt(const QPointF& pos) const {
  const Geometry g = geometry();
  if (g.nextTickGate.contains(pos))
    return tr("The nextTick queue: emptied after every callback, before promises. %1 waiting.")
        .arg(m_state.nextTicks.size());
  if (g.microtaskGate.contains(pos))
    return tr("The microtask queue (promise reactions, queueMicrotask): emptied after every "
              "callback, right after the nextTick queue. %1 waiting.")
        .arg(m_state.microtasks.size());
  QPointF d = pos - g.center;
  double dist = std::hypot(d.x(), d.y());
  if (dist >= g.inner && dist <= g.outer * 1.12) {
    double deg = std::atan2(d.y(), d.x()) * 180.0 / std::numbers::pi + 90.0;  // clockwise from top
    for (const Segment& s : kSegments) {
      double rel = std::fmod(deg - s.start + 720.0, 360.0);
      if (rel <= s.sweep) return phaseExplanation(s.phase);
    }
  }
  if (dist < g.inner) {
    if (m_state.finished) return tr("The loop had nothing left to wait for, so the process ended.");
    if (!m_state.inLoop)
      return tr(
          "The main script runs first, then its nextTicks and promises; only then does the "
          "event loop start turning.");
    return tr("Iteration %1 of the event loop. %2").arg(m_state.iteration).arg(statusLine());
  }
  return {};
}

bool LoopWheelView::event(QEvent* e) {
  if (e->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(e);
    QString tip = toolTipAt(help->pos());
    if (tip.isEmpty())
      QToolTip::hideText();
    else
      QToolTip::showText(help->globalPos(), tip, this);
    return true;
  }
  return QWidget::event(e);
}

}  // namespace loopscope::ui
