// A trace built by hand for the readers' tests: each test knows exactly what happened.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "trace/trace.h"
#include "trace/trace_format.h"

namespace loopscope::test {

class TraceBuilder {
 public:
  // Moves the clock to `us` microseconds since the run started.
  TraceBuilder& at(uint64_t us) {
    m_now = us * 1000;
    return *this;
  }
  int64_t text(std::string_view s) {
    auto it = m_ids.find(std::string(s));
    if (it != m_ids.end()) return it->second;
    int64_t id = int64_t(m_ids.size()) + 1;
    m_ids.emplace(std::string(s), id);
    push(EventKind::String, {id}, kMainThread, s);
    return id;
  }
  int64_t site(std::string_view name, std::string_view script, int line, int column) {
    int64_t id = ++m_sites;
    int64_t nameId = text(name), scriptId = text(script);
    push(EventKind::FunctionSite, {id, nameId, scriptId, line, column});
    return id;
  }
  TraceBuilder& add(EventKind kind, std::initializer_list<int64_t> fields = {}, uint8_t thread = kMainThread) {
    push(kind, fields, thread, {});
    return *this;
  }

  size_t size() const { return m_records.size(); }
  Trace trace(size_t count = size_t(-1)) const {
    Trace t;
    for (size_t i = 0; i < m_records.size() && i < count; ++i) t.append(m_records[i].event, m_records[i].text);
    return t;
  }
  // The whole file; `recordStarts` receives the byte offset at which each record begins.
  std::string file(std::vector<size_t>* recordStarts = nullptr) const {
    std::string bytes = TraceEncoder::header();
    TraceEncoder encoder;
    for (const Record& r : m_records) {
      if (recordStarts) recordStarts->push_back(bytes.size());
      encoder.encode(r.event, r.text, bytes);
    }
    return bytes;
  }

 private:
  struct Record {
    Event event;
    std::string text;
  };
  void push(EventKind kind, std::initializer_list<int64_t> fields, uint8_t thread = kMainThread,
            std::string_view text = {}) {
    Record r;
    r.event.ts = m_now;
    r.event.kind = kind;
    r.event.thread = thread;
    size_t k = 0;
    for (int64_t f : fields) r.event.f[k++] = f;
    r.text = std::string(text);
    m_records.push_back(r);
  }

