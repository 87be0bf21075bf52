#include "compare_node_dialog.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

#include "lessons/prediction_grade.h"
#include "views/phase_colors.h"

namespace loopscope::ui {
namespace {

// How long `node --version` may take before the dialog goes on without it.
constexpr int kVersionWaitMs = 5000;

QPlainTextEdit* outputPane() {
  auto* pane = new QPlainTextEdit;
  pane->setReadOnly(true);
  pane->setLineWrapMode(QPlainTextEdit::NoWrap);
  pane->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  return pane;
}

// Shows `lines` (and, muted, the program's stderr) with each line that the `other` output does
// not have at the same place marked.
void fill(QPlainTextEdit* pane, const QStringList& lines, const QStringList& other, const QString& errors,
          const QString& problem) {
  pane->clear();
  if (!problem.isEmpty()) {
    pane->setPlainText(problem);
    return;
  }
  pane->setPlainText(lines.join(QLatin1Char('\n')));
  QList<QTextEdit::ExtraSelection> marks;
  for (int i = 0; i < lines.size(); ++i) {
    if (i < other.size() && other[i] == lines[i]) continue;
    QTextEdit::ExtraSelection mark;
    mark.cursor = QTextCursor(pane->document()->findBlockByNumber(i));
    mark.format.setBackground(warningColor(pane->palette()).lighter(185));
    mark.format.setProperty(QTextFormat::FullWidthSelection, true);
    marks << mark;
  }
  pane->setExtraSelections(marks);
  if (!errors.trimmed().isEmpty()) pane->appendPlainText(QStringLiteral("\n── stderr ──\n") + errors.trimmed());
}

}  // namespace

int firstDifferentLine(const QStringList& a, const QStringList& b) {
  const int common = int(std::min(a.size(), b.size()));
  for (int i = 0; i < common; ++i)
    if (a[i] != b[i]) return i;
  return a.size() == b.size() ? -1 : common;
}

QString CompareWithNodeDialog::nodeOnPath() { return QStandardPaths::findExecutable(QStringLiteral("node")); }

CompareWithNodeDialog::CompareWithNodeDialog(RunSettings settings, QString nodeProgram, QWidget* parent)
    : QDialog(parent), m_settings(std::move(settings)), m_nodeProgram(std::move(nodeProgram)) {
  setWindowTitle(tr("Compare with node — %1").arg(QFileInfo(m_settings.snippetPath).fileName()));
  m_settings.traced = false;  // the outputs are compared, not the loop
  m_settings.startInStepMode = false;
  auto* layout = new QVBoxLayout(this);
  auto* intro =
      new QLabel(tr("The same snippet, run once on Loopscope's engine and once on the <code>node</code> on your PATH. "
                    "Output that Node's rules decide is the same on both; where they differ, the versions differ."));
  intro->setWordWrap(true);
  layout->addWidget(intro);
  auto* grid = new QGridLayout;
  m_engineTitle = new QLabel(tr("<b>Loopscope's engine</b> (Node 18, libuv 1.44)"));
  m_nodeTitle = new QLabel(tr("<b>node on your PATH</b> (%1)").arg(m_nodeProgram.toHtmlEscaped()));
  m_engineText = outputPane();
  m_nodeText = outputPane();
  m_engineText->setPlainText(tr("running…"));
  m_nodeText->setPlainText(tr("running…"));
  grid->addWidget(m_engineTitle, 0, 0);
  grid->addWidget(m_nodeTitle, 0, 1);
  grid->addWidget(m_engineText, 1, 0);
  grid->addWidget(m_nodeText, 1, 1);
  layout->addLayout(grid, 1);
  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_summary);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(buttons);
  resize(980, 520);
  connect(&m_engine, &EngineProcess::finished, this, &CompareWithNodeDialog::onEngineFinished);
}

CompareWithNodeDialog::~CompareWithNodeDialog() {
  if (m_node && m_node->state() != QProcess::NotRunning) {
    m_node->kill();
    m_node->waitForFinished(2000);
  }
  if (m_engine.isRunning()) m_engine.stop(0);
}

void CompareWithNodeDialog::showEvent(QShowEvent* event) {
  QDialog::showEvent(event);
  if (!m_started) QTimer::singleShot(0, this, &CompareWithNodeDialog::start);
}

