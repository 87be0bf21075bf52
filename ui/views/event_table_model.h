// Every recorded event as a table row: time, thread, kind, phase, details. The bookkeeping
// records (String, FunctionSite, Meta) are left out; the model keeps an index of the rows it
// shows, grown incrementally by traceGrew() while a live run appends events.
//
// GUI thread only. The Trace must outlive the model and must only be appended to between calls.
#pragma once

#include <QAbstractTableModel>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "interpret/event_context.h"
#include "trace/trace.h"

namespace loopscope::ui {

class EventTableModel : public QAbstractTableModel {
  Q_OBJECT
 public:
  enum Column { TimeColumn = 0, ThreadColumn, KindColumn, PhaseColumn, DetailsColumn, ColumnCount };
  // Qt::UserRole: the row's index in Trace::events() (qulonglong).
  static constexpr int EventIndexRole = Qt::UserRole;

  explicit EventTableModel(QObject* parent = nullptr);

  // Shows `trace` (nullptr = nothing). Resets the model.
  void setTrace(const Trace* trace);
  // Rows about Node's own callbacks (interpret/attribution.h) are left out unless asked for.
  void setShowInternals(bool show);
  // Adds rows for the events appended since the last call.
  void traceGrew();

  size_t eventIndexAt(int row) const;
  // The last row whose event index is <= eventIndex; -1 if none.
  int rowAtOrBefore(size_t eventIndex) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

  // The details text of one event (also used by the timeline's tooltips).
  static QString describe(const Trace& trace, const Event& ev, int64_t jobKindString = -1);

 private:
  bool shown(const Event& ev) const;
  static constexpr uint8_t kNoPhase = 0xff;
  void indexFrom(size_t first, size_t last);

  const Trace* m_trace = nullptr;
  size_t m_seen = 0;  // events of the trace examined so far
  bool m_showInternals = false;
  // 32-bit event indices: a trace would need 4 billion events (hundreds of GB) to overflow, and
  // halving this index matters for ten-million-event runs.
  std::vector<uint32_t> m_rows;
  std::vector<uint8_t> m_rowPhase;  // the loop phase the row's event happened in, or kNoPhase
  EventContext m_context;           // each event's phase and each pool job's kind, read as rows are added
};

}  // namespace loopscope::ui
