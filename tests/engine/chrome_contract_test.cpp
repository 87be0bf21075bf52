// The Chrome Trace Event export of a real run keeps the contract tools rely on (issue text):
// phases, callbacks nested in them with their args, pool jobs on threadpool threads with flows,
// GC slices and heap counters — and the document parses as strict JSON.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "../common/json_reader.h"
#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

TEST(ChromeExportOfARealRun, DemoHonoursThePhaseCallbackThreadpoolGcAndHeapContract) {
  std::string out = scratchDir() + "/demo.json";
  EngineRun run =
      runEngine({"run", "--export-chrome", out, std::string(LOOPSCOPE_SNIPPETS) + "/../../engine/demo/demo.js"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  const std::string json = text.str();  // the reader keeps a view of it
  JsonValue doc;
  JsonReader reader(json);
  ASSERT_TRUE(reader.read(doc)) << reader.error();

  std::map<double, std::string> threadNames;
  struct Slice {
    double ts, end;
    std::string name;
  };
  std::vector<Slice> phases;
  std::vector<const JsonValue*> callbacks;
  std::set<std::string> poolKinds;
  std::set<double> poolTids;
  std::map<double, int> flowEnds;  // flow id -> how many ends ("s" +1, "f" +1)
  int gcSlices = 0, heapCounters = 0;
  const std::set<std::string> phaseNames{"timers", "pending", "idle", "prepare", "poll", "check", "close"};
  for (const JsonValue& e : doc["traceEvents"].items) {
    std::string ph = e["ph"].text, cat = e["cat"].text;
    if (ph == "M" && e["name"].text == "thread_name") threadNames[e["tid"].number] = e["args"]["name"].text;
    if (ph == "X" && cat == "phase") {
      EXPECT_TRUE(phaseNames.count(e["name"].text)) << e["name"].text;
      EXPECT_EQ(e["tid"].number, 1) << "phases are on the loop thread";
      phases.push_back({e["ts"].number, e["ts"].number + e["dur"].number, e["name"].text});
    }
    if (ph == "X" && cat == "callback") callbacks.push_back(&e);
    if (ph == "X" && cat == "threadpool") {
      poolKinds.insert(e["name"].text);
      poolTids.insert(e["tid"].number);
    }
    if ((ph == "s" || ph == "f") && cat == "threadpool.flow") ++flowEnds[e["id"].number];
    if (ph == "X" && cat == "gc") {
      ++gcSlices;
      EXPECT_TRUE(e["name"].text == "scavenge" || e["name"].text == "mark-sweep-compact" ||
                  e["name"].text == "incremental-marking" || e["name"].text == "weak-callbacks" ||
                  e["name"].text == "minor-mark-compact")
          << e["name"].text;
    }
    if (ph == "C" && e["name"].text == "heap") {
      ++heapCounters;
      EXPECT_TRUE(e["args"].has("new_space") && e["args"].has("old_space"));
    }
  }
  EXPECT_EQ(threadNames[1], "main: event loop");
  // Every callback in the loop lies inside a phase slice of the same name as its "phase" arg.
  int inLoop = 0;
  for (const JsonValue* cb : callbacks) {
    const JsonValue& args = (*cb)["args"];
    for (const char* key : {"type", "asyncId", "triggerAsyncId", "phase", "line", "column"})
      EXPECT_TRUE(args.has(key)) << key;
    if (args["phase"].text == "main" || (*cb)["tid"].number != 1) continue;
    ++inLoop;
    double ts = (*cb)["ts"].number, end = ts + (*cb)["dur"].number;
    bool nested = false;
    for (const Slice& p : phases)
      if (p.ts <= ts && end <= p.end + 0.001 && p.name == args["phase"].text) nested = true;
    EXPECT_TRUE(nested) << (*cb)["name"].text << " at " << ts;
  }
  EXPECT_GE(inLoop, 5);
  EXPECT_TRUE(poolKinds.count("crypto.pbkdf2"));
  EXPECT_TRUE(poolKinds.count("fs.read"));
  for (double tid : poolTids) EXPECT_NE(threadNames[tid].find("threadpool"), std::string::npos);
  ASSERT_FALSE(flowEnds.empty());
  for (auto& [id, ends] : flowEnds) EXPECT_EQ(ends, 2) << "flow " << id << " has a start and an end";
  EXPECT_GE(gcSlices, 1);
  EXPECT_GE(heapCounters, 1);
}
