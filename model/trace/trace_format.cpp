#include "trace_format.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace loopscope {
namespace {

// --- CRC-32C ---------------------------------------------------------------------------------
// Castagnoli's polynomial, because x86 computes it in one instruction per 8 bytes (SSE 4.2):
// the recorder checksums every byte it writes, on a machine whose two cores the snippet shares.
// The table version gives the same numbers where the instruction is missing.

constexpr uint32_t kCastagnoliReflected = 0x82F63B78u;

constexpr std::array<uint32_t, 256> makeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ kCastagnoliReflected : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = makeCrcTable();

uint32_t crc32cTable(const uint8_t* p, size_t n, uint32_t c) {
  for (size_t i = 0; i < n; ++i) c = kCrcTable[(c ^ p[i]) & 0xff] ^ (c >> 8);
  return c;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t crc32cHardware(const uint8_t* p, size_t n, uint32_t c) {
  uint64_t c64 = c;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c64 = _mm_crc32_u64(c64, word);
  }
  c = uint32_t(c64);
  for (; n > 0; ++p, --n) c = _mm_crc32_u8(c, *p);
  return c;
}
const bool kHaveCrcInstruction = __builtin_cpu_supports("sse4.2");
#endif

// --- varints ---------------------------------------------------------------------------------

void putVarint(uint64_t v, std::string& out) {
  while (v >= 0x80) {
    out.push_back(char(uint8_t(v) | 0x80));
    v >>= 7;
  }
  out.push_back(char(v));
}

uint64_t zigzag(int64_t v) { return (uint64_t(v) << 1) ^ uint64_t(v >> 63); }
int64_t unzigzag(uint64_t v) { return int64_t(v >> 1) ^ -int64_t(v & 1); }

enum class VarintResult { Ok, NeedMore, Malformed };

// A 64-bit value takes at most 10 bytes, and the tenth may carry only the top bit: anything
// more would not fit and is malformed, never silently wrapped.
VarintResult getVarint(std::string_view d, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= d.size()) return VarintResult::NeedMore;
    uint8_t byte = uint8_t(d[pos++]);
    if (shift == 63 && byte > 1) return VarintResult::Malformed;
    v |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return VarintResult::Ok;
  }
  return VarintResult::Malformed;
}

void putLittle32(std::string& out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + size_t(i)] = char(uint8_t(v >> (8 * i)));
}
uint32_t getLittle32(std::string_view d, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t(uint8_t(d[at + size_t(i)])) << (8 * i);
  return v;
}

// --- what each field may hold ----------------------------------------------------------------

enum class FieldRule : uint8_t {
  Any,        // a number the engine copies through (ids, sizes, codes): every value is legal
  StringRef,  // a string id: 0 (none) .. kMaxStringId
  Range,      // an enumeration or flag: lo..hi
};
struct Field {
  FieldRule rule = FieldRule::Any;
  int64_t lo = 0, hi = 0;
};
constexpr Field kAny{};
constexpr Field kStr{FieldRule::StringRef, 0, 0};
constexpr Field range(int64_t lo, int64_t hi) { return {FieldRule::Range, lo, hi}; }
constexpr Field kFlag = range(0, 1);
constexpr Field kPhase = range(0, int64_t(Phase::Count) - 1);
constexpr Field kThread = range(0, 255);

using Rules = std::array<Field, kMaxFields>;