  uint64_t m_now = 0;
  int64_t m_sites = 0;
  std::map<std::string, int64_t> m_ids;
  std::vector<Record> m_records;
};

constexpr int64_t kReadJob = 0x7f00deadbe00;  // job ids are request addresses
constexpr int64_t kTimerId = 5, kTickId = 6, kReadId = 7;

inline void addPhase(TraceBuilder& b, uint64_t us, Phase phase, int64_t extra = 0) {
  b.at(us).add(EventKind::PhaseEnter, {int64_t(phase), extra});
  b.at(us + 2).add(EventKind::PhaseExit, {int64_t(phase), extra});
}

// A run of this script, with the times (in us) a real run could have:
//   console.log('hello "world"');
//   setTimeout(function onTimer() { /* allocates: a scavenge */ }, 10);
//   process.nextTick(function later() {});
//   fs.read(fd, buf, 0, 10, 0, function onRead() { console.log('read done'); });
// Iteration 1 polls until the read completes; iteration 2 blocks 9 ms in poll waiting for the
// timer; iteration 3 runs the timer, which triggers a scavenge.
inline TraceBuilder demoRun(bool withEnd = true) {
  TraceBuilder b;
  b.add(EventKind::Meta, {b.text("node.version"), b.text("18.20.4")});
  b.add(EventKind::Meta, {b.text("file"), b.text("/tmp/demo.js")});
  b.add(EventKind::RunStart, {4, 4242, b.text("/tmp/demo.js"), 1700000000123});
  int64_t timerSite = b.site("onTimer", "/tmp/demo.js", 2, 12);
  int64_t tickSite = b.site("later", "/tmp/demo.js", 3, 18);
  int64_t readSite = b.site("onRead", "/tmp/demo.js", 4, 30);

  b.at(100).add(EventKind::CallbackEnter, {1});
  b.at(150).add(EventKind::Console, {1, b.text("hello \"world\"\n")});
  b.at(200).add(EventKind::TimerScheduled, {kTimerId, 1, timerSite, 10, 0});
  b.at(250).add(EventKind::TickScheduled, {kTickId, 1, tickSite});
  b.at(300).add(EventKind::AsyncInit, {kReadId, 1, b.text("FSREQCALLBACK"), readSite});
  b.at(300).add(EventKind::PoolSubmit, {kReadJob, b.text("fs.read"), kReadId});
  b.at(400).add(EventKind::CallbackExit, {1});
  b.at(410).add(EventKind::CallbackEnter, {kTickId});
  b.at(420).add(EventKind::CallbackExit, {kTickId});
  b.at(450).add(EventKind::PoolStart, {kReadJob}, 1);
  b.at(500).add(EventKind::LoopStart, {0});

  b.at(510).add(EventKind::Iteration, {1});
  addPhase(b, 520, Phase::Timers);
  addPhase(b, 540, Phase::Pending);
  addPhase(b, 550, Phase::Idle);
  addPhase(b, 560, Phase::Prepare);
  b.at(570).add(EventKind::PhaseEnter, {int64_t(Phase::Poll), 10});
  b.at(900).add(EventKind::PoolEnd, {kReadJob}, 1);
  b.at(1000).add(EventKind::PoolDone, {kReadJob});
  b.at(1010).add(EventKind::CallbackEnter, {kReadId});
  b.at(1020).add(EventKind::Console, {1, b.text("read done\n")});
  b.at(1100).add(EventKind::CallbackExit, {kReadId});
  b.at(1110).add(EventKind::PoolDoneEnd, {kReadJob});
  b.at(1200).add(EventKind::PhaseExit, {int64_t(Phase::Poll), 420'000});
  addPhase(b, 1210, Phase::Pending, 1);
  addPhase(b, 1220, Phase::Check);
  addPhase(b, 1230, Phase::Close);

  b.at(1250).add(EventKind::Iteration, {2});
  addPhase(b, 1260, Phase::Timers);
  addPhase(b, 1270, Phase::Pending);
  addPhase(b, 1280, Phase::Idle);
  addPhase(b, 1290, Phase::Prepare);
  b.at(1300).add(EventKind::PhaseEnter, {int64_t(Phase::Poll), 9});
  b.at(10300).add(EventKind::PhaseExit, {int64_t(Phase::Poll), 9'000'000});
  addPhase(b, 10310, Phase::Pending, 1);
  addPhase(b, 10320, Phase::Check);
  addPhase(b, 10330, Phase::Close);

  b.at(10400).add(EventKind::Iteration, {3});
  b.at(10410).add(EventKind::PhaseEnter, {int64_t(Phase::Timers), 0});
  b.at(10420).add(EventKind::CallbackEnter, {kTimerId});
  b.at(10430).add(EventKind::GcBegin, {GcScavenge});
  b.at(10500).add(EventKind::GcEnd, {GcScavenge, 1 << 20, 4 << 20, 256 << 10, 128 << 10, 0});
  b.at(10600).add(EventKind::CallbackExit, {kTimerId});
  b.at(10610).add(EventKind::PhaseExit, {int64_t(Phase::Timers), 0});
  addPhase(b, 10620, Phase::Pending);
  addPhase(b, 10630, Phase::Idle);
  addPhase(b, 10640, Phase::Prepare);
  b.at(10650).add(EventKind::PhaseEnter, {int64_t(Phase::Poll), 0});
  b.at(10660).add(EventKind::PhaseExit, {int64_t(Phase::Poll), 0});
  addPhase(b, 10670, Phase::Pending, 1);
  addPhase(b, 10680, Phase::Check);
  addPhase(b, 10690, Phase::Close);
  b.at(10900).add(EventKind::LoopEnd, {0});
  if (withEnd) b.at(11000).add(EventKind::RunEnd, {0, int64_t(EndReason::Finished), 0});
  return b;
}

}  // namespace loopscope::test
