#include "health_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSpinBox>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>

#include "analysis_settings.h"
#include "health_analysis.h"
#include "human_units.h"
#include "phase_colors.h"
#include "read_only_table.h"

namespace loopscope::ui {
namespace {

enum Column { KindColumn, WhenColumn, DurationColumn, CallbackColumn, LineColumn, ColumnCount };

QString kindText(HealthWarning::Kind kind) {
  return kind == HealthWarning::Kind::BlockedLoop ? HealthPanel::tr("blocked loop") : HealthPanel::tr("starvation");
}

}  // namespace

HealthPanel::HealthPanel(HealthAnalysis* analysis, QWidget* parent)
    : QWidget(parent),
      m_analysis(analysis ? analysis : HealthAnalysis::createOwnedBy(this)),
      m_ownsAnalysis(!analysis) {
  AnalysisSettings& settings = m_analysis->settings();
  auto* layout = new QVBoxLayout(this);
  auto* thresholdRow = new QHBoxLayout;
  thresholdRow->addWidget(new QLabel(tr("Warn when a callback runs for at least")));
  m_threshold = new QSpinBox;
  m_threshold->setRange(AnalysisSettings::kMinBlockedThresholdMs, AnalysisSettings::kMaxBlockedThresholdMs);
  m_threshold->setValue(settings.blockedThresholdMs());
  m_threshold->setSuffix(tr(" ms"));
  m_threshold->setToolTip(
      tr("While one callback runs, nothing else can: no I/O, no timers, no other request. "
         "50 ms is a common budget; latency-sensitive servers use less."));
  thresholdRow->addWidget(m_threshold);
  thresholdRow->addStretch(1);
  layout->addLayout(thresholdRow);
  connect(m_threshold, qOverload<int>(&QSpinBox::valueChanged), &settings, &AnalysisSettings::setBlockedThresholdMs);
  connect(&settings, &AnalysisSettings::healthOptionsChanged, this,
          [this] { m_threshold->setValue(m_analysis->settings().blockedThresholdMs()); });
  connect(m_analysis, &HealthAnalysis::changed, this, [this] {
    m_shownWarnings = m_shownIterations = size_t(-1);
    rebuild(m_position);
  });

  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  m_summary->setTextFormat(Qt::RichText);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_summary);

  m_table = makeReadOnlyTable({tr("warning"), tr("when"), tr("duration"), tr("offending callback"), tr("line")},
                              {CallbackColumn});
  connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int) {
    if (row >= 0 && size_t(row) < warnings().size()) Q_EMIT eventActivated(warnings()[size_t(row)].eventIndex);
  });
  layout->addWidget(m_table, 1);
  setTrace(nullptr);
}

void HealthPanel::setTrace(const Trace* trace) {
  m_trace = trace;
  m_position = 0;
  m_shownWarnings = m_shownIterations = size_t(-1);
  if (m_ownsAnalysis)
    m_analysis->setTrace(trace);  // rebuilds through changed()
  else
    rebuild(m_position);
}

const std::vector<HealthWarning>& HealthPanel::warnings() const { return m_analysis->warnings(); }

int HealthPanel::blockedThresholdMs() const { return m_analysis->settings().blockedThresholdMs(); }

void HealthPanel::setBlockedThresholdMs(int ms) { m_analysis->settings().setBlockedThresholdMs(ms); }

void HealthPanel::recordingGrew() {
  if (m_ownsAnalysis) m_analysis->traceGrew();
}

void HealthPanel::showUpTo(size_t position) {
  m_position = position;
  if (m_ownsAnalysis) m_analysis->traceGrew();
  rebuild(position);
}

