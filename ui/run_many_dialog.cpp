#include "run_many_dialog.h"

#include "interpret/records.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace loopscope::ui {

void OutputOrderTally::add(const QStringList& lines, std::optional<quint64> seed) {
  ++m_runs;
  for (Row& row : m_rows) {
    if (row.lines == lines) {
      ++row.count;
      if (!row.firstSeed) row.firstSeed = seed;
      return;
    }
  }
  m_rows.push_back({lines, 1, seed, {}});
}

std::vector<OutputOrderTally::Row> OutputOrderTally::rows() const {
  std::vector<Row> sorted = m_rows;
  std::vector<std::vector<std::string>> orders;
  orders.reserve(sorted.size());
  for (const Row& row : sorted) {
    auto& order = orders.emplace_back();
    for (const QString& line : row.lines) order.push_back(line.toStdString());
  }
  std::vector<std::vector<LinePlacement>> placements = classifyOutputLines(orders);
  for (size_t i = 0; i < sorted.size(); ++i) sorted[i].placements = std::move(placements[i]);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Row& a, const Row& b) { return a.count > b.count; });
  return sorted;
}

namespace {

// The order's lines, each marked as the classification says.
QString markedLines(const OutputOrderTally::Row& row) {
  if (row.lines.isEmpty()) return QCoreApplication::translate("loopscope::ui::RunManyDialog", "(no output)");
  QStringList marked;
  for (qsizetype i = 0; i < row.lines.size(); ++i) {
    const bool timing =
        size_t(i) < row.placements.size() && row.placements[size_t(i)] == LinePlacement::TimingDependent;
    marked << row.lines[i] + QStringLiteral("    — ") +
                  (timing ? QCoreApplication::translate("loopscope::ui::RunManyDialog", "timing-dependent")
                          : QCoreApplication::translate("loopscope::ui::RunManyDialog",
                                                        "fixed by the event loop's rules"));
  }
  return marked.join(QLatin1Char('\n'));
}

}  // namespace

