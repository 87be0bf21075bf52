// A snippet runs inside the engine process, so it can find its own trace descriptor and write
// into it. What it writes must read as damage (a sentence with a byte offset, exit 3), with the
// events before it kept, and never crash a reader.
#include <gtest/gtest.h>

#include "harness.h"
#include "trace/trace_format.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

// Finds the trace among its own descriptors and writes `what` into it between two timers.
const char* kForger = R"JS(
const fs = require('fs');
let fd = -1;
for (const name of fs.readdirSync('/proc/self/fd')) {
  try { if (fs.readlinkSync('/proc/self/fd/' + name).endsWith('.lstrace')) fd = Number(name); } catch {}
}
console.log('found the trace descriptor:', fd >= 0);
function crc32c(bytes) {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
  }
  return ~c >>> 0;
}
function block(payload) {
  const head = Buffer.alloc(12);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(~payload.length >>> 0, 4);
  head.writeUInt32LE(crc32c(payload), 8);
  return Buffer.concat([head, payload]);
}
const forgeries = {
  garbage: Buffer.from('\xee\x01\x02garbage', 'latin1'),
  // A well-formed block whose checksum matches: a String record with id -1 (zig-zag 1).
  'string-id-minus-1': block(Buffer.from([0, 0, 0, 1, 1, 0x78])),
  // A block header whose length and complement agree, claiming 1 GiB that never comes.
  'gigabyte-block': (() => {
    const head = Buffer.alloc(12);
    head.writeUInt32LE(0x3fffffff, 0);
    head.writeUInt32LE(~0x3fffffff >>> 0, 4);
    return head;
  })(),
};
setTimeout(() => {
  fs.writeSync(fd, forgeries[process.argv[2]]);
  setTimeout(() => console.log('still running after the forgery'), 20);
}, 20);
)JS";

}  // namespace

TEST(ForgedRecord, GarbageWrittenIntoTheOwnTracePipeReadsAsDamageWithTheEventsBefore) {
  std::string forger = writeSnippet("forger.js", kForger);
  EngineRun run = runTraced(forger, {}, {"garbage"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("found the trace descriptor: true"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("still running after the forgery"), std::string::npos);
  EXPECT_EQ(run.trace.status, ReadStatus::Corrupt) << run.trace.problem;
  EXPECT_NE(run.trace.problem.find("at byte "), std::string::npos) << run.trace.problem;
  EXPECT_GT(run.trace.trace.size(), 20u) << "the events before the forgery are kept";

  EngineRun info = runEngine({"info", run.tracePath});
  EXPECT_EQ(info.exitCode, 3) << info.err;
  EXPECT_NE(info.err.find("corrupt at byte "), std::string::npos) << info.err;
}

TEST(ForgedRecord, ChecksummedForgedStringIdMinusOneIsRefusedByTheRecordChecks) {
  std::string forger = writeSnippet("forger.js", kForger);
  EngineRun run = runTraced(forger, {}, {"string-id-minus-1"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.trace.status, ReadStatus::Corrupt) << run.trace.problem;
  EXPECT_NE(run.trace.problem.find("a string record has id -1"), std::string::npos) << run.trace.problem;
  for (const char* command : {"info", "timeline"}) {
    EngineRun read = runEngine({command, run.tracePath});
    EXPECT_EQ(read.exitCode, 3) << command << ": " << read.err;
    EXPECT_NE(read.err.find("id -1"), std::string::npos) << read.err;
  }
  EngineRun exported = runEngine({"export", run.tracePath, "--csv", scratchDir() + "/out.csv"});
  EXPECT_EQ(exported.exitCode, 3) << exported.err;
}

TEST(ForgedRecord, BlockHeaderClaimingAGigabyteIsRefusedOnSightWithTheEventsBeforeKept) {
  std::string forger = writeSnippet("forger.js", kForger);
  EngineRun run = runTraced(forger, {}, {"gigabyte-block"});
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_NE(run.out.find("still running after the forgery"), std::string::npos);
  EXPECT_EQ(run.trace.status, ReadStatus::Corrupt) << run.trace.problem;
  EXPECT_NE(run.trace.problem.find("a block claims 1073741823 bytes, but the engine writes at most"), std::string::npos)
      << run.trace.problem;
  EXPECT_GT(run.trace.trace.size(), 20u) << "the events before the forgery are kept";
}

TEST(TraceBounds, ConsoleLineLongerThanTheTextBoundIsRecordedCutWithANoteAndPrintedWhole) {
  // 3 MiB in one write: the program's stdout gets all of it, the trace a cut copy it can bound.
  std::string file = writeSnippet("long-line.js", "process.stdout.write('x'.repeat(3 * 1024 * 1024) + '\\n');\n");
  EngineRun run = runTraced(file);
  ASSERT_EQ(run.exitCode, 0) << run.err;
  EXPECT_EQ(run.out.size(), 3u * 1024 * 1024 + 1);
  ASSERT_EQ(run.trace.status, ReadStatus::Ok) << run.trace.problem;
  std::string longest;
  for (const std::string& line : consoleLines(run.trace.trace))
    if (line.size() > longest.size()) longest = line;
  EXPECT_LE(longest.size(), kMaxTextBytes);
  EXPECT_GT(longest.size(), kMaxTextBytes - 100);
  EXPECT_EQ(longest.find_first_not_of('x'), longest.find(" \xe2\x80\xa6 ["));
  EXPECT_NE(longest.find(" more bytes not recorded]"), std::string::npos) << longest.substr(longest.size() - 60);
}
