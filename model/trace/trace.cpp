#include "trace.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "trace_format.h"

namespace loopscope {
namespace {

// How far ahead of the string table a new id may be and still grow it (4096 empty strings are
// 128 KiB at most).
constexpr uint64_t kDenseStringSlack = 4096;

// Reads at most kMaxTraceFileBytes + 1 bytes, so an oversized file is noticed without reading it.
bool readBounded(const std::string& path, std::string& data, std::string& problem) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    problem = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  struct stat st {};
  if (::fstat(::fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    std::fclose(f);
    problem = "'" + path + "' is a folder, not a trace file";
    return false;
  }
  std::vector<char> chunk(1 << 20);
  for (;;) {
    size_t n = std::fread(chunk.data(), 1, chunk.size(), f);
    data.append(chunk.data(), n);
    if (data.size() > kMaxTraceFileBytes) {
      std::fclose(f);
      problem = "'" + path + "' is larger than " + std::to_string(kMaxTraceFileBytes >> 30) +
                " GiB, more than this reader holds in memory";
      return false;
    }
    if (n < chunk.size()) break;
    // Something that is not a trace (/dev/zero, a video) is known from its first bytes.
    if (data.size() >= kTraceHeaderSize && !TraceDecoder::checkHeader(data).empty()) break;
  }
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed) problem = "cannot read '" + path + "'";
  return !failed;
}

}  // namespace

void Trace::append(const Event& ev, std::string_view text) {
  if (!m_events.empty() && ev.ts < m_events.back().ts) m_outOfOrder = true;
  switch (ev.kind) {
    case EventKind::String: {
      // Ids come dense from the recorder; one far ahead of the table (or negative) would make
      // the table huge, so it is kept in the side map instead.
      int64_t id = ev.a();
      if (id >= 0 && uint64_t(id) < m_strings.size() + kDenseStringSlack) {
        if (size_t(id) >= m_strings.size()) m_strings.resize(size_t(id) + 1);
        m_strings[size_t(id)] = std::string(text);
      } else {
        m_sparseStrings[id] = std::string(text);
      }
      break;
    }
    case EventKind::Meta: m_meta.emplace_back(std::string(str(ev.a())), std::string(str(ev.b()))); break;
    case EventKind::FunctionSite: {
      auto& s = m_sites[ev.a()];
      s.name = std::string(str(ev.b()));
      s.script = std::string(str(ev.c()));
      s.line = int(ev.d());
      s.column = int(ev.e());
      break;
    }
    case EventKind::AsyncInit: m_asyncs[ev.a()] = AsyncInfo{ev.kind, ev.b(), ev.c(), ev.d(), 0, false}; break;
    case EventKind::TimerScheduled:
      m_asyncs[ev.a()] = AsyncInfo{ev.kind, ev.b(), -1, ev.c(), ev.d(), ev.e() != 0};
      break;
    case EventKind::ImmediateScheduled:
    case EventKind::TickScheduled:
    case EventKind::MicrotaskQueued: m_asyncs[ev.a()] = AsyncInfo{ev.kind, ev.b(), -1, ev.c(), 0, false}; break;
    case EventKind::RunStart: m_runStartIndex = long(m_events.size()); break;
    case EventKind::RunEnd: m_runEndIndex = long(m_events.size()); break;
    default: break;
  }
  m_events.push_back(ev);
}

void Trace::sortByTime() {
  if (!m_outOfOrder) return;
  std::stable_sort(m_events.begin(), m_events.end(), [](const Event& x, const Event& y) { return x.ts < y.ts; });
  m_runStartIndex = m_runEndIndex = -1;
  for (size_t i = 0; i < m_events.size(); ++i) {
    if (m_events[i].kind == EventKind::RunStart) m_runStartIndex = long(i);
    if (m_events[i].kind == EventKind::RunEnd) m_runEndIndex = long(i);
  }
  m_outOfOrder = false;
}

std::string_view Trace::str(int64_t id) const {
  bool inTable = id >= 0 && size_t(id) < m_strings.size();
  if (inTable && !m_strings[size_t(id)].empty()) return m_strings[size_t(id)];
  // An id kept aside may since have been overtaken by the table's growth.
  if (m_sparseStrings.empty()) return {};
  auto it = m_sparseStrings.find(id);
  return it == m_sparseStrings.end() ? std::string_view() : std::string_view(it->second);
}

