#include "loop_state.h"

#include "interpret/attribution.h"
#include "interpret/records.h"
#include "text_encoding.h"

#include <algorithm>
#include <cstdio>

namespace loopscope {
namespace {

// Removes the entry with `asyncId`, looking from the front: queues run from the front, so the
// callback about to run is almost always found at once (a deque erases there in O(1)).
bool removeById(CallbackQueue& queue, int64_t asyncId) {
  auto it = std::find_if(queue.begin(), queue.end(), [&](const QueueEntry& e) { return e.asyncId == asyncId; });
  if (it == queue.end()) return false;
  queue.erase(it);
  return true;
}

void insertTimer(CallbackQueue& timers, QueueEntry entry) {
  // libuv runs due timers in due order; equal due times keep the order they were scheduled in.
  // Timers are mostly scheduled later than the ones already waiting, so look from the back.
  auto at = std::upper_bound(timers.begin(), timers.end(), entry.dueNs,
                             [](uint64_t due, const QueueEntry& e) { return due < e.dueNs; });
  timers.insert(at, std::move(entry));
}

uint64_t timerDue(uint64_t fromNs, int64_t delayMs) {
  // A hostile trace may carry any delay; the due time saturates instead of wrapping around.
  uint64_t ms = uint64_t(std::clamp<int64_t>(delayMs, 1, int64_t(1) << 40));
  return fromNs + ms * 1'000'000;
}

std::string fileName(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool isPromise(const Trace& trace, int64_t asyncId) { return trace.asyncType(asyncId) == "PROMISE"; }

}  // namespace

QueueEntry LoopStateBuilder::entryFor(int64_t asyncId, uint64_t ts) const {
  QueueEntry e;
  e.asyncId = asyncId;
  e.type = std::string(m_trace.asyncType(asyncId));
  e.sinceNs = ts;
  if (const AsyncInfo* info = m_trace.async(asyncId)) {
    e.delayMs = info->delayMs;
    e.repeat = info->repeat;
    if (const FunctionSiteInfo* site = m_trace.site(info->site)) {
      e.label = site->name;
      e.file = fileName(site->script);
      e.line = site->line;
      e.column = site->column;
    }
  }
  if (asyncId == 1) e.label = "main script";
  e.internal = isInternalCallback(m_trace, asyncId);
  return e;
}

void LoopStateBuilder::index(size_t i) {
  const Event& ev = m_trace.events()[i];
  // Only a timer scheduled again (refresh(), an interval re-armed by Node) can already be in the
  // timer list; remembering which records do that spares every other one a scan of the list.
  if (ev.kind == EventKind::TimerScheduled && !m_timersSeen.insert(ev.a()).second) m_timerReschedules.insert(i);
  if (ev.kind == EventKind::AsyncInit && isPromise(m_trace, ev.a()) && isPromise(m_trace, ev.b())) {
    // A promise created from another (then/catch/finally/await): its reaction is queued once
    // the parent settles.
    if (m_settledPromises.count(ev.b()))
      m_reactionsQueuedAt[i].push_back(ev.a());
    else
      m_reactionsWaitingOn[ev.b()].push_back(ev.a());
  } else if (ev.kind == EventKind::PromiseResolve) {
    m_settledPromises.insert(ev.a());
    auto waiting = m_reactionsWaitingOn.find(ev.a());
    if (waiting != m_reactionsWaitingOn.end()) {
      m_reactionsQueuedAt[i] = std::move(waiting->second);
      m_reactionsWaitingOn.erase(waiting);
    }
  }
}

// The queue a callback waits in follows from the record that created it.
CallbackQueue* LoopStateBuilder::queueOf(LoopState& s, int64_t asyncId) const {
  const AsyncInfo* info = m_trace.async(asyncId);
  if (!info) return nullptr;
  switch (info->createdBy) {
    case EventKind::TimerScheduled: return &s.timers;
    case EventKind::ImmediateScheduled: return &s.immediates;
    case EventKind::TickScheduled: return &s.nextTicks;
    case EventKind::MicrotaskQueued: return &s.microtasks;
    case EventKind::AsyncInit: return m_trace.asyncType(asyncId) == "PROMISE" ? &s.microtasks : nullptr;
    default: return nullptr;
  }
}

void LoopStateBuilder::apply(LoopState& s, size_t i) const {
  const Event& ev = m_trace.events()[i];
  s.position = i + 1;
  s.timeNs = ev.ts;
  // The views show the main thread's loop; a Worker's callbacks, queues and GCs are its own
  // (its pool jobs are shared and do count: there is one pool per process).
  if (isWorkerThread(ev.thread) && ev.kind != EventKind::PoolSubmit && ev.kind != EventKind::PoolDone) return;
  const bool onMainThread = ev.thread == kMainThread;
  switch (ev.kind) {
    case EventKind::RunStart: {
      auto start = as<record::RunStart>(ev);
      s.started = true;
      // libuv accepts 1..1024 but the engine records 1..127; anything else is damage and must not
      // make the slots table enormous.
      s.pool.size = int(std::clamp<int64_t>(start.poolSize, 1, kMaxPoolSlots));
      s.pool.slots.assign(size_t(s.pool.size), std::nullopt);
      break;
    }
    case EventKind::RunEnd: {
      auto end = as<record::RunEnd>(ev);
      s.finished = true;
      s.exitCode = int(end.exitCode);
      s.endReason = end.reason;
      s.inLoop = false;
      s.pollWaiting = false;
      s.callbackStack.clear();
      s.current.reset();
      break;
    }
    // Workers' loops have their own lanes in the timeline.
    case EventKind::LoopStart:
      if (onMainThread) s.inLoop = true;
      break;
    case EventKind::LoopEnd:
      if (!onMainThread) break;
      s.inLoop = false;
      s.phase = Phase::Main;
      break;
    case EventKind::Iteration:
      if (onMainThread) s.iteration = as<record::Iteration>(ev).number;
      break;
    case EventKind::PhaseEnter: {
      if (!onMainThread) break;
      auto enter = as<record::PhaseEnter>(ev);
      s.phase = enter.phase;
      if (s.phase == Phase::Poll) {
        s.pollTimeoutMs = enter.pollTimeoutMs;
        s.pollWaiting = s.callbackStack.empty();
      }
      break;
    }
    case EventKind::PhaseExit:
      if (onMainThread && as<record::PhaseExit>(ev).phase == Phase::Poll) s.pollWaiting = false;
      break;
    case EventKind::TimerScheduled: {
      auto timer = as<record::TimerScheduled>(ev);
      if (m_timerReschedules.count(i)) removeById(s.timers, timer.asyncId);
      QueueEntry e = entryFor(timer.asyncId, ev.ts);
      e.dueNs = timerDue(ev.ts, timer.delayMs);
      insertTimer(s.timers, std::move(e));
      break;
    }
    case EventKind::TimerCleared: removeById(s.timers, as<record::TimerCleared>(ev).asyncId); break;
    case EventKind::ImmediateScheduled:
      s.immediates.push_back(entryFor(as<record::ImmediateScheduled>(ev).asyncId, ev.ts));
      break;
    case EventKind::ImmediateCleared: removeById(s.immediates, as<record::ImmediateCleared>(ev).asyncId); break;
    case EventKind::TickScheduled: s.nextTicks.push_back(entryFor(as<record::TickScheduled>(ev).asyncId, ev.ts)); break;
    case EventKind::MicrotaskQueued:
      s.microtasks.push_back(entryFor(as<record::MicrotaskQueued>(ev).asyncId, ev.ts));
      break;
    case EventKind::CallbackEnter: {
      int64_t id = as<record::CallbackEnter>(ev).asyncId;
      // It is running now: out of the queue that held it. Only that queue is searched, so a
      // callback does not cost a scan of 100,000 waiting timers.
      if (CallbackQueue* queue = queueOf(s, id)) removeById(*queue, id);
      QueueEntry running = entryFor(id, ev.ts);
      s.callbackStack.push_back(running);
      s.current = std::move(running);
      s.pollWaiting = false;
      ++s.callbacksRun;
      break;
    }
    case EventKind::CallbackExit: {
      int64_t id = as<record::CallbackExit>(ev).asyncId;
      auto it = std::find_if(s.callbackStack.rbegin(), s.callbackStack.rend(),
                             [&](const QueueEntry& e) { return e.asyncId == id; });
      if (it != s.callbackStack.rend()) {
        QueueEntry finished = *it;
        s.callbackStack.erase(std::next(it).base(), s.callbackStack.end());
        // An interval goes back into the timer list, due one delay after this run started.
        if (finished.type == "Timeout" && finished.repeat) {
          finished.dueNs = timerDue(finished.sinceNs, finished.delayMs);
          finished.sinceNs = ev.ts;
          insertTimer(s.timers, std::move(finished));
        }
      }
      if (s.callbackStack.empty())
        s.current.reset();
      else
        s.current = s.callbackStack.back();
      break;
    }
    case EventKind::AsyncInit:
    case EventKind::PromiseResolve: {
      auto queued = m_reactionsQueuedAt.find(i);
      if (queued != m_reactionsQueuedAt.end())
        for (int64_t id : queued->second) s.microtasks.push_back(entryFor(id, ev.ts));
      break;
    }
    case EventKind::MicrotaskDrainEnd:
      // V8 ran its microtask queue until it was empty.
      s.microtasks.clear();
      break;
    case EventKind::PoolSubmit: {
      auto submit = as<record::PoolSubmit>(ev);
      PoolJob job;
      job.jobId = submit.jobId;
      job.kind = std::string(m_trace.str(submit.workKindString));
      job.asyncId = submit.requestAsyncId;
      job.submittedNs = ev.ts;
      s.pool.backlog.push_back(std::move(job));
      break;
    }
    case EventKind::PoolStart: {
      if (!isPoolThread(ev.thread)) break;
      int64_t jobId = as<record::PoolStart>(ev).jobId;
      PoolJob job;
      auto it = std::find_if(s.pool.backlog.begin(), s.pool.backlog.end(),
                             [&](const PoolJob& j) { return j.jobId == jobId; });
      if (it != s.pool.backlog.end()) {
        job = std::move(*it);
        s.pool.backlog.erase(it);
      } else {
        job.jobId = jobId;
        job.kind = "work";
      }
      job.startedNs = ev.ts;
      size_t slot = size_t(ev.thread) - 1;  // isPoolThread: at most kMaxPoolSlots - 1
      if (slot >= s.pool.slots.size()) s.pool.slots.resize(slot + 1);
      s.pool.slots[slot] = std::move(job);
      break;
    }
    case EventKind::PoolEnd: {
      int64_t jobId = as<record::PoolEnd>(ev).jobId;
      for (auto& slot : s.pool.slots) {
        if (slot && slot->jobId == jobId) {
          s.pool.completed.push_back(*slot);
          slot.reset();
          break;
        }
      }
      break;
    }
    case EventKind::PoolDone: {
      int64_t jobId = as<record::PoolDone>(ev).jobId;
      std::erase_if(s.pool.completed, [&](const PoolJob& j) { return j.jobId == jobId; });
      break;
    }
    case EventKind::GcBegin:
      s.heap.collecting = true;
      s.heap.lastGcType = as<record::GcBegin>(ev).typeBits;
      break;
    case EventKind::GcEnd: {
      auto gc = as<record::GcEnd>(ev);
      s.heap.collecting = false;
      s.heap.lastGcType = gc.typeBits;
      s.heap.lastGcNs = ev.ts;
      s.heap.newSpace = gc.newSpace;
      s.heap.oldSpace = gc.oldSpace;
      s.heap.codeSpace = gc.codeSpace;
      s.heap.mapSpace = gc.mapSpace;
      s.heap.largeObjectSpace = gc.largeObjectSpace;
      if (gc.typeBits & (GcScavenge | GcMinorMarkCompact)) ++s.heap.scavenges;
      if (gc.typeBits & GcMarkSweepCompact) ++s.heap.markSweeps;
      break;
    }
    case EventKind::HeapUsage: {
      // What V8 holds before the program's first GC: the heap view is not empty until then.
      auto usage = as<record::HeapUsage>(ev);
      s.heap.newSpace = usage.newSpace;
      s.heap.oldSpace = usage.oldSpace;
      s.heap.codeSpace = usage.codeSpace;
      s.heap.mapSpace = usage.mapSpace;
      s.heap.largeObjectSpace = usage.largeObjectSpace;
      break;
    }
    case EventKind::StreamCreated: {
      auto created = as<record::StreamCreated>(ev);
      StreamState st;
      st.id = created.streamId;
      st.name = std::string(m_trace.str(created.constructorString));
      s.streams.push_back(std::move(st));
      break;
    }
    case EventKind::StreamState: {
      auto change = as<record::StreamState>(ev);
      auto it = std::find_if(s.streams.begin(), s.streams.end(),
                             [&](const StreamState& st) { return st.id == change.streamId; });
      if (it == s.streams.end()) {
        s.streams.push_back(StreamState{});
        it = std::prev(s.streams.end());
        it->id = change.streamId;
        it->name = "Stream";
      }
      if (change.side == StreamSide::Writable) {
        it->writableBuffered = change.buffered;
        it->writableHighWaterMark = change.highWaterMark;
      } else {
        it->readableBuffered = change.buffered;
        it->readableHighWaterMark = change.highWaterMark;
      }
      StreamEvent what = change.what;
      if (what == StreamEvent::WriteFalse) it->writeReturnedFalse = true;
      if (what == StreamEvent::Drain) it->writeReturnedFalse = false;
      if (what == StreamEvent::Pause) it->paused = true;
      if (what == StreamEvent::Resume) it->paused = false;
      if (what == StreamEvent::End || what == StreamEvent::Finish) it->ended = true;
      it->lastEvent = what;
      break;
    }
    case EventKind::Console: ++s.consoleLines; break;
    case EventKind::AtomicsWaitStart:
      if (onMainThread) s.atomicsWaiting = true;
      break;
    case EventKind::AtomicsWaitEnd:
      if (onMainThread) s.atomicsWaiting = false;
      break;
    case EventKind::Paused: s.paused = true; break;
    case EventKind::Resumed: s.paused = false; break;
    default: break;  // the other kinds do not change what the dashboard shows
  }
}

size_t LoopState::queuedEntries() const {
  return timers.size() + immediates.size() + nextTicks.size() + microtasks.size() + callbackStack.size() +
         pool.backlog.size() + pool.completed.size() + streams.size();
}

LoopTimeline::LoopTimeline(const Trace& trace, size_t checkpointEvery)
    : m_trace(trace), m_builder(trace), m_every(std::max<size_t>(1, checkpointEvery)) {
  m_checkpoints.push_back(m_tail);
  extend();
}

void LoopTimeline::extend() {
  const auto& events = m_trace.events();
  for (size_t i = m_tail.position; i < events.size(); ++i) {
    m_builder.index(i);
    m_builder.apply(m_tail, i);
    // Stepping visits the boundaries of the loop the dashboard shows: the main thread's. (A
    // Worker's phase or iteration would land on a position labelled with the main loop's phase.)
    const bool main = events[i].thread == kMainThread;
    switch (events[i].kind) {
      case EventKind::CallbackEnter:
        if (!main) break;
        m_callbackPositions.push_back(i + 1);
        if (!isInternalCallback(m_trace, events[i].a())) m_userCallbackPositions.push_back(i + 1);
        // The main script has no PhaseEnter of its own: its start is the first phase boundary,
        // so stepping back by phase reaches it.
        if (events[i].a() == 1) m_phasePositions.push_back(i + 1);
        break;
      case EventKind::LoopEnd:
        if (main) m_phasePositions.push_back(i + 1);  // back in "main" after uv_run returns
        break;
      case EventKind::PhaseEnter:
        if (!main) break;
        m_phasePositions.push_back(i + 1);
        // An iteration's boundary is its first phase: right after the Iteration record the
        // state still shows the previous iteration's last phase.
        if (m_iterationAwaitingPhase) m_iterationPositions.push_back(i + 1);
        m_iterationAwaitingPhase = false;
        break;
      case EventKind::Iteration:
        if (main) m_iterationAwaitingPhase = true;
        break;
      case EventKind::Console:
        m_console.push_back(ConsoleLine{int(events[i].a()), std::string(m_trace.str(events[i].b())),
                                        m_tail.current ? m_tail.current->asyncId : 0, i});
        break;
      default: break;
    }
    // A checkpoint costs memory in proportion to what is queued (100,000 pending timers make
    // each one big), so they are spaced at least that many events apart: all checkpoints
    // together stay proportional to the trace, and a seek replays at most that many events.
    size_t since = m_tail.position - m_checkpoints.back().position;
    if (since >= m_every && since >= m_tail.queuedEntries()) m_checkpoints.push_back(m_tail);
  }
}

LoopState LoopTimeline::stateAt(size_t position) const {
  position = std::min(position, m_tail.position);
  if (position == m_tail.position) return m_tail;
  auto after = std::upper_bound(m_checkpoints.begin(), m_checkpoints.end(), position,
                                [](size_t p, const LoopState& c) { return p < c.position; });
  LoopState state = *std::prev(after);  // m_checkpoints[0] is the empty state at position 0
  for (size_t i = state.position; i < position; ++i) m_builder.apply(state, i);
  return state;
}

size_t LoopTimeline::checkpointEntries() const {
  size_t total = 0;
  for (const LoopState& c : m_checkpoints) total += c.queuedEntries();
  return total;
}

const std::vector<size_t>& LoopTimeline::positionsFor(Step step) const {
  switch (step) {
    case Step::Callback: return m_callbackPositions;
    case Step::UserCallback: return m_userCallbackPositions;
    case Step::Phase: return m_phasePositions;
    default: return m_iterationPositions;
  }
}

size_t LoopTimeline::next(size_t from, Step step) const {
  if (step == Step::Event) return std::min(from + 1, m_tail.position);
  const auto& positions = positionsFor(step);
  auto it = std::upper_bound(positions.begin(), positions.end(), from);
  return it == positions.end() ? from : *it;
}

size_t LoopTimeline::previous(size_t from, Step step) const {
  if (step == Step::Event) return from > 0 ? from - 1 : 0;
  const auto& positions = positionsFor(step);
  auto it = std::lower_bound(positions.begin(), positions.end(), from);
  return it == positions.begin() ? from : *std::prev(it);
}

std::optional<size_t> LoopTimeline::beforeFirstCallbackOnLine(int line) const {
  for (size_t position : m_callbackPositions) {
    const Event& ev = m_trace.events()[position - 1];
    const AsyncInfo* info = m_trace.async(ev.a());
    const FunctionSiteInfo* site = info ? m_trace.site(info->site) : nullptr;
    if (site && site->line == line) return position - 1;
  }
  return std::nullopt;
}

size_t LoopTimeline::positionAtTime(uint64_t ns) const {
  const auto& events = m_trace.events();
  auto end = events.begin() + long(m_tail.position);
  auto it = std::lower_bound(events.begin(), end, ns, [](const Event& ev, uint64_t t) { return ev.ts < t; });
  return size_t(it - events.begin());
}

std::vector<ConsoleLine> LoopTimeline::consoleUpTo(size_t position) const {
  auto end = std::lower_bound(m_console.begin(), m_console.end(), position,
                              [](const ConsoleLine& line, size_t p) { return line.eventIndex < p; });
  return std::vector<ConsoleLine>(m_console.begin(), end);
}

// --- JSON ---------------------------------------------------------------------------------------

namespace {

// Labels and file names come from the program: escaped, and made valid UTF-8.
void jsonString(std::string& out, std::string_view text) { appendJsonString(out, text); }

void jsonEntry(std::string& out, const QueueEntry& e) {
  out += "{\"label\":";
  jsonString(out, e.label.empty() ? e.type : e.label);
  out += ",\"type\":";
  jsonString(out, e.type);
  out += ",\"asyncId\":" + std::to_string(e.asyncId);
  out += ",\"file\":";
  jsonString(out, e.file);
  out += ",\"line\":" + std::to_string(e.line) + ",\"column\":" + std::to_string(e.column);
  out += std::string(",\"internal\":") + (e.internal ? "true" : "false");
  if (e.type == "Timeout")
    out += ",\"delay_ms\":" + std::to_string(e.delayMs) + ",\"due_ms\":" + std::to_string(double(e.dueNs) / 1e6) +
           ",\"repeat\":" + (e.repeat ? "true" : "false");
  out += "}";
}

void jsonQueue(std::string& out, const char* name, const CallbackQueue& queue) {
  out += "\"";
  out += name;
  out += "\":[";
  for (size_t i = 0; i < queue.size(); ++i) {
    if (i) out += ",";
    jsonEntry(out, queue[i]);
  }
  out += "]";
}

void jsonJob(std::string& out, const PoolJob& job) {
  out += "{\"kind\":";
  jsonString(out, job.kind);
  out += ",\"asyncId\":" + std::to_string(job.asyncId) +
         ",\"submitted_ms\":" + std::to_string(double(job.submittedNs) / 1e6) +
         ",\"started_ms\":" + std::to_string(double(job.startedNs) / 1e6) + "}";
}

}  // namespace

std::string loopStateJson(const LoopState& s) {
  std::string out = "{";
  out += "\"position\":" + std::to_string(s.position);
  out += ",\"time_ms\":" + std::to_string(double(s.timeNs) / 1e6);
  out += ",\"phase\":";
  jsonString(out, s.finished ? "finished" : phaseName(s.phase));
  out += ",\"iteration\":" + std::to_string(s.iteration);
  out += std::string(",\"in_loop\":") + (s.inLoop ? "true" : "false");
  out += std::string(",\"poll_waiting\":") + (s.pollWaiting ? "true" : "false");
  out += std::string(",\"atomics_waiting\":") + (s.atomicsWaiting ? "true" : "false");
  out += ",\"poll_timeout_ms\":" + std::to_string(s.pollTimeoutMs);
  out += ",\"current\":";
  if (s.current)
    jsonEntry(out, *s.current);
  else
    out += "null";
  out += ",\"queues\":{";
  const std::pair<const char*, const CallbackQueue*> queues[] = {
      {"timers", &s.timers}, {"immediates", &s.immediates}, {"nextTick", &s.nextTicks}, {"microtasks", &s.microtasks}};
  for (const auto& [name, queue] : queues) {
    if (queue != &s.timers) out += ",";
    jsonQueue(out, name, *queue);
  }
  out += "},\"pool\":{\"size\":" + std::to_string(s.pool.size) + ",\"slots\":[";
  for (int i = 0; i < s.pool.size; ++i) {
    if (i) out += ",";
    if (size_t(i) < s.pool.slots.size() && s.pool.slots[size_t(i)])
      jsonJob(out, *s.pool.slots[size_t(i)]);
    else
      out += "null";
  }
  out += "],\"backlog\":[";
  for (size_t i = 0; i < s.pool.backlog.size(); ++i) {
    if (i) out += ",";
    jsonJob(out, s.pool.backlog[i]);
  }
  out += "]},\"heap\":{";
  out += "\"new_space\":" + std::to_string(s.heap.newSpace);
  out += ",\"old_space\":" + std::to_string(s.heap.oldSpace);
  out += ",\"code_space\":" + std::to_string(s.heap.codeSpace);
  out += ",\"map_space\":" + std::to_string(s.heap.mapSpace);
  out += ",\"large_object_space\":" + std::to_string(s.heap.largeObjectSpace);
  out += ",\"scavenges\":" + std::to_string(s.heap.scavenges);
  out += ",\"mark_sweeps\":" + std::to_string(s.heap.markSweeps);
  out += "},\"streams\":[";
  for (size_t i = 0; i < s.streams.size(); ++i) {
    const StreamState& st = s.streams[i];
    if (i) out += ",";
    out += "{\"id\":" + std::to_string(st.id) + ",\"name\":";
    jsonString(out, st.name);
    out += ",\"writable_buffered\":" + std::to_string(st.writableBuffered) +
           ",\"writable_high_water_mark\":" + std::to_string(st.writableHighWaterMark) +
           ",\"readable_buffered\":" + std::to_string(st.readableBuffered) +
           ",\"readable_high_water_mark\":" + std::to_string(st.readableHighWaterMark) +
           ",\"write_returned_false\":" + (st.writeReturnedFalse ? "true" : "false") +
           ",\"paused\":" + (st.paused ? "true" : "false") + ",\"ended\":" + (st.ended ? "true" : "false") + "}";
  }
  out += "],\"finished\":";
  out += s.finished ? "true" : "false";
  out += ",\"exit_code\":" + std::to_string(s.exitCode);
  out += "}";
  return out;
}

}  // namespace loopscope
