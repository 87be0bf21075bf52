// The Trace store's lookups that every reader relies on.
#include <gtest/gtest.h>

#include "trace/trace.h"

using namespace loopscope;

TEST(Trace, AsyncIdsOfWorkersReadAsWorkerAndLocalId) {
  EXPECT_EQ(Trace::asyncIdText(12), "12");
  const int64_t workerOne = int64_t(kFirstWorkerThread) << 40;
  EXPECT_EQ(Trace::asyncIdText(workerOne | 12), "w1:12");
  EXPECT_EQ(Trace::asyncIdText((int64_t(kFirstWorkerThread + 2) << 40) | 1), "w3:1");
}

TEST(Trace, EveryLoopsScriptIsAsyncIdOneAndReadsAsMain) {
  Trace trace;
  EXPECT_EQ(trace.asyncType(1), "main");
  EXPECT_EQ(trace.asyncType((int64_t(kFirstWorkerThread) << 40) | 1), "main");
  EXPECT_EQ(trace.asyncType(2), "") << "unknown ids have no type";
}

#include "trace/trace_format.h"

// The recorder seals each block once, when its batch is done; tests and tools seal after every
// record. Both must write the same bytes, including the 64 KiB split inside a long batch.
TEST(TraceEncoder, SealingOnCloseWritesTheSameBytesAsSealingEachRecord) {
  TraceEncoder eachRecord, onClose;
  onClose.sealOnlyWhenClosed();
  std::string a = TraceEncoder::header(), b = a;
  Event ev;
  for (int i = 0; i < 40000; ++i) {
    ev.kind = i % 7 == 0 ? EventKind::String : EventKind::CallbackEnter;
    ev.ts = uint64_t(i) * 37;
    ev.f = {int64_t(i + 1), 0, 0, 0, 0, 0};
    std::string text = ev.kind == EventKind::String ? "text " + std::to_string(i) : "";
    eachRecord.encode(ev, text, a);
    onClose.encode(ev, text, b);
    if (i % 10000 == 9999) {
      eachRecord.closeBlock(a);
      onClose.closeBlock(b);
    }
  }
  eachRecord.closeBlock(a);
  onClose.closeBlock(b);
  EXPECT_GT(a.size(), 4 * kBlockTargetPayload) << "long enough to split batches into blocks";
  EXPECT_EQ(a, b);
}