void CompareWithNodeDialog::start() {
  if (m_started) return;
  m_started = true;
  QProcess version;
  version.start(m_nodeProgram, {QStringLiteral("--version")});
  if (version.waitForFinished(kVersionWaitMs) && version.exitCode() == 0)
    m_nodeVersion = QString::fromUtf8(version.readAllStandardOutput()).trimmed();
  if (!m_nodeVersion.isEmpty())
    m_nodeTitle->setText(tr("<b>node %1</b> on your PATH").arg(m_nodeVersion.toHtmlEscaped()));

  if (!m_engine.start(m_settings)) {
    m_engineProblem = tr("The engine could not be started.");
    m_engineDone = true;
  }
  m_node = new QProcess(this);
  m_node->setWorkingDirectory(QFileInfo(m_settings.snippetPath).absolutePath());
  // The same pool as the engine's run, so a thread-pool snippet is compared on equal terms.
  QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
  environment.insert(QStringLiteral("UV_THREADPOOL_SIZE"), QString::number(m_settings.threadpoolSize));
  m_node->setProcessEnvironment(environment);
  connect(m_node, &QProcess::finished, this, &CompareWithNodeDialog::onNodeFinished);
  connect(m_node, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
    if (error != QProcess::FailedToStart) return;
    m_nodeProblem = tr("%1 could not be started: %2.").arg(m_nodeProgram, m_node->errorString());
    m_nodeDone = true;
    showResults();
  });
  if (m_settings.timeoutSeconds > 0) {
    QPointer<QProcess> node = m_node;
    QTimer::singleShot(int(m_settings.timeoutSeconds * 1000), this, [node] {
      if (node && node->state() != QProcess::NotRunning) node->kill();
    });
  }
  m_node->start(m_nodeProgram, QStringList{m_settings.snippetPath} + m_settings.programArguments);
}

void CompareWithNodeDialog::onEngineFinished(const RunOutcome& outcome) {
  m_engineDone = true;
  m_engineLines = outputLinesOf(outcome.stdoutText);
  m_engineErrors = QString::fromUtf8(outcome.stderrText);
  if (outcome.kind == RunOutcome::Kind::FailedToStart) m_engineProblem = outcome.describe(0);
  showResults();
}

void CompareWithNodeDialog::onNodeFinished() {
  if (!m_node || m_nodeDone) return;
  m_nodeDone = true;
  m_nodeLines = outputLinesOf(m_node->readAllStandardOutput());
  m_nodeErrors = QString::fromUtf8(m_node->readAllStandardError());
  if (m_node->exitStatus() != QProcess::NormalExit)
    m_nodeErrors += tr("\n(node was stopped after %1 s or crashed)").arg(m_settings.timeoutSeconds);
  showResults();
}

QString CompareWithNodeDialog::summary() const { return m_summary->text(); }

void CompareWithNodeDialog::showResults() {
  if (!isDone()) return;
  const bool comparable = m_engineProblem.isEmpty() && m_nodeProblem.isEmpty();
  const int first = comparable ? firstDifferentLine(m_engineLines, m_nodeLines) : -1;
  fill(m_engineText, m_engineLines, comparable ? m_nodeLines : m_engineLines, m_engineErrors, m_engineProblem);
  fill(m_nodeText, m_nodeLines, comparable ? m_engineLines : m_nodeLines, m_nodeErrors, m_nodeProblem);
  if (!comparable)
    m_summary->setText(tr("Nothing to compare: %1").arg(m_engineProblem.isEmpty() ? m_nodeProblem : m_engineProblem));
  else if (first < 0)
    m_summary->setText(tr("The same output, line for line (%n line(s)).", nullptr, int(m_engineLines.size())));
  else
    m_summary->setText(
        tr("The outputs part at line %1: this engine printed “%2”, node printed “%3” (lines that differ are marked).")
            .arg(first + 1)
            .arg(first < m_engineLines.size() ? m_engineLines[first] : tr("nothing more"),
                 first < m_nodeLines.size() ? m_nodeLines[first] : tr("nothing more")));
  Q_EMIT bothFinished();
}

}  // namespace loopscope::ui
