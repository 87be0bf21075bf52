#include "interpret/keep_alive.h"

#include <algorithm>

#include "interpret/attribution.h"
#include "interpret/records.h"

namespace loopscope {
namespace {

// Checkpoints come at least this many events apart, and further apart when many things are alive
// at once, so that what they hold stays proportional to the recording.
constexpr size_t kCheckpointEvery = 4096;

// The async resources Node makes for one request to libuv (or to the thread pool): pending from
// their creation until their callback runs (Node's ReqWrap types, and the crypto jobs'
// "...REQUEST" types).
bool isRequestType(std::string_view type) {
  static constexpr std::string_view kRequests[] = {"FSREQCALLBACK",      "FSREQPROMISE",       "FILEHANDLECLOSEREQ",
                                                   "GETADDRINFOREQWRAP", "GETNAMEINFOREQWRAP", "QUERYWRAP",
                                                   "TCPCONNECTWRAP",     "PIPECONNECTWRAP",    "SHUTDOWNWRAP",
                                                   "WRITEWRAP",          "UDPSENDWRAP"};
  if (std::find(std::begin(kRequests), std::end(kRequests), type) != std::end(kRequests)) return true;
  constexpr std::string_view kJob = "REQUEST";
  return type.size() > kJob.size() && type.substr(type.size() - kJob.size()) == kJob;
}

// The kind of keep-alive item of a resource that owns a libuv handle the engine follows
// (HandleActive); false for any other type.
bool handleKindOf(std::string_view type, KeepAliveKind* kind) {
  if (type == "TCPSERVERWRAP" || type == "PIPESERVERWRAP")
    *kind = KeepAliveKind::Server;
  else if (type == "TCPWRAP")
    *kind = KeepAliveKind::Socket;
  else if (type == "PIPEWRAP")
    *kind = KeepAliveKind::Pipe;
  else if (type == "TTYWRAP")
    *kind = KeepAliveKind::Terminal;
  else if (type == "UDPWRAP")
    *kind = KeepAliveKind::UdpSocket;
  else if (type == "FSEVENTWRAP" || type == "STATWATCHER")
    *kind = KeepAliveKind::FileWatcher;
  else
    return false;
  return true;
}

bool isHandleKind(KeepAliveKind kind) {
  return kind == KeepAliveKind::Server || kind == KeepAliveKind::Socket || kind == KeepAliveKind::Pipe ||
         kind == KeepAliveKind::Terminal || kind == KeepAliveKind::UdpSocket || kind == KeepAliveKind::FileWatcher;
}

std::string requestDetail(std::string_view type) {
  if (type == "FSREQCALLBACK" || type == "FSREQPROMISE") return "fs request";
  if (type == "FILEHANDLECLOSEREQ") return "closing a FileHandle";
  if (type == "GETADDRINFOREQWRAP") return "dns.lookup";
  if (type == "GETNAMEINFOREQWRAP") return "dns.lookupService";
  if (type == "QUERYWRAP") return "DNS query";
  if (type == "TCPCONNECTWRAP") return "connecting (TCP)";
  if (type == "PIPECONNECTWRAP") return "connecting (pipe)";
  if (type == "SHUTDOWNWRAP") return "ending a stream's writing side";
  if (type == "WRITEWRAP") return "write in flight";
  if (type == "UDPSENDWRAP") return "UDP send in flight";
  return std::string(type);
}

}  // namespace

std::string_view keepAliveKindName(KeepAliveKind kind) {
  switch (kind) {
    case KeepAliveKind::Server: return "server";
    case KeepAliveKind::Socket: return "socket";
    case KeepAliveKind::Pipe: return "pipe";
    case KeepAliveKind::Terminal: return "terminal";
    case KeepAliveKind::UdpSocket: return "UDP socket";
    case KeepAliveKind::FileWatcher: return "file watcher";
    case KeepAliveKind::ChildProcess: return "child process";
    case KeepAliveKind::Worker: return "worker";
    case KeepAliveKind::Interval: return "interval";
    case KeepAliveKind::Timer: return "timer";
    case KeepAliveKind::Immediate: return "immediate";
    case KeepAliveKind::Request: return "request";
    case KeepAliveKind::PoolWork: return "pool work";
  }
  return "unknown";
}

uint32_t KeepAliveIndex::newItem(const Item& item) {
  m_items.push_back(item);
  return uint32_t(m_items.size() - 1);
}

void KeepAliveIndex::openSpan(uint32_t item, size_t position) {
  Item& it = m_items[item];
  if (it.openSpan >= 0) return;
  it.openSpan = int32_t(m_spans.size());
  it.openSlot = uint32_t(m_openSpans.size());
  m_spans.push_back(Span{position, kOpen, item});
  m_openSpans.push_back(uint32_t(it.openSpan));
}

void KeepAliveIndex::closeSpan(uint32_t item, size_t position) {
  Item& it = m_items[item];
  if (it.openSpan < 0) return;
  m_spans[size_t(it.openSpan)].to = position;
  it.openSpan = -1;
  // The last open span takes this one's slot.
  const uint32_t moved = m_openSpans.back();
  m_openSpans[it.openSlot] = moved;
  m_items[m_spans[moved].item].openSlot = it.openSlot;
  m_openSpans.pop_back();
}

void KeepAliveIndex::finish(int64_t asyncId, size_t position) {
  auto it = m_itemOfAsync.find(asyncId);
  if (it == m_itemOfAsync.end()) return;
  closeSpan(it->second, position);
  m_itemOfAsync.erase(it);
}

void KeepAliveIndex::add(const Trace& trace, size_t eventIndex) {
  const Event& ev = trace.events()[eventIndex];
  m_indexed = std::max(m_indexed, eventIndex + 1);
  // The state after this event: what it starts is alive from the next position on.
  const size_t position = eventIndex + 1;
  if (ev.thread != kMainThread) {
    checkpointIfDue();
    return;
  }
  auto itemOf = [this](int64_t asyncId) -> Item* {
    auto it = m_itemOfAsync.find(asyncId);
    return it == m_itemOfAsync.end() ? nullptr : &m_items[it->second];
  };
  auto start = [&](KeepAliveKind kind, int64_t asyncId, int64_t siteId, int64_t number) {
    Item item;
    item.kind = kind;
    item.asyncId = asyncId;
    item.siteId = siteId;
    item.number = number;
    item.createdAt = eventIndex;
    const uint32_t id = newItem(item);
    m_itemOfAsync[asyncId] = id;
    return id;
  };
  std::visit(overloaded{
                 [&](const record::TimerScheduled& r) {
                   // Scheduled again while still pending (refresh): it stays the same pending timer.
                   if (Item* pending = itemOf(r.asyncId); pending && pending->openSpan >= 0) return;
                   openSpan(
                       start(r.repeat ? KeepAliveKind::Interval : KeepAliveKind::Timer, r.asyncId, r.siteId, r.delayMs),
                       position);
                 },
                 [&](const record::ImmediateScheduled& r) {
                   openSpan(start(KeepAliveKind::Immediate, r.asyncId, r.siteId, 0), position);
                 },
                 [&](const record::TimerCleared& r) { finish(r.asyncId, position); },
                 [&](const record::ImmediateCleared& r) { finish(r.asyncId, position); },
                 [&](const record::AsyncInit& r) {
                   const std::string_view type = trace.str(r.typeString);
                   KeepAliveKind handle;
                   if (isRequestType(type))
                     openSpan(start(KeepAliveKind::Request, r.asyncId, r.siteId, 0), position);
                   else if (type == "WORKER")
                     openSpan(start(KeepAliveKind::Worker, r.asyncId, r.siteId, 0), position);
                   // A handle keeps the loop alive only once the engine says it is active (HandleActive).
                   else if (handleKindOf(type, &handle))
                     start(handle, r.asyncId, r.siteId, 0);
                 },
                 [&](const record::CallbackEnter& r) {
                   Item* item = itemOf(r.asyncId);
                   if (!item) return;
                   // A timeout, an immediate and a request are done once their callback starts, and a
                   // Worker's own callback is its 'exit'. Intervals and handles call back again and again.
                   if (item->kind == KeepAliveKind::Timer || item->kind == KeepAliveKind::Immediate ||
                       item->kind == KeepAliveKind::Request || item->kind == KeepAliveKind::Worker)
                     finish(r.asyncId, position);
                 },
                 [&](const record::HandleActive& r) {
                   auto it = m_itemOfAsync.find(r.asyncId);
                   // Only for a resource that owns such a handle: anything else is not what the engine
                   // meant (or a damaged trace).
                   if (it == m_itemOfAsync.end() || !isHandleKind(m_items[it->second].kind)) return;
                   if (r.keepsLoopAlive)
                     openSpan(it->second, position);
                   else
                     closeSpan(it->second, position);
                 },
                 [&](const record::HandleClosed& r) {
                   if (Item* item = itemOf(r.asyncId); item && isHandleKind(item->kind)) finish(r.asyncId, position);
                 },
                 [&](const record::PoolSubmit& r) {
                   auto request = m_itemOfAsync.find(r.requestAsyncId);
                   if (r.requestAsyncId != 0 && request != m_itemOfAsync.end() &&
                       m_items[request->second].kind == KeepAliveKind::Request) {
                     // The request's own work: it stays one entry, now saying what the pool does for it.
                     m_items[request->second].detailString = r.workKindString;
                     m_itemOfJob[r.jobId] = request->second;
                     return;
                   }
                   Item item;
                   item.kind = KeepAliveKind::PoolWork;
                   item.asyncId = r.requestAsyncId;
                   item.detailString = r.workKindString;
                   item.createdAt = eventIndex;
                   const uint32_t id = newItem(item);
                   m_itemOfJob[r.jobId] = id;
                   openSpan(id, position);
                 },
                 [&](const record::PoolDoneEnd& r) {
                   // The job's completion (and the request's callback inside it) has run.
                   auto it = m_itemOfJob.find(r.jobId);
                   if (it == m_itemOfJob.end()) return;
                   const Item& item = m_items[it->second];
                   if (item.kind == KeepAliveKind::Request)
                     finish(item.asyncId, position);
                   else
                     closeSpan(it->second, position);
                   m_itemOfJob.erase(it);
                 },
                 [&](const record::ChildSpawn& r) {
                   Item item;
                   item.kind = KeepAliveKind::ChildProcess;
                   item.detailString = r.commandString;
                   item.siteId = r.siteId;
                   item.number = r.pid;
                   item.createdAt = eventIndex;
                   const uint32_t id = newItem(item);
                   if (auto old = m_itemOfChild.find(r.pid); old != m_itemOfChild.end())
                     closeSpan(old->second, position);
                   m_itemOfChild[r.pid] = id;
                   openSpan(id, position);
                 },
                 [&](const record::ChildExit& r) {
                   auto it = m_itemOfChild.find(r.pid);
                   if (it == m_itemOfChild.end()) return;
                   closeSpan(it->second, position);
                   m_itemOfChild.erase(it);
                 },
                 [&](const record::LoopStart&) { m_loopExits.emplace_back(position, false); },
                 [&](const record::LoopEnd& r) { m_loopExits.emplace_back(position, !r.stillAlive); },
                 [](const auto&) {},  // nothing that keeps the loop alive starts or ends here
             },
             decode(ev));
  checkpointIfDue();
}

void KeepAliveIndex::checkpointIfDue() {
  const size_t last = m_checkpoints.empty() ? 0 : m_checkpoints.back().position;
  if (m_indexed - last < std::max(kCheckpointEvery, m_openSpans.size())) return;
  m_checkpoints.push_back(Checkpoint{m_indexed, m_spans.size(), m_openSpans});
}

std::vector<KeepAliveEntry> KeepAliveIndex::at(const Trace& trace, size_t position) const {
  std::vector<KeepAliveEntry> out;
  position = std::min(position, m_indexed);
  if (m_spans.empty()) return out;
  static const Checkpoint kStart;  // the state before any event
  auto after = std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), position,
                                [](size_t p, const Checkpoint& c) { return p < c.position; });
  const Checkpoint& from = after == m_checkpoints.begin() ? kStart : *(after - 1);
  std::vector<uint32_t> alive;
  auto consider = [&](uint32_t span) {
    const Span& s = m_spans[span];
    if (s.from <= position && position < s.to) alive.push_back(span);
  };
  for (uint32_t span : from.open) consider(span);
  for (size_t k = from.spans; k < m_spans.size() && m_spans[k].from <= position; ++k) consider(uint32_t(k));
  out.reserve(alive.size());
  for (uint32_t span : alive) {
    const Span& s = m_spans[span];
    out.push_back(entryOf(trace, m_items[s.item], s.from == 0 ? 0 : s.from - 1));
  }
  std::sort(out.begin(), out.end(), [](const KeepAliveEntry& a, const KeepAliveEntry& b) {
    if (a.kind != b.kind) return uint8_t(a.kind) < uint8_t(b.kind);
    return a.createdAt < b.createdAt;
  });
  return out;
}