// The table follows docs/trace-format.md's list of kinds. String's own id and RunStart's pool
// size are checked separately (they depend on what came before).
Rules rulesFor(EventKind kind) {
  switch (kind) {
    case EventKind::Meta: return {kStr, kStr};
    case EventKind::RunStart: return {kAny, kAny, kStr, kAny};
    case EventKind::RunEnd: return {kAny, range(0, 5), kAny};
    case EventKind::LoopStart: return {range(0, 2)};
    case EventKind::LoopEnd: return {kFlag};
    case EventKind::PhaseEnter: return {kPhase, kAny};
    case EventKind::PhaseExit: return {kPhase, kAny};
    case EventKind::FunctionSite: return {kAny, kStr, kStr, kAny, kAny};
    case EventKind::AsyncInit: return {kAny, kAny, kStr, kAny};
    case EventKind::TimerScheduled: return {kAny, kAny, kAny, kAny, kFlag};
    case EventKind::PoolSubmit: return {kAny, kStr, kAny};
    case EventKind::StreamCreated: return {kAny, kStr, kAny};
    case EventKind::StreamState: return {kAny, range(1, 9), kAny, kAny, range(1, 2)};
    case EventKind::Console: return {kAny, kStr};
    case EventKind::UncaughtError: return {kStr, kStr, kAny, kAny, kStr};
    case EventKind::Paused: return {range(1, 2), kAny};
    case EventKind::ChildSpawn: return {kAny, kStr, kAny};
    case EventKind::ChildExit: return {kAny, kAny, kStr};
    case EventKind::IpcMessage: return {kAny, range(1, 2), kAny};
    case EventKind::JitOptimized: return {kStr, range(1, 2), kStr, kAny};
    case EventKind::JitDeoptimized: return {kStr, kStr, kStr};
    case EventKind::ShapeCheck: return {kStr, kFlag, kFlag, kFlag};
    case EventKind::HeapSnapshot: return {kAny, kStr, kAny, kAny};
    case EventKind::HeapClass: return {kAny, kStr, kAny, kAny, kAny};
    case EventKind::ListenerCount: return {kAny, kStr, kAny, kStr};
    case EventKind::AtomicsWaitEnd: return {range(1, 5)};
    case EventKind::MessagePosted: return {kThread, kAny};
    case EventKind::MainScriptBody: return {kFlag};
    case EventKind::BuiltinModuleLoad: return {kFlag, kStr};
    case EventKind::HandleActive: return {kAny, kFlag};
    default: return {};
  }
}

constexpr const char* kFieldNames[kMaxFields] = {"a", "b", "c", "d", "e", "f"};

}  // namespace

uint32_t crc32c(std::string_view bytes, uint32_t crc) {
  auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  uint32_t c = ~crc;
#if defined(__x86_64__)
  if (kHaveCrcInstruction) return ~crc32cHardware(p, bytes.size(), c);
#endif
  return ~crc32cTable(p, bytes.size(), c);
}

std::string recordedText(std::string_view text) {
  if (text.size() <= kMaxTextBytes) return std::string(text);
  // The note is under 64 bytes (20 digits at most), so the cut text and the note fit the bound.
  size_t keep = size_t(kMaxTextBytes) - 64;
  while (keep > 0 && (uint8_t(text[keep]) & 0xC0) == 0x80) --keep;  // not inside a character
  std::string cut(text.substr(0, keep));
  cut += " \u2026 [" + std::to_string(text.size() - keep) + " more bytes not recorded]";
  return cut;
}

std::string TraceEncoder::header() {
  std::string h(kTraceHeaderSize, '\0');
  std::memcpy(h.data(), kTraceMagic, sizeof kTraceMagic);
  h[8] = char(kTraceVersion & 0xff);
  h[9] = char(kTraceVersion >> 8);
  return h;
}

void TraceEncoder::seal(std::string& out) {
  auto payload = uint32_t(out.size() - m_blockStart - kBlockHeaderSize);
  if (!m_sealEachRecord) m_blockCrc = crc32c(std::string_view(out).substr(m_blockStart + kBlockHeaderSize));
  putLittle32(out, m_blockStart, payload);
  putLittle32(out, m_blockStart + 4, ~payload);
  putLittle32(out, m_blockStart + 8, m_blockCrc);
}

void TraceEncoder::closeBlock(std::string& out) {
  if (m_blockBuffer == &out && out.size() == m_blockEnd && !m_sealEachRecord) seal(out);
  m_blockBuffer = nullptr;
}

void TraceEncoder::encode(const Event& ev, std::string_view text, std::string& out) {
  bool sameBuffer = m_blockBuffer == &out && out.size() == m_blockEnd;
  bool continues = sameBuffer && m_blockEnd - m_blockStart - kBlockHeaderSize < kBlockTargetPayload;
  if (!continues) {
    if (sameBuffer && !m_sealEachRecord) seal(out);  // the full block before this one
    m_blockBuffer = &out;
    m_blockStart = out.size();
    m_blockCrc = 0;
    out.append(kBlockHeaderSize, '\0');
  }
  size_t recordStart = out.size();
  out.push_back(char(ev.kind));
  out.push_back(char(ev.thread));
  putVarint(zigzag(int64_t(ev.ts - m_prevTs)), out);
  m_prevTs = ev.ts;
  int n = fieldCount(ev.kind);
  for (int i = 0; i < n; ++i) putVarint(zigzag(ev.f[size_t(i)]), out);
  if (ev.kind == EventKind::String) {
    putVarint(text.size(), out);
    out.append(text);
  }
  m_blockEnd = out.size();
  if (m_sealEachRecord) {
    // The checksum runs on incrementally, so rewriting the header costs a few bytes per record.
    m_blockCrc = crc32c(std::string_view(out).substr(recordStart), m_blockCrc);
    seal(out);
  }
}

