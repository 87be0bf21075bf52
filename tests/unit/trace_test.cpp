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