RunManyDialog::RunManyDialog(const RunSettings& settings, QWidget* parent)
    : QDialog(parent), m_settings(settings), m_baseOptions(settings.extraOptions) {
  setWindowTitle(tr("Run %1 many times").arg(QFileInfo(settings.snippetPath).fileName()));
  auto* layout = new QVBoxLayout(this);
  auto* intro =
      new QLabel(tr("Runs the snippet again and again and counts each order its console output came in. "
                    "Some orders are up to Node, not to your code: <i>setTimeout(0)</i> against "
                    "<i>setImmediate</i> in the main script depends on whether the loop starts within "
                    "a millisecond. Perturbing the timing makes such orders show up on any machine, and "
                    "marks each line as fixed by the event loop's rules or timing-dependent."));
  intro->setWordWrap(true);
  layout->addWidget(intro);

  auto* form = new QFormLayout;
  m_count = new QSpinBox;
  m_count->setRange(2, 1000);
  m_count->setValue(20);
  form->addRow(tr("&Runs:"), m_count);
  m_traced = new QCheckBox(tr("Record each run (slower; the order is read from the trace, otherwise from stdout)"));
  form->addRow(QString(), m_traced);
  // On by default: on this machine Node 18 reaches its first timers phase more than 1 ms after the
  // main script, so unperturbed runs print the setTimeout(0)/setImmediate race in one order every
  // time and would teach that it is fixed. Perturbation only varies what real machines vary (the
  // engine never runs a callback early or out of its queue's order), so every order it shows is
  // one Node allows, and the seeds make each of them reproducible.
  m_perturb = new QCheckBox(tr("Perturb timing (seeded)"));
  m_perturb->setChecked(true);
  m_perturb->setToolTip(
      tr("Each run varies timing as real machines do: a due timer may fire one loop "
         "iteration later, I/O and thread-pool work may finish up to a millisecond or two "
         "later. What the event loop's rules fix stays fixed."));
  m_baseSeed = new QSpinBox;
  m_baseSeed->setRange(0, std::numeric_limits<int>::max());
  m_baseSeed->setValue(1);
  m_baseSeed->setToolTip(
      tr("Run i (counting from 0) uses seed base + i: the same seeds give the same timing decisions."));
  auto* seedLabel = new QLabel(tr("base see&d:"));
  seedLabel->setBuddy(m_baseSeed);
  auto* perturbRow = new QHBoxLayout;
  perturbRow->addWidget(m_perturb);
  perturbRow->addWidget(seedLabel);
  perturbRow->addWidget(m_baseSeed);
  perturbRow->addStretch(1);
  connect(m_perturb, &QCheckBox::toggled, m_baseSeed, &QWidget::setEnabled);
  form->addRow(QString(), perturbRow);
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

  m_table = new QTableWidget(0, 4);
  m_table->setHorizontalHeaderLabels({tr("Runs"), tr("Share"), tr("First seed"), tr("Output, in order")});
  m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
  m_table->setSelectionMode(QAbstractItemView::SingleSelection);
  m_table->verticalHeader()->hide();
  m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  m_table->setWordWrap(true);
  m_table->horizontalHeader()->setStretchLastSection(true);
  layout->addWidget(m_table, 1);
  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  layout->addWidget(m_summary);

  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  m_replayButton = buttons->addButton(tr("Re&play this order"), QDialogButtonBox::ActionRole);
  m_replayButton->setToolTip(tr("Runs the snippet once more with the seed that first printed the selected order."));
  m_replayButton->setObjectName(QStringLiteral("ReplayThisOrder"));
  m_replayButton->setEnabled(false);
  connect(m_replayButton, &QPushButton::clicked, this, [this] { requestReplay(m_table->currentRow()); });
  connect(m_table, &QTableWidget::itemSelectionChanged, this, &RunManyDialog::updateReplayButton);
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

void RunManyDialog::setPerturbation(bool on, quint64 baseSeed) {
  m_perturb->setChecked(on);
  m_baseSeed->setValue(int(std::min<quint64>(baseSeed, quint64(std::numeric_limits<int>::max()))));
}

bool RunManyDialog::perturbed() const { return m_perturb->isChecked(); }

quint64 RunManyDialog::baseSeed() const { return quint64(m_baseSeed->value()); }

bool RunManyDialog::requestReplay(int row) {
  const auto rows = m_tally.rows();
  if (row < 0 || size_t(row) >= rows.size() || !rows[size_t(row)].firstSeed) return false;
  Q_EMIT replayRequested(*rows[size_t(row)].firstSeed);
  return true;
}

void RunManyDialog::updateReplayButton() {
  const int row = m_table->currentRow();
  const auto* seedItem = row >= 0 && m_table->selectionModel()->hasSelection() ? m_table->item(row, 2) : nullptr;
  m_replayButton->setEnabled(!isRunning() && seedItem && seedItem->data(Qt::UserRole).isValid());
}

void RunManyDialog::startRuns(int count, bool traced) {
  m_tally = OutputOrderTally{};
  m_settings.traced = traced;
  m_runBaseSeed = m_perturb->isChecked() ? std::optional<quint64>(baseSeed()) : std::nullopt;
  m_total = m_remaining = count;
  m_failures = 0;
  m_lastFailure.clear();
  m_cancelled = false;
  m_progress->setRange(0, count);
  m_progress->setValue(0);
  m_startButton->setText(tr("S&top"));
  m_count->setEnabled(false);
  m_traced->setEnabled(false);
  m_perturb->setEnabled(false);
  m_baseSeed->setEnabled(false);
  showTally();
  startNextRun();
}

void RunManyDialog::startNextRun() {
  m_trace = Trace{};
  m_settings.extraOptions = m_baseOptions;
  m_currentSeed.reset();
  if (m_runBaseSeed) {
    // Run i (from 0) of this batch.
    m_currentSeed = *m_runBaseSeed + quint64(m_total - m_remaining);
    m_settings.extraOptions << QStringLiteral("--perturb") << QString::number(*m_currentSeed);
  }
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
      m_tally.add(lines, m_currentSeed);
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
  m_perturb->setEnabled(true);
  m_baseSeed->setEnabled(m_perturb->isChecked());
  updateReplayButton();
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
    auto* seed = new QTableWidgetItem(row.firstSeed ? QString::number(*row.firstSeed) : tr("—"));
    seed->setTextAlignment(Qt::AlignRight | Qt::AlignTop);
    if (row.firstSeed) seed->setData(Qt::UserRole, QVariant::fromValue(*row.firstSeed));
    m_table->setItem(int(i), 0, count);
    m_table->setItem(int(i), 1, percent);
    m_table->setItem(int(i), 2, seed);
    m_table->setItem(int(i), 3, new QTableWidgetItem(markedLines(row)));
  }
  m_table->resizeRowsToContents();
  updateReplayButton();
  QString summary;
  if (m_tally.runs() > 0)
    summary = rows.size() == 1
                  ? tr("All %1 runs printed the same order.").arg(m_tally.runs())
                  : tr("%1 different orders in %2 runs: the order is not fixed.").arg(rows.size()).arg(m_tally.runs());
  if (m_tally.runs() > 0 && m_runBaseSeed)
    summary += QLatin1Char(' ') + tr("Timing was perturbed with seeds %1 to %2; select an order and replay it.")
                                      .arg(*m_runBaseSeed)
                                      .arg(*m_runBaseSeed + quint64(std::max(m_total - 1, 0)));
  else if (m_tally.runs() > 0 && rows.size() == 1)
    summary += QLatin1Char(' ') + tr("Unperturbed runs may take the same path every time: a line marked fixed "
                                     "may still depend on timing.");
  if (m_failures > 0)
    summary +=
        QLatin1Char(' ') +
        tr("%1 runs did not finish normally and are not counted; the last: %2").arg(m_failures).arg(m_lastFailure);
  m_summary->setText(summary);
}

}  // namespace loopscope::ui
