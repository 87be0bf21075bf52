// The readers of a trace: the Chrome Trace Event export, the CSV export, `info` and `timeline`,
// and the file round trip they all start from (encoder -> decoder, readTraceFile on whole, cut,
// garbage and foreign files). Traces are built by hand, so each test knows exactly what happened.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "trace/chrome_export.h"
#include "trace/csv_export.h"
#include "trace/report.h"
#include "trace/trace.h"
#include "trace/trace_format.h"
#include "../common/json_reader.h"

using namespace loopscope;
using loopscope::test::JsonReader;
using loopscope::test::JsonValue;

namespace {

TEST(JsonReaderSelfCheck, RejectsWhatViewersReject) {
  for (std::string_view bad : {"{\"a\":1,}", "[1 2]", "\"raw\nnewline\"", "\"\\x\"", "\"\xff\"",
                               "\"\\ud800\"", "01", "{\"a\" 1}", "[1]x"}) {
    JsonValue v;
    EXPECT_FALSE(JsonReader(bad).read(v)) << bad;
  }
  JsonValue v;
  ASSERT_TRUE(JsonReader("{\"a\":[1,-2.5e3,true,null,\"\\u00e9\\ud83d\\ude00\"]}").read(v));
  EXPECT_EQ(v["a"].items[1].number, -2500);
  EXPECT_EQ(v["a"].items[4].text, "\xC3\xA9\xF0\x9F\x98\x80");
}

// ---------------------------------------------------------------------------------------------
// Building traces by hand.

class TraceBuilder {
 public:
  // Moves the clock to `us` microseconds since the run started.
  TraceBuilder& at(uint64_t us) {
    now_ = us * 1000;
    return *this;
  }
  int64_t text(std::string_view s) {
    auto it = ids_.find(std::string(s));
    if (it != ids_.end()) return it->second;
    int64_t id = int64_t(ids_.size()) + 1;
    ids_.emplace(std::string(s), id);
    push(EventKind::String, {id}, kMainThread, s);
    return id;
  }
  int64_t site(std::string_view name, std::string_view script, int line, int column) {
    int64_t id = ++sites_;
    int64_t nameId = text(name), scriptId = text(script);
    push(EventKind::FunctionSite, {id, nameId, scriptId, line, column});
    return id;
  }
  TraceBuilder& add(EventKind kind, std::initializer_list<int64_t> fields = {},
                    uint8_t thread = kMainThread) {
    push(kind, fields, thread, {});
    return *this;
  }

