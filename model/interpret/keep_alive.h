// "Why doesn't my program exit?": what keeps the main event loop alive at any moment of a
// recording — the pending timers (a setTimeout until it fires or is cleared, a setInterval until
// it is cleared), pending immediates, requests in flight (fs, dns, connect, write, crypto: created,
// their callback not yet run), thread-pool work, the handles that are active and referenced
// (listening servers, sockets that read, pipes, UDP sockets, file watchers), child processes
// and worker threads still running — each with the record and the line that created it.
//
// libuv's own rule (uv_run returns when no handle is active and referenced, no request is in
// flight and nothing is closing) decides from the same facts; the handles' part is recorded by the
// engine (HandleActive, HandleClosed). What the recording cannot see: a Timeout, a child process
// or a Worker that was unref()'d still shows here until it ends.
//
// Built incrementally (add() each event once, in order); at() answers for any position from
// checkpoints, so its cost does not grow with the length of the recording. Only the main thread's
// loop is described (a Worker's handles keep its own loop alive, not the main one). Links neither
// Qt nor libnode; one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "trace/trace.h"

namespace loopscope {

enum class KeepAliveKind : uint8_t {
  Server,        // TCPSERVERWRAP, PIPESERVERWRAP: listening
  Socket,        // TCPWRAP: reading
  Pipe,          // PIPEWRAP: reading (a child's output, stdin on a pipe, IPC)
  Terminal,      // TTYWRAP: reading (stdin on a terminal)
  UdpSocket,     // UDPWRAP: receiving
  FileWatcher,   // FSEVENTWRAP (fs.watch), STATWATCHER (fs.watchFile)
  ChildProcess,  // from its spawn until it exits
  Worker,        // a worker_threads Worker, until its 'exit'
  Interval,      // setInterval, until cleared
  Timer,         // setTimeout, until it fires or is cleared
  Immediate,     // setImmediate, until it runs or is cleared
  Request,       // fs, dns, connect, write, crypto...: until its callback runs
  PoolWork,      // thread-pool work whose request is not known (zlib, ...): until it completes
};

// "server", "timer", "request", ...
std::string_view keepAliveKindName(KeepAliveKind kind);

struct KeepAliveEntry {
  KeepAliveKind kind = KeepAliveKind::Timer;
  int64_t asyncId = 0;  // its async resource; 0 when none is known (pool work, a child process)
  std::string type;     // "TCPSERVERWRAP", "Timeout", "FSREQCALLBACK", ...; a child's "PROCESSWRAP"
  std::string detail;   // "setTimeout 1000 ms", "fs.open on the thread pool", "pid 4242: ls -l"
  // Where it was created: the line that asked for it (requests, handles, child processes) or the
  // function it will call (timers, immediates: the function's own line). Empty/0 when not known.
  std::string function, file;
  int line = 0, column = 0;
  // The line is not its own but that of the nearest callback in its origin chain that is the
  // program's: Node's code made it (a server listening on a host is made in a nextTick of
  // net's own) while that callback ran. `function` then names that callback, or "main script".
  bool siteInherited = false;
  size_t createdAt = 0;     // index of the record that created it (where to put the play head)
  size_t keepingSince = 0;  // index of the record from which it keeps the loop alive
};

class KeepAliveIndex {
 public:
  // Reads one event of the trace; events must come in order, each once.
  void add(const Trace& trace, size_t eventIndex);
  // Events read so far.
  size_t indexed() const { return m_indexed; }

  // What keeps the main loop alive in the state after the first `position` events (clamped to
  // what was read), in display order: handles, child processes and workers, then timers,
  // immediates, requests and pool work; within a kind, oldest first.
  std::vector<KeepAliveEntry> at(const Trace& trace, size_t position) const;
  // Whether, after the first `position` events, the main loop's uv_run has returned finding
  // nothing alive (and was not entered again): the program is on its way out.
  bool loopExitedAt(size_t position) const;

 private:
  struct Item {
    KeepAliveKind kind = KeepAliveKind::Timer;
    int64_t asyncId = 0;
    int64_t detailString = -1;  // work kind (pool), command (child process)
    int64_t siteId = 0;
    int64_t number = 0;  // delay in ms (timers), pid (child processes)
    size_t createdAt = 0;
    int32_t openSpan = -1;  // its span that has not ended yet, if any
    uint32_t openSlot = 0;  // ... and where m_openSpans holds it
  };
  // A stretch of positions [from, to) during which an item keeps the loop alive.
  struct Span {
    size_t from = 0;
    size_t to = kOpen;
    uint32_t item = 0;
  };
  static constexpr size_t kOpen = size_t(-1);
  // The spans open at `position` (every span opened before it is among the first `spans`).
  struct Checkpoint {
    size_t position = 0;
    size_t spans = 0;
    std::vector<uint32_t> open;
  };

  uint32_t newItem(const Item& item);
  void openSpan(uint32_t item, size_t position);
  void closeSpan(uint32_t item, size_t position);
  // Ends what keeps an async resource alive and forgets its id (a handle closed, a timer fired).
  void finish(int64_t asyncId, size_t position);
  void checkpointIfDue();
  KeepAliveEntry entryOf(const Trace& trace, const Item& item, size_t since) const;

  size_t m_indexed = 0;
  std::vector<Item> m_items;
  std::vector<Span> m_spans;          // in order of `from`
  std::vector<uint32_t> m_openSpans;  // spans not yet ended (unordered)
  std::vector<Checkpoint> m_checkpoints;
  std::unordered_map<int64_t, uint32_t> m_itemOfAsync;  // live resources: timers, requests, handles
  std::unordered_map<int64_t, uint32_t> m_itemOfJob;    // pool jobs between submit and completion
  std::unordered_map<int64_t, uint32_t> m_itemOfChild;  // child processes by pid, until they exit
  // Positions at which the main loop's uv_run returned with nothing alive (true) or was entered
  // (false), in order.
  std::vector<std::pair<size_t, bool>> m_loopExits;
};

}  // namespace loopscope
