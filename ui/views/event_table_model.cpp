#include "event_table_model.h"

#include <QGuiApplication>
#include <QPalette>
#include <algorithm>

#include "human_units.h"
#include "interpret/attribution.h"
#include "interpret/describe.h"
#include "interpret/records.h"
#include "phase_colors.h"

namespace loopscope::ui {
namespace {}  // namespace

EventTableModel::EventTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void EventTableModel::setTrace(const Trace* trace) {
  beginResetModel();
  m_trace = trace;
  m_seen = 0;
  m_rows.clear();
  m_rowPhase.clear();
  m_context = EventContext{};
  if (m_trace) indexFrom(0, m_trace->size());
  endResetModel();
}

bool EventTableModel::shown(const Event& ev) const {
  if (isBookkeeping(ev.kind)) return false;
  return m_showInternals || !isInternalEvent(*m_trace, ev);
}

void EventTableModel::setShowInternals(bool show) {
  if (show == m_showInternals) return;
  m_showInternals = show;
  setTrace(m_trace);
}

void EventTableModel::indexFrom(size_t first, size_t last) {
  const auto& evs = m_trace->events();
  for (size_t i = first; i < last; ++i) {
    const Event& ev = evs[i];
    const std::optional<Phase> phase = m_context.add(ev);
    if (!shown(ev)) continue;
    m_rows.push_back(uint32_t(i));
    m_rowPhase.push_back(phase ? uint8_t(*phase) : kNoPhase);
  }
  m_seen = last;
}

void EventTableModel::traceGrew() {
  if (!m_trace || m_trace->size() <= m_seen) return;
  // Count the new rows first: beginInsertRows must announce exactly the rows that appear.
  const auto& evs = m_trace->events();
  size_t added = 0;
  for (size_t i = m_seen; i < evs.size(); ++i)
    if (shown(evs[i])) ++added;
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

int EventTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

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
  return qstr(describeEvent(t, ev, jobKind));
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const {
  if (!m_trace || !index.isValid() || index.row() >= int(m_rows.size())) return {};
  const size_t eventIndex = m_rows[size_t(index.row())];
  const Event& ev = m_trace->events()[eventIndex];
  if (role == EventIndexRole) return qulonglong(eventIndex);
  if (role == Qt::TextAlignmentRole && index.column() == TimeColumn)
    return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
  if (role == Qt::ForegroundRole) {
    if (ev.kind == EventKind::UncaughtError || (ev.kind == EventKind::Console && as<record::Console>(ev).fd == 2))
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
    case ThreadColumn: return qstr(threadName(ev.thread));
    case KindColumn: return qstr(kindName(ev.kind));
    case PhaseColumn: {
      uint8_t ph = m_rowPhase[size_t(index.row())];
      return ph == kNoPhase ? QString() : phaseTitle(Phase(ph));
    }
    case DetailsColumn: {
      // Pool records carry only the job id; the table names the work it was submitted as.
      return describe(*m_trace, ev, m_context.jobKind(poolJobOf(ev)));
    }
    default: return {};
  }
}

}  // namespace loopscope::ui