  size_t size() const { return records_.size(); }
  Trace trace(size_t count = size_t(-1)) const {
    Trace t;
    for (size_t i = 0; i < records_.size() && i < count; ++i)
      t.append(records_[i].event, records_[i].text);
    return t;
  }
  // The whole file; `recordStarts` receives the byte offset at which each record begins.
  std::string file(std::vector<size_t>* recordStarts = nullptr) const {
    std::string bytes = TraceEncoder::header();
    TraceEncoder encoder;
    for (const Record& r : records_) {
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
    r.event.ts = now_;
    r.event.kind = kind;
    r.event.thread = thread;
    size_t k = 0;
    for (int64_t f : fields) r.event.f[k++] = f;
    r.text = std::string(text);
    records_.push_back(r);
  }

  uint64_t now_ = 0;
  int64_t sites_ = 0;
  std::map<std::string, int64_t> ids_;
  std::vector<Record> records_;
};

constexpr int64_t kReadJob = 0x7f00deadbe00;  // job ids are request addresses
constexpr int64_t kTimerId = 5, kTickId = 6, kReadId = 7;

void addPhase(TraceBuilder& b, uint64_t us, Phase phase, int64_t extra = 0) {
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
TraceBuilder demoRun(bool withEnd = true) {
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

// ---------------------------------------------------------------------------------------------
// Chrome Trace Event export.

JsonValue chromeJson(const Trace& trace) {
  std::ostringstream out;
  exportChrome(trace, out);
  std::string text = out.str();  // the reader keeps a view of it
  JsonValue doc;
  JsonReader reader(text);
  EXPECT_TRUE(reader.read(doc)) << reader.error() << "\n" << text;
  return doc;
}

std::vector<const JsonValue*> chromeEvents(const JsonValue& doc, std::string_view ph,
                                           std::string_view cat = {}) {
  std::vector<const JsonValue*> found;
  for (const JsonValue& ev : doc["traceEvents"].items)
    if (ev["ph"].text == ph && (cat.empty() || ev["cat"].text == cat)) found.push_back(&ev);
  return found;
}

const JsonValue* chromeEvent(const JsonValue& doc, std::string_view ph, std::string_view cat,
                             std::string_view name) {
  for (const JsonValue* ev : chromeEvents(doc, ph, cat))
    if ((*ev)["name"].text == name) return ev;
  return nullptr;
}

std::string threadNameOf(const JsonValue& doc, double tid) {
  for (const JsonValue* ev : chromeEvents(doc, "M"))
    if ((*ev)["name"].text == "thread_name" && (*ev)["tid"].number == tid)
      return (*ev)["args"]["name"].text;
  return "";
}

constexpr double kEpsilonUs = 1e-6;

bool within(const JsonValue& inner, const JsonValue& outer) {
  return inner["tid"].number == outer["tid"].number &&
         inner["ts"].number >= outer["ts"].number - kEpsilonUs &&
         inner["ts"].number + inner["dur"].number <=
             outer["ts"].number + outer["dur"].number + kEpsilonUs;
}

TEST(ChromeExport, IsOneJsonDocumentNamingTheProcessAfterTheFileAndTheLoopThread) {
  JsonValue doc = chromeJson(demoRun().trace());
  EXPECT_EQ(doc["displayTimeUnit"].text, "ms");
  ASSERT_EQ(doc["traceEvents"].type, JsonValue::Type::Array);
  const JsonValue* process = nullptr;
  for (const JsonValue* ev : chromeEvents(doc, "M"))
    if ((*ev)["name"].text == "process_name") process = ev;
  ASSERT_NE(process, nullptr);
  EXPECT_EQ((*process)["pid"].number, 1);
  EXPECT_NE((*process)["args"]["name"].text.find("/tmp/demo.js"), std::string::npos);
  EXPECT_EQ(threadNameOf(doc, 1), "main: event loop");
  for (const JsonValue& ev : doc["traceEvents"].items) EXPECT_EQ(ev["pid"].number, 1);
}

TEST(ChromeExport, TimestampsAreMicrosecondsKeepingEveryNanosecond) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {1, 1, 0, 0});
  b.at(0).add(EventKind::LoopStart, {0});
  Trace trace = b.trace();
  Event enter{};
  enter.ts = 1'234'567'891;  // 1234.567891 ms: a double in ms would keep it, check the digits
  enter.kind = EventKind::PhaseEnter;
  enter.f[0] = int64_t(Phase::Check);
  trace.append(enter);
  Event exit = enter;
  exit.ts += 1'001;
  exit.kind = EventKind::PhaseExit;
  trace.append(exit);
  std::ostringstream out;
  exportChrome(trace, out);
  EXPECT_NE(out.str().find("\"ts\":1234567.891"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("\"dur\":1.001"), std::string::npos) << out.str();
}

TEST(ChromeExport, PhasesAreCompleteSlicesOnTheLoopThreadNamedAfterTheLibuvPhase) {
  JsonValue doc = chromeJson(demoRun().trace());
  auto phases = chromeEvents(doc, "X", "phase");
  // 3 iterations x (timers, pending, idle, prepare, poll, pending again, check, close).
  ASSERT_EQ(phases.size(), 24u);
  static const std::vector<std::string> order = {"timers", "pending", "idle",  "prepare",
                                                 "poll",   "pending", "check", "close"};
  for (size_t k = 0; k < phases.size(); ++k) {
    EXPECT_EQ((*phases[k])["name"].text, order[k % order.size()]) << k;
    EXPECT_EQ((*phases[k])["tid"].number, 1);
  }
  const JsonValue& firstPoll = *phases[4];
  EXPECT_EQ(firstPoll["ts"].number, 570);
  EXPECT_EQ(firstPoll["dur"].number, 630);
  EXPECT_EQ(firstPoll["args"]["timeout_ms"].number, 10);
  EXPECT_NEAR(firstPoll["args"]["blocked_ms"].number, 0.42, 1e-9);
  EXPECT_NEAR((*phases[12])["args"]["blocked_ms"].number, 9.0, 1e-9);

  auto iterations = chromeEvents(doc, "X", "iteration");
  ASSERT_EQ(iterations.size(), 3u);
  EXPECT_EQ((*iterations[0])["name"].text, "iteration 1");
  EXPECT_EQ((*iterations[0])["ts"].number, 510);
  EXPECT_EQ((*iterations[0])["dur"].number, 1250 - 510) << "an iteration lasts until the next";
  EXPECT_EQ((*iterations[2])["ts"].number + (*iterations[2])["dur"].number, 10900)
      << "the last iteration lasts until uv_run returns";
  for (const JsonValue* phase : phases) {
    bool inside = false;
    for (const JsonValue* it : iterations) inside = inside || within(*phase, *it);
    EXPECT_TRUE(inside) << (*phase)["name"].text << " at " << (*phase)["ts"].number;
  }
}

TEST(ChromeExport, CallbacksNestInsideTheirPhaseSliceWithTypeIdsPhaseAndSource) {
  JsonValue doc = chromeJson(demoRun().trace());
  auto callbacks = chromeEvents(doc, "X", "callback");
  ASSERT_EQ(callbacks.size(), 4u);
  auto phases = chromeEvents(doc, "X", "phase");
  for (const JsonValue* cb : callbacks) {
    const JsonValue& args = (*cb)["args"];
    for (const char* key : {"type", "asyncId", "triggerAsyncId", "phase", "line", "column", "file"})
      EXPECT_TRUE(args.has(key)) << (*cb)["name"].text << " lacks " << key;
    EXPECT_EQ((*cb)["tid"].number, 1);
    if (args["phase"].text == "main") continue;
    bool nested = false;
    for (const JsonValue* phase : phases)
      nested = nested || ((*phase)["name"].text == args["phase"].text && within(*cb, *phase));
    EXPECT_TRUE(nested) << (*cb)["name"].text << " is not inside a " << args["phase"].text
                        << " slice";
  }

  const JsonValue* main = chromeEvent(doc, "X", "callback", "main");
  ASSERT_NE(main, nullptr) << "the main script is a callback named after its type";
  EXPECT_EQ((*main)["args"]["type"].text, "main");
  EXPECT_EQ((*main)["args"]["asyncId"].number, 1);
  EXPECT_EQ((*main)["args"]["triggerAsyncId"].number, 0);
  EXPECT_EQ((*main)["args"]["phase"].text, "main");
  EXPECT_EQ((*main)["args"]["file"].text, "/tmp/demo.js");
  EXPECT_EQ((*main)["ts"].number, 100);
  EXPECT_EQ((*main)["dur"].number, 300);

  const JsonValue* tick = chromeEvent(doc, "X", "callback", "later");
  ASSERT_NE(tick, nullptr);
  EXPECT_EQ((*tick)["args"]["type"].text, "TickObject");
  EXPECT_EQ((*tick)["args"]["phase"].text, "main") << "ticks after the main script run outside the loop";

  const JsonValue* timer = chromeEvent(doc, "X", "callback", "onTimer");
  ASSERT_NE(timer, nullptr);
  EXPECT_EQ((*timer)["args"]["type"].text, "Timeout");
  EXPECT_EQ((*timer)["args"]["asyncId"].number, kTimerId);
  EXPECT_EQ((*timer)["args"]["triggerAsyncId"].number, 1);
  EXPECT_EQ((*timer)["args"]["phase"].text, "timers");
  EXPECT_EQ((*timer)["args"]["line"].number, 2);
  EXPECT_EQ((*timer)["args"]["column"].number, 12);
  EXPECT_EQ((*timer)["args"]["file"].text, "/tmp/demo.js");

  const JsonValue* read = chromeEvent(doc, "X", "callback", "onRead");
  ASSERT_NE(read, nullptr);
  EXPECT_EQ((*read)["args"]["type"].text, "FSREQCALLBACK");
  EXPECT_EQ((*read)["args"]["phase"].text, "poll");
}

TEST(ChromeExport, CallbackWithoutAKnownFunctionIsNamedAfterItsAsyncType) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.at(10).add(EventKind::AsyncInit, {9, 1, b.text("TCPWRAP"), 0});
  b.at(20).add(EventKind::CallbackEnter, {9});
  b.at(30).add(EventKind::CallbackExit, {9});
  JsonValue doc = chromeJson(b.trace());
  const JsonValue* cb = chromeEvent(doc, "X", "callback", "TCPWRAP");
  ASSERT_NE(cb, nullptr);
  EXPECT_EQ((*cb)["args"]["line"].number, 0);
  EXPECT_EQ((*cb)["args"]["column"].number, 0);
}

TEST(ChromeExport, PoolJobRunsOnItsSlotTrackWithAFlowFromSubmitToCompletion) {
  JsonValue doc = chromeJson(demoRun().trace());
  auto jobs = chromeEvents(doc, "X", "threadpool");
  ASSERT_EQ(jobs.size(), 1u);
  const JsonValue& job = *jobs[0];
  EXPECT_EQ(job["name"].text, "fs.read");
  EXPECT_EQ(job["tid"].number, 2) << "pool slot 1 is tid 2";
  EXPECT_EQ(job["ts"].number, 450);
  EXPECT_EQ(job["dur"].number, 450);
  EXPECT_EQ(threadNameOf(doc, 2), "uv threadpool #1");

  auto starts = chromeEvents(doc, "s", "threadpool.flow");
  auto finishes = chromeEvents(doc, "f", "threadpool.flow");
  ASSERT_EQ(starts.size(), 1u);
  ASSERT_EQ(finishes.size(), 1u);
  EXPECT_EQ((*starts[0])["id"].number, (*finishes[0])["id"].number);
  EXPECT_EQ((*starts[0])["ts"].number, 300) << "the arrow leaves at the submit";
  EXPECT_EQ((*starts[0])["tid"].number, 1);
  EXPECT_EQ((*finishes[0])["ts"].number, 1000) << "and arrives at the completion";
  EXPECT_EQ((*finishes[0])["tid"].number, 1);
  EXPECT_EQ((*finishes[0])["bp"].text, "e");

  std::vector<double> backlog;
  for (const JsonValue* c : chromeEvents(doc, "C"))
    if ((*c)["name"].text == "threadpool backlog") backlog.push_back((*c)["args"]["waiting"].number);
  EXPECT_EQ(backlog, (std::vector<double>{1, 0}));
}

TEST(ChromeExport, ReusedJobAddressesGetTheirOwnFlowIds) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  int64_t kind = b.text("crypto.pbkdf2");
  for (uint64_t round = 0; round < 2; ++round) {
    uint64_t t = 100 + round * 1000;
    b.at(t).add(EventKind::PoolSubmit, {kReadJob, kind, 0});
    b.at(t + 10).add(EventKind::PoolStart, {kReadJob}, uint8_t(1 + round));
    b.at(t + 500).add(EventKind::PoolEnd, {kReadJob}, uint8_t(1 + round));
    b.at(t + 600).add(EventKind::PoolDone, {kReadJob});
    b.at(t + 700).add(EventKind::PoolDoneEnd, {kReadJob});
  }
  JsonValue doc = chromeJson(b.trace());
  auto starts = chromeEvents(doc, "s", "threadpool.flow");
  auto finishes = chromeEvents(doc, "f", "threadpool.flow");
  ASSERT_EQ(starts.size(), 2u);
  ASSERT_EQ(finishes.size(), 2u);
  EXPECT_NE((*starts[0])["id"].number, (*starts[1])["id"].number);
  EXPECT_EQ((*starts[0])["id"].number, (*finishes[0])["id"].number);
  EXPECT_EQ((*starts[1])["id"].number, (*finishes[1])["id"].number);
  auto jobs = chromeEvents(doc, "X", "threadpool");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ((*jobs[1])["tid"].number, 3);
  EXPECT_EQ(threadNameOf(doc, 3), "uv threadpool #2");
}

TEST(ChromeExport, GcIsASliceNamedByTypeFollowedByAHeapCounter) {
  JsonValue doc = chromeJson(demoRun().trace());
  auto gcs = chromeEvents(doc, "X", "gc");
  ASSERT_EQ(gcs.size(), 1u);
  EXPECT_EQ((*gcs[0])["name"].text, "scavenge");
  EXPECT_EQ((*gcs[0])["tid"].number, 1);
  EXPECT_EQ((*gcs[0])["dur"].number, 70);
  const JsonValue* timer = chromeEvent(doc, "X", "callback", "onTimer");
  ASSERT_NE(timer, nullptr);
  EXPECT_TRUE(within(*gcs[0], *timer));

  const JsonValue* heap = nullptr;
  for (const JsonValue* c : chromeEvents(doc, "C"))
    if ((*c)["name"].text == "heap") heap = c;
  ASSERT_NE(heap, nullptr);
  EXPECT_EQ((*heap)["ts"].number, 10500);
  EXPECT_EQ((*heap)["args"]["new_space"].number, 1 << 20);
  EXPECT_EQ((*heap)["args"]["old_space"].number, 4 << 20);
  EXPECT_EQ((*heap)["args"]["code_space"].number, 256 << 10);
  EXPECT_EQ((*heap)["args"]["map_space"].number, 128 << 10);
  EXPECT_EQ((*heap)["args"]["large_object_space"].number, 0);
}

TEST(ChromeExport, StreamStatesAreCountersAndBackPressureIsMarked) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.at(10).add(EventKind::StreamCreated, {3, b.text("WriteStream"), 0});
  b.at(20).add(EventKind::StreamState,
               {3, int64_t(StreamEvent::Write), 1024, 16384, int64_t(StreamSide::Writable)});
  b.at(30).add(EventKind::StreamState,
               {3, int64_t(StreamEvent::WriteFalse), 20000, 16384, int64_t(StreamSide::Writable)});
  b.at(40).add(EventKind::StreamState,
               {3, int64_t(StreamEvent::Drain), 0, 16384, int64_t(StreamSide::Writable)});
  JsonValue doc = chromeJson(b.trace());
  std::vector<const JsonValue*> counters;
  for (const JsonValue* c : chromeEvents(doc, "C", "stream")) counters.push_back(c);
  ASSERT_EQ(counters.size(), 3u);
  for (const JsonValue* c : counters) {
    EXPECT_EQ((*c)["name"].text.rfind("stream 3", 0), 0u) << (*c)["name"].text;
    EXPECT_NE((*c)["name"].text.find("WriteStream"), std::string::npos);
    EXPECT_EQ((*c)["args"]["highWaterMark"].number, 16384);
  }
  EXPECT_EQ((*counters[1])["args"]["buffered"].number, 20000);
  auto instants = chromeEvents(doc, "i", "stream");
  ASSERT_EQ(instants.size(), 2u) << "write() returning false and 'drain' are marked";
  for (const JsonValue* i : instants) EXPECT_EQ((*i)["s"].text, "t");
}