const FunctionSiteInfo* Trace::site(int64_t id) const {
  auto it = m_sites.find(id);
  return it == m_sites.end() ? nullptr : &it->second;
}

const AsyncInfo* Trace::async(int64_t asyncId) const {
  auto it = m_asyncs.find(asyncId);
  return it == m_asyncs.end() ? nullptr : &it->second;
}

std::string_view Trace::asyncType(int64_t asyncId) const {
  // 1 is the main script; a Worker's ids carry its thread number above bit 40 (its script is 1).
  if ((asyncId & ((int64_t(1) << 40) - 1)) == 1) return "main";
  const AsyncInfo* info = async(asyncId);
  if (!info) return "";
  switch (info->createdBy) {
    case EventKind::TimerScheduled: return "Timeout";
    case EventKind::ImmediateScheduled: return "Immediate";
    case EventKind::TickScheduled: return "TickObject";
    case EventKind::MicrotaskQueued: return "Microtask";
    default: return str(info->typeString);
  }
}

std::string Trace::callbackLabel(int64_t asyncId) const {
  const AsyncInfo* info = async(asyncId);
  const FunctionSiteInfo* s = info ? site(info->site) : nullptr;
  if (!s) return "";
  std::string script = s->script;
  if (auto slash = script.find_last_of('/'); slash != std::string::npos) script = script.substr(slash + 1);
  std::string label = s->name;
  if (!script.empty() && s->line > 0)
    label += " " + script + ":" + std::to_string(s->line) + ":" + std::to_string(s->column);
  return label;
}

std::string Trace::asyncIdText(int64_t asyncId) {
  constexpr int kWorkerShift = 40;
  int64_t thread = asyncId >> kWorkerShift;
  int64_t local = asyncId & ((int64_t(1) << kWorkerShift) - 1);
  if (thread <= 0 || !isWorkerThread(uint8_t(thread))) return std::to_string(asyncId);
  return "w" + std::to_string(thread - kFirstWorkerThread + 1) + ":" + std::to_string(local);
}

std::string Trace::meta(std::string_view key) const {
  for (const auto& [k, v] : m_meta)
    if (k == key) return v;
  return "";
}

TraceFile readTraceFile(const std::string& path) {
  TraceFile out;
  std::string data;
  if (!readBounded(path, data, out.problem)) {
    out.status = ReadStatus::Unreadable;
    return out;
  }
  out.bytes = data.size();
  if (std::string why = TraceDecoder::checkHeader(data); !why.empty()) {
    out.status = ReadStatus::NotATrace;
    out.problem = "'" + path + "': " + why;
    return out;
  }
  TraceDecoder decoder;
  size_t pos = kTraceHeaderSize;
  Event ev;
  std::string text;
  bool ended = false;
  for (;;) {
    auto st = decoder.next(data, pos, ev, text);
    if (st == TraceDecoder::Status::Event) {
      out.trace.append(ev, text);
      continue;
    }
    if (st == TraceDecoder::Status::Corrupt) {
      out.status = ReadStatus::Corrupt;
      out.problem = "'" + path + "' is corrupt " + decoder.problem() + "; the " + std::to_string(out.trace.size()) +
                    " events before it were read";
      break;
    }
    // NeedMore on a whole file: the last block was cut. Its whole records are still worth
    // having, although its checksum cannot be checked any more.
    if (pos < data.size() && !ended) {
      decoder.endOfData();
      ended = true;
      continue;
    }
    if (pos < data.size()) {
      out.status = ReadStatus::Truncated;
      out.problem = "'" + path + "' ends in the middle of a record at byte " + std::to_string(decoder.offset()) + " (" +
                    std::to_string(data.size() - pos) +
                    " bytes at the end were ignored); the run was probably cut short";
    } else if (decoder.readCutBlock()) {
      out.status = ReadStatus::Truncated;
      out.problem = "'" + path + "' ends in the middle of a block; its last records were " +
                    "read without their checksum; the run was probably cut short";
    }
    break;
  }
  out.trace.sortByTime();
  if (out.status == ReadStatus::Ok && !out.trace.runEnd()) {
    out.status = ReadStatus::Truncated;
    out.problem = "'" + path + "' has no end-of-run record: the run was cut short (killed, " +
                  "crashed or still running); everything recorded before that was read";
  }
  return out;
}

}  // namespace loopscope
