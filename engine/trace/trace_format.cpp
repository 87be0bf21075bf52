#include "trace_format.h"

#include <cstring>

namespace loopscope {
namespace {

void putVarint(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(char(uint8_t(v) | 0x80));
    v >>= 7;
  }
  out.push_back(char(v));
}

uint64_t zigzag(int64_t v) { return (uint64_t(v) << 1) ^ uint64_t(v >> 63); }
int64_t unzigzag(uint64_t v) { return int64_t(v >> 1) ^ -int64_t(v & 1); }

// Returns false if the varint runs past the data (need more) or is overlong (sets `bad`).
bool getVarint(std::string_view d, size_t& pos, uint64_t& v, bool& bad) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= d.size()) return false;
    uint8_t byte = uint8_t(d[pos++]);
    v |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  bad = true;
  return false;
}

}  // namespace

std::string TraceEncoder::header() {
  std::string h(kTraceHeaderSize, '\0');
  std::memcpy(h.data(), kTraceMagic, sizeof kTraceMagic);
  h[8] = char(kTraceVersion & 0xff);
  h[9] = char(kTraceVersion >> 8);
  return h;
}

void TraceEncoder::encode(const Event& ev, std::string_view text, std::string& out) {
  out.push_back(char(ev.kind));
  out.push_back(char(ev.thread));
  putVarint(zigzag(int64_t(ev.ts - prevTs_)), out);
  prevTs_ = ev.ts;
  int n = fieldCount(ev.kind);
  for (int i = 0; i < n; ++i) putVarint(zigzag(ev.f[i]), out);
  if (ev.kind == EventKind::String) {
    putVarint(text.size(), out);
    out.append(text);
  }
}

std::string TraceDecoder::checkHeader(std::string_view data) {
  if (data.size() < kTraceHeaderSize) {
    if (data.size() < sizeof kTraceMagic ||
        std::memcmp(data.data(), kTraceMagic, sizeof kTraceMagic) != 0)
      return "it is not a Loopscope trace (the file is too short to hold a trace header)";
    return "the trace header is cut short";
  }
  if (std::memcmp(data.data(), kTraceMagic, sizeof kTraceMagic) != 0)
    return "it is not a Loopscope trace (the file does not start with the trace signature)";
  unsigned version = uint8_t(data[8]) | unsigned(uint8_t(data[9])) << 8;
  if (version != kTraceVersion)
    return "it is trace format version " + std::to_string(version) +
           ", but this build reads version " + std::to_string(kTraceVersion);
  return "";
}

TraceDecoder::Status TraceDecoder::next(std::string_view d, size_t& pos, Event& ev,
                                        std::string& text) {
  size_t p = pos;
  if (p + 2 > d.size()) return Status::NeedMore;
  uint8_t kind = uint8_t(d[p]);
  if (kind >= uint8_t(EventKind::KindCount)) {
    problem_ = "unknown record kind " + std::to_string(kind) + " at byte " + std::to_string(p);
    return Status::Corrupt;
  }
  ev.kind = EventKind(kind);
  ev.thread = uint8_t(d[p + 1]);
  p += 2;
  bool bad = false;
  uint64_t v;
  if (!getVarint(d, p, v, bad)) goto incomplete;
  ev.ts = prevTs_ + uint64_t(unzigzag(v));
  {
    int n = fieldCount(ev.kind);
    for (int i = 0; i < kMaxFields; ++i) {
      if (i < n) {
        if (!getVarint(d, p, v, bad)) goto incomplete;
        ev.f[i] = unzigzag(v);
      } else {
        ev.f[i] = 0;
      }
    }
  }
  text.clear();
  if (ev.kind == EventKind::String) {
    if (!getVarint(d, p, v, bad)) goto incomplete;
    if (v > (uint64_t(1) << 30)) {
      problem_ = "implausible string length at byte " + std::to_string(pos);
      return Status::Corrupt;
    }
    if (p + v > d.size()) return Status::NeedMore;
    text.assign(d.substr(p, v));
    p += v;
  }
  prevTs_ = ev.ts;
  pos = p;
  return Status::Event;
incomplete:
  if (bad) {
    problem_ = "malformed number at byte " + std::to_string(pos);
    return Status::Corrupt;
  }
  return Status::NeedMore;
}

}  // namespace loopscope
