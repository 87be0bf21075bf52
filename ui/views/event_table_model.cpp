#include "event_table_model.h"

#include <QGuiApplication>
#include <QPalette>
#include <algorithm>

#include "human_units.h"
#include "phase_colors.h"

namespace loopscope::ui {
namespace {

bool isBookkeeping(EventKind k) {
  return k == EventKind::String || k == EventKind::FunctionSite || k == EventKind::Meta;
}

QString threadText(uint8_t thread) {
  if (thread == kMainThread) return EventTableModel::tr("main");
  if (thread == kOtherThread) return EventTableModel::tr("other");
  return EventTableModel::tr("pool #%1").arg(thread);
}

QString callbackText(const Trace& t, int64_t asyncId) {
  if (asyncId == 1) return EventTableModel::tr("main script");
  QString type = qstr(t.asyncType(asyncId));
  QString label = qstr(t.callbackLabel(asyncId));
  QString text = type.isEmpty() ? QStringLiteral("#%1").arg(asyncId) : type;
  if (!label.isEmpty()) text += QStringLiteral(" ") + label;
  return text + EventTableModel::tr(" (async id %1)").arg(asyncId);
}

}  // namespace

EventTableModel::EventTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void EventTableModel::setTrace(const Trace* trace) {
  beginResetModel();
  m_trace = trace;
  m_seen = 0;
  m_rows.clear();
  m_rowPhase.clear();
  m_jobKind.clear();
  m_phase = uint8_t(Phase::Main);
  if (m_trace) indexFrom(0, m_trace->size());
  endResetModel();
}

void EventTableModel::indexFrom(size_t first, size_t last) {
  const auto& evs = m_trace->events();
  for (size_t i = first; i < last; ++i) {
    const Event& ev = evs[i];
    uint8_t rowPhase = ev.thread == kMainThread ? m_phase : kNoPhase;
    if (ev.thread == kMainThread) {
      switch (ev.kind) {
        case EventKind::PhaseEnter: rowPhase = m_phase = uint8_t(ev.a()); break;
        case EventKind::PhaseExit: rowPhase = uint8_t(ev.a()); m_phase = kNoPhase; break;
        case EventKind::LoopStart: m_phase = kNoPhase; rowPhase = kNoPhase; break;
        case EventKind::LoopEnd: m_phase = kNoPhase; break;
        default: break;
      }
    }
    if (ev.kind == EventKind::PoolSubmit) m_jobKind[ev.a()] = ev.b();
    if (isBookkeeping(ev.kind)) continue;
    m_rows.push_back(uint32_t(i));
    m_rowPhase.push_back(rowPhase);
  }
  m_seen = last;
}

void EventTableModel::traceGrew() {
  if (!m_trace || m_trace->size() <= m_seen) return;
  // Count the new rows first: beginInsertRows must announce exactly the rows that appear.
  const auto& evs = m_trace->events();
  size_t added = 0;
  for (size_t i = m_seen; i < evs.size(); ++i)
    if (!isBookkeeping(evs[i].kind)) ++added;
  if (added == 0) {
    indexFrom(m_seen, evs.size());
    return;
  }
  const int first = int(m_rows.size());
  beginInsertRows({}, first, first + int(added) - 1);
  indexFrom(m_seen, evs.size());
  endInsertRows();
}

size_t EventTableModel::eventIndexAt(int row) const {
  return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)] : size_t(-1);
}

int EventTableModel::rowAtOrBefore(size_t eventIndex) const {
  auto it = std::upper_bound(m_rows.begin(), m_rows.end(), eventIndex,
                             [](size_t value, uint32_t row) { return value < row; });
  return int(it - m_rows.begin()) - 1;
}

int EventTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(m_rows.size());
}

int EventTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case TimeColumn: return tr("Time (ms)");
    case ThreadColumn: return tr("Thread");
    case KindColumn: return tr("Event");
    case PhaseColumn: return tr("Phase");
    case DetailsColumn: return tr("Details");
    default: return {};
  }
}

