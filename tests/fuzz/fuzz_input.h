// What the trace fuzz targets share: turning fuzzer bytes into a trace stream. Fuzzers cannot
// forge a CRC, so an input that does not start with the trace signature is taken as record
// bytes and framed here (header + one checksummed block): the mutations then reach the record
// checks and everything above them instead of dying at the checksum.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "trace/trace_format.h"

namespace loopscope::fuzz {

inline std::string traceStreamFrom(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.size() >= sizeof kTraceMagic && std::memcmp(input.data(), kTraceMagic, sizeof kTraceMagic) == 0)
    return std::string(input);
  std::string out = TraceEncoder::header();
  if (input.empty()) return out;
  auto n = uint32_t(input.size());
  const uint32_t words[3] = {n, ~n, crc32c(input)};
  for (uint32_t w : words)
    for (int i = 0; i < 4; ++i) out.push_back(char(uint8_t(w >> (8 * i))));
  out.append(input);
  return out;
}

}  // namespace loopscope::fuzz
