#include "v8_panel.h"

#include "interpret/records.h"
#include "interpret/units.h"

#include <QAbstractTableModel>
#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>
#include <map>
#include <set>

#include "human_units.h"
#include "phase_colors.h"

namespace loopscope::ui {

// The JIT events shown: a prefix (up to the play head) of the indexed events that pass the filter.
// Rows are only appended or removed at the end, so the view keeps its scroll position while a run
// plays.
class JitEventModel : public QAbstractTableModel {
 public:
  enum Column { TimeColumn, FunctionColumn, TierColumn, ReasonColumn, ColumnCount };

  explicit JitEventModel(QObject* parent) : QAbstractTableModel(parent) {}

  void reset(const Trace* trace) {
    beginResetModel();
    m_trace = trace;
    m_rows.clear();
    m_shown = 0;
    endResetModel();
  }
  // Candidates arrive in event order; only those passing the filter become rows.
  void offer(size_t eventIndex) {
    if (passes(eventIndex)) m_rows.push_back(eventIndex);
  }
  void setShowBaseline(bool show, const std::vector<size_t>& all, size_t position) {
    beginResetModel();
    m_showBaseline = show;
    m_rows.clear();
    for (size_t i : all)
      if (passes(i)) m_rows.push_back(i);
    m_shown = 0;
    endResetModel();
    showUpTo(position);
  }
  void showUpTo(size_t position) {
    const size_t count = size_t(std::lower_bound(m_rows.begin(), m_rows.end(), position) - m_rows.begin());
    if (count > m_shown) {
      beginInsertRows({}, int(m_shown), int(count) - 1);
      m_shown = count;
      endInsertRows();
    } else if (count < m_shown) {
      beginRemoveRows({}, int(count), int(m_shown) - 1);
      m_shown = count;
      endRemoveRows();
    }
  }
  size_t eventAt(int row) const { return row >= 0 && size_t(row) < m_shown ? m_rows[size_t(row)] : size_t(-1); }

  int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(m_shown); }
  int columnCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }

  QVariant headerData(int section, Qt::Orientation orientation, int role) const override {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
      case TimeColumn: return V8Panel::tr("time");
      case FunctionColumn: return V8Panel::tr("function");
      case TierColumn: return V8Panel::tr("tier");
      case ReasonColumn: return V8Panel::tr("reason");
      default: return {};
    }
  }

  QVariant data(const QModelIndex& index, int role) const override {
    if (!m_trace || !index.isValid() || size_t(index.row()) >= m_shown) return {};
    const Event& ev = m_trace->events()[m_rows[size_t(index.row())]];
    const bool deopt = ev.kind == EventKind::JitDeoptimized;
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
      switch (index.column()) {
        case TimeColumn: return runTimeText(*m_trace, ev.ts);
        case FunctionColumn:
          return qstr(m_trace->str(deopt ? as<record::JitDeoptimized>(ev).functionString
                                         : as<record::JitOptimized>(ev).functionString));
        case TierColumn:
          if (deopt) return V8Panel::tr("deoptimized");
          return tierOf(ev) == JitTier::TurboFan ? QStringLiteral("TurboFan") : QStringLiteral("Sparkplug");
        case ReasonColumn: {
          if (deopt) {
            const auto d = as<record::JitDeoptimized>(ev);
            QString reason = qstr(m_trace->str(d.reasonString));
            const QString bailout = qstr(m_trace->str(d.bailoutKindString));
            return bailout.isEmpty() ? reason : QStringLiteral("%1 (%2)").arg(reason, bailout);
          }
          const auto jit = as<record::JitOptimized>(ev);
          QString reason = qstr(m_trace->str(jit.reasonString));
          if (jit.compileMicros > 0)
            reason += (reason.isEmpty() ? QString() : QStringLiteral(" · ")) +
                      V8Panel::tr("compiled in %1").arg(humanDuration(saturatingMul(jit.compileMicros, 1000)));
          return reason;
        }
        default: return {};
      }
    }
    if (role == Qt::ForegroundRole && index.column() == TierColumn) {
      const QPalette pal;
      if (deopt) return warningColor(pal);
      return jitTierColor(tierOf(ev), pal);
    }
    if (role == Qt::FontRole && deopt) {
      QFont bold;
      bold.setBold(true);
      return bold;
    }
    return {};
  }

 private:
  bool passes(size_t i) const {
    const Event& ev = m_trace->events()[i];
    return m_showBaseline || ev.kind == EventKind::JitDeoptimized || tierOf(ev) != JitTier::Sparkplug;
  }
  // The tier a JitOptimized record reached (its rows only; a deopt row has no tier).
  static JitTier tierOf(const Event& ev) { return as<record::JitOptimized>(ev).tier; }
  const Trace* m_trace = nullptr;
  std::vector<size_t> m_rows;
  size_t m_shown = 0;
  bool m_showBaseline = false;
};