std::string TraceDecoder::checkHeader(std::string_view data) {
  if (data.size() < kTraceHeaderSize) {
    if (data.size() < sizeof kTraceMagic || std::memcmp(data.data(), kTraceMagic, sizeof kTraceMagic) != 0)
      return "it is not a Loopscope trace (the file is too short to hold a trace header)";
    return "the trace header is cut short";
  }
  if (std::memcmp(data.data(), kTraceMagic, sizeof kTraceMagic) != 0)
    return "it is not a Loopscope trace (the file does not start with the trace signature)";
  unsigned version = uint8_t(data[8]) | unsigned(uint8_t(data[9])) << 8;
  if (version == 1)
    return "it is trace format version 1, written by an older Loopscope without block "
           "checksums, and this build reads version " +
           std::to_string(kTraceVersion) + " only: record the snippet again";
  if (version != kTraceVersion)
    return "it is trace format version " + std::to_string(version) + ", but this build reads version " +
           std::to_string(kTraceVersion) + (version > kTraceVersion ? " (it was written by a newer Loopscope)" : "");
  return "";
}

TraceDecoder::Status TraceDecoder::fail(uint64_t at, const std::string& what) {
  m_failed = true;
  m_problem = "at byte " + std::to_string(at) + ": " + what;
  return Status::Corrupt;
}

std::string TraceDecoder::implausibility(const Event& ev) {
  if (ev.kind == EventKind::String) {
    int64_t id = ev.a();
    if (id <= 0) return "a string record has id " + std::to_string(id) + " (ids start at 1)";
    if (id > m_stringsSeen + kStringIdLookahead)
      return "a string record has id " + std::to_string(id) + " after only " + std::to_string(m_stringsSeen) +
             " strings";
    if (size_t(id) < m_stringDefined.size() && m_stringDefined[size_t(id)])
      return "string id " + std::to_string(id) + " is defined twice";
    return "";  // the text's length was bounded while decoding
  }
  if (ev.kind == EventKind::RunStart) {
    if (m_poolSize != 0) return "a second run-start record";
    if (ev.a() < 1 || ev.a() > kMaxPoolSlots)
      return "the run-start record gives a thread-pool size of " + std::to_string(ev.a()) + " (it must be 1.." +
             std::to_string(kMaxPoolSlots) + ")";
  }
  // Pool slots are numbered from 1 up to the pool size, never beyond it.
  if (isPoolThread(ev.thread) && m_poolSize != 0 && ev.thread > m_poolSize)
    return "a " + std::string(kindName(ev.kind)) + " record on pool slot " + std::to_string(ev.thread) + " of a " +
           std::to_string(m_poolSize) + "-thread pool";
  Rules rules = rulesFor(ev.kind);
  for (int i = 0; i < fieldCount(ev.kind); ++i) {
    const Field& rule = rules[size_t(i)];
    int64_t v = ev.f[size_t(i)];
    bool ok = true;
    switch (rule.rule) {
      case FieldRule::Any: break;
      case FieldRule::StringRef: ok = v >= 0 && v <= kMaxStringId; break;
      case FieldRule::Range: ok = v >= rule.lo && v <= rule.hi; break;
    }
    if (!ok)
      return "a " + std::string(kindName(ev.kind)) + " record has " +
             (rule.rule == FieldRule::StringRef ? "string id " : "") + std::to_string(v) + " in field " +
             kFieldNames[i] +
             (rule.rule == FieldRule::Range
                  ? " (it must be " + std::to_string(rule.lo) + ".." + std::to_string(rule.hi) + ")"
                  : "");
  }
  // Paused before a phase names the phase.
  if (ev.kind == EventKind::Paused && ev.a() == int64_t(PauseAt::Phase) &&
      (ev.b() < 0 || ev.b() >= int64_t(Phase::Count)))
    return "a paused record names phase " + std::to_string(ev.b());
  return "";
}