bool KeepAliveIndex::loopExitedAt(size_t position) const {
  auto after = std::upper_bound(m_loopExits.begin(), m_loopExits.end(), position,
                                [](size_t p, const std::pair<size_t, bool>& e) { return p < e.first; });
  return after != m_loopExits.begin() && (after - 1)->second;
}

KeepAliveEntry KeepAliveIndex::entryOf(const Trace& trace, const Item& item, size_t since) const {
  KeepAliveEntry e;
  e.kind = item.kind;
  e.asyncId = item.asyncId;
  e.createdAt = item.createdAt;
  e.keepingSince = since;
  const std::string detail(item.detailString >= 0 ? trace.str(item.detailString) : std::string_view());
  e.type = item.kind == KeepAliveKind::ChildProcess                    ? std::string("ChildProcess")
           : item.kind == KeepAliveKind::PoolWork && item.asyncId == 0 ? detail
                                                                       : std::string(trace.asyncType(item.asyncId));
  int64_t siteId = item.siteId;
  if (siteId == 0 && item.asyncId != 0)
    if (const AsyncInfo* info = trace.async(item.asyncId)) siteId = info->site;
  const FunctionSiteInfo* site = trace.site(siteId);
  if ((!site || isInternalScript(site->script)) && item.asyncId != 0) {
    // Made by Node's own code: the program's nearest callback up its origin chain made it happen.
    const AsyncInfo* info = trace.async(item.asyncId);
    int64_t id = info ? info->trigger : 0;
    for (int steps = 0; id != 0 && steps < 64; ++steps) {
      if (id == 1) {
        e.function = "main script";
        if (const Event* start = trace.runStart()) e.file = std::string(trace.str(start->c()));
        e.siteInherited = true;
        site = nullptr;
        break;
      }
      const AsyncInfo* ancestor = trace.async(id);
      if (!ancestor) break;
      const FunctionSiteInfo* ancestorSite = trace.site(ancestor->site);
      if (ancestorSite && !isInternalScript(ancestorSite->script)) {
        site = ancestorSite;
        e.siteInherited = true;
        break;
      }
      id = ancestor->trigger;
    }
  }
  if (site) {
    e.function = site->name;
    e.file = site->script;
    e.line = site->line;
    e.column = site->column;
  }
  // A socket a server accepted is created by that server's resource (its triggerAsyncId).
  auto accepted = [&] {
    const AsyncInfo* info = trace.async(item.asyncId);
    const std::string_view creator = info ? trace.asyncType(info->trigger) : std::string_view();
    return creator == "TCPSERVERWRAP" || creator == "PIPESERVERWRAP";
  };
  switch (item.kind) {
    case KeepAliveKind::Timer: e.detail = "setTimeout " + std::to_string(item.number) + " ms"; break;
    case KeepAliveKind::Interval: e.detail = "setInterval " + std::to_string(item.number) + " ms"; break;
    case KeepAliveKind::Immediate: e.detail = "setImmediate"; break;
    case KeepAliveKind::Server:
      e.detail = e.type == "PIPESERVERWRAP" ? "server listening on a pipe" : "server listening (TCP)";
      break;
    case KeepAliveKind::Socket:
      e.detail = accepted() ? "connection the server accepted, reading" : "TCP socket, reading";
      break;
    case KeepAliveKind::Pipe:
      e.detail = accepted() ? "connection the server accepted, reading" : "pipe, reading";
      break;
    case KeepAliveKind::Terminal: e.detail = "terminal, reading"; break;
    case KeepAliveKind::UdpSocket: e.detail = "UDP socket, receiving"; break;
    case KeepAliveKind::FileWatcher: e.detail = e.type == "STATWATCHER" ? "fs.watchFile" : "fs.watch"; break;
    case KeepAliveKind::ChildProcess:
      e.detail = "pid " + std::to_string(item.number) + (detail.empty() ? std::string() : ": " + detail);
      break;
    case KeepAliveKind::Worker: e.detail = "worker thread running"; break;
    case KeepAliveKind::Request:
      e.detail = detail.empty() ? requestDetail(e.type) : detail + " on the thread pool";
      break;
    case KeepAliveKind::PoolWork:
      e.detail = (detail.empty() ? std::string("work") : detail) + " on the thread pool";
      break;
  }
  return e;
}

}  // namespace loopscope