TEST(ChromeExport, QueueingConsoleAndErrorsAreThreadInstants) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.at(10).add(EventKind::CallbackEnter, {1});
  b.at(20).add(EventKind::TickScheduled, {8, 1, 0});
  b.at(30).add(EventKind::MicrotaskQueued, {9, 1, 0});
  b.at(40).add(EventKind::PromiseResolve, {10});
  b.at(50).add(EventKind::Console, {2, b.text("oops\n")});
  b.at(60).add(EventKind::UncaughtError,
               {b.text("boom"), b.text("/tmp/x.js"), 3, 7, b.text("TypeError")});
  b.at(70).add(EventKind::CallbackExit, {1});
  b.at(80).add(EventKind::MicrotaskDrainEnd);
  JsonValue doc = chromeJson(b.trace());
  EXPECT_EQ(chromeEvents(doc, "i", "queue").size(), 1u);
  EXPECT_EQ(chromeEvents(doc, "i", "microtask").size(), 3u);
  auto console = chromeEvents(doc, "i", "console");
  ASSERT_EQ(console.size(), 1u);
  EXPECT_EQ((*console[0])["args"]["text"].text, "oops\n");
  EXPECT_EQ((*console[0])["args"]["fd"].number, 2);
  auto errors = chromeEvents(doc, "i", "error");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ((*errors[0])["args"]["message"].text, "boom");
  EXPECT_EQ((*errors[0])["args"]["line"].number, 3);
  for (const JsonValue* i : chromeEvents(doc, "i")) EXPECT_EQ((*i)["s"].text, "t");
}

