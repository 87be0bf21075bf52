// libFuzzer target: the trace decoder and the Trace store (DESIGN §8: every input is hostile).
// Besides not crashing, it checks that feeding the same bytes in chunks,
// as the app's pipe reader does (dropping consumed bytes), gives exactly the same events and the
// same verdict as reading them whole.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "trace/trace.h"
#include "trace/trace_format.h"

using namespace loopscope;

namespace {

struct Result {
  std::vector<Event> events;
  std::vector<std::string> texts;
  bool corrupt = false;
  std::string problem;
};

// Reads `stream` in chunks of the given sizes, keeping only undecoded bytes, then ends it.
Result decodeInChunks(const std::string& stream, const std::vector<size_t>& chunks) {
  Result r;
  if (!TraceDecoder::checkHeader(stream).empty()) return r;
  TraceDecoder decoder;
  std::string pending;
  size_t pos = 0, fed = kTraceHeaderSize, next = 0;
  Event ev;
  std::string text;
  auto drain = [&] {
    for (;;) {
      auto st = decoder.next(pending, pos, ev, text);
      if (st == TraceDecoder::Status::Event) {
        r.events.push_back(ev);
        r.texts.push_back(text);
        continue;
      }
      if (st == TraceDecoder::Status::Corrupt) {
        r.corrupt = true;
        r.problem = decoder.problem();
      }
      return st;
    }
  };
  while (fed < stream.size() && !r.corrupt) {
    size_t n = chunks.empty() ? stream.size() : chunks[next++ % chunks.size()];
    n = std::min(std::max<size_t>(n, 1), stream.size() - fed);
    pending.append(stream, fed, n);
    fed += n;
    drain();
    pending.erase(0, pos);
    pos = 0;
  }
  if (!r.corrupt) {
    decoder.endOfData();
    drain();
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string stream = fuzz::traceStreamFrom(data, size);
  Result whole = decodeInChunks(stream, {});
  // Chunk sizes taken from the input itself, so they vary with it.
  std::vector<size_t> chunks;
  for (size_t i = 0; i < size && chunks.size() < 8; i += 7) chunks.push_back(1 + data[i] % 97);
  Result pieces = decodeInChunks(stream, chunks);
  if (whole.events.size() != pieces.events.size() || whole.corrupt != pieces.corrupt || whole.problem != pieces.problem)
    std::abort();
  for (size_t i = 0; i < whole.events.size(); ++i) {
    const Event &x = whole.events[i], &y = pieces.events[i];
    if (x.ts != y.ts || x.kind != y.kind || x.thread != y.thread || x.f != y.f || whole.texts[i] != pieces.texts[i])
      std::abort();
  }
  Trace trace;
  for (size_t i = 0; i < whole.events.size(); ++i) trace.append(whole.events[i], whole.texts[i]);
  trace.sortByTime();
  for (const Event& ev : trace.events()) {
    (void)trace.str(ev.a());
    (void)trace.callbackLabel(ev.a());
    (void)trace.asyncType(ev.a());
    (void)Trace::asyncIdText(ev.a());
  }
  (void)trace.meta("node.version");
  return 0;
}
