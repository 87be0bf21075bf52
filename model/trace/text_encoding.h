// Text from a recorded program, made safe for the formats it is written into. A snippet's console
// output can hold any bytes (a lone surrogate arrives as bytes that are not UTF-8), and strict
// readers (JSON parsers, pandas) reject them. Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

namespace loopscope {

// Appends `text` to `out` as a quoted JSON string: quotes, backslashes and control characters
// escaped, byte sequences that are not valid UTF-8 replaced by U+FFFD, so any console output
// yields valid JSON.
void appendJsonString(std::string& out, std::string_view text);

// `text` with every byte that is not part of well-formed UTF-8 replaced by U+FFFD.
std::string toValidUtf8(std::string_view text);

}  // namespace loopscope
