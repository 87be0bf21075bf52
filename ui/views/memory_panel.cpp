#include "memory_panel.h"

#include "interpret/records.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QTextDocument>
#include <QVBoxLayout>
#include <algorithm>

#include "human_units.h"
#include "phase_colors.h"
#include "read_only_table.h"

namespace loopscope::ui {
namespace {

QString signedCount(int64_t n) { return (n > 0 ? QStringLiteral("+") : QString()) + QLocale().toString(qlonglong(n)); }

QString signedBytes(int64_t n) {
  if (n == 0) return QStringLiteral("0");
  return (n > 0 ? QStringLiteral("+") : QStringLiteral("−")) + humanBytes(n > 0 ? n : -n);
}

QTableWidgetItem* cell(const QString& text, bool number = false) {
  auto* item = new QTableWidgetItem(text);
  item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
  if (number) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
  return item;
}

QString plain(const QString& html) {
  QTextDocument doc;
  doc.setHtml(html);
  return doc.toPlainText();
}

}  // namespace

MemoryPanel::MemoryPanel(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);

  auto* top = new QHBoxLayout;
  m_takeSnapshot = new QPushButton(tr("Take heap snapshot"));
  m_takeSnapshot->setToolTip(
      tr("Counts the live objects by constructor now. Take one before and one after "
         "the suspect work, then compare them."));
  connect(m_takeSnapshot, &QPushButton::clicked, this, &MemoryPanel::snapshotRequested);
  top->addWidget(m_takeSnapshot);
  top->addStretch(1);
  m_gc = new QLabel;
  m_gc->setTextFormat(Qt::RichText);
  top->addWidget(m_gc);
  layout->addLayout(top);

  m_finding = new QLabel;
  m_finding->setWordWrap(true);
  m_finding->setTextFormat(Qt::RichText);
  layout->addWidget(m_finding);

  auto* compare = new QHBoxLayout;
  compare->addWidget(new QLabel(tr("Compare snapshot")));
  m_beforeBox = new QComboBox;
  m_afterBox = new QComboBox;
  m_beforeBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  m_afterBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  compare->addWidget(m_beforeBox);
  compare->addWidget(new QLabel(QStringLiteral("→")));
  compare->addWidget(m_afterBox);
  compare->addStretch(1);
  layout->addLayout(compare);
  auto chosen = [this] {
    m_userChose = true;
    m_before = m_beforeBox->currentData().toLongLong();
    m_after = m_afterBox->currentData().toLongLong();
    rebuildComparison();
  };
  connect(m_beforeBox, qOverload<int>(&QComboBox::activated), this, chosen);
  connect(m_afterBox, qOverload<int>(&QComboBox::activated), this, chosen);

  auto* splitter = new QSplitter(Qt::Vertical);
  m_comparisonTable = makeReadOnlyTable(
      {tr("constructor"), tr("objects before"), tr("after"), tr("Δ objects"), tr("Δ self bytes"), tr("Δ retained")},
      {0});
  m_comparisonTable->setToolTip(
      tr("Objects and self sizes per constructor. A constructor that only grows between two "
         "snapshots taken at the same point of the work is a leak suspect."));
  splitter->addWidget(m_comparisonTable);

  auto* listenersBox = new QWidget;
  auto* listenersLayout = new QVBoxLayout(listenersBox);
  listenersLayout->setContentsMargins(0, 0, 0, 0);
  listenersLayout->addWidget(new QLabel(tr("<b>Event listeners</b> — highest count per emitter and event "
                                           "(Node warns above %1)")
                                            .arg(kListenerWarning)));
  m_listenerTable = makeReadOnlyTable({tr("emitter"), tr("event"), tr("listeners")}, {0});
  listenersLayout->addWidget(m_listenerTable);
  splitter->addWidget(listenersBox);
  splitter->setStretchFactor(0, 3);
  splitter->setStretchFactor(1, 1);
  layout->addWidget(splitter, 1);
  connect(m_listenerTable, &QTableWidget::cellClicked, this, [this](int row, int) {
    if (row >= 0 && size_t(row) < m_visibleListeners.size())
      Q_EMIT eventActivated(m_visibleListeners[size_t(row)].eventIndex);
  });
  setLive(false);
  setTrace(nullptr);
}

