// A recorded run held in memory: the events in time order plus the tables the records build up
// (strings, function sites, async resources). Filled by appending decoded records, so a file read
// whole and a stream read live end up the same.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events.h"

namespace loopscope {

struct FunctionSiteInfo {
  std::string name;    // "(anonymous)" when the function has none
  std::string script;  // file name or URL of the script that defines it
  int line = 0;        // 1-based; 0 = unknown
  int column = 0;      // 1-based; 0 = unknown
};

// What is known of an async resource from the record that created it.
struct AsyncInfo {
  EventKind createdBy = EventKind::AsyncInit;  // AsyncInit, TimerScheduled, TickScheduled, ...
  int64_t trigger = 0;
  int64_t typeString = -1;  // for AsyncInit; the other kinds imply their type
  int64_t site = 0;
  int64_t delayMs = 0;  // timers
  bool repeat = false;  // setInterval
};

enum class ReadStatus { Ok, Truncated, Corrupt, NotATrace, Unreadable };

// Any one thread may fill or read a Trace at a time (the app hands a finished batch over to the
// GUI thread; nothing here locks).
class Trace {
 public:
  // Adds one decoded record. String, FunctionSite and creation records also fill the tables.
  // Records normally come from TraceDecoder, which has rejected implausible ones; append() still
  // stays safe on any values (a string id that is negative or far beyond the others is kept
  // aside, never used to size a table), because tests and tools append records directly.
  void append(const Event& ev, std::string_view text = {});
  // Puts events in time order if records from different threads arrived out of order.
  void sortByTime();

  const std::vector<Event>& events() const { return m_events; }
  size_t size() const { return m_events.size(); }

  std::string_view str(int64_t id) const;
  const FunctionSiteInfo* site(int64_t id) const;
  const AsyncInfo* async(int64_t asyncId) const;
  // "Timeout", "Immediate", "TickObject", "Microtask", "PROMISE", "FSREQCALLBACK", ...
  std::string_view asyncType(int64_t asyncId) const;
  // "name file:line:col" style label of the function behind an async resource ("" if unknown).
  std::string callbackLabel(int64_t asyncId) const;
  std::string meta(std::string_view key) const;
  // An asyncId as people read it: "12" on the main thread, "w1:12" for worker #1's id 12
  // (a Worker's ids carry its thread number above bit 40).
  static std::string asyncIdText(int64_t asyncId);

  const Event* runStart() const { return m_runStartIndex < 0 ? nullptr : &m_events[m_runStartIndex]; }
  const Event* runEnd() const { return m_runEndIndex < 0 ? nullptr : &m_events[m_runEndIndex]; }

 private:
  std::vector<Event> m_events;
  std::vector<std::string> m_strings;                        // by id, for the dense ids the recorder hands out
  std::unordered_map<int64_t, std::string> m_sparseStrings;  // ids that would bloat m_strings
  std::unordered_map<int64_t, FunctionSiteInfo> m_sites;
  std::unordered_map<int64_t, AsyncInfo> m_asyncs;
  std::vector<std::pair<std::string, std::string>> m_meta;
  long m_runStartIndex = -1;
  long m_runEndIndex = -1;
  bool m_outOfOrder = false;
};

struct TraceFile {
  Trace trace;
  ReadStatus status = ReadStatus::Ok;
  std::string problem;  // one sentence when status is not Ok
  uint64_t bytes = 0;
};

// Reads a whole trace file. A file cut mid-record reads up to its last whole record (Truncated);
// a file with garbage, a damaged block (checksum) or an implausible record reads up to the
// damage (Corrupt), and `problem` names its byte offset. Never throws; memory stays proportional
// to the file (a file larger than kMaxTraceFileBytes, about 160 million events and some 10 GB
// in memory, is refused). Any thread.
constexpr uint64_t kMaxTraceFileBytes = uint64_t(1) << 30;
TraceFile readTraceFile(const std::string& path);

}  // namespace loopscope