TEST(ChromeExport, ConsoleTextOfAnyBytesStaysValidJson) {
  std::string nasty = "quote \" backslash \\ tab \t bell \x07 nul";
  nasty += '\0';
  nasty += " invalid \xff\xc3 overlong \xc0\xaf surrogate \xed\xa0\x80 ok \xc3\xa9 end\n";
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.at(10).add(EventKind::Console, {1, b.text(nasty)});
  JsonValue doc = chromeJson(b.trace());
  auto console = chromeEvents(doc, "i", "console");
  ASSERT_EQ(console.size(), 1u);
  std::string replacement = "\xEF\xBF\xBD";
  std::string expected = "quote \" backslash \\ tab \t bell \x07 nul";
  expected += '\0';
  expected += " invalid " + replacement + replacement + " overlong " + replacement + replacement +
              " surrogate " + replacement + replacement + replacement + " ok \xc3\xa9 end\n";
  EXPECT_EQ((*console[0])["args"]["text"].text, expected);
}

TEST(ChromeExport, SpansLeftOpenByACutRunEndAtTheLastEvent) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.at(100).add(EventKind::LoopStart, {0});
  b.at(110).add(EventKind::Iteration, {1});
  b.at(120).add(EventKind::PhaseEnter, {int64_t(Phase::Poll), -1});
  b.at(130).add(EventKind::PoolSubmit, {kReadJob, b.text("fs.read"), 0});
  b.at(140).add(EventKind::PoolStart, {kReadJob}, 1);
  b.at(200).add(EventKind::AsyncInit, {7, 1, b.text("FSREQCALLBACK"), 0});
  b.at(200).add(EventKind::CallbackEnter, {7});
  b.at(250).add(EventKind::GcBegin, {GcMarkSweepCompact});
  b.at(900).add(EventKind::Console, {1, b.text("last words\n")});  // the kill came here
  JsonValue doc = chromeJson(b.trace());
  for (std::string_view cat : {"iteration", "phase", "callback", "gc", "threadpool"}) {
    auto slices = chromeEvents(doc, "X", cat);
    ASSERT_EQ(slices.size(), 1u) << cat;
    EXPECT_EQ((*slices[0])["ts"].number + (*slices[0])["dur"].number, 900) << cat;
  }
  EXPECT_EQ((*chromeEvents(doc, "X", "gc")[0])["name"].text, "mark-sweep-compact");
  EXPECT_EQ((*chromeEvents(doc, "X", "phase")[0])["args"]["timeout_ms"].number, -1);
  EXPECT_TRUE(chromeEvents(doc, "s", "threadpool.flow").empty())
      << "no arrow for a job that never completed";
}