void MemoryPanel::setLive(bool live) {
  m_takeSnapshot->setEnabled(live);
  m_takeSnapshot->setToolTip(live ? tr("Counts the live objects by constructor now. Take one before and one after the "
                                       "suspect work, then compare them.")
                                  : tr("Snapshots can be taken during a live run. In a snippet, "
                                       "loopscope.heapSnapshot('label') takes one at that line."));
}

void MemoryPanel::setTrace(const Trace* trace) {
  m_trace = trace;
  m_position = 0;
  m_index = MemoryIndex{};
  m_visibleSnapshots.clear();
  m_before = m_after = -1;
  m_userChose = false;
  m_comparison.clear();
  m_visibleListeners.clear();
  m_listenersShown = size_t(-1);
  m_gcShown = size_t(-1);
  m_beforeBox->clear();
  m_afterBox->clear();
  showUpTo(0);
  refreshSnapshots();
}

void MemoryPanel::showUpTo(size_t position) {
  if (m_trace) m_index.update(*m_trace);
  m_position = position;
  size_t visible = 0;
  const std::vector<Snapshot>& all = m_index.heap().snapshots();
  while (visible < all.size() && all[visible].eventIndex < position) ++visible;
  if (visible != m_visibleSnapshots.size()) {
    m_visibleSnapshots.assign(all.begin(), all.begin() + long(visible));
    refreshSnapshots();
  }
  rebuildListeners(position);
  rebuildGc(position);
}

void MemoryPanel::refreshSnapshots() {
  auto describe = [this](const Snapshot& s) {
    QString text = tr("#%1 %2").arg(s.number).arg(qstr(s.label));
    text += tr(" · %1 objects · %2").arg(QLocale().toString(qlonglong(s.objects)), humanBytes(s.bytes));
    if (m_trace) text += tr(" · at %1").arg(runTimeText(*m_trace, m_trace->events()[s.eventIndex].ts));
    return text;
  };
  auto visible = [this](int64_t number) {
    return std::any_of(m_visibleSnapshots.begin(), m_visibleSnapshots.end(),
                       [&](const Snapshot& s) { return s.number == number; });
  };
  if (!m_userChose || !visible(m_before) || !visible(m_after)) {
    m_userChose = false;
    m_before = m_visibleSnapshots.empty() ? -1 : m_visibleSnapshots.front().number;
    m_after = m_visibleSnapshots.empty() ? -1 : m_visibleSnapshots.back().number;
  }
  for (QComboBox* box : {m_beforeBox, m_afterBox}) {
    box->clear();
    for (const Snapshot& s : m_visibleSnapshots) box->addItem(describe(s), qlonglong(s.number));
    box->setEnabled(m_visibleSnapshots.size() >= 2);
  }
  m_beforeBox->setCurrentIndex(m_beforeBox->findData(qlonglong(m_before)));
  m_afterBox->setCurrentIndex(m_afterBox->findData(qlonglong(m_after)));
  rebuildComparison();
}

void MemoryPanel::compareSnapshots(int64_t before, int64_t after) {
  m_userChose = true;
  m_before = before;
  m_after = after;
  m_beforeBox->setCurrentIndex(m_beforeBox->findData(qlonglong(before)));
  m_afterBox->setCurrentIndex(m_afterBox->findData(qlonglong(after)));
  rebuildComparison();
}