void HealthPanel::rebuild(size_t position) {
  // While the window swaps recordings the shared analysis is on the new one a moment before this
  // panel is: the trace it still holds may be gone, so nothing is read until setTrace() comes.
  if (m_analysis->trace() != m_trace) return;
  const std::vector<HealthWarning>& allWarnings = m_analysis->warnings();
  const std::vector<IterationHealth>& allIterations = m_analysis->iterations();
  const uint64_t nowNs = m_trace && position > 0 ? m_trace->events()[std::min(position, m_trace->size()) - 1].ts : 0;
  size_t warnings = 0;
  while (warnings < allWarnings.size() && allWarnings[warnings].eventIndex < position) ++warnings;
  size_t iterations = 0;
  while (iterations < allIterations.size() && allIterations[iterations].endNs <= nowNs && position > 0) ++iterations;
  if (warnings == m_shownWarnings && iterations == m_shownIterations) return;

  if (warnings != m_shownWarnings) {
    m_shownWarnings = warnings;
    const QPalette pal = palette();
    m_table->setRowCount(int(warnings));
    for (size_t k = 0; k < warnings; ++k) {
      const HealthWarning& w = allWarnings[k];
      const int row = int(k);
      auto item = [&](const QString& text, bool number = false) {
        auto* it = new QTableWidgetItem(text);
        it->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        it->setToolTip(qstr(w.message));
        if (number) it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return it;
      };
      auto* kind = item(QStringLiteral("⚠ ") + kindText(w.kind));
      kind->setForeground(errorColor(pal));
      m_table->setItem(row, KindColumn, kind);
      m_table->setItem(row, WhenColumn, item(runTimeText(*m_trace, w.startNs), true));
      QString duration = humanDuration(int64_t(w.durationNs));
      if (w.kind == HealthWarning::Kind::Starvation) duration += tr(", %1 callbacks").arg(w.callbacks);
      m_table->setItem(row, DurationColumn, item(duration, true));
      m_table->setItem(row, CallbackColumn, item(qstr(w.label)));
      m_table->setItem(row, LineColumn, item(w.line > 0 ? QString::number(w.line) : QStringLiteral("?"), true));
    }
  }

  m_shownIterations = iterations;
  QString html;
  if (iterations == 0) {
    html = tr("<b>Loop health</b><br>No finished loop iteration yet.");
  } else {
    uint64_t busyTotal = 0, spanTotal = 0;
    std::vector<uint64_t> busy;
    busy.reserve(iterations);
    size_t worst = 0;
    double utilisationSum = 0;
    for (size_t k = 0; k < iterations; ++k) {
      const IterationHealth& it = allIterations[k];
      busy.push_back(it.busyNs());
      busyTotal += it.busyNs();
      spanTotal += it.endNs > it.startNs ? it.endNs - it.startNs : 0;
      utilisationSum += it.utilisation();
      if (it.busyNs() > allIterations[worst].busyNs()) worst = k;
    }
    std::vector<uint64_t> sorted = busy;
    std::sort(sorted.begin(), sorted.end());
    auto percentile = [&](double p) {
      return sorted[std::min(sorted.size() - 1, size_t(p * double(sorted.size() - 1) + 0.5))];
    };
    const IterationHealth& w = allIterations[worst];
    html = tr("<b>Loop health</b> over %1 iteration(s)<br>").arg(iterations);
    html += tr("Utilisation: <b>%1 %</b> of the loop's time was spent running, not waiting for I/O "
               "(mean per iteration %2 %)<br>")
                .arg(spanTotal ? 100.0 * double(busyTotal) / double(spanTotal) : 0.0, 0, 'f', 1)
                .arg(100.0 * utilisationSum / double(iterations), 0, 'f', 1);
    html += tr("Busy time per iteration (the longest an arriving event could wait): p50 %1 · p99 %2 · max %3<br>")
                .arg(humanDuration(int64_t(percentile(0.5))), humanDuration(int64_t(percentile(0.99))),
                     humanDuration(int64_t(sorted.back())));
    html += tr("Worst iteration: <b>#%1</b> at %2, busy %3 (%4 %)")
                .arg(w.iteration)
                .arg(runTimeText(*m_trace, w.startNs), humanDuration(int64_t(w.busyNs())))
                .arg(100.0 * w.utilisation(), 0, 'f', 0);
  }
  if (warnings > 0)
    html += tr("<br><span style='color:%1'>⚠ %2 warning(s)</span> — click one to go to it.")
                .arg(errorColor(palette()).name())
                .arg(warnings);
  else if (m_trace && position > 0)
    html += tr("<br>No blocked loop and no starvation so far.");
  m_summary->setText(html);
}

QStringList HealthPanel::warningRows() const { return rowTexts(*m_table, QStringLiteral("\t")); }

QString HealthPanel::summaryText() const {
  QTextDocument doc;
  doc.setHtml(m_summary->text());
  return doc.toPlainText();
}

}  // namespace loopscope::ui
