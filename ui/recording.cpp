#include "recording.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <fstream>

#include "engine_process.h"
#include "trace/chrome_export.h"
#include "trace/csv_export.h"

namespace loopscope::ui {

Recording::Recording()
    : m_trace(std::make_unique<Trace>()), m_timeline(std::make_unique<LoopTimeline>(*m_trace)), m_live(true) {}

std::unique_ptr<Recording> Recording::open(const QString& path, QString* problem) {
  TraceFile file = readTraceFile(path.toStdString());
  if (file.status == ReadStatus::Unreadable || file.status == ReadStatus::NotATrace) {
    if (problem) *problem = QStringLiteral("Cannot open the trace: %1.").arg(QString::fromStdString(file.problem));
    return nullptr;
  }
  std::unique_ptr<Recording> rec(new Recording());
  rec->m_live = false;
  *rec->m_trace = std::move(file.trace);
  rec->m_timeline = std::make_unique<LoopTimeline>(*rec->m_trace);
  rec->indexNewEvents();
  rec->m_sourcePath = path;
  if (file.status != ReadStatus::Ok) rec->m_problem = QString::fromStdString(file.problem) + QLatin1Char('.');
  if (problem) *problem = rec->m_problem;
  return rec;
}

void Recording::append(const TraceBatch& batch) {
  m_raw += batch.raw;
  for (const auto& record : batch.records) {
    if (!m_trace->events().empty() && record.event.ts < m_trace->events().back().ts) m_outOfOrder = true;
    m_trace->append(record.event, record.text);
  }
  if (!batch.problem.empty()) m_problem = QString::fromStdString(batch.problem) + QLatin1Char('.');
  m_timeline->extend();
  indexNewEvents();
}

void Recording::indexNewEvents() {
  for (size_t i = m_keepAlive.indexed(); i < m_trace->size(); ++i) m_keepAlive.add(*m_trace, i);
}

bool Recording::finishLive() {
  if (!m_live) return false;
  m_live = false;
  const bool reordered = m_outOfOrder;
  if (m_outOfOrder) {
    // The engine's writer orders each batch, but a record of a slow thread can straddle two;
    // the checkpoints were built over the old order, so they are rebuilt.
    m_trace->sortByTime();
    m_timeline = std::make_unique<LoopTimeline>(*m_trace);
    m_keepAlive = KeepAliveIndex();
    m_outOfOrder = false;
  }
  m_timeline->extend();
  indexNewEvents();
  return reordered;
}

QString Recording::snippetFile() const {
  const Event* start = m_trace->runStart();
  return start ? QString::fromStdString(std::string(m_trace->str(start->c()))) : QString();
}

EngineVersions Recording::versions() const {
  auto meta = [this](const char* key) { return QString::fromStdString(m_trace->meta(key)); };
  return {meta("loopscope.version"), meta("node.version"), meta("v8.version"), meta("uv.version")};
}

uint64_t Recording::durationNs() const { return m_trace->events().empty() ? 0 : m_trace->events().back().ts; }

bool Recording::saveTrace(const QString& path, QString* error) const {
  QByteArray bytes;
  if (!m_raw.empty()) {
    bytes = QByteArray(m_raw.data(), qsizetype(m_raw.size()));
  } else {
    QFile source(m_sourcePath);
    if (m_sourcePath.isEmpty() || !source.open(QIODevice::ReadOnly)) {
      if (error) *error = QStringLiteral("There is no recorded trace to save yet: run a snippet first.");
      return false;
    }
    bytes = source.readAll();
  }
  QSaveFile out(path);
  if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
    if (error) *error = QStringLiteral("Cannot write '%1': %2.").arg(path, out.errorString());
    return false;
  }
  return true;
}

namespace {
template <typename Export>
bool writeExport(const QString& path, QString* error, Export&& write) {
  std::ofstream out(path.toStdString(), std::ios::binary | std::ios::trunc);
  if (out) write(out);
  if (out) out.flush();
  if (!out) {
    if (error) *error = QStringLiteral("Cannot write '%1': check that the folder exists and is writable.").arg(path);
    return false;
  }
  return true;
}
}  // namespace

bool Recording::exportChrome(const QString& path, QString* error) const {
  return writeExport(path, error, [this](std::ostream& out) { loopscope::exportChrome(*m_trace, out); });
}

bool Recording::exportCsv(const QString& path, QString* error) const {
  return writeExport(path, error, [this](std::ostream& out) { loopscope::exportCsv(*m_trace, out); });
}

}  // namespace loopscope::ui