void MemoryPanel::rebuildComparison() {
  m_comparison.clear();
  if (m_visibleSnapshots.size() >= 2) m_comparison = m_index.heap().compare(m_before, m_after);
  const QPalette pal = palette();
  QColor growth = warningColor(pal);
  growth.setAlpha(45);
  QColor strong = warningColor(pal);
  strong.setAlpha(110);
  m_comparisonTable->setRowCount(int(m_comparison.size()));
  for (size_t r = 0; r < m_comparison.size(); ++r) {
    const ClassDelta& d = m_comparison[r];
    const int row = int(r);
    m_comparisonTable->setItem(row, 0, cell(qstr(d.constructorName)));
    m_comparisonTable->setItem(row, 1, cell(QLocale().toString(qlonglong(d.objectsBefore)), true));
    m_comparisonTable->setItem(row, 2, cell(QLocale().toString(qlonglong(d.objectsAfter)), true));
    m_comparisonTable->setItem(row, 3, cell(signedCount(d.objectsDelta()), true));
    m_comparisonTable->setItem(row, 4, cell(signedBytes(d.bytesDelta()), true));
    m_comparisonTable->setItem(row, 5, cell(signedBytes(d.retainedDelta()), true));
    // Growth is highlighted; the few biggest (objects created by the snippet's own constructors
    // usually among them) strongly.
    if (d.objectsDelta() > 0 || d.bytesDelta() > 0) {
      const bool big = r < 3 && (d.objectsDelta() >= 100 || d.bytesDelta() >= 64 * 1024);
      for (int c = 0; c < 6; ++c) {
        m_comparisonTable->item(row, c)->setBackground(big ? strong : growth);
        if (big) {
          QFont f = m_comparisonTable->font();
          f.setBold(true);
          m_comparisonTable->item(row, c)->setFont(f);
        }
      }
    }
  }
  if (m_comparison.empty()) {
    m_comparisonTable->setRowCount(1);
    m_comparisonTable->setItem(
        0, 0,
        cell(m_visibleSnapshots.size() < 2 ? tr("Two snapshots are needed: loopscope.heapSnapshot('before') … "
                                                "loopscope.heapSnapshot('after') in the snippet, or the button above.")
                                           : tr("No constructor changed between these two snapshots.")));
    for (int c = 1; c < 6; ++c) m_comparisonTable->setItem(0, c, cell(QString()));
  }
  updateFinding();
}

void MemoryPanel::rebuildListeners(size_t position) {
  const size_t count = m_index.listenerRecordsBefore(position);
  if (count == m_listenersShown) return;
  m_listenersShown = count;
  m_visibleListeners = m_trace ? m_index.listenerGrowth(*m_trace, position) : std::vector<ListenerGrowth>{};
  const QPalette pal = palette();
  QColor alarm = errorColor(pal);
  alarm.setAlpha(70);
  m_listenerTable->setRowCount(int(m_visibleListeners.size()));
  for (size_t r = 0; r < m_visibleListeners.size(); ++r) {
    const ListenerGrowth& g = m_visibleListeners[r];
    const int row = int(r);
    m_listenerTable->setItem(row, 0, cell(qstr(g.emitter)));
    m_listenerTable->setItem(row, 1, cell(QStringLiteral("'%1'").arg(qstr(g.event))));
    m_listenerTable->setItem(row, 2, cell(QString::number(g.highest), true));
    if (g.highest > kListenerWarning)
      for (int c = 0; c < 3; ++c) {
        m_listenerTable->item(row, c)->setBackground(alarm);
        m_listenerTable->item(row, c)->setToolTip(
            tr("More than %1 listeners for one event: usually a listener added on every request or tick and "
               "never removed (emitter.off / once).")
                .arg(kListenerWarning));
      }
  }
  updateFinding();
}

