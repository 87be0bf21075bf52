// The on-disk encoding of a trace (docs/trace-format.md): a 16-byte header, then blocks, each a
// 12-byte block header (payload length, its complement, a CRC-32C of the payload) followed by
// whole records. A record is a kind byte, a thread byte, the timestamp as a zig-zag varint delta
// from the previous record, and the kind's fields as zig-zag varints. Written incrementally, so a
// cut file still decodes up to its last whole record; a flipped byte fails its block's checksum.
//
// Every byte a decoder reads is treated as hostile: a trace may come from a stranger, and the
// live pipe is shared with the snippet that is being recorded (it can write into it). So the
// decoder checks each record against what the engine can write (known kind, bounded varints,
// plausible string ids and lengths, enumerations in range, a pool size of 1..127, pool-slot
// threads within it) and reports the first violation with its byte offset; nothing above the
// decoder ever sees a record that failed these checks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events.h"

namespace loopscope {

constexpr char kTraceMagic[8] = {'L', 'S', 'T', 'R', 'A', 'C', 'E', '\x1a'};
// Version 2 framed the records in checksummed blocks; version 1 files (no blocks) are refused
// with a sentence that says so.
constexpr uint16_t kTraceVersion = 2;
constexpr size_t kTraceHeaderSize = 16;
constexpr size_t kBlockHeaderSize = 12;
// The encoder starts a new block once a block holds this much; a single record larger than this
// (a long console line) gets a block of its own.
constexpr size_t kBlockTargetPayload = 64 * 1024;
// A string's text is at most 1 MiB: the recorder cuts a longer one (a console line holding a
// whole file) and ends it with a note saying how much it left out (recordedText()). A block grows
// past kBlockTargetPayload only by its last record, so it holds at most that much plus one such
// record (64 bytes cover a String record's kind, thread and three varints).
//
// The bound is what keeps a live reader honest: the snippet shares the engine's trace pipe, and a
// forged but self-consistent block header would otherwise make the app wait for, and buffer, as
// many bytes as the header claims. Anything above kMaxBlockPayload is refused at once.
constexpr uint64_t kMaxTextBytes = uint64_t(1) << 20;
constexpr uint64_t kMaxBlockPayload = kBlockTargetPayload + kMaxTextBytes + 64;
// String ids are handed out in order from 1; records from different threads can arrive out of
// order, but never this far ahead of the strings already seen.
constexpr int64_t kStringIdLookahead = int64_t(1) << 16;
// References to strings (names, scripts, console text) are ids below this.
constexpr int64_t kMaxStringId = (int64_t(1) << 31) - 1;
// Timestamps are ns since the run started: 2^62 ns is about 146 years.
constexpr uint64_t kMaxTimestamp = uint64_t(1) << 62;

// `text` as the recorder stores it: unchanged up to kMaxTextBytes; longer, cut at a UTF-8
// character boundary and ended with " … [N more bytes not recorded]", kMaxTextBytes at most.
std::string recordedText(std::string_view text);

// CRC-32C (Castagnoli), the block checksum. Uses the CPU's crc32 instruction where there is one.
// `crc` is the value returned for the bytes before (0 to start). Any thread may call it.
uint32_t crc32c(std::string_view bytes, uint32_t crc = 0);

// Appends encoded records to a byte buffer; the caller decides when to write it out. One thread
// at a time (the recorder's writer thread, or a test building a file).
//
// Records always travel inside a block. By default encode() keeps the block it opened in `out`
// up to date after every record (length and checksum rewritten in place), so the buffer is a
// valid stream of whole blocks at any moment. A block continues only while the caller passes the
// same buffer with nothing appended behind the encoder's back; otherwise, after closeBlock(), or
// once the block reached kBlockTargetPayload, the next record opens a new block.
class TraceEncoder {
 public:
  static std::string header();
  // `text` is used only by String records.
  void encode(const Event& ev, std::string_view text, std::string& out);
  // Finishes the open block in `out` (if any); the next record starts a new block. The recorder
  // calls it after each batch it writes.
  void closeBlock(std::string& out);
  // From now on the open block's header is written only when the block is finished (by
  // closeBlock() or when the next block opens), not after every record: one checksum pass over
  // the whole block instead of one per record, which halves the encoder's time per event. The
  // buffer is then a valid stream only after closeBlock().
  void sealOnlyWhenClosed() { m_sealEachRecord = false; }

 private:
  void seal(std::string& out);

  bool m_sealEachRecord = true;
  uint64_t m_prevTs = 0;
  const std::string* m_blockBuffer = nullptr;  // where the open block is, if any
  size_t m_blockStart = 0;                     // offset of its block header in that buffer
  size_t m_blockEnd = 0;                       // the buffer's size after the last record
  uint32_t m_blockCrc = 0;
};

// Decodes records from a byte stream fed in chunks (a file read whole, or a pipe read live).
// One thread at a time. The caller starts `pos` right after the header; the decoder counts the
// bytes it consumes, so offsets in its problems are offsets in the stream even when the caller
// drops consumed bytes from its buffer and restarts `pos` at 0.
class TraceDecoder {
 public:
  enum class Status { NeedMore, Event, Corrupt };
  // Checks the header at the start of `data`; on failure returns the reason, else "".
  static std::string checkHeader(std::string_view data);
  // Decodes one record from data[pos...]. On Event, advances pos past it. A block's records are
  // handed out only once the whole block has arrived and its checksum matched (until then:
  // NeedMore). After Corrupt every further call returns Corrupt.
  Status next(std::string_view data, size_t& pos, Event& ev, std::string& text);
  // No more bytes will come (end of file, pipe closed). A last block that was cut short (a run
  // killed in the middle of a write) can no longer be verified; from now on its whole records
  // are still handed out, and readCutBlock() says so.
  void endOfData() { m_endOfData = true; }
  bool readCutBlock() const { return m_cutBlock; }
  // The stream offset of data[pos] (the first byte not yet consumed).
  uint64_t offset() const { return m_offset; }
  // After Corrupt: "at byte N: what is wrong".
  const std::string& problem() const { return m_problem; }

 private:
  Status fail(uint64_t at, const std::string& what);
  // Checks a decoded record against what the engine writes; "" when it is plausible.
  std::string implausibility(const Event& ev);

  uint64_t m_prevTs = 0;
  uint64_t m_offset = kTraceHeaderSize;
  uint64_t m_blockLeft = 0;  // bytes of the current block not yet decoded
  bool m_endOfData = false;
  bool m_cutBlock = false;
  bool m_failed = false;
  std::string m_problem;
  // What the checks need to remember.
  std::vector<bool> m_stringDefined;  // by id; sized up to the highest id seen
  int64_t m_stringsSeen = 0;
  int64_t m_poolSize = 0;  // 0 until the run-start record
};

}  // namespace loopscope
