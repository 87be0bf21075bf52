// A strict little JSON reader for tests: rejects what Perfetto's and Chrome's JSON importers
// reject (raw control characters in strings, bad escapes, lone surrogates, invalid UTF-8,
// trailing commas), so a test that parses an export knows a viewer would open it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace loopscope::test {

struct JsonValue {
  enum class Type { Null, Bool, Number, String, Array, Object };
  Type type = Type::Null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<JsonValue> items;
  std::map<std::string, JsonValue> members;

  bool has(const std::string& key) const { return members.count(key) > 0; }
  const JsonValue& operator[](const std::string& key) const {
    static const JsonValue missing;
    auto it = members.find(key);
    return it == members.end() ? missing : it->second;
  }
};

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : m_text(text) {}

  bool read(JsonValue& out) {
    skipSpace();
    if (!value(out, 0)) return false;
    skipSpace();
    return m_pos == m_text.size() || fail("text after the document");
  }
  const std::string& error() const { return m_error; }

 private:
  bool fail(const std::string& why) {
    if (m_error.empty()) m_error = why + " at byte " + std::to_string(m_pos);
    return false;
  }
  void skipSpace() {
    while (m_pos < m_text.size() &&
           (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\r' || m_text[m_pos] == '\t'))
      ++m_pos;
  }
  bool literal(std::string_view word) {
    if (m_text.substr(m_pos, word.size()) != word) return fail("unknown literal");
    m_pos += word.size();
    return true;
  }

  bool value(JsonValue& v, int depth) {
    if (depth > 64) return fail("nesting too deep");
    if (m_pos >= m_text.size()) return fail("unexpected end");
    char c = m_text[m_pos];
    switch (c) {
      case '{': return object(v, depth);
      case '[': return array(v, depth);
      case '"': v.type = JsonValue::Type::String; return string(v.text);
      case 't':
        v.type = JsonValue::Type::Bool;
        v.boolean = true;
        return literal("true");
      case 'f': v.type = JsonValue::Type::Bool; return literal("false");
      case 'n': v.type = JsonValue::Type::Null; return literal("null");
      default: v.type = JsonValue::Type::Number; return number(v.number);
    }
  }

  bool object(JsonValue& v, int depth) {
    v.type = JsonValue::Type::Object;
    ++m_pos;
    skipSpace();
    if (m_pos < m_text.size() && m_text[m_pos] == '}') return ++m_pos, true;
    for (;;) {
      skipSpace();
      std::string key;
      if (m_pos >= m_text.size() || m_text[m_pos] != '"') return fail("expected a member name");
      if (!string(key)) return false;
      skipSpace();
      if (m_pos >= m_text.size() || m_text[m_pos] != ':') return fail("expected ':'");
      ++m_pos;
      skipSpace();
      if (!value(v.members[key], depth + 1)) return false;
      skipSpace();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_pos < m_text.size() && m_text[m_pos] == '}') return ++m_pos, true;
      return fail("expected ',' or '}'");
    }
  }

  bool array(JsonValue& v, int depth) {
    v.type = JsonValue::Type::Array;
    ++m_pos;
    skipSpace();
    if (m_pos < m_text.size() && m_text[m_pos] == ']') return ++m_pos, true;
    for (;;) {
      skipSpace();
      v.items.emplace_back();
      if (!value(v.items.back(), depth + 1)) return false;
      skipSpace();
      if (m_pos < m_text.size() && m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (m_pos < m_text.size() && m_text[m_pos] == ']') return ++m_pos, true;
      return fail("expected ',' or ']'");
    }
  }

  bool number(double& out) {
    size_t start = m_pos;
    auto digits = [&] {
      size_t from = m_pos;
      while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') ++m_pos;
      return m_pos > from;
    };
    if (m_pos < m_text.size() && m_text[m_pos] == '-') ++m_pos;
    if (m_pos < m_text.size() && m_text[m_pos] == '0') {
      ++m_pos;
    } else if (!digits()) {
      return fail("bad number");
    }
    if (m_pos < m_text.size() && m_text[m_pos] == '.') {
      ++m_pos;
      if (!digits()) return fail("bad fraction");
    }
    if (m_pos < m_text.size() && (m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
      ++m_pos;
      if (m_pos < m_text.size() && (m_text[m_pos] == '+' || m_text[m_pos] == '-')) ++m_pos;
      if (!digits()) return fail("bad exponent");
    }
    out = std::stod(std::string(m_text.substr(start, m_pos - start)));
    return true;
  }

  static void putUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(uint32_t& cp) {
    if (m_pos + 4 > m_text.size()) return fail("short \\u escape");
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      char h = m_text[m_pos++];
      cp <<= 4;
      if (h >= '0' && h <= '9')
        cp |= uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f')
        cp |= uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        cp |= uint32_t(h - 'A' + 10);
      else
        return fail("bad hex digit");
    }
    return true;
  }

  // Decodes one UTF-8 sequence at m_pos into out, rejecting overlong forms and surrogates.
  bool utf8(std::string& out) {
    auto lead = uint8_t(m_text[m_pos]);
    int extra = lead >= 0xF0 && lead <= 0xF4 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC2 ? 1 : -1;
    if (extra < 0 || lead > 0xF4) return fail("invalid UTF-8 lead byte");
    if (m_pos + size_t(extra) >= m_text.size()) return fail("cut UTF-8 sequence");
    uint32_t cp = lead & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      auto b = uint8_t(m_text[m_pos + size_t(k)]);
      if ((b & 0xC0) != 0x80) return fail("invalid UTF-8 continuation byte");
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return fail("invalid UTF-8 code point");
    out.append(m_text.substr(m_pos, size_t(extra) + 1));
    m_pos += size_t(extra) + 1;
    return true;
  }

  bool string(std::string& out) {
    ++m_pos;  // opening quote
    for (;;) {
      if (m_pos >= m_text.size()) return fail("unterminated string");
      auto c = uint8_t(m_text[m_pos]);
      if (c == '"') return ++m_pos, true;
      if (c < 0x20) return fail("raw control character in a string");
      if (c >= 0x80) {
        if (!utf8(out)) return false;
        continue;
      }
      ++m_pos;
      if (c != '\\') {
        out += char(c);
        continue;
      }
      if (m_pos >= m_text.size()) return fail("cut escape");
      char e = m_text[m_pos++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (m_text.substr(m_pos, 2) != "\\u") return fail("lone high surrogate");
            m_pos += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("bad surrogate pair");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          putUtf8(out, cp);
          break;
        }
        default: return fail("unknown escape");
      }
    }
  }

  std::string_view m_text;
  size_t m_pos = 0;
  std::string m_error;
};

}  // namespace loopscope::test
