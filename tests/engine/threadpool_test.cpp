// Thread-pool slots: each job's start and end on the slot that ran it.
#include <gtest/gtest.h>

#include <map>

#include "harness.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

struct Job {
  std::string kind;
  int slot = -1;
  uint64_t submit = 0, start = 0, end = 0;
};

std::vector<Job> jobs(const Trace& trace) {
  std::map<int64_t, size_t> open;
  std::vector<Job> out;
  for (const Event& ev : trace.events()) {
    if (ev.kind == EventKind::PoolSubmit) {
      open[ev.a()] = out.size();
      out.push_back({std::string(trace.str(ev.b())), -1, ev.ts, 0, 0});
    } else if (ev.kind == EventKind::PoolStart && open.count(ev.a())) {
      out[open[ev.a()]].slot = ev.thread;
      out[open[ev.a()]].start = ev.ts;
    } else if (ev.kind == EventKind::PoolEnd && open.count(ev.a())) {
      out[open[ev.a()]].end = ev.ts;
    }
  }
  return out;
}

std::vector<Job> ofKind(const std::vector<Job>& all, const std::string& kind) {
  std::vector<Job> out;
  for (const auto& j : all)
    if (j.kind == kind) out.push_back(j);
  return out;
}

}  // namespace

TEST(ThreadPool, FivePbkdf2JobsOnFourSlotsTheFifthWaitsForAFreeSlot) {
  EngineRun run = runTraced(snippet("pbkdf2_five.js"), {"--threadpool-size", "4"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  ASSERT_NE(run.trace.trace.runStart(), nullptr);
  EXPECT_EQ(run.trace.trace.runStart()->a(), 4) << "pool size in the run header";
  auto pbkdf2 = ofKind(jobs(run.trace.trace), "crypto.pbkdf2");
  ASSERT_EQ(pbkdf2.size(), 5u);
  std::set<int> slots;
  for (const auto& j : pbkdf2) {
    EXPECT_GE(j.slot, 1);
    EXPECT_LE(j.slot, 4);
    EXPECT_GT(j.end, j.start);
    slots.insert(j.slot);
  }
  EXPECT_EQ(slots.size(), 4u) << "all four slots were used";
  // The fifth job starts only after one of the first four ended.
  uint64_t firstEnd = UINT64_MAX;
  for (int i = 0; i < 4; ++i) firstEnd = std::min(firstEnd, pbkdf2[i].end);
  EXPECT_GE(pbkdf2[4].start, firstEnd);
}

TEST(ThreadPool, FivePbkdf2JobsOnEightSlotsAllOverlap) {
  EngineRun run = runTraced(snippet("pbkdf2_five.js"), {"--threadpool-size", "8"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.trace.trace.runStart()->a(), 8);
  auto pbkdf2 = ofKind(jobs(run.trace.trace), "crypto.pbkdf2");
  ASSERT_EQ(pbkdf2.size(), 5u);
  uint64_t lastStart = 0, firstEnd = UINT64_MAX;
  for (const auto& j : pbkdf2) {
    lastStart = std::max(lastStart, j.start);
    firstEnd = std::min(firstEnd, j.end);
  }
  EXPECT_LT(lastStart, firstEnd) << "every job started before any finished";
}

TEST(ThreadPool, FsRequestsAreNamedByOperationAndLinkedToTheirRequest) {
  EngineRun run = runTraced(snippet("io_order.js"));
  ASSERT_EQ(run.exitCode, 0) << run.err;
  const Trace& trace = run.trace.trace;
  auto all = jobs(trace);
  EXPECT_FALSE(ofKind(all, "fs.open").empty());
  EXPECT_FALSE(ofKind(all, "fs.read").empty());
  for (const Event& ev : trace.events()) {
    if (ev.kind == EventKind::PoolSubmit && trace.str(ev.b()).rfind("fs.", 0) == 0) {
      EXPECT_EQ(trace.asyncType(ev.c()), "FSREQCALLBACK") << "the request behind the job";
    }
  }
}
