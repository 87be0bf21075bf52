// Hostile traces: what a stranger (or a snippet writing into its own trace pipe) can put in a
// trace must come out as a sentence with a byte offset, never as a crash, a throw or a runaway
// allocation. The named files in tests/data/hostile are the reproducers of issue 11; they are
// written by tests/data/hostile/make_hostile_traces.py (checksums valid, records forged).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "../common/source_folder.h"
#include "trace/trace.h"
#include "trace/trace_format.h"

using namespace loopscope;
namespace fs = std::filesystem;

namespace {

fs::path sourceFolder() { return test::sourceFolderOf(__FILE__); }
const fs::path kHostileDir = sourceFolder().parent_path() / "data" / "hostile";

std::string readBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string scratchFile(const std::string& name) {
  return fs::temp_directory_path() / ("hostile-trace-test-" + std::to_string(getpid()) + "-" + name + ".lstrace");
}

TraceFile readBytesAsFile(const std::string& bytes, const std::string& name = "bytes") {
  std::string path = scratchFile(name);
  std::ofstream(path, std::ios::binary) << bytes;
  TraceFile file = readTraceFile(path);
  fs::remove(path);
  return file;
}

Event event(EventKind kind, std::initializer_list<int64_t> fields, uint8_t thread = kMainThread, uint64_t ts = 0) {
  Event ev;
  ev.kind = kind;
  ev.thread = thread;
  ev.ts = ts;
  size_t i = 0;
  for (int64_t f : fields) ev.f[i++] = f;
  return ev;
}

// A format-2 stream of `events` (the encoder does not judge what it writes, so it can forge).
struct Forger {
  std::string bytes = TraceEncoder::header();
  TraceEncoder encoder;
  Forger& add(const Event& ev, std::string_view text = {}) {
    encoder.encode(ev, text, bytes);
    return *this;
  }
};

// A block around `payload` with a matching checksum, for records the encoder cannot write.
std::string block(const std::string& payload) {
  std::string header(kBlockHeaderSize, '\0');
  auto n = uint32_t(payload.size());
  const uint32_t words[3] = {n, ~n, crc32c(payload)};
  for (size_t w = 0; w < 3; ++w)
    for (size_t i = 0; i < 4; ++i) header[4 * w + i] = char(uint8_t(words[w] >> (8 * i)));
  return header + payload;
}

// The decoder alone, fed everything at once: what it delivers and what it says.
struct Decoded {
  std::vector<Event> events;
  TraceDecoder::Status last = TraceDecoder::Status::NeedMore;
  std::string problem;
};
Decoded decodeAll(const std::string& bytes) {
  Decoded out;
  TraceDecoder decoder;
  size_t pos = kTraceHeaderSize;
  Event ev;
  std::string text;
  while ((out.last = decoder.next(bytes, pos, ev, text)) == TraceDecoder::Status::Event) out.events.push_back(ev);
  out.problem = decoder.problem();
  return out;
}

void expectCorruptAt(const TraceFile& file, uint64_t offset, const std::string& words, size_t eventsBefore) {
  EXPECT_EQ(file.status, ReadStatus::Corrupt) << file.problem;
  EXPECT_NE(file.problem.find("at byte " + std::to_string(offset) + ":"), std::string::npos) << file.problem;
  EXPECT_NE(file.problem.find(words), std::string::npos) << file.problem;
  EXPECT_EQ(file.trace.size(), eventsBefore);
}

// --- the reproducers -------------------------------------------------------------------------

TEST(HostileTrace, StringIdMinusOneIsReportedNotCrashed) {
  TraceFile file = readTraceFile(kHostileDir / "string-id-minus-1.lstrace");
  expectCorruptAt(file, kTraceHeaderSize + kBlockHeaderSize, "id -1", 0);
}

TEST(HostileTrace, StringIdMinusTwoIsReportedNotThrown) {
  TraceFile file = readTraceFile(kHostileDir / "string-id-minus-2.lstrace");
  expectCorruptAt(file, kTraceHeaderSize + kBlockHeaderSize, "id -2", 0);
}

TEST(HostileTrace, StringIdTwoHundredMillionIsRefusedWithoutAllocatingForIt) {
  auto start = std::chrono::steady_clock::now();
  TraceFile file = readTraceFile(kHostileDir / "string-id-200000000.lstrace");
  auto took = std::chrono::steady_clock::now() - start;
  expectCorruptAt(file, kTraceHeaderSize + kBlockHeaderSize, "id 200000000", 0);
  EXPECT_LT(took, std::chrono::seconds(1)) << "the id must not size a table";
}

TEST(HostileTrace, OldFormatOneTraceIsNamedAsOldNotRead) {
  TraceFile file = readTraceFile(kHostileDir / "v1-string-id-minus-1.lstrace");
  EXPECT_EQ(file.status, ReadStatus::NotATrace);
  EXPECT_NE(file.problem.find("version 1"), std::string::npos) << file.problem;
  EXPECT_NE(file.problem.find("record the snippet again"), std::string::npos) << file.problem;
  EXPECT_EQ(file.trace.size(), 0u);
}

TEST(HostileTrace, PoolSizeHugeNegativeOrZeroIsRefusedAtRunStart) {
  for (const char* name : {"pool-size-huge", "pool-size-negative", "pool-size-zero"}) {
    TraceFile file = readTraceFile(kHostileDir / (std::string(name) + ".lstrace"));
    expectCorruptAt(file, kTraceHeaderSize + kBlockHeaderSize, "thread-pool size", 0);
  }
}

TEST(HostileTrace, PoolSlotBeyondThePoolSizeIsRefused) {
  TraceFile file = readTraceFile(kHostileDir / "pool-slot-beyond-pool.lstrace");
  EXPECT_EQ(file.status, ReadStatus::Corrupt);
  EXPECT_NE(file.problem.find("pool slot 9 of a 4-thread pool"), std::string::npos) << file.problem;
  ASSERT_EQ(file.trace.size(), 1u) << "the run-start before it is kept";
  EXPECT_EQ(file.trace.events()[0].kind, EventKind::RunStart);
}

TEST(HostileTrace, TwentyThousandNestedCallbacksReadInLinearTime) {
  auto start = std::chrono::steady_clock::now();
  TraceFile file = readTraceFile(kHostileDir / "nesting-20000.lstrace");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(file.status, ReadStatus::Truncated) << "no run-end: " << file.problem;
  EXPECT_EQ(file.trace.size(), 20001u);
  EXPECT_LT(took, std::chrono::seconds(2));
}

// --- each check of the decoder ---------------------------------------------------------------

TEST(HostileTrace, UnknownKindIsReportedWithItsOffset) {
  Forger f;
  f.add(event(EventKind::Iteration, {1}));
  size_t secondBlock = f.bytes.size();
  f.bytes += block(std::string{char(200), 0, 0});
  TraceFile file = readBytesAsFile(f.bytes);
  expectCorruptAt(file, secondBlock + kBlockHeaderSize, "unknown record kind 200", 1);
}

TEST(HostileTrace, VarintWiderThanSixtyFourBitsIsMalformedNotWrapped) {
  Forger f;
  f.add(event(EventKind::Iteration, {1}));
  size_t secondBlock = f.bytes.size();
  // A tenth varint byte may only carry bit 63; 0x02 there would be bit 64.
  std::string record = {char(EventKind::Iteration), 0, 0};
  record += std::string(9, char(0xff)) + char(0x02);
  f.bytes += block(record);
  TraceFile file = readBytesAsFile(f.bytes);
  expectCorruptAt(file, secondBlock + kBlockHeaderSize, "malformed number (field a)", 1);
}

TEST(HostileTrace, StringDefinedTwiceIsRefused) {
  Forger f;
  f.add(event(EventKind::String, {1}), "one").add(event(EventKind::String, {1}), "again");
  Decoded d = decodeAll(f.bytes);
  EXPECT_EQ(d.last, TraceDecoder::Status::Corrupt);
  EXPECT_NE(d.problem.find("string id 1 is defined twice"), std::string::npos) << d.problem;
  EXPECT_EQ(d.events.size(), 1u);
}

TEST(HostileTrace, NegativeStringReferenceIsRefused) {
  Forger f;
  f.add(event(EventKind::Console, {1, -7}));
  Decoded d = decodeAll(f.bytes);
  EXPECT_EQ(d.last, TraceDecoder::Status::Corrupt);
  EXPECT_NE(d.problem.find("string id -7 in field b"), std::string::npos) << d.problem;
}

TEST(HostileTrace, EnumerationsOutOfRangeAreRefused) {
  struct Case {
    Event ev;
    std::string words;
  };
  std::vector<Case> cases = {
      {event(EventKind::PhaseEnter, {8, 0}), "phase-enter record has 8 in field a"},
      {event(EventKind::PhaseExit, {-1, 0}), "phase-exit record has -1 in field a"},
      {event(EventKind::RunEnd, {0, 6, 0}), "run-end record has 6 in field b"},
      {event(EventKind::StreamState, {1, 10, 0, 0, 1}), "stream-state record has 10"},
      {event(EventKind::MessagePosted, {256, 0}), "message-posted record has 256"},
      {event(EventKind::Paused, {2, 99}), "paused record names phase 99"},
  };
  for (const Case& c : cases) {
    Forger f;
    f.add(c.ev);
    Decoded d = decodeAll(f.bytes);
    EXPECT_EQ(d.last, TraceDecoder::Status::Corrupt) << c.words;
    EXPECT_NE(d.problem.find(c.words), std::string::npos) << d.problem;
    EXPECT_TRUE(d.events.empty());
  }
}

TEST(HostileTrace, SecondRunStartIsRefused) {
  Forger f;
  f.add(event(EventKind::RunStart, {4, 1, 0, 0})).add(event(EventKind::RunStart, {100, 1, 0, 0}));
  Decoded d = decodeAll(f.bytes);
  EXPECT_EQ(d.last, TraceDecoder::Status::Corrupt);
  EXPECT_NE(d.problem.find("second run-start"), std::string::npos) << d.problem;
  EXPECT_EQ(d.events.size(), 1u);
}

TEST(HostileTrace, TimeBeforeZeroIsRefused) {
  Forger f;
  f.add(event(EventKind::Iteration, {1}, kMainThread, 100));
  f.add(event(EventKind::Iteration, {2}, kMainThread, 50));  // earlier is fine
  Event early = event(EventKind::Iteration, {3});
  f.add(early);  // ts 0: fine
  Decoded fine = decodeAll(f.bytes);
  EXPECT_EQ(fine.events.size(), 3u) << fine.problem;
  // A delta that takes the time below 0 (the encoder wraps; the decoder must not).
  Forger g;
  g.add(event(EventKind::Iteration, {1}, kMainThread, 10));
  g.add(event(EventKind::Iteration, {2}, kMainThread, uint64_t(-5)));
  Decoded bad = decodeAll(g.bytes);
  EXPECT_EQ(bad.last, TraceDecoder::Status::Corrupt);
  EXPECT_NE(bad.problem.find("time is out of range"), std::string::npos) << bad.problem;
  EXPECT_EQ(bad.events.size(), 1u);
}

TEST(HostileTrace, BlockLengthThatDisagreesWithItsComplementIsCaughtBeforeUse) {
  Forger f;
  f.add(event(EventKind::Iteration, {1}));
  f.bytes[kTraceHeaderSize + 3] = char(0x7f);  // the length now claims ~2 GB
  Decoded d = decodeAll(f.bytes);
  EXPECT_EQ(d.last, TraceDecoder::Status::Corrupt) << "not NeedMore: no waiting for 2 GB";
  EXPECT_NE(d.problem.find("at byte 16: damaged block header"), std::string::npos) << d.problem;
}

// A block header whose length and complement agree, as a snippet writing into its own trace pipe
// can forge: the bytes it claims never come, so a reader must refuse the claim on sight.
std::string forgedBlockHeader(uint32_t length) {
  std::string header(kBlockHeaderSize, '\0');
  const uint32_t words[3] = {length, ~length, 0};
  for (size_t w = 0; w < 3; ++w)
    for (size_t i = 0; i < 4; ++i) header[4 * w + i] = char(uint8_t(words[w] >> (8 * i)));
  return header;
}

TEST(HostileTrace, ForgedBlockHeaderClaimingMoreThanTheEngineWritesIsRefusedWithoutWaitingForIt) {
  for (uint32_t claim : {uint32_t(kMaxBlockPayload + 1), uint32_t((1u << 30) - 1), uint32_t(0xfffffffe)}) {
    Forger f;
    f.add(event(EventKind::Iteration, {1}));
    const size_t forgedAt = f.bytes.size();
    // Only the 12 header bytes: had the decoder believed the claim, it would answer NeedMore and
    // a live reader would go on buffering the pipe up to `claim` bytes.
    Decoded d = decodeAll(f.bytes + forgedBlockHeader(claim));
    EXPECT_EQ(d.last, TraceDecoder::Status::Corrupt) << claim;
    EXPECT_EQ(d.events.size(), 1u) << "the record before the forgery is kept";
    EXPECT_NE(d.problem.find("at byte " + std::to_string(forgedAt) + ": a block claims " + std::to_string(claim) +
                             " bytes, but the engine writes at most " + std::to_string(kMaxBlockPayload)),
              std::string::npos)
        << d.problem;
  }
}

TEST(HostileTrace, LargestBlockTheEncoderWritesIsWithinTheBoundAndDecodes) {
  // Just under the encoder's target size, then the longest text a String may carry: the block
  // the recorder can make at most, which the bound must still accept.
  Forger f;
  int64_t n = 0;
  while (f.bytes.size() < kTraceHeaderSize + kBlockHeaderSize + kBlockTargetPayload - 16)
    f.add(event(EventKind::Iteration, {++n}));
  f.add(event(EventKind::String, {1}), std::string(kMaxTextBytes, 'x'));
  uint32_t firstBlock = 0;
  for (size_t i = 0; i < 4; ++i) firstBlock |= uint32_t(uint8_t(f.bytes[kTraceHeaderSize + i])) << (8 * i);
  ASSERT_EQ(firstBlock, f.bytes.size() - kTraceHeaderSize - kBlockHeaderSize) << "all in one block";
  EXPECT_GT(firstBlock, kMaxTextBytes + kBlockTargetPayload - 32);
  EXPECT_LE(firstBlock, kMaxBlockPayload);
  Decoded d = decodeAll(f.bytes);
  EXPECT_EQ(d.last, TraceDecoder::Status::NeedMore) << d.problem;
  EXPECT_EQ(d.events.size(), size_t(n) + 1);
}

TEST(HostileTrace, TextLongerThanTheBoundIsRecordedCutAtACharacterWithANoteOfWhatWasLeftOut) {
  EXPECT_EQ(recordedText("short"), "short");
  const std::string exactly(kMaxTextBytes, 'a');
  EXPECT_EQ(recordedText(exactly), exactly);

  // Two-byte characters, so a cut at an arbitrary byte could split one.
  std::string accents;
  while (accents.size() < 3 * kMaxTextBytes) accents += "\xc3\xa9";
  const std::string cut = recordedText(accents);
  EXPECT_LE(cut.size(), kMaxTextBytes);
  const size_t note = cut.find(" \xe2\x80\xa6 [");
  ASSERT_NE(note, std::string::npos);
  EXPECT_EQ(note % 2, 0u) << "cut between two characters, never inside one";
  EXPECT_EQ(cut.compare(0, note, accents, 0, note), 0);
  EXPECT_EQ(cut.substr(note), " \xe2\x80\xa6 [" + std::to_string(accents.size() - note) + " more bytes not recorded]");

  // And it fits a String record the decoder accepts.
  Forger f;
  f.add(event(EventKind::String, {1}), cut);
  Decoded d = decodeAll(f.bytes);
  EXPECT_EQ(d.events.size(), 1u) << d.problem;
}

TEST(HostileTrace, AppendingForgedStringIdsDirectlyStaysSmall) {
  // Trace::append is also called without a decoder in front (tests, tools).
  Trace trace;
  trace.append(event(EventKind::String, {-1}), "minus one");
  trace.append(event(EventKind::String, {-2}), "minus two");
  trace.append(event(EventKind::String, {200'000'000}), "far");
  trace.append(event(EventKind::String, {3}), "three");
  EXPECT_EQ(trace.str(-1), "minus one");
  EXPECT_EQ(trace.str(200'000'000), "far");
  EXPECT_EQ(trace.str(3), "three");
  EXPECT_EQ(trace.str(199'999'999), "");
}

TEST(HostileTrace, StringKeptAsideStaysFoundWhenTheTableGrowsPastIt) {
  Trace trace;
  trace.append(event(EventKind::String, {10'000}), "early bird");  // far ahead: kept aside
  for (int64_t id = 1; id <= 10'010; ++id)
    if (id != 10'000) trace.append(event(EventKind::String, {id}), "s" + std::to_string(id));
  EXPECT_EQ(trace.str(10'000), "early bird");
  EXPECT_EQ(trace.str(10'001), "s10001");
}

// --- checksums ---------------------------------------------------------------------------------

TEST(HostileTrace, Crc32cMatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c("6789", crc32c("12345")), 0xE3069283u) << "it can run on across pieces";
  EXPECT_EQ(crc32c(""), 0u);
}

TEST(HostileTrace, DocumentedExampleBlockDecodes) {
  // docs/trace-format.md, "Example".
  const unsigned char example[] = {
      0x18, 0x00, 0x00, 0x00, 0xE7, 0xFF, 0xFF, 0xFF, 0x03, 0xD0, 0x49, 0xBA,  // block header
      0x00, 0x00, 0x00, 0x06, 0x07, 0x66, 0x73, 0x2E, 0x72, 0x65, 0x61, 0x64,
      0x07, 0x00, 0xB8, 0x17, 0x0A, 0x01, 0x16, 0x02, 0xC7, 0x01, 0xD8, 0x04};
  std::string bytes = TraceEncoder::header() + std::string(reinterpret_cast<const char*>(example), sizeof example);
  Decoded d = decodeAll(bytes);
  ASSERT_EQ(d.events.size(), 3u) << d.problem;
  EXPECT_EQ(d.last, TraceDecoder::Status::NeedMore);
  EXPECT_EQ(d.events[1].kind, EventKind::PhaseEnter);
  EXPECT_EQ(d.events[1].b(), -1);
  EXPECT_EQ(d.events[2].ts, 1400u);
  EXPECT_EQ(d.events[2].thread, 2);
}

bool sameEvents(const Trace& x, const Trace& y) {
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    const Event &a = x.events()[i], &b = y.events()[i];
    if (a.ts != b.ts || a.kind != b.kind || a.thread != b.thread || a.f != b.f) return false;
  }
  return true;
}

// Every byte of a real trace recorded by the engine, flipped three ways: each change is either
// reported (never Ok) or, where the byte does not matter (reserved header bytes), reads back
// exactly the same events and strings.
TEST(HostileTrace, EveryFlippedByteOfARealTraceIsReportedOrHarmless) {
  std::string original = readBytes(kHostileDir / "real-seed-order.lstrace");
  ASSERT_GT(original.size(), 1000u);
  TraceFile clean = readBytesAsFile(original, "clean");
  ASSERT_EQ(clean.status, ReadStatus::Ok) << clean.problem;
  int harmless = 0, reported = 0;
  for (size_t at = 0; at < original.size(); ++at) {
    for (uint8_t mask : {uint8_t(0x01), uint8_t(0x80), uint8_t(0xff)}) {
      std::string damaged = original;
      damaged[at] = char(uint8_t(damaged[at]) ^ mask);
      TraceFile file = readBytesAsFile(damaged, "flip");
      if (file.status == ReadStatus::Ok) {
        ASSERT_TRUE(sameEvents(file.trace, clean.trace))
            << "byte " << at << " ^ " << int(mask) << " read as different events";
        for (int64_t id = 0; id < 80; ++id) ASSERT_EQ(file.trace.str(id), clean.trace.str(id));
        ++harmless;
      } else {
        ASSERT_FALSE(file.problem.empty());
        if (at >= kTraceHeaderSize && file.status == ReadStatus::Corrupt) {
          ASSERT_NE(file.problem.find("at byte "), std::string::npos) << file.problem;
        }
        ++reported;
      }
    }
  }
  EXPECT_EQ(harmless, 6 * 3) << "only the six reserved header bytes are unchecked";
  EXPECT_EQ(reported + harmless, int(original.size() * 3));
}

TEST(HostileTrace, DamageInALaterBlockKeepsTheBlocksBeforeIt) {
  Forger f;
  for (int i = 1; i <= 5; ++i) {
    f.add(event(EventKind::Iteration, {i}));
    f.encoder.closeBlock(f.bytes);
  }
  size_t blockSize = (f.bytes.size() - kTraceHeaderSize) / 5;
  size_t fourthBlock = kTraceHeaderSize + 3 * blockSize;
  f.bytes[fourthBlock + kBlockHeaderSize + 1] ^= 0x01;  // the thread byte of its record
  TraceFile file = readBytesAsFile(f.bytes);
  expectCorruptAt(file, fourthBlock, "fails its checksum", 3);
}

TEST(HostileTrace, CutLastBlockYieldsItsWholeRecordsAndSaysSo) {
  Forger f;
  for (int i = 1; i <= 10; ++i) f.add(event(EventKind::Iteration, {i}));
  std::string cut = f.bytes.substr(0, f.bytes.size() - 1);
  TraceFile file = readBytesAsFile(cut);
  EXPECT_EQ(file.status, ReadStatus::Truncated);
  EXPECT_NE(file.problem.find("cut short"), std::string::npos) << file.problem;
  EXPECT_EQ(file.trace.size(), 9u);
  // Live, the same bytes wait for the rest of the block rather than hand out unchecked records.
  Decoded live = decodeAll(cut);
  EXPECT_EQ(live.last, TraceDecoder::Status::NeedMore);
  EXPECT_TRUE(live.events.empty());
}

}  // namespace

TEST(HostileTrace, EndlessDeviceIsNotATraceAndIsNotReadToTheEnd) {
  auto start = std::chrono::steady_clock::now();
  TraceFile zeros = readTraceFile("/dev/zero");
  EXPECT_EQ(zeros.status, ReadStatus::NotATrace) << zeros.problem;
  EXPECT_LT(zeros.bytes, uint64_t(4) << 20) << "stopped after the first bytes";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  TraceFile folder = readTraceFile(kHostileDir.string());
  EXPECT_EQ(folder.status, ReadStatus::Unreadable);
  EXPECT_NE(folder.problem.find("is a folder"), std::string::npos) << folder.problem;
}