TEST(ChromeExport, EmptyTraceIsStillAValidDocument) {
  JsonValue doc = chromeJson(Trace{});
  EXPECT_EQ(doc["traceEvents"].type, JsonValue::Type::Array);
}

// ---------------------------------------------------------------------------------------------
// Timeline and info.

std::string timeline(const Trace& trace, TimelineOptions opts = {}) {
  std::ostringstream out;
  printTimeline(trace, out, opts);
  return out.str();
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

// Index of the first line at or after `from` that contains `needle`, or -1.
int findLine(const std::vector<std::string>& all, std::string_view needle, int from = 0) {
  for (size_t k = size_t(std::max(from, 0)); k < all.size(); ++k)
    if (all[k].find(needle) != std::string::npos) return int(k);
  return -1;
}

size_t indentOf(const std::string& line) {
  // Lines are "<time right-aligned in 10>  <indent><text>".
  size_t k = 12;
  while (k < line.size() && line[k] == ' ') ++k;
  return k - 12;
}

TEST(Timeline, ListsIterationsPhasesAndCallbacksInTheOrderTheyRan) {
  std::string text = timeline(demoRun().trace());
  auto all = lines(text);
  std::vector<std::string_view> expected = {
      "run start: /tmp/demo.js",
      "main (before the event loop)",
      "main script demo.js",
      "> hello \"world\"",
      "TickObject later demo.js:3:18",
      "iteration 1",
      "poll",
      "fs.read done (pool #1",
      "FSREQCALLBACK onRead demo.js:4:30 (asyncId 7)",
      "> read done",
      "iteration 2",
      "blocked 9.000 ms",
      "iteration 3",
      "timers",
      "Timeout onTimer demo.js:2:12 (asyncId 5)",
      "gc scavenge",
      "run end: exit code 0 (finished)",
  };
  int at = 0;
  for (std::string_view needle : expected) {
    int found = findLine(all, needle, at);
    ASSERT_GE(found, 0) << "missing or out of order: " << needle << "\n" << text;
    at = found + 1;
  }
  EXPECT_NE(text.find("  10.420  "), std::string::npos)
      << "times are ms since the run started, with 3 decimals\n" << text;
  int timer = findLine(all, "Timeout onTimer");
  EXPECT_NE(all[size_t(timer)].find("0.180 ms"), std::string::npos) << "callback duration";
}

TEST(Timeline, NestsConsoleOutputUnderTheCallbackAndCallbacksUnderTheirPhase) {
  auto all = lines(timeline(demoRun().trace()));
  int iteration = findLine(all, "iteration 3");
  int timers = findLine(all, "timers", iteration);
  int timer = findLine(all, "Timeout onTimer", timers);
  int read = findLine(all, "FSREQCALLBACK onRead");
  int output = findLine(all, "> read done");
  ASSERT_GE(iteration, 0);
  ASSERT_GE(timers, 0);
  ASSERT_GE(timer, 0);
  ASSERT_GE(read, 0);
  ASSERT_GE(output, 0);
  EXPECT_LT(indentOf(all[size_t(iteration)]), indentOf(all[size_t(timers)]));
  EXPECT_LT(indentOf(all[size_t(timers)]), indentOf(all[size_t(timer)]));
  EXPECT_LT(indentOf(all[size_t(read)]), indentOf(all[size_t(output)]));
  EXPECT_EQ(all[size_t(output)].substr(12 + indentOf(all[size_t(output)])), "> read done")
      << "the trailing newline is trimmed";
}

TEST(Timeline, SkipsPhasesWhereNothingRanUnlessAllPhasesAreAsked) {
  auto quiet = lines(timeline(demoRun().trace()));
  EXPECT_EQ(findLine(quiet, "idle"), -1);
  EXPECT_EQ(findLine(quiet, "prepare"), -1);
  EXPECT_EQ(findLine(quiet, "check"), -1);
  int poll2 = findLine(quiet, "poll", findLine(quiet, "iteration 2"));
  ASSERT_GE(poll2, 0) << "a poll that blocked more than 1 ms is shown even with no callback";
  EXPECT_NE(quiet[size_t(poll2)].find("timeout 9 ms"), std::string::npos) << quiet[size_t(poll2)];
  int poll3 = findLine(quiet, "poll", findLine(quiet, "iteration 3"));
  EXPECT_EQ(poll3, -1) << "a poll that did not block is not";

  TimelineOptions all;
  all.allPhases = true;
  auto full = lines(timeline(demoRun().trace(), all));
  EXPECT_GE(findLine(full, "idle"), 0);
  EXPECT_GE(findLine(full, "prepare"), 0);
  EXPECT_GE(findLine(full, "check"), 0);
  EXPECT_GE(findLine(full, "pending (after poll)"), 0);
  EXPECT_GE(findLine(full, "poll", findLine(full, "iteration 3")), 0);
  EXPECT_GT(full.size(), quiet.size());
}

TEST(Timeline, StopsAfterMaxLinesAndSaysHowManyWereLeftOut) {
  auto whole = lines(timeline(demoRun().trace()));
  size_t total = whole.size();
  TimelineOptions opts;
  opts.maxLines = 5;
  auto cut = lines(timeline(demoRun().trace(), opts));
  ASSERT_EQ(cut.size(), 6u);
  EXPECT_EQ(cut.back(), "\u2026 " + std::to_string(total - 5) + " more lines");
  EXPECT_EQ(std::vector<std::string>(cut.begin(), cut.begin() + 5),
            std::vector<std::string>(whole.begin(), whole.begin() + 5));
}

TEST(Timeline, ShowsPoolCompletionsGcAndUncaughtErrorsCompactly) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/x.js"), 0});
  b.at(10).add(EventKind::CallbackEnter, {1});
  b.at(20).add(EventKind::GcBegin, {GcMarkSweepCompact});
  b.at(2020).add(EventKind::GcEnd, {GcMarkSweepCompact, 1, 2, 3, 4, 5});
  b.at(3000).add(EventKind::UncaughtError,
                 {b.text("boom"), b.text("/tmp/x.js"), 3, 7, b.text("TypeError")});
  b.at(3010).add(EventKind::CallbackExit, {1});
  b.at(3100).add(EventKind::RunEnd, {1, int64_t(EndReason::ProcessExit), 0});
  auto all = lines(timeline(b.trace()));
  int gc = findLine(all, "gc mark-sweep-compact  2.000 ms");
  ASSERT_GE(gc, 0);
  EXPECT_GE(findLine(all, "uncaught TypeError: boom (at x.js:3:7)", gc), 0);
  EXPECT_GE(findLine(all, "run end: exit code 1 (process-exit)"), 0);
}

