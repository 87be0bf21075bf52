// Numbers as a person reads them, shared by the terminal, the exports' labels and the app:
// "1.5 MB", "3.2 ms". Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>

namespace loopscope {

// "512 B", "1.5 KB", "12 MB", "1.25 GB" (powers of 1024, one decimal below 10 of a unit).
std::string bytesText(int64_t bytes);
// A duration in ns as "850 ns", "4.2 µs", "42 µs", "3.2 ms", "1.25 s".
std::string durationText(int64_t ns);

// `value` / 10^digits written exactly, without going through a double: decimalFixed(1234567, 6)
// is "1.234567". Exports use it for times so that no nanosecond is lost.
std::string decimalFixed(int64_t value, int digits);

// Arithmetic on numbers read from a trace, which may hold anything: the result sticks at the
// int64 limit instead of overflowing (undefined behaviour in C++).
int64_t saturatingMul(int64_t a, int64_t b);
int64_t saturatingAdd(int64_t a, int64_t b);

}  // namespace loopscope
