#include "interpret/units.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>

namespace loopscope {
namespace {

std::string fixed(const char* sign, double value, int decimals, const char* unit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%.*f %s", sign, decimals, value, unit);
  return buf;
}

}  // namespace

std::string bytesText(int64_t bytes) {
  // Negative sizes appear as differences between heap snapshots.
  double v = bytes < 0 ? -double(bytes) : double(bytes);
  const char* sign = bytes < 0 ? "-" : "";
  if (v < 1024) return fixed(sign, v, 0, "B");
  if (v < 1024.0 * 1024) return fixed(sign, v / 1024, v < 10240 ? 1 : 0, "KB");
  if (v < 1024.0 * 1024 * 1024) return fixed(sign, v / 1048576.0, v < 10485760.0 ? 1 : 0, "MB");
  return fixed(sign, v / 1073741824.0, 2, "GB");
}

std::string durationText(int64_t ns) {
  double v = double(ns);
  double a = std::abs(v);
  if (a < 1e3) return std::to_string(ns) + " ns";
  if (a < 1e6) return fixed("", v / 1e3, a < 1e4 ? 1 : 0, "µs");
  if (a < 1e9) return fixed("", v / 1e6, a < 1e7 ? 1 : 0, "ms");
  return fixed("", v / 1e9, 2, "s");
}

std::string decimalFixed(int64_t value, int digits) {
  uint64_t unit = 1;
  for (int k = 0; k < digits; ++k) unit *= 10;
  uint64_t magnitude = value < 0 ? uint64_t(0) - uint64_t(value) : uint64_t(value);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%" PRIu64 ".%0*" PRIu64, value < 0 ? "-" : "", magnitude / unit, digits,
                magnitude % unit);
  return buf;
}

int64_t saturatingMul(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_mul_overflow(a, b, &out)) return out;
  return (a < 0) != (b < 0) ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
}

int64_t saturatingAdd(int64_t a, int64_t b) {
  int64_t out;
  if (!__builtin_add_overflow(a, b, &out)) return out;
  return a < 0 ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max();
}

}  // namespace loopscope