TEST(Timeline, SaysWhenTheRunWasCutShort) {
  auto all = lines(timeline(demoRun(false).trace()));
  ASSERT_FALSE(all.empty());
  EXPECT_NE(all.back().find("run end: missing (the run was cut short)"), std::string::npos);
}

std::string info(const TraceFile& file) {
  std::ostringstream out;
  printInfo(file, out);
  return out.str();
}

TEST(Info, CountsEveryEventIncludingStringRecords) {
  TraceFile file;
  TraceBuilder b = demoRun();
  file.trace = b.trace();
  file.bytes = b.file().size();
  std::string text = info(file);
  auto all = lines(text);
  int events = findLine(all, "events: ");
  ASSERT_GE(events, 0) << text;
  EXPECT_EQ(all[size_t(events)], "events: " + std::to_string(b.size()));
  EXPECT_NE(text.find("loop iterations: 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("callbacks: 4\n"), std::string::npos) << text;
  EXPECT_GE(findLine(all, "callback-enter"), 0) << "one line per kind";
  EXPECT_GE(findLine(all, "file size: " + std::to_string(file.bytes) + " bytes"), 0) << text;
}

TEST(Info, PrintsVersionsPoolSizePidAndHowTheRunEnded) {
  TraceFile file;
  file.trace = demoRun().trace();
  std::string text = info(file);
  EXPECT_NE(text.find("node.version: 18.20.4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("file: /tmp/demo.js\n"), std::string::npos) << text;
  EXPECT_NE(text.find("thread-pool size: 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("pid: 4242\n"), std::string::npos) << text;
  EXPECT_NE(text.find("exit code: 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("end reason: finished\n"), std::string::npos) << text;
  EXPECT_NE(text.find("duration: 11.000 ms"), std::string::npos) << text;
}

TEST(Info, SaysTheRunEndIsMissingWhenTheRunWasCutShort) {
  TraceFile file;
  file.trace = demoRun(false).trace();
  std::string text = info(file);
  EXPECT_NE(text.find("run end: missing (the run was cut short)"), std::string::npos) << text;
}

// ---------------------------------------------------------------------------------------------
// CSV export.

// RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<std::vector<std::string>> parseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    std::string& field = rows.back().back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().emplace_back();
    } else if (c == '\n') {
      rows.emplace_back(1);
    } else if (c != '\r') {
      field += c;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}

std::vector<std::vector<std::string>> csv(const Trace& trace) {
  std::ostringstream out;
  exportCsv(trace, out);
  return parseCsv(out.str());
}

TEST(CsvExport, HasTheHeaderAndOneRowPerEventExceptStringsAndSites) {
  Trace trace = demoRun().trace();
  auto rows = csv(trace);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{"time_us", "thread", "kind", "phase", "iteration",
                                                "async_id", "async_type", "trigger_async_id",
                                                "name", "file", "line", "column", "value",
                                                "detail"}));
  size_t expected = 0;
  for (const Event& ev : trace.events())
    if (ev.kind != EventKind::String && ev.kind != EventKind::FunctionSite) ++expected;
  EXPECT_EQ(rows.size() - 1, expected);
  for (const auto& row : rows) EXPECT_EQ(row.size(), 14u);
}

TEST(CsvExport, RowsCarryPhaseIterationAsyncAndSource) {
  auto rows = csv(demoRun().trace());
  const std::vector<std::string>* timer = nullptr;
  const std::vector<std::string>* main = nullptr;
  const std::vector<std::string>* pool = nullptr;
  for (const auto& row : rows) {
    if (row[2] == "callback-enter" && row[5] == "5") timer = &row;
    if (row[2] == "callback-enter" && row[5] == "1") main = &row;
    if (row[2] == "pool-start") pool = &row;
  }
  ASSERT_NE(timer, nullptr);
  EXPECT_EQ((*timer)[0], "10420.000");
  EXPECT_EQ((*timer)[1], "main");
  EXPECT_EQ((*timer)[3], "timers");
  EXPECT_EQ((*timer)[4], "3");
  EXPECT_EQ((*timer)[6], "Timeout");
  EXPECT_EQ((*timer)[7], "1");
  EXPECT_EQ((*timer)[8], "onTimer");
  EXPECT_EQ((*timer)[9], "/tmp/demo.js");
  EXPECT_EQ((*timer)[10], "2");
  EXPECT_EQ((*timer)[11], "12");
  ASSERT_NE(main, nullptr);
  EXPECT_EQ((*main)[3], "main");
  EXPECT_EQ((*main)[6], "main");
  ASSERT_NE(pool, nullptr);
  EXPECT_EQ((*pool)[1], "pool 1");
  EXPECT_EQ((*pool)[13], "fs.read");
  EXPECT_EQ((*pool)[5], "7") << "the request behind the job";
}

TEST(CsvExport, QuotesFieldsWithCommasQuotesAndLineBreaks) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  b.at(10).add(EventKind::Console, {1, b.text("a,b \"c\"\nd\n")});
  std::ostringstream out;
  exportCsv(b.trace(), out);
  EXPECT_NE(out.str().find("\"a,b \"\"c\"\"\nd\""), std::string::npos) << out.str();
  auto rows = parseCsv(out.str());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2][2], "console");
  EXPECT_EQ(rows[2][13], "a,b \"c\"\nd");
}

TEST(CsvExport, ReplacesBytesThatAreNotUtf8SoStrictReadersAcceptTheFile) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("x.js"), 0});
  // A lone surrogate written by JavaScript arrives as CESU-8 bytes.
  b.at(10).add(EventKind::Console, {1, b.text("bad \xed\xa0\x80 good \xc3\xa9\n")});
  auto rows = csv(b.trace());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[2][13], "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD good \xc3\xa9");
}

