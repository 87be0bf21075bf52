// The file round trip every reader starts from: encoder -> decoder, readTraceFile on whole,
// cut, garbage and foreign files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "trace/chrome_export.h"
#include "trace/report.h"
#include "../common/text_lines.h"
#include "../common/trace_builder.h"

using namespace loopscope;
using namespace loopscope::test;

namespace {

std::string tempPath(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("trace-export-test-" + std::to_string(getpid()) + "-" + name + ".lstrace");
}

void writeFile(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

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
  std::ostringstream out;
  printInfo(file, out);
  auto all = lines(out.str());
  EXPECT_GE(findLine(all, "events: " + std::to_string(b.size())), 0);
  EXPECT_GE(findLine(all, "file size: " + std::to_string(bytes.size()) + " bytes"), 0);
}

}  // namespace
