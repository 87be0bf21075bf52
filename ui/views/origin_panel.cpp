#include "origin_panel.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "human_units.h"
#include "interpret/attribution.h"
#include "interpret/records.h"
#include "read_only_table.h"

namespace loopscope::ui {
namespace {

enum Column { KindColumn, CallbackColumn, CreatedColumn, RanColumn, ColumnCount };

// How far back a click on a pool span looks for the job's submit record.
constexpr size_t kPoolSubmitSearch = 1'000'000;

// Plain words for the async resources that carry no function site; "" for others.
QString resourceWords(const std::string& type) {
  if (type == "TCPSERVERWRAP") return OriginPanel::tr("TCP server");
  if (type == "PIPESERVERWRAP") return OriginPanel::tr("pipe server");
  if (type == "TCPWRAP") return OriginPanel::tr("TCP socket");
  if (type == "PIPEWRAP") return OriginPanel::tr("pipe");
  if (type == "TTYWRAP") return OriginPanel::tr("terminal");
  if (type == "UDPWRAP") return OriginPanel::tr("UDP socket");
  if (type == "PROCESSWRAP") return OriginPanel::tr("child process");
  if (type == "WORKER") return OriginPanel::tr("worker");
  if (type == "FSREQCALLBACK" || type == "FSREQPROMISE") return OriginPanel::tr("fs request");
  return {};
}

}  // namespace

OriginPanel::OriginPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  m_summary = new QLabel;
  m_summary->setWordWrap(true);
  m_summary->setTextFormat(Qt::RichText);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(m_summary);
  m_table = makeReadOnlyTable({tr("kind"), tr("callback"), tr("created"), tr("ran")}, {CallbackColumn, CreatedColumn});
  connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int column) {
    if (row < 0 || size_t(row) >= m_chain.size()) return;
    const OriginStep& step = m_chain[size_t(row)];
    if (column == RanColumn && step.ranKnown)
      Q_EMIT eventActivated(step.ranAt);
    else if (step.createdKnown)
      Q_EMIT eventActivated(step.createdAt);
    else if (step.ranKnown)
      Q_EMIT eventActivated(step.ranAt);
  });
  layout->addWidget(m_table, 1);
  rebuild();
}

void OriginPanel::setTrace(const Trace* trace) {
  m_trace = trace;
  m_selected = 0;
  m_chain.clear();
  m_jumpedFrom.reset();
  rebuild();
  Q_EMIT chainChanged();
}

void OriginPanel::selectCallback(int64_t asyncId) {
  if (!m_trace) asyncId = 0;
  m_selected = asyncId;
  m_chain = asyncId != 0 ? findOriginChain(*m_trace, asyncId) : std::vector<OriginStep>{};
  m_jumpedFrom.reset();
  rebuild();
  Q_EMIT chainChanged();
}

bool OriginPanel::selectAtEvent(size_t eventIndex, const LoopTimeline& timeline) {
  if (!m_trace || eventIndex >= m_trace->size()) return false;
  const auto& events = m_trace->events();
  const Event& ev = events[eventIndex];
  int64_t asyncId = callbackOf(ev);
  // A pool job's span stands for the request it works for.
  if (const int64_t job = poolJobOf(ev); asyncId == 0 && job >= 0) {
    const size_t stop = eventIndex > kPoolSubmitSearch ? eventIndex - kPoolSubmitSearch : 0;
    for (size_t i = eventIndex + 1; i-- > stop;)
      if (events[i].kind == EventKind::PoolSubmit && poolJobOf(events[i]) == job) {
        asyncId = as<record::PoolSubmit>(events[i]).requestAsyncId;
        break;
      }
  }
  // Anything else (a console line, a GC) is about the callback that was running.
  if (asyncId == 0) {
    const LoopState state = timeline.stateAt(eventIndex + 1);
    if (state.current) asyncId = state.current->asyncId;
  }
  if (asyncId == 0) return false;
  selectCallback(asyncId);
  return true;
}

std::optional<size_t> OriginPanel::jumpTarget(size_t position) {
  if (m_chain.empty() || !m_chain.front().createdKnown) return std::nullopt;
  const size_t created = m_chain.front().createdAt + 1;
  if (position == created && m_jumpedFrom) {
    const size_t back = *m_jumpedFrom;
    m_jumpedFrom.reset();
    return back;
  }
  m_jumpedFrom = position;
  return created;
}

QString OriginPanel::stepKind(const OriginStep& step) const {
  if (step.asyncId == 1) return tr("main script");
  const std::string& type = step.type;
  if (type == "Timeout") {
    const AsyncInfo* info = m_trace ? m_trace->async(step.asyncId) : nullptr;
    return info && info->repeat ? QStringLiteral("setInterval") : QStringLiteral("setTimeout");
  }
  if (type == "Immediate") return QStringLiteral("setImmediate");
  if (type == "TickObject") return QStringLiteral("process.nextTick");
  if (type == "Microtask") return QStringLiteral("queueMicrotask");
  if (type == "PROMISE") return tr("promise reaction");
  if (type.empty()) return tr("not recorded");
  return qstr(type);
}