// ---------------------------------------------------------------------------------------------
// The file format and readTraceFile.

std::string tempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("trace-export-test-" + std::to_string(getpid()) + "-" + name + ".lstrace");
}

void writeFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

void expectSameEvents(const Trace& got, const Trace& want, size_t count) {
  ASSERT_EQ(got.size(), count);
  for (size_t i = 0; i < count; ++i) {
    const Event& x = got.events()[i];
    const Event& y = want.events()[i];
    EXPECT_EQ(x.ts, y.ts) << i;
    EXPECT_EQ(x.kind, y.kind) << i;
    EXPECT_EQ(x.thread, y.thread) << i;
    EXPECT_EQ(x.f, y.f) << i;
  }
}

TEST(TraceFormat, EncoderAndDecoderRoundTripEveryFieldAndString) {
  TraceBuilder b = demoRun();
  std::string bytes = b.file();
  ASSERT_EQ(TraceDecoder::checkHeader(bytes), "");
  TraceDecoder decoder;
  Trace decoded;
  size_t pos = kTraceHeaderSize;
  Event ev;
  std::string text;
  // Feed one more byte at a time, as a pipe read live would.
  for (size_t available = pos; available <= bytes.size(); ++available) {
    std::string_view seen(bytes.data(), available);
    while (decoder.next(seen, pos, ev, text) == TraceDecoder::Status::Event) decoded.append(ev, text);
  }
  EXPECT_EQ(pos, bytes.size());
  Trace original = b.trace();
  expectSameEvents(decoded, original, original.size());
  EXPECT_EQ(decoded.str(1), original.str(1));
  EXPECT_EQ(decoded.callbackLabel(kTimerId), "onTimer demo.js:2:12");

  std::ostringstream fromOriginal, fromDecoded;
  exportChrome(original, fromOriginal);
  exportChrome(decoded, fromDecoded);
  EXPECT_EQ(fromDecoded.str(), fromOriginal.str());
}

