// libFuzzer target: a trace through everything that reads it — decoder, Trace, loop-state
// reconstruction and seeking, health warnings, the Chrome and CSV exports, `info` and
// `timeline` — as `loopscope-engine` and the app do with a file a stranger sent.
#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>

#include "fuzz_input.h"
#include "trace/chrome_export.h"
#include "trace/csv_export.h"
#include "trace/health.h"
#include "trace/loop_state.h"
#include "trace/report.h"
#include "trace/trace.h"
#include "trace/trace_format.h"

using namespace loopscope;

namespace {

// Swallows output (the formatting work still runs), so big outputs cost no memory.
class DiscardBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c == EOF ? 0 : c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string stream = fuzz::traceStreamFrom(data, size);
  TraceFile file;
  file.bytes = stream.size();
  if (std::string why = TraceDecoder::checkHeader(stream); !why.empty()) return 0;
  TraceDecoder decoder;
  size_t pos = kTraceHeaderSize;
  Event ev;
  std::string text;
  for (bool ended = false;;) {
    auto st = decoder.next(stream, pos, ev, text);
    if (st == TraceDecoder::Status::Event) {
      file.trace.append(ev, text);
      continue;
    }
    if (st == TraceDecoder::Status::Corrupt) {
      file.status = ReadStatus::Corrupt;
      file.problem = decoder.problem();
      break;
    }
    if (ended) break;
    decoder.endOfData();
    ended = true;
  }
  file.trace.sortByTime();
  if (file.status == ReadStatus::Ok && !file.trace.runEnd()) file.status = ReadStatus::Truncated;

  DiscardBuffer discard;
  std::ostream out(&discard);
  printInfo(file, out);
  TimelineOptions options;
  options.maxLines = 5000;
  printTimeline(file.trace, out, options);
  exportChrome(file.trace, out);
  exportCsv(file.trace, out);
  (void)findHealthWarnings(file.trace);

  LoopTimeline timeline(file.trace, 64);
  size_t n = timeline.size();
  for (size_t at : {n, n / 2, size_t(0), n / 3}) {
    LoopState state = timeline.stateAt(at);
    out << loopStateJson(state);
  }
  (void)timeline.next(0, LoopTimeline::Step::Callback);
  (void)timeline.previous(n, LoopTimeline::Step::Iteration);
  (void)timeline.consoleUpTo(n);
  return 0;
}