TraceDecoder::Status TraceDecoder::next(std::string_view d, size_t& pos, Event& ev, std::string& text) {
  if (m_failed) return Status::Corrupt;
  if (pos > d.size()) return fail(m_offset, "the reader lost its place");
  if (m_blockLeft == 0) {
    // A block boundary: take the next block only once it has arrived whole and checks out.
    size_t available = d.size() - pos;
    if (available < kBlockHeaderSize) return Status::NeedMore;
    uint32_t length = getLittle32(d, pos), check = getLittle32(d, pos + 4), crc = getLittle32(d, pos + 8);
    if (check != ~length)
      return fail(m_offset,
                  "damaged block header (its length and the length's complement "
                  "disagree)");
    if (length == 0) return fail(m_offset, "a block claims 0 bytes (the engine never writes an empty block)");
    if (length > kMaxBlockPayload)
      return fail(m_offset, "a block claims " + std::to_string(length) + " bytes, but the engine writes at most " +
                                std::to_string(kMaxBlockPayload) +
                                " in one block (these bytes were not written by it)");
    if (available - kBlockHeaderSize < length) {
      if (!m_endOfData) return Status::NeedMore;
      m_cutBlock = true;
      m_blockLeft = available - kBlockHeaderSize;
      if (m_blockLeft == 0) return Status::NeedMore;
    } else {
      if (crc32c(d.substr(pos + kBlockHeaderSize, length)) != crc)
        return fail(m_offset,
                    "the block of " + std::to_string(length) + " bytes fails its checksum (a byte in it was changed)");
      m_blockLeft = length;
    }
    pos += kBlockHeaderSize;
    m_offset += kBlockHeaderSize;
  }

  // Decode within the block only: a record never spans two blocks.
  std::string_view block = d.substr(0, pos + size_t(m_blockLeft));
  size_t p = pos;
  auto incomplete = [&]() {
    // In a verified block every record is whole, so running out means the writer never wrote
    // this; in a cut last block it is the cut.
    if (m_cutBlock) return Status::NeedMore;
    return fail(m_offset, "a record runs past the end of its block");
  };
  if (p + 2 > block.size()) return incomplete();
  uint8_t kind = uint8_t(block[p]);
  if (kind >= uint8_t(EventKind::KindCount)) return fail(m_offset, "unknown record kind " + std::to_string(kind));
  ev.kind = EventKind(kind);
  ev.thread = uint8_t(block[p + 1]);
  p += 2;
  uint64_t v;
  VarintResult r = getVarint(block, p, v);
  if (r == VarintResult::NeedMore) return incomplete();
  if (r == VarintResult::Malformed) return fail(m_offset, "malformed number (time)");
  int64_t delta = unzigzag(v);
  int64_t ts;
  if (__builtin_add_overflow(int64_t(m_prevTs), delta, &ts) || ts < 0 || uint64_t(ts) > kMaxTimestamp)
    return fail(m_offset, "a " + std::string(kindName(ev.kind)) + " record's time is out of range (" +
                              std::to_string(delta) + " ns after the previous record)");
  ev.ts = uint64_t(ts);
  int n = fieldCount(ev.kind);
  for (int i = 0; i < kMaxFields; ++i) {
    if (i < n) {
      r = getVarint(block, p, v);
      if (r == VarintResult::NeedMore) return incomplete();
      if (r == VarintResult::Malformed)
        return fail(m_offset, "malformed number (field " + std::string(kFieldNames[i]) + ")");
      ev.f[size_t(i)] = unzigzag(v);
    } else {
      ev.f[size_t(i)] = 0;
    }
  }
  text.clear();
  if (ev.kind == EventKind::String) {
    r = getVarint(block, p, v);
    if (r == VarintResult::NeedMore) return incomplete();
    if (r == VarintResult::Malformed) return fail(m_offset, "malformed number (string length)");
    if (v > kMaxTextBytes) return fail(m_offset, "implausible string length " + std::to_string(v));
    if (v > block.size() - p) return incomplete();
    text.assign(block.substr(p, size_t(v)));
    p += size_t(v);
  }
  if (std::string why = implausibility(ev); !why.empty()) return fail(m_offset, why);

  // Accepted: remember what later checks need.
  if (ev.kind == EventKind::String) {
    auto id = size_t(ev.a());
    if (id >= m_stringDefined.size()) m_stringDefined.resize(id + 1, false);
    m_stringDefined[id] = true;
    ++m_stringsSeen;
  } else if (ev.kind == EventKind::RunStart) {
    m_poolSize = ev.a();
  }
  m_prevTs = ev.ts;
  m_offset += p - pos;
  m_blockLeft -= p - pos;
  pos = p;
  return Status::Event;
}

}  // namespace loopscope