V8Panel::V8Panel(QWidget* parent) : QWidget(parent), m_model(new JitEventModel(this)) {
  auto* layout = new QVBoxLayout(this);
  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  m_summary->setTextFormat(Qt::RichText);
  m_summary->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_summary);

  m_showBaseline = new QCheckBox(tr("Show Sparkplug (baseline) compiles"));
  m_showBaseline->setToolTip(
      tr("V8 compiles hundreds of functions, most of them Node's own, to baseline code. "
         "TurboFan optimizations and deoptimizations are what explain a hot path's speed."));
  layout->addWidget(m_showBaseline);
  connect(m_showBaseline, &QCheckBox::toggled, this, &V8Panel::setShowBaselineCompiles);

  auto* splitter = new QSplitter(Qt::Vertical);
  m_table = new QTableView;
  m_table->setModel(m_model);
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->verticalHeader()->hide();
  m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  m_table->horizontalHeader()->setStretchLastSection(true);
  m_table->setColumnWidth(JitEventModel::TimeColumn, 90);
  m_table->setColumnWidth(JitEventModel::FunctionColumn, 150);
  m_table->setColumnWidth(JitEventModel::TierColumn, 95);
  m_table->setWordWrap(false);
  connect(m_table, &QTableView::clicked, this, [this](const QModelIndex& index) {
    const size_t ev = m_model->eventAt(index.row());
    if (ev != size_t(-1)) Q_EMIT eventActivated(ev);
  });
  splitter->addWidget(m_table);

  auto* shapesBox = new QWidget;
  auto* shapesLayout = new QVBoxLayout(shapesBox);
  shapesLayout->setContentsMargins(0, 0, 0, 0);
  auto* shapesTitle =
      new QLabel(tr("<b>Hidden classes</b> — <code>loopscope.sameShape(a, b, label)</code>: objects "
                    "that share a map share V8's fast paths (inline caches stay monomorphic)."));
  shapesTitle->setWordWrap(true);
  shapesLayout->addWidget(shapesTitle);
  m_shapes = new QTableWidget(0, 4);
  m_shapes->setHorizontalHeaderLabels({tr("label"), tr("same map"), tr("a's properties"), tr("b's properties")});
  m_shapes->verticalHeader()->hide();
  m_shapes->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  m_shapes->horizontalHeader()->setStretchLastSection(true);
  m_shapes->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_shapes->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_shapes->setColumnWidth(0, 150);
  connect(m_shapes, &QTableWidget::cellClicked, this, [this](int row, int) {
    if (row >= 0 && size_t(row) < m_shapeEvents.size()) Q_EMIT eventActivated(m_shapeEvents[size_t(row)]);
  });
  shapesLayout->addWidget(m_shapes);
  splitter->addWidget(shapesBox);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  layout->addWidget(splitter, 1);
  setTrace(nullptr);
}

V8Panel::~V8Panel() = default;

QAbstractItemModel* V8Panel::jitModel() const { return m_model; }

