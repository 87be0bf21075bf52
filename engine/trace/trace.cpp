#include "trace.h"

#include <algorithm>
#include <fstream>
#include <iterator>

#include "trace_format.h"

namespace loopscope {

void Trace::append(const Event& ev, std::string_view text) {
  if (!events_.empty() && ev.ts < events_.back().ts) outOfOrder_ = true;
  switch (ev.kind) {
    case EventKind::String: {
      auto id = size_t(ev.a());
      if (id >= strings_.size()) strings_.resize(id + 1);
      strings_[id] = std::string(text);
      break;
    }
    case EventKind::Meta:
      meta_.emplace_back(std::string(str(ev.a())), std::string(str(ev.b())));
      break;
    case EventKind::FunctionSite: {
      auto& s = sites_[ev.a()];
      s.name = std::string(str(ev.b()));
      s.script = std::string(str(ev.c()));
      s.line = int(ev.d());
      s.column = int(ev.e());
      break;
    }
    case EventKind::AsyncInit:
      asyncs_[ev.a()] = AsyncInfo{ev.kind, ev.b(), ev.c(), ev.d(), 0, false};
      break;
    case EventKind::TimerScheduled:
      asyncs_[ev.a()] = AsyncInfo{ev.kind, ev.b(), -1, ev.c(), ev.d(), ev.e() != 0};
      break;
    case EventKind::ImmediateScheduled:
    case EventKind::TickScheduled:
    case EventKind::MicrotaskQueued:
      asyncs_[ev.a()] = AsyncInfo{ev.kind, ev.b(), -1, ev.c(), 0, false};
      break;
    case EventKind::RunStart: runStartIndex_ = long(events_.size()); break;
    case EventKind::RunEnd: runEndIndex_ = long(events_.size()); break;
    default: break;
  }
  events_.push_back(ev);
}

void Trace::sortByTime() {
  if (!outOfOrder_) return;
  std::stable_sort(events_.begin(), events_.end(),
                   [](const Event& x, const Event& y) { return x.ts < y.ts; });
  runStartIndex_ = runEndIndex_ = -1;
  for (size_t i = 0; i < events_.size(); ++i) {
    if (events_[i].kind == EventKind::RunStart) runStartIndex_ = long(i);
    if (events_[i].kind == EventKind::RunEnd) runEndIndex_ = long(i);
  }
  outOfOrder_ = false;
}

std::string_view Trace::str(int64_t id) const {
  if (id < 0 || size_t(id) >= strings_.size()) return {};
  return strings_[size_t(id)];
}

const FunctionSiteInfo* Trace::site(int64_t id) const {
  auto it = sites_.find(id);
  return it == sites_.end() ? nullptr : &it->second;
}

const AsyncInfo* Trace::async(int64_t asyncId) const {
  auto it = asyncs_.find(asyncId);
  return it == asyncs_.end() ? nullptr : &it->second;
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
  if (auto slash = script.find_last_of('/'); slash != std::string::npos)
    script = script.substr(slash + 1);
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
  for (const auto& [k, v] : meta_)
    if (k == key) return v;
  return "";
}

TraceFile readTraceFile(const std::string& path) {
  TraceFile out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.status = ReadStatus::Unreadable;
    out.problem = "cannot open '" + path + "'";
    return out;
  }
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
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
  for (;;) {
    auto st = decoder.next(data, pos, ev, text);
    if (st == TraceDecoder::Status::Event) {
      out.trace.append(ev, text);
      continue;
    }
    if (st == TraceDecoder::Status::Corrupt) {
      out.status = ReadStatus::Corrupt;
      out.problem = "'" + path + "' is corrupt: " + decoder.problem() + "; the " +
                    std::to_string(out.trace.size()) + " events before it were read";
    } else if (pos < data.size()) {
      out.status = ReadStatus::Truncated;
      out.problem = "'" + path + "' ends in the middle of a record (" +
                    std::to_string(data.size() - pos) +
                    " bytes at the end were ignored); the run was probably cut short";
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
