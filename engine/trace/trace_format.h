// The on-disk encoding of a trace (docs/trace-format.md): a 16-byte header, then records, each
// a kind byte, a thread byte, the timestamp as a zig-zag varint delta from the previous record,
// and the kind's fields as zig-zag varints. Written incrementally, so a cut file still decodes up
// to its last whole record.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "events.h"

namespace loopscope {

constexpr char kTraceMagic[8] = {'L', 'S', 'T', 'R', 'A', 'C', 'E', '\x1a'};
constexpr uint16_t kTraceVersion = 1;
constexpr size_t kTraceHeaderSize = 16;

// Appends encoded records to a byte buffer; the caller decides when to write it out.
class TraceEncoder {
 public:
  static std::string header();
  // `text` is used only by String records.
  void encode(const Event& ev, std::string_view text, std::string& out);

 private:
  uint64_t prevTs_ = 0;
};

// Decodes records from a byte stream fed in chunks (a file read whole, or a pipe read live).
class TraceDecoder {
 public:
  enum class Status { NeedMore, Event, Corrupt };
  // Checks the header at the start of `data`; on failure returns the reason, else "".
  static std::string checkHeader(std::string_view data);
  // Decodes one record from data[pos...]. On Event, advances pos past it.
  Status next(std::string_view data, size_t& pos, Event& ev, std::string& text);
  const std::string& problem() const { return problem_; }

 private:
  uint64_t prevTs_ = 0;
  std::string problem_;
};

}  // namespace loopscope