QString EventTableModel::describe(const Trace& t, const Event& ev, int64_t jobKind) {
  auto s = [&](int64_t id) { return qstr(t.str(id)); };
  switch (ev.kind) {
    case EventKind::RunStart:
      return tr("%1 · thread pool of %2 · pid %3").arg(s(ev.c())).arg(ev.a()).arg(ev.b());
    case EventKind::RunEnd:
      return tr("exit code %1 · %2%3")
          .arg(ev.a())
          .arg(qstr(endReasonName(EndReason(ev.b()))))
          .arg(ev.c() ? tr(" · signal %1").arg(ev.c()) : QString());
    case EventKind::LoopStart: return tr("uv_run entered");
    case EventKind::LoopEnd: return ev.a() ? tr("uv_run returned, loop still alive") : tr("uv_run returned, nothing left to do");
    case EventKind::Iteration: return tr("iteration %1").arg(ev.a());
    case EventKind::PhaseEnter:
      if (Phase(ev.a()) == Phase::Poll)
        return ev.b() < 0 ? tr("poll · may wait for I/O with no timeout")
                          : tr("poll · may wait up to %1 ms").arg(ev.b());
      return phaseTitle(Phase(ev.a()));
    case EventKind::PhaseExit:
      if (Phase(ev.a()) == Phase::Poll) return tr("poll · blocked %1").arg(humanDuration(ev.b()));
      return phaseTitle(Phase(ev.a()));
    case EventKind::AsyncInit:
      return tr("%1 created (async id %2, by %3) %4")
          .arg(s(ev.c())).arg(ev.a()).arg(ev.b()).arg(qstr(t.callbackLabel(ev.a())));
    case EventKind::TimerScheduled:
      return tr("%1(%2, %3 ms) → async id %4")
          .arg(ev.e() ? QStringLiteral("setInterval") : QStringLiteral("setTimeout"),
               qstr(t.callbackLabel(ev.a())))
          .arg(ev.d()).arg(ev.a());
    case EventKind::ImmediateScheduled:
      return tr("setImmediate(%1) → async id %2").arg(qstr(t.callbackLabel(ev.a()))).arg(ev.a());
    case EventKind::TickScheduled:
      return tr("process.nextTick(%1) → async id %2").arg(qstr(t.callbackLabel(ev.a()))).arg(ev.a());
    case EventKind::MicrotaskQueued:
      return tr("queueMicrotask(%1) → async id %2").arg(qstr(t.callbackLabel(ev.a()))).arg(ev.a());
    case EventKind::TimerCleared: return tr("clearTimeout: async id %1").arg(ev.a());
    case EventKind::ImmediateCleared: return tr("clearImmediate: async id %1").arg(ev.a());
    case EventKind::PromiseResolve: return tr("promise %1 settled: its reactions are queued").arg(ev.a());
    case EventKind::CallbackEnter:
    case EventKind::CallbackExit: return callbackText(t, ev.a());
    case EventKind::MicrotaskDrainEnd: return tr("microtask queue drained");
    case EventKind::PoolSubmit:
      return tr("%1 (job %2) submitted%3").arg(s(ev.b())).arg(ev.a())
          .arg(ev.c() ? tr(" for async id %1").arg(ev.c()) : QString());
    case EventKind::PoolStart:
    case EventKind::PoolEnd:
    case EventKind::PoolDone:
    case EventKind::PoolDoneEnd:
      return tr("%1 (job %2)").arg(jobKind >= 0 ? s(jobKind) : tr("work")).arg(ev.a());
    case EventKind::GcBegin: return qstr(gcTypeName(ev.a()));
    case EventKind::GcEnd:
      return tr("%1 · new %2 · old %3 · code %4 · large %5")
          .arg(qstr(gcTypeName(ev.a())), humanBytes(ev.b()), humanBytes(ev.c()), humanBytes(ev.d()),
               humanBytes(ev.f[5]));
    case EventKind::StreamCreated: return tr("%1 #%2").arg(s(ev.b())).arg(ev.a());
    case EventKind::StreamState:
      return tr("#%1 %2 · %3 buffered / highWaterMark %4 (%5)")
          .arg(ev.a())
          .arg(qstr(streamEventName(StreamEvent(ev.b()))))
          .arg(ev.c()).arg(ev.d())
          .arg(StreamSide(ev.e()) == StreamSide::Readable ? tr("readable") : tr("writable"));
    case EventKind::Console: {
      QString text = s(ev.b()).trimmed();
      return (ev.a() == 2 ? QStringLiteral("stderr: ") : QStringLiteral("stdout: ")) + text;
    }
    case EventKind::UncaughtError:
      return tr("%1: %2 at %3:%4").arg(s(ev.e()), s(ev.a()), s(ev.b())).arg(ev.c());
    case EventKind::Paused: return tr("paused (step mode)");
    case EventKind::Resumed: return tr("resumed");
    default: return {};
  }
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
  if (!m_trace || !index.isValid() || index.row() >= int(m_rows.size())) return {};
  const size_t eventIndex = m_rows[size_t(index.row())];
  const Event& ev = m_trace->events()[eventIndex];
  if (role == EventIndexRole) return qulonglong(eventIndex);
  if (role == Qt::TextAlignmentRole && index.column() == TimeColumn)
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
  if (role == Qt::ForegroundRole) {
    if (ev.kind == EventKind::UncaughtError || (ev.kind == EventKind::Console && ev.a() == 2))
      return errorColor(QGuiApplication::palette());
    return {};
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
  switch (index.column()) {
    case TimeColumn: {
      const Event* start = m_trace->runStart();
      uint64_t origin = start && start->ts <= ev.ts ? start->ts : 0;
      return QString::number(double(ev.ts - origin) / 1e6, 'f', 3);
    }
    case ThreadColumn: return threadText(ev.thread);
    case KindColumn: return qstr(kindName(ev.kind));
    case PhaseColumn: {
      uint8_t ph = m_rowPhase[size_t(index.row())];
      return ph == kNoPhase ? QString() : phaseTitle(Phase(ph));
    }
    case DetailsColumn: {
      int64_t jobKind = -1;
      if (auto it = m_jobKind.find(ev.a()); it != m_jobKind.end()) jobKind = it->second;
      return describe(*m_trace, ev, jobKind);
    }
    default: return {};
  }
}

}  // namespace loopscope::ui
