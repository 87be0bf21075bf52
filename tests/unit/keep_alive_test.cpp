// KeepAliveIndex on hand-built traces: what each record starts and ends, what a damaged trace
// cannot make it believe, and answers that stay right across its checkpoints when many things
// wait at once. (Real runs: tests/engine/keep_alive_test.cpp.)
#include <gtest/gtest.h>

#include "interpret/keep_alive.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

KeepAliveIndex indexOf(const Trace& trace) {
  KeepAliveIndex index;
  for (size_t i = 0; i < trace.size(); ++i) index.add(trace, i);
  return index;
}

}  // namespace

TEST(KeepAlive, AHandleRecordAboutAResourceThatOwnsNoHandleIsIgnored) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/k.js"), 0});
  const int64_t promise = b.text("PROMISE");
  b.add(EventKind::AsyncInit, {7, 1, promise, 0});
  b.add(EventKind::HandleActive, {7, 1});   // a promise has no libuv handle
  b.add(EventKind::HandleActive, {99, 1});  // nor does a resource never created
  b.add(EventKind::HandleClosed, {98});
  Trace t = b.trace();
  EXPECT_TRUE(indexOf(t).at(t, t.size()).empty());
}

TEST(KeepAlive, AServerCountsOnlyWhileActiveAndReferencedAndNeverAfterItsClose) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/k.js"), 0});
  const int64_t site = b.site("listen", "/tmp/k.js", 3, 8);
  const int64_t type = b.text("TCPSERVERWRAP");
  const size_t created = b.size();
  b.add(EventKind::AsyncInit, {5, 1, type, site});
  const size_t listening = b.size();
  b.add(EventKind::HandleActive, {5, 1});
  b.add(EventKind::HandleActive, {5, 0});  // unref()
  const size_t refd = b.size();
  b.add(EventKind::HandleActive, {5, 1});  // ref()
  const size_t closed = b.size();
  b.add(EventKind::HandleClosed, {5});
  b.add(EventKind::HandleActive, {5, 1});  // nothing counts after the close
  Trace t = b.trace();
  KeepAliveIndex index = indexOf(t);
  // Positions count applied records: position p is the state after records 0 .. p-1.
  auto countAt = [&](size_t position) { return index.at(t, position).size(); };
  EXPECT_EQ(countAt(listening), 0u) << "created, not listening";
  ASSERT_EQ(countAt(listening + 1), 1u);
  const KeepAliveEntry server = index.at(t, listening + 1)[0];
  EXPECT_EQ(server.kind, KeepAliveKind::Server);
  EXPECT_EQ(server.line, 3);
  EXPECT_EQ(server.createdAt, created);
  EXPECT_EQ(server.keepingSince, listening);
  EXPECT_EQ(countAt(listening + 2), 0u) << "unref()'d";
  ASSERT_EQ(countAt(refd + 1), 1u);
  EXPECT_EQ(index.at(t, refd + 1)[0].keepingSince, refd);
  EXPECT_EQ(countAt(closed + 1), 0u);
  EXPECT_EQ(countAt(t.size()), 0u);
}

TEST(KeepAlive, TwentyThousandPendingTimersAreCountedRightAtEveryCheckpoint) {
  // Far more waiting at once than a checkpoint interval: the answers must come from the
  // checkpoints and the records after them alike.
  constexpr int64_t kTimers = 20000;
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/k.js"), 0});
  const int64_t site = b.site("later", "/tmp/k.js", 2, 12);
  const size_t first = b.size();
  for (int64_t id = 10; id < 10 + kTimers; ++id) b.add(EventKind::TimerScheduled, {id, 1, site, 5, 0});
  const size_t firing = b.size();
  for (int64_t id = 10; id < 10 + kTimers; ++id) {
    b.add(EventKind::CallbackEnter, {id});
    b.add(EventKind::CallbackExit, {id});
  }
  Trace t = b.trace();
  KeepAliveIndex index = indexOf(t);
  for (size_t scheduled : {size_t(0), size_t(1), size_t(4095), size_t(4096), size_t(12345), size_t(kTimers)})
    EXPECT_EQ(index.at(t, first + scheduled).size(), scheduled) << "after " << scheduled << " setTimeout calls";
  for (size_t fired : {size_t(1), size_t(777), size_t(9999), size_t(kTimers - 1), size_t(kTimers)}) {
    const auto entries = index.at(t, firing + 2 * fired);
    ASSERT_EQ(entries.size(), size_t(kTimers) - fired) << "after " << fired << " ran";
    if (!entries.empty()) { EXPECT_EQ(entries.front().asyncId, int64_t(10 + fired)) << "oldest first"; }
  }
}

TEST(KeepAlive, PoolWorkOfAKnownRequestIsOneEntryAndOtherPoolWorkIsItsOwn) {
  TraceBuilder b;
  b.add(EventKind::RunStart, {4, 1, b.text("/tmp/k.js"), 0});
  const int64_t site = b.site("readFile", "/tmp/k.js", 2, 4);
  b.add(EventKind::AsyncInit, {6, 1, b.text("FSREQCALLBACK"), site});
  b.add(EventKind::PoolSubmit, {1000, b.text("fs.open"), 6});
  b.add(EventKind::PoolSubmit, {2000, b.text("zlib"), 0});
  const size_t bothPending = b.size();
  b.add(EventKind::PoolDone, {1000});
  b.add(EventKind::PoolDoneEnd, {1000});
  const size_t zlibOnly = b.size();
  b.add(EventKind::PoolDone, {2000});
  b.add(EventKind::PoolDoneEnd, {2000});
  Trace t = b.trace();
  KeepAliveIndex index = indexOf(t);
  const auto both = index.at(t, bothPending);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].kind, KeepAliveKind::Request);
  EXPECT_EQ(both[0].detail, "fs.open on the thread pool");
  EXPECT_EQ(both[0].line, 2);
  EXPECT_EQ(both[1].kind, KeepAliveKind::PoolWork);
  EXPECT_EQ(both[1].detail, "zlib on the thread pool");
  const auto rest = index.at(t, zlibOnly);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].kind, KeepAliveKind::PoolWork);
  EXPECT_TRUE(index.at(t, t.size()).empty());
}