QString OriginPanel::stepName(const OriginStep& step) const {
  if (step.asyncId == 1) return tr("main script");
  const AsyncInfo* info = m_trace ? m_trace->async(step.asyncId) : nullptr;
  const FunctionSiteInfo* site = info && m_trace ? m_trace->site(info->site) : nullptr;
  if (!site) {
    // A resource with no function of its own (a server, a socket): what it is.
    const QString what = resourceWords(step.type);
    const QString id = tr("async id %1").arg(qstr(Trace::asyncIdText(step.asyncId)));
    return what.isEmpty() ? id : tr("%1 (%2)").arg(what, id);
  }
  // The snippet's own lines read "line 3", like the editor's margin; other files keep their name.
  const Event* start = m_trace->runStart();
  const bool snippet = start && m_trace->str(start->c()) == site->script;
  QString where;
  if (site->line > 0)
    where = snippet ? tr("line %1").arg(site->line)
                    : QStringLiteral("%1:%2").arg(QFileInfo(qstr(site->script)).fileName()).arg(site->line);
  return where.isEmpty() ? qstr(site->name) : tr("%1 (%2)").arg(qstr(site->name), where);
}

QString OriginPanel::timeOf(size_t eventIndex) const {
  if (!m_trace || eventIndex >= m_trace->size()) return {};
  return runTimeText(*m_trace, m_trace->events()[eventIndex].ts);
}

QString OriginPanel::selectionText() const {
  if (m_chain.empty()) return {};
  const OriginStep& s = m_chain.front();
  return QStringLiteral("%1 (%2)").arg(stepName(s), stepKind(s));
}

void OriginPanel::rebuild() {
  m_table->setRowCount(0);
  if (m_chain.empty()) {
    m_summary->setText(
        tr("<b>Why did this run?</b> Select a callback — a queue card, a span on the timeline, a row "
           "in Events or a console line — to see what scheduled it, what scheduled that, back to "
           "the main script."));
    return;
  }
  m_table->setRowCount(int(m_chain.size()));
  for (size_t k = 0; k < m_chain.size(); ++k) {
    const OriginStep& step = m_chain[k];
    const int row = int(k);
    QString created;
    if (step.createdKnown) {
      // Created while the next step of the chain was running: that is what scheduled it.
      const QString by = k + 1 < m_chain.size() ? stepName(m_chain[k + 1]) : tr("code not recorded");
      created = tr("by %1 · at %2").arg(by, timeOf(step.createdAt));
    } else {
      created = step.asyncId == 1 ? tr("the program's start") : tr("before the recording, or not recorded");
    }
    const QString ran = step.ranKnown ? timeOf(step.ranAt) : tr("not (yet)");
    const QStringList cells{stepKind(step), stepName(step), created, ran};
    for (int c = 0; c < ColumnCount; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (k == 0) {
        QFont bold = item->font();
        bold.setBold(true);
        item->setFont(bold);
      }
      m_table->setItem(row, c, item);
    }
    m_table->item(row, CreatedColumn)
        ->setToolTip(step.createdKnown ? tr("Click: move the play head to where it was created") : QString());
    m_table->item(row, RanColumn)
        ->setToolTip(step.ranKnown ? tr("Click: move the play head to where it ran") : QString());
  }
  // One line a class can read aloud: "timeout ← immediate ← tick ← main script"; each row was
  // scheduled while the row below it ran.
  QStringList path;
  for (const OriginStep& step : m_chain) {
    const AsyncInfo* info = step.asyncId == 1 || !m_trace ? nullptr : m_trace->async(step.asyncId);
    const FunctionSiteInfo* site = info ? m_trace->site(info->site) : nullptr;
    path << (site ? qstr(site->name) : stepName(step)).toHtmlEscaped();
  }
  path.front() = QStringLiteral("<b>%1</b>").arg(path.front());
  m_summary->setText(path.join(QStringLiteral(" ← ")) +
                     (m_chain.front().createdKnown ? QString() : tr(" · where it was created was not recorded")));
  m_summary->setToolTip(
      tr("Each row was scheduled while the row below it ran, back to the main script. Click a row "
         "to move the play head to where it was created (the 'ran' column: to where it ran)."));
}

QStringList OriginPanel::rowTexts() const { return loopscope::ui::rowTexts(*m_table, QStringLiteral(" · ")); }

QJsonObject OriginPanel::toJson() const {
  QJsonObject out;
  out.insert(QStringLiteral("asyncId"), double(m_selected));
  QJsonArray chain;
  for (const OriginStep& step : m_chain) {
    QJsonObject s;
    s.insert(QStringLiteral("asyncId"), double(step.asyncId));
    s.insert(QStringLiteral("type"), qstr(step.type));
    s.insert(QStringLiteral("kind"), stepKind(step));
    s.insert(QStringLiteral("label"), qstr(step.label));
    const AsyncInfo* info = m_trace ? m_trace->async(step.asyncId) : nullptr;
    const FunctionSiteInfo* site = info && m_trace ? m_trace->site(info->site) : nullptr;
    s.insert(QStringLiteral("function"), site ? qstr(site->name) : QString());
    s.insert(QStringLiteral("file"), site ? QFileInfo(qstr(site->script)).fileName() : QString());
    s.insert(QStringLiteral("line"), site ? site->line : 0);
    s.insert(QStringLiteral("createdAt"), step.createdKnown ? QJsonValue(double(step.createdAt)) : QJsonValue());
    s.insert(QStringLiteral("ranAt"), step.ranKnown ? QJsonValue(double(step.ranAt)) : QJsonValue());
    chain.append(s);
  }
  out.insert(QStringLiteral("label"), selectionText());
  out.insert(QStringLiteral("chain"), chain);
  return out;
}

}  // namespace loopscope::ui
