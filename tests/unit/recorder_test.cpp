// The recorder's threads and rings, and that what it writes reads back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "trace/recorder.h"
#include "trace/trace.h"

using namespace loopscope;

TEST(Recorder, EventsFromSeveralThreadsReadBackInTimeOrderWithNothingLost) {
  std::string path =
      std::filesystem::temp_directory_path() / ("recorder-test-" + std::to_string(getpid()) + ".lstrace");
  ASSERT_EQ(recorder::start(path), "");
  int64_t text = recorder::intern("hello");
  EXPECT_EQ(recorder::intern("hello"), text) << "interning twice gives the same id";
  constexpr int kPerThread = 300000;  // more than one ring holds: the producer must wait, not drop
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t)
    threads.emplace_back([t] {
      for (int i = 0; i < kPerThread; ++i) recorder::record(EventKind::CallbackEnter, uint8_t(t), i);
    });
  for (auto& th : threads) th.join();
  recorder::record(EventKind::RunEnd, 0, 0, 0, 0);
  recorder::stop();

  TraceFile file = readTraceFile(path);
  std::filesystem::remove(path);
  ASSERT_EQ(file.status, ReadStatus::Ok) << file.problem;
  std::vector<int64_t> next(3, 0);
  uint64_t previousTs = 0;
  for (const Event& ev : file.trace.events()) {
    EXPECT_GE(ev.ts, previousTs);
    previousTs = ev.ts;
    if (ev.kind != EventKind::CallbackEnter) continue;
    ASSERT_LT(ev.thread, 3);
    EXPECT_EQ(ev.a(), next[ev.thread]++) << "per-thread order is kept";
  }
  for (int t = 0; t < 3; ++t) EXPECT_EQ(next[t], kPerThread);
  EXPECT_EQ(file.trace.str(text), "hello");
}