void MemoryPanel::rebuildGc(size_t position) {
  size_t count = 0;
  const std::vector<GcPause>& gcs = m_index.gcs();
  while (count < gcs.size() && gcs[count].endIndex < position) ++count;
  if (count == m_gcShown) return;
  m_gcShown = count;
  int young = 0, old = 0, other = 0;
  uint64_t total = 0, longest = 0;
  for (size_t k = 0; k < count; ++k) {
    const GcPause& g = gcs[k];
    if (g.typeBits & (GcScavenge | GcMinorMarkCompact))
      ++young;
    else if (g.typeBits & GcMarkSweepCompact)
      ++old;
    else
      ++other;
    total += g.pauseNs;
    longest = std::max(longest, g.pauseNs);
  }
  const QPalette pal = palette();
  QString text = tr("GC so far: <span style='color:%1'>■</span> %2 scavenge(s) · <span style='color:%3'>■</span> %4 "
                    "mark-sweep-compact")
                     .arg(gcColor(GcScavenge, pal).name())
                     .arg(young)
                     .arg(gcColor(GcMarkSweepCompact, pal).name())
                     .arg(old);
  if (other) text += tr(" · %1 other").arg(other);
  if (count)
    text += tr(" · pauses %1 in all, longest %2").arg(humanDuration(int64_t(total)), humanDuration(int64_t(longest)));
  m_gc->setText(text);
}

void MemoryPanel::updateFinding() {
  QStringList findings;
  const QPalette pal = palette();
  // The suspect is the constructor that gained the most objects; V8's own groups ("(string)",
  // "(array)", "system / Context") grow along with whatever holds them, so a named one goes first.
  const ClassDelta* suspect = nullptr;
  auto internal = [](const std::string& name) {
    return name.empty() || name[0] == '(' || name.rfind("system /", 0) == 0;
  };
  for (const ClassDelta& d : m_comparison)
    if (d.objectsDelta() >= 1000 && (!suspect || (internal(suspect->constructorName) && !internal(d.constructorName)) ||
                                     (internal(suspect->constructorName) == internal(d.constructorName) &&
                                      d.objectsDelta() > suspect->objectsDelta())))
      suspect = &d;
  if (suspect) {
    const ClassDelta& d = *suspect;
    auto label = [this](int64_t number) {
      for (const Snapshot& s : m_visibleSnapshots)
        if (s.number == number) return qstr(s.label);
      return QString::number(number);
    };
    findings << tr("<b>%1</b>: %2 objects (%3) between '%4' and '%5' — something still references them "
                   "(an unbounded cache, a growing array or map?).")
                    .arg(qstr(d.constructorName).toHtmlEscaped(), signedCount(d.objectsDelta()),
                         signedBytes(d.bytesDelta()), label(m_before).toHtmlEscaped(), label(m_after).toHtmlEscaped());
  }
  for (const ListenerGrowth& g : m_visibleListeners)
    if (g.highest > kListenerWarning)
      findings << tr("<b>%1</b> has %2 '%3' listeners — added again and again, never removed?")
                      .arg(qstr(g.emitter).toHtmlEscaped())
                      .arg(g.highest)
                      .arg(qstr(g.event).toHtmlEscaped());
  m_finding->setVisible(!findings.isEmpty());
  m_finding->setText(findings.isEmpty()
                         ? QString()
                         : QStringLiteral("<span style='color:%1'>⚠</span> ").arg(warningColor(pal).name()) +
                               findings.join(QStringLiteral("<br>⚠ ")));
}

QStringList MemoryPanel::comparisonRows() const {
  QStringList rows;
  for (const ClassDelta& d : m_comparison)
    rows << QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6")
                .arg(qstr(d.constructorName))
                .arg(d.objectsBefore)
                .arg(d.objectsAfter)
                .arg(signedCount(d.objectsDelta()), signedBytes(d.bytesDelta()), signedBytes(d.retainedDelta()));
  return rows;
}

QStringList MemoryPanel::listenerRows() const {
  QStringList rows;
  for (const ListenerGrowth& g : m_visibleListeners)
    rows << QStringLiteral("%1\t%2\t%3").arg(qstr(g.emitter), qstr(g.event)).arg(g.highest);
  return rows;
}

QString MemoryPanel::gcText() const { return plain(m_gc->text()); }

QString MemoryPanel::findingText() const { return plain(m_finding->text()); }

}  // namespace loopscope::ui