void V8Panel::setTrace(const Trace* trace) {
  m_trace = trace;
  m_indexed = 0;
  m_jitEvents.clear();
  m_shapeEvents.clear();
  m_position = 0;
  m_summaryJitCount = size_t(-1);
  m_shapesShown = size_t(-1);
  m_model->reset(trace);
  showUpTo(0);
}

void V8Panel::indexNewEvents() {
  if (!m_trace) return;
  const auto& events = m_trace->events();
  for (; m_indexed < events.size(); ++m_indexed) {
    const EventKind kind = events[m_indexed].kind;
    if (kind == EventKind::JitOptimized || kind == EventKind::JitDeoptimized) {
      m_jitEvents.push_back(m_indexed);
      m_model->offer(m_indexed);
    } else if (kind == EventKind::ShapeCheck) {
      m_shapeEvents.push_back(m_indexed);
    }
  }
}

void V8Panel::setShowBaselineCompiles(bool show) {
  if (m_showBaseline->isChecked() != show)
    m_showBaseline->setChecked(show);  // re-enters via toggled
  else
    m_model->setShowBaseline(show, m_jitEvents, m_position);
}

void V8Panel::showUpTo(size_t position) {
  indexNewEvents();
  m_position = position;
  m_model->showUpTo(position);
  rebuildSummary(position);
  rebuildShapes(position);
}

void V8Panel::rebuildSummary(size_t position) {
  const size_t count = size_t(std::lower_bound(m_jitEvents.begin(), m_jitEvents.end(), position) - m_jitEvents.begin());
  if (count == m_summaryJitCount) return;
  m_summaryJitCount = count;
  if (!m_trace || count == 0) {
    m_summary->setText(
        tr("<b>V8 JIT</b><br>No compilations yet. V8 starts every function in the Ignition "
           "interpreter; hot ones move up to Sparkplug (baseline) and TurboFan (optimized) code."));
    return;
  }
  // Per function: the highest tier reached, and each deopt reason with how often it happened.
  std::map<std::string, int> highestTier;
  std::map<std::string, std::map<std::string, int>> deopts;
  std::map<std::string, int> turbofanCompiles;
  int deoptCount = 0;
  for (size_t k = 0; k < count; ++k) {
    const Event& ev = m_trace->events()[m_jitEvents[k]];
    if (ev.kind == EventKind::JitOptimized) {
      const auto jit = as<record::JitOptimized>(ev);
      const std::string name(m_trace->str(jit.functionString));
      int& tier = highestTier[name];
      tier = std::max(tier, int(jit.tier));
      if (jit.tier == JitTier::TurboFan) ++turbofanCompiles[name];
    } else {
      const auto d = as<record::JitDeoptimized>(ev);
      std::string reason(m_trace->str(d.reasonString));
      if (!m_trace->str(d.bailoutKindString).empty())
        reason += " (" + std::string(m_trace->str(d.bailoutKindString)) + ")";
      ++deopts[std::string(m_trace->str(d.functionString))][reason];
      ++deoptCount;
    }
  }
  QStringList turbofan;
  int sparkplugOnly = 0;
  for (const auto& [name, tier] : highestTier) {
    if (JitTier(tier) == JitTier::TurboFan)
      turbofan << qstr(name).toHtmlEscaped();
    else
      ++sparkplugOnly;
  }
  const QPalette pal = palette();
  QString html = tr("<b>V8 JIT</b> (V8 10.2: Ignition → Sparkplug → TurboFan; no Maglev)<br>");
  html += tr("<span style='color:%1'>■</span> TurboFan: <b>%2</b> function(s)%3")
              .arg(jitTierColor(JitTier::TurboFan, pal).name())
              .arg(turbofan.size())
              .arg(turbofan.isEmpty() ? QString()
                                      : QStringLiteral(" — ") + turbofan.mid(0, 12).join(QStringLiteral(", ")) +
                                            (turbofan.size() > 12 ? QStringLiteral(", …") : QString()));
  html += tr("<br><span style='color:%1'>■</span> Sparkplug only: <b>%2</b> function(s)")
              .arg(jitTierColor(JitTier::Sparkplug, pal).name())
              .arg(sparkplugOnly);
  html += tr("<br><span style='color:%1'>▼</span> Deoptimizations: <b>%2</b>")
              .arg(warningColor(pal).name())
              .arg(deoptCount);
  for (const auto& [name, reasons] : deopts) {
    int total = 0;
    for (const auto& [reason, n] : reasons) total += n;
    // Optimized, thrown away, optimized again: each round costs compile time and slow code.
    const bool loop = total >= 3 || turbofanCompiles[name] >= 3;
    for (const auto& [reason, n] : reasons)
      html += tr("<br>&nbsp;&nbsp;• <b>%1</b>: %2%3")
                  .arg(qstr(name).toHtmlEscaped(), qstr(reason).toHtmlEscaped(), n > 1 ? tr(" ×%1").arg(n) : QString());
    if (loop)
      html += tr(" <span style='color:%1'>— deopt loop: optimized %2×, deoptimized %3×; keep the types it sees "
                 "stable</span>")
                  .arg(warningColor(pal).name())
                  .arg(turbofanCompiles[name])
                  .arg(total);
  }
  m_summary->setText(html);
}

