// The Chrome Trace Event export of hand-built traces: slices, nesting, flows, counters, instants.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "trace/chrome_export.h"
#include "../common/json_reader.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

TEST(JsonReaderSelfCheck, RejectsWhatViewersReject) {
  for (std::string_view bad :
       {"{\"a\":1,}", "[1 2]", "\"raw\nnewline\"", "\"\\x\"", "\"\xff\"", "\"\\ud800\"", "01", "{\"a\" 1}", "[1]x"}) {
    JsonValue v;
    EXPECT_FALSE(JsonReader(bad).read(v)) << bad;
  }
  JsonValue v;
  ASSERT_TRUE(JsonReader("{\"a\":[1,-2.5e3,true,null,\"\\u00e9\\ud83d\\ude00\"]}").read(v));
  EXPECT_EQ(v["a"].items[1].number, -2500);
  EXPECT_EQ(v["a"].items[4].text, "\xC3\xA9\xF0\x9F\x98\x80");
}

JsonValue chromeJson(const Trace& trace) {
  std::ostringstream out;
  exportChrome(trace, out);
  std::string text = out.str();  // the reader keeps a view of it
  JsonValue doc;
  JsonReader reader(text);
  EXPECT_TRUE(reader.read(doc)) << reader.error() << "\n" << text;
  return doc;
}

std::vector<const JsonValue*> chromeEvents(const JsonValue& doc, std::string_view ph, std::string_view cat = {}) {
  std::vector<const JsonValue*> found;
  for (const JsonValue& ev : doc["traceEvents"].items)
    if (ev["ph"].text == ph && (cat.empty() || ev["cat"].text == cat)) found.push_back(&ev);
  return found;
}

const JsonValue* chromeEvent(const JsonValue& doc, std::string_view ph, std::string_view cat, std::string_view name) {
  for (const JsonValue* ev : chromeEvents(doc, ph, cat))
    if ((*ev)["name"].text == name) return ev;
  return nullptr;
}

std::string threadNameOf(const JsonValue& doc, double tid) {
  for (const JsonValue* ev : chromeEvents(doc, "M"))
    if ((*ev)["name"].text == "thread_name" && (*ev)["tid"].number == tid) return (*ev)["args"]["name"].text;
  return "";
}

constexpr double kEpsilonUs = 1e-6;

bool within(const JsonValue& inner, const JsonValue& outer) {
  return inner["tid"].number == outer["tid"].number && inner["ts"].number >= outer["ts"].number - kEpsilonUs &&
         inner["ts"].number + inner["dur"].number <= outer["ts"].number + outer["dur"].number + kEpsilonUs;
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
    EXPECT_TRUE(nested) << (*cb)["name"].text << " is not inside a " << args["phase"].text << " slice";
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
  b.at(20).add(EventKind::StreamState, {3, int64_t(StreamEvent::Write), 1024, 16384, int64_t(StreamSide::Writable)});
  b.at(30).add(EventKind::StreamState,
               {3, int64_t(StreamEvent::WriteFalse), 20000, 16384, int64_t(StreamSide::Writable)});
  b.at(40).add(EventKind::StreamState, {3, int64_t(StreamEvent::Drain), 0, 16384, int64_t(StreamSide::Writable)});
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
  b.at(60).add(EventKind::UncaughtError, {b.text("boom"), b.text("/tmp/x.js"), 3, 7, b.text("TypeError")});
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
  expected += " invalid " + replacement + replacement + " overlong " + replacement + replacement + " surrogate " +
              replacement + replacement + replacement + " ok \xc3\xa9 end\n";
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
  EXPECT_TRUE(chromeEvents(doc, "s", "threadpool.flow").empty()) << "no arrow for a job that never completed";
}

TEST(ChromeExport, EmptyTraceIsStillAValidDocument) {
  JsonValue doc = chromeJson(Trace{});
  EXPECT_EQ(doc["traceEvents"].type, JsonValue::Type::Array);
}

}  // namespace
