#include "run_many_dialog.h"

#include "interpret/records.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace loopscope::ui {

void OutputOrderTally::add(const QStringList& lines) {
  ++m_runs;
  for (Row& row : m_rows) {
    if (row.lines == lines) {
      ++row.count;
      return;
    }
  }
  m_rows.push_back({lines, 1});
}

std::vector<OutputOrderTally::Row> OutputOrderTally::rows() const {
  std::vector<Row> sorted = m_rows;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Row& a, const Row& b) { return a.count > b.count; });
  return sorted;
}

RunManyDialog::RunManyDialog(const RunSettings& settings, QWidget* parent) : QDialog(parent), m_settings(settings) {
  setWindowTitle(tr("Run %1 many times").arg(QFileInfo(settings.snippetPath).fileName()));
  auto* layout = new QVBoxLayout(this);
  auto* intro =
      new QLabel(tr("Runs the snippet again and again and counts each order its console output came in. "
                    "Some orders are up to Node, not to your code: <i>setTimeout(0)</i> against "
                    "<i>setImmediate</i> in the main script depends on whether the loop starts within "
                    "a millisecond."));
  intro->setWordWrap(true);
  layout->addWidget(intro);

  auto* form = new QFormLayout;
  m_count = new QSpinBox;
  m_count->setRange(2, 1000);
  m_count->setValue(20);
  form->addRow(tr("&Runs:"), m_count);
  m_traced = new QCheckBox(tr("Record each run (slower; the order is read from the trace, otherwise from stdout)"));
  form->addRow(QString(), m_traced);
  layout->addLayout(form);

  m_progress = new QProgressBar;
  m_progress->setFormat(tr("%v of %m runs"));
  // The bar counts the runs the box asks for from the start: a default 0–100 range would read
  // "0 of 100 runs" beside "Runs: 20".
  m_progress->setRange(0, m_count->value());
  m_progress->setValue(0);
  connect(m_count, &QSpinBox::valueChanged, this, [this](int count) {
    if (isRunning()) return;
    m_progress->setRange(0, count);
    m_progress->setValue(0);
  });
  layout->addWidget(m_progress);

  m_table = new QTableWidget(0, 3);
  m_table->setHorizontalHeaderLabels({tr("Runs"), tr("Share"), tr("Output, in order")});
  m_table->verticalHeader()->hide();
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setWordWrap(true);
  m_table->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(m_table, 1);
  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  layout->addWidget(m_summary);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  m_startButton = buttons->addButton(tr("&Start"), QDialogButtonBox::ActionRole);
  connect(m_startButton, &QPushButton::clicked, this, [this] {
    if (isRunning()) {
      m_cancelled = true;
      m_engine.stop(500);
    } else {
      startRuns(m_count->value(), m_traced->isChecked());
    }
  });
  connect(buttons, &QDialogButtonBox::rejected, this, [this] {
    if (isRunning()) {
      m_cancelled = true;
      m_engine.stop(0);
    }
    reject();
  });
  layout->addWidget(buttons);

  connect(&m_engine, &EngineProcess::batchArrived, this, [this](const std::shared_ptr<const TraceBatch>& batch) {
    for (const auto& r : batch->records) m_trace.append(r.event, r.text);
  });
  connect(&m_engine, &EngineProcess::finished, this, &RunManyDialog::onRunFinished);
  resize(760, 460);
}

bool RunManyDialog::isRunning() const { return m_remaining > 0 || m_engine.isRunning(); }

void RunManyDialog::startRuns(int count, bool traced) {
  m_tally = OutputOrderTally{};
  m_settings.traced = traced;
  m_total = m_remaining = count;
  m_failures = 0;
  m_lastFailure.clear();
  m_cancelled = false;
  m_progress->setRange(0, count);
  m_progress->setValue(0);
  m_startButton->setText(tr("S&top"));
  m_count->setEnabled(false);
  m_traced->setEnabled(false);
  showTally();
  startNextRun();
}

void RunManyDialog::startNextRun() {
  m_trace = Trace{};
  m_engine.start(m_settings);
}

void RunManyDialog::onRunFinished(const RunOutcome& outcome) {
  --m_remaining;
  if (!m_cancelled) {
    QStringList lines;
    if (m_settings.traced) {
      for (const Event& ev : m_trace.events())
        if (ev.kind == EventKind::Console)
          lines << QString::fromStdString(std::string(m_trace.str(as<record::Console>(ev).textString)))
                       .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    } else {
      lines = QString::fromUtf8(outcome.stdoutText).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    }
    if (outcome.kind == RunOutcome::Kind::Finished || outcome.kind == RunOutcome::Kind::ExitCode) {
      m_tally.add(lines);
    } else {
      ++m_failures;
      m_lastFailure = outcome.describe(m_trace.size());
    }
    m_progress->setValue(m_total - m_remaining);
    showTally();
  }
  if (m_remaining > 0 && !m_cancelled) {
    startNextRun();
    return;
  }
  m_remaining = 0;
  m_startButton->setText(tr("&Start"));
  m_count->setEnabled(true);
  m_traced->setEnabled(true);
  Q_EMIT allRunsDone();
}

void RunManyDialog::showTally() {
  const auto rows = m_tally.rows();
  m_table->setRowCount(int(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    const double share = m_tally.runs() ? 100.0 * row.count / m_tally.runs() : 0;
    auto* count = new QTableWidgetItem(QString::number(row.count));
    count->setTextAlignment(Qt::AlignRight | Qt::AlignTop);
    auto* percent = new QTableWidgetItem(QStringLiteral("%1 %").arg(share, 0, 'f', 0));
    percent->setTextAlignment(Qt::AlignRight | Qt::AlignTop);
    m_table->setItem(int(i), 0, count);
    m_table->setItem(int(i), 1, percent);
    m_table->setItem(int(i), 2,
                     new QTableWidgetItem(row.lines.isEmpty() ? tr("(no output)") : row.lines.join(QLatin1Char('\n'))));
  }
  m_table->resizeRowsToContents();
  QString summary;
  if (m_tally.runs() > 0)
    summary = rows.size() == 1
                  ? tr("All %1 runs printed the same order.").arg(m_tally.runs())
                  : tr("%1 different orders in %2 runs: the order is not fixed.").arg(rows.size()).arg(m_tally.runs());
  if (m_failures > 0)
    summary +=
        QLatin1Char(' ') +
        tr("%1 runs did not finish normally and are not counted; the last: %2").arg(m_failures).arg(m_lastFailure);
  m_summary->setText(summary);
}

}  // namespace loopscope::ui
