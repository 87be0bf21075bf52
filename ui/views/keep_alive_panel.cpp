#include "keep_alive_panel.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QJsonObject>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <algorithm>

#include "human_units.h"
#include "interpret/records.h"
#include "read_only_table.h"

namespace loopscope::ui {
namespace {

enum Column { KindColumn, WhatColumn, CreatedColumn, SinceColumn, ColumnCount };
constexpr size_t kMaxRows = 500;

// "stop (line 4)" for the snippet's own line (the editor's margin numbers), "readFile (lib.js:3)"
// in another file, "in main script" for what Node's code made while the main script ran.
QString createdText(const KeepAliveEntry& e, const Trace* trace) {
  const Event* start = trace ? trace->runStart() : nullptr;
  const bool snippet = start && trace->str(start->c()) == e.file;
  QString where;
  if (e.line > 0)
    where = snippet ? KeepAlivePanel::tr("line %1").arg(e.line)
                    : QStringLiteral("%1:%2").arg(QFileInfo(qstr(e.file)).fileName()).arg(e.line);
  const QString name = e.function == "(anonymous)" ? QString() : qstr(e.function);
  QString text = name.isEmpty() ? where : where.isEmpty() ? name : KeepAlivePanel::tr("%1 (%2)").arg(name, where);
  if (e.siteInherited && !text.isEmpty()) text = KeepAlivePanel::tr("in %1").arg(text);
  return text.isEmpty() ? KeepAlivePanel::tr("not recorded") : text;
}

}  // namespace

KeepAlivePanel::KeepAlivePanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  m_headline = new QLabel;
  m_headline->setTextFormat(Qt::RichText);
  m_headline->setWordWrap(true);
  layout->addWidget(m_headline);
  m_table = makeReadOnlyTable({tr("kind"), tr("what"), tr("created at"), tr("since")}, {WhatColumn, CreatedColumn});
  connect(m_table, &QTableWidget::cellClicked, this, [this](int row, int) {
    if (row < 0 || size_t(row) >= m_entries.size()) return;
    const KeepAliveEntry& e = m_entries[size_t(row)];
    if (e.asyncId != 0) Q_EMIT callbackSelected(e.asyncId);
    Q_EMIT eventActivated(e.createdAt);
  });
  layout->addWidget(m_table, 1);
  // libuv's rule, for whoever asks (the headline's tooltip) and below an empty list, where it has
  // room: a listed row must never be pushed out of a projector's short tab by it.
  const QString rule =
      tr("libuv's rule: uv_run goes on while a handle is active and referenced, a request is in "
         "flight or a handle is closing. unref() lets a handle stop counting; an unref()'d timer, "
         "child process or worker still shows here.");
  m_headline->setToolTip(rule);
  m_note = new QLabel(QStringLiteral("<i>%1</i>").arg(rule.toHtmlEscaped()));
  m_note->setWordWrap(true);
  m_note->setTextFormat(Qt::RichText);
  m_note->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  layout->addWidget(m_note, 1);
  rebuild();
}

void KeepAlivePanel::setSource(const Trace* trace, const KeepAliveIndex* index) {
  m_trace = trace;
  m_index = index;
  m_position = 0;
  m_stale = true;
  if (isVisible()) rebuild();
}

void KeepAlivePanel::showUpTo(size_t position) {
  m_position = position;
  m_stale = true;
  if (isVisible()) rebuild();
}

void KeepAlivePanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (m_stale) rebuild();
}

const std::vector<KeepAliveEntry>& KeepAlivePanel::entries() {
  if (m_stale) rebuild();
  return m_entries;
}