TEST(TraceFormat, WholeFileReadsBackOk) {
  TraceBuilder b = demoRun();
  std::string path = tempPath("whole");
  writeFile(path, b.file());
  TraceFile file = readTraceFile(path);
  std::filesystem::remove(path);
  EXPECT_EQ(file.status, ReadStatus::Ok) << file.problem;
  EXPECT_EQ(file.bytes, b.file().size());
  expectSameEvents(file.trace, b.trace(), b.size());
  ASSERT_NE(file.trace.runEnd(), nullptr);
}

TEST(TraceFormat, FileCutMidRecordReadsAsTruncatedWithTheEventsBeforeTheCut) {
  TraceBuilder b = demoRun();
  std::vector<size_t> starts;
  std::string bytes = b.file(&starts);
  Trace whole = b.trace();
  for (size_t record : {size_t(5), starts.size() / 2, starts.size() - 1}) {
    size_t cut = starts[record] + 2;  // inside the record: after its kind and thread bytes
    ASSERT_LT(cut, record + 1 < starts.size() ? starts[record + 1] : bytes.size());
    std::string path = tempPath("cut");
    writeFile(path, bytes.substr(0, cut));
    TraceFile file = readTraceFile(path);
    std::filesystem::remove(path);
    EXPECT_EQ(file.status, ReadStatus::Truncated) << record;
    EXPECT_FALSE(file.problem.empty());
    expectSameEvents(file.trace, whole, record);
  }
}

TEST(TraceFormat, GarbageAfterRecordsReadsAsCorruptWithTheEventsBeforeIt) {
  TraceBuilder b = demoRun();
  std::vector<size_t> starts;
  std::string bytes = b.file(&starts);
  size_t keep = 10;
  std::string damaged = bytes.substr(0, starts[keep]) + "\xee\x01\x02garbage";
  std::string path = tempPath("garbage");
  writeFile(path, damaged);
  TraceFile file = readTraceFile(path);
  std::filesystem::remove(path);
  EXPECT_EQ(file.status, ReadStatus::Corrupt);
  EXPECT_NE(file.problem.find("corrupt"), std::string::npos) << file.problem;
  expectSameEvents(file.trace, b.trace(), keep);
}

TEST(TraceFormat, FileWithAnotherSignatureIsNotATrace) {
  std::string bytes = demoRun().file();
  bytes[0] = 'X';
  std::string path = tempPath("foreign");
  writeFile(path, bytes);
  TraceFile file = readTraceFile(path);
  writeFile(path, "hi");
  TraceFile tiny = readTraceFile(path);
  std::filesystem::remove(path);
  EXPECT_EQ(file.status, ReadStatus::NotATrace);
  EXPECT_EQ(file.trace.size(), 0u);
  EXPECT_EQ(tiny.status, ReadStatus::NotATrace);
}

TEST(TraceFormat, InfoOfAFileReadFromDiskCountsItsEventsAndBytes) {
  TraceBuilder b = demoRun();
  std::string bytes = b.file();
  std::string path = tempPath("info");
  writeFile(path, bytes);
  TraceFile file = readTraceFile(path);
  std::filesystem::remove(path);
  auto all = lines(info(file));
  EXPECT_GE(findLine(all, "events: " + std::to_string(b.size())), 0);
  EXPECT_GE(findLine(all, "file size: " + std::to_string(bytes.size()) + " bytes"), 0);
}

}  // namespace