void V8Panel::rebuildShapes(size_t position) {
  const size_t count =
      size_t(std::lower_bound(m_shapeEvents.begin(), m_shapeEvents.end(), position) - m_shapeEvents.begin());
  if (count == m_shapesShown) return;
  m_shapesShown = count;
  m_shapes->setRowCount(int(count));
  const QPalette pal = palette();
  for (size_t k = 0; k < count; ++k) {
    const auto shape = as<record::ShapeCheck>(m_trace->events()[m_shapeEvents[k]]);
    const bool same = shape.sameMap;
    auto item = [](const QString& text) {
      auto* it = new QTableWidgetItem(text);
      it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
      return it;
    };
    const QString fastText = tr("fast");
    const QString dictText = tr("dictionary (slow)");
    m_shapes->setItem(int(k), 0, item(qstr(m_trace->str(shape.labelString))));
    auto* sameItem = item(same ? tr("yes — same hidden class") : tr("no — different hidden classes"));
    sameItem->setForeground(same ? jitTierColor(JitTier::TurboFan, pal) : warningColor(pal));
    sameItem->setToolTip(same ? tr("Both objects got their properties in the same order: V8 gave them one map.")
                              : tr("Different maps: a property added in another order, added later or deleted. Code "
                                   "that sees both becomes polymorphic."));
    m_shapes->setItem(int(k), 1, sameItem);
    m_shapes->setItem(int(k), 2, item(shape.firstFast ? fastText : dictText));
    m_shapes->setItem(int(k), 3, item(shape.secondFast ? fastText : dictText));
  }
}

QStringList V8Panel::jitRows() const {
  QStringList rows;
  for (int r = 0; r < m_model->rowCount(); ++r) {
    QStringList cells;
    for (int c = 0; c < JitEventModel::ColumnCount; ++c)
      cells << m_model->data(m_model->index(r, c), Qt::DisplayRole).toString();
    rows << cells.join(QLatin1Char('\t'));
  }
  return rows;
}

QString V8Panel::summaryText() const {
  QTextDocument doc;
  doc.setHtml(m_summary->text());
  return doc.toPlainText();
}

QStringList V8Panel::shapeRows() const {
  QStringList rows;
  for (int r = 0; r < m_shapes->rowCount(); ++r) {
    const bool same = m_shapes->item(r, 1)->text().startsWith(tr("yes"));
    rows << QStringLiteral("%1\tsame map: %2\ta: %3\tb: %4")
                .arg(m_shapes->item(r, 0)->text(), same ? QStringLiteral("yes") : QStringLiteral("no"),
                     m_shapes->item(r, 2)->text().section(QLatin1Char(' '), 0, 0),
                     m_shapes->item(r, 3)->text().section(QLatin1Char(' '), 0, 0));
  }
  return rows;
}

}  // namespace loopscope::ui