void KeepAlivePanel::rebuild() {
  m_stale = false;
  const Trace* trace = m_trace;
  const bool started = trace && m_index && m_position > 0;
  m_entries = started ? m_index->at(*trace, m_position) : std::vector<KeepAliveEntry>{};
  const bool loopExited = started && m_index->loopExitedAt(m_position);
  if (!started) {
    m_headline->setText(
        tr("<b>What keeps the loop alive?</b> Run a snippet: this lists, at the play head, every "
           "timer, request, server, socket and child process the event loop still waits for."));
  } else if (m_entries.empty()) {
    m_headline->setText(loopExited ? tr("<b>Nothing: the program can exit.</b> uv_run found nothing to wait for and "
                                        "returned.")
                                   : tr("<b>Nothing: the program can exit.</b> No timer, request or open handle holds "
                                        "the event loop here."));
  } else if (const Event* end = trace->runEnd(); end && size_t(end - trace->events().data()) < m_position) {
    // After the end: nothing waited for these (process.exit(), an uncaught error, a stop).
    const EndReason reason = as<record::RunEnd>(*end).reason;
    const QString how = reason == EndReason::ProcessExit ? tr("process.exit() or an uncaught error ended the program")
                        : reason == EndReason::Finished  ? tr("the loop found nothing referenced to wait for")
                                                         : tr("the run was stopped");
    m_headline->setText(tr("<b>The run has ended:</b> %1; these were still there and were not waited for.").arg(how));
  } else {
    const QString count = m_entries.size() == 1 ? tr("1 thing keeps") : tr("%1 things keep").arg(m_entries.size());
    m_headline->setText(tr("<b>%1 the loop alive</b>: the program cannot exit before each ends.").arg(count));
  }
  m_note->setVisible(m_entries.empty());
  m_table->setVisible(!m_entries.empty());
  // Thousands of pending timers are one fact: the first rows show it, the headline counts them all.
  const size_t rows = std::min(m_entries.size(), kMaxRows);
  m_table->setRowCount(int(rows));
  for (size_t k = 0; k < rows; ++k) {
    const KeepAliveEntry& e = m_entries[k];
    // Timers and immediates are known by the function they will call, requests and handles by the
    // API that made them; what Node's own code made is placed in the program's callback that
    // led to it ("in main script").
    const QString created = createdText(e, trace);
    const QString since =
        trace && e.keepingSince < trace->size() ? runTimeText(*trace, trace->events()[e.keepingSince].ts) : QString();
    const QStringList cells{qstr(keepAliveKindName(e.kind)), qstr(e.detail), created, since};
    for (int c = 0; c < ColumnCount; ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      QString tip = tr("%1 (%2%3)")
                        .arg(qstr(e.detail), qstr(e.type),
                             e.asyncId != 0 ? tr(", async id %1").arg(qstr(Trace::asyncIdText(e.asyncId))) : QString());
      if (e.siteInherited)
        tip +=
            tr("\nNode's own code made it, with no line of the program on the stack: the line is that of the "
               "program's callback that led to it.");
      item->setToolTip(tip + tr("\nClick: move the play head to where it was created and show why it exists."));
      m_table->setItem(int(k), c, item);
    }
  }
}

QString KeepAlivePanel::headline() const { return m_headline->text(); }

QStringList KeepAlivePanel::rowTexts() const { return loopscope::ui::rowTexts(*m_table, QStringLiteral(" · ")); }

QJsonArray KeepAlivePanel::toJson(const std::vector<KeepAliveEntry>& entries) {
  QJsonArray out;
  for (const KeepAliveEntry& e : entries) {
    QJsonObject o;
    o.insert(QStringLiteral("kind"), qstr(keepAliveKindName(e.kind)));
    o.insert(QStringLiteral("type"), qstr(e.type));
    o.insert(QStringLiteral("detail"), qstr(e.detail));
    o.insert(QStringLiteral("asyncId"), double(e.asyncId));
    o.insert(QStringLiteral("function"), qstr(e.function));
    o.insert(QStringLiteral("file"), QFileInfo(qstr(e.file)).fileName());
    o.insert(QStringLiteral("line"), e.line);
    o.insert(QStringLiteral("createdAt"), double(e.createdAt));
    o.insert(QStringLiteral("keepingSince"), double(e.keepingSince));
    out.append(o);
  }
  return out;
}

}  // namespace loopscope::ui
