// A port of the parts of gopkg.in/yaml.v2 (encode.go, resolve.go, emitterc.go) that rule files
// reach; function and flag names follow emitterc.go so the two can be read side by side.

#include "slo/rules_yaml.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <regex>

namespace plinth::slo::goyaml {

Node Node::Scalar(std::string s) {
  Node n;
  n.scalar = std::move(s);
  return n;
}

Node Node::Map() {
  Node n;
  n.kind = Kind::kMap;
  return n;
}

Node Node::Seq() {
  Node n;
  n.kind = Kind::kSeq;
  return n;
}

void Node::Add(std::string key, Node value) { map.emplace_back(std::move(key), std::move(value)); }

namespace {

constexpr int kBestIndent = 2;
constexpr int kBestWidth = 80;

// --- resolve.go: would a plain scalar read back as something other than a string? ---

bool ResolvesToNonString(const std::string& s) {
  static const std::regex kDotFloat(R"(\.[0-9]+([eE][-+]?[0-9]+)?)");
  static const std::regex kTimestamp(R"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?)");
  static const std::regex kInt(R"([-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+))");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  static const char* kMapped[] = {
      "y",    "Y",    "yes",  "Yes",   "YES",   "true",  "True",  "TRUE",  "on",    "On",
      "ON",   "n",    "N",    "no",    "No",    "NO",    "false", "False", "FALSE", "off",
      "Off",  "OFF",  "",     "~",     "null",  "Null",  "NULL",  ".nan",  ".NaN",  ".NAN",
      ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"};
  for (const char* m : kMapped) {
    if (s == m) return true;
  }
  char c = s[0];
  if (c == '.') return std::regex_match(s, kDotFloat);
  if (c != '+' && c != '-' && !(c >= '0' && c <= '9')) return false;
  // Timestamps (parseTimestamp: four digits and a dash, then a date Go's time.Parse reads).
  if (std::regex_match(s, kTimestamp)) return true;
  std::string plain;
  for (char ch : s) {
    if (ch != '_') plain += ch;
  }
  return std::regex_match(plain, kInt) || std::regex_match(plain, kFloat);
}

// isBase60Float: yaml.v2 quotes "1:20" for YAML 1.1 readers.
bool IsBase60Float(const std::string& s) {
  static const std::regex kBase60(R"([-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)");
  return std::regex_match(s, kBase60);
}

// --- emitterc.go character classes (UTF-8) ---

size_t Width(unsigned char c) {
  if ((c & 0x80) == 0x00) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

unsigned char At(std::string_view v, size_t i) {
  return i < v.size() ? static_cast<unsigned char>(v[i]) : 0;
}

bool IsSpace(std::string_view v, size_t i) { return At(v, i) == ' '; }
bool IsBlank(std::string_view v, size_t i) { return At(v, i) == ' ' || At(v, i) == '\t'; }
bool IsBreak(std::string_view v, size_t i) {
  unsigned char c = At(v, i);
  return c == '\r' || c == '\n' || (c == 0xC2 && At(v, i + 1) == 0x85) ||
         (c == 0xE2 && At(v, i + 1) == 0x80 && (At(v, i + 2) == 0xA8 || At(v, i + 2) == 0xA9));
}
bool IsBlankz(std::string_view v, size_t i) {
  return IsBlank(v, i) || IsBreak(v, i) || At(v, i) == 0;
}
bool IsPrintable(std::string_view v, size_t i) {
  unsigned char b = At(v, i), b1 = At(v, i + 1), b2 = At(v, i + 2);
  return b == 0x0A || (b >= 0x20 && b <= 0x7E) || (b == 0xC2 && b1 >= 0xA0) ||
         (b > 0xC2 && b < 0xED) || (b == 0xED && b1 < 0xA0) || b == 0xEE ||
         (b == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)));
}

enum class Style { kPlain, kSingle, kDouble, kLiteral };

// yaml_emitter_analyze_scalar + yaml_emitter_select_scalar_style, in block context (flow
// indicators only matter in flow context, which rule files never use).
Style SelectStyle(std::string_view v, Style style, bool simple_key) {
  if (v.empty()) {
    if (style == Style::kPlain && simple_key) return Style::kSingle;
    return style == Style::kLiteral ? Style::kDouble : style;
  }
  bool block_ind = false, line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false,
       break_space = false, space_break = false;
  bool prev_space = false, prev_break = false, preceded_by_ws = true;
  if (v.size() >= 3 && (v.substr(0, 3) == "---" || v.substr(0, 3) == "...")) {
    block_ind = true;
  }
  for (size_t i = 0, w = 0; i < v.size(); i += w) {
    w = Width(At(v, i));
    bool followed_by_ws = i + w >= v.size() || IsBlank(v, i + w);
    char c = v[i];
    if (i == 0) {
      if (std::string_view("#,[]{}&*!|>'\"%@`").find(c) != std::string_view::npos) {
        block_ind = true;
      } else if ((c == '?' || c == ':' || c == '-') && followed_by_ws) {
        block_ind = true;
      }
    } else {
      if (c == ':' && followed_by_ws) block_ind = true;
      if (c == '#' && preceded_by_ws) block_ind = true;
    }
    if (!IsPrintable(v, i)) special = true;
    if (IsSpace(v, i)) {
      if (i == 0) leading_space = true;
      if (i + w == v.size()) trailing_space = true;
      if (prev_break) break_space = true;
      prev_space = true;
      prev_break = false;
    } else if (IsBreak(v, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == v.size()) trailing_break = true;
      if (prev_space) space_break = true;
      prev_space = false;
      prev_break = true;
    } else {
      prev_space = prev_break = false;
    }
    preceded_by_ws = IsBlankz(v, i);
  }
  bool plain_ok = !(leading_space || leading_break || trailing_space || trailing_break ||
                    break_space || space_break || special || line_breaks || block_ind);
  bool single_ok = !(break_space || space_break || special);
  bool block_ok = !(trailing_space || space_break || special);
  if (simple_key && line_breaks) style = Style::kDouble;
  if (style == Style::kPlain && !plain_ok) style = Style::kSingle;
  if (style == Style::kSingle && !single_ok) style = Style::kDouble;
  if (style == Style::kLiteral && (!block_ok || simple_key)) style = Style::kDouble;
  return style;
}

// The yaml_emitter_t state that the writers below share.
class Emitter {
 public:
  std::string out;

  void Put(char c) {
    out += c;
    ++column_;
  }
  void PutBreak() {
    out += '\n';
    column_ = 0;
  }
  // Copies the UTF-8 character at v[i] and advances i.
  void Write(std::string_view v, size_t& i) {
    size_t w = std::min(Width(At(v, i)), v.size() - i);
    out.append(v.substr(i, w));
    i += w;
    ++column_;
  }
  void WriteIndent(int indent) {
    indent = std::max(indent, 0);
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) PutBreak();
    while (column_ < indent) Put(' ');
    whitespace_ = indention_ = true;
  }
  void WriteIndicator(std::string_view s, bool need_ws, bool is_ws, bool is_indention) {
    if (need_ws && !whitespace_) Put(' ');
    for (char c : s) Put(c);
    whitespace_ = is_ws;
    indention_ = indention_ && is_indention;
  }

  void Scalar(const std::string& v, bool simple_key, int indent);
  void Value(const Node& n, int indent);
  void Mapping(const Node& n, int parent_indent);
  void Sequence(const Node& n, int indent);

 private:
  void Plain(std::string_view v, bool allow_breaks, int indent);
  void Single(std::string_view v, bool allow_breaks, int indent);
  void Double(std::string_view v, bool allow_breaks, int indent);
  void Literal(std::string_view v, int indent);

  int column_ = 0;
  bool whitespace_ = true;
  bool indention_ = true;
};

void Emitter::Plain(std::string_view v, bool allow_breaks, int indent) {
  if (!whitespace_) Put(' ');
  bool spaces = false;
  for (size_t i = 0; i < v.size();) {
    if (IsSpace(v, i)) {
      if (allow_breaks && !spaces && column_ > kBestWidth && !IsSpace(v, i + 1)) {
        WriteIndent(indent);
        ++i;
      } else {
        Write(v, i);
      }
      spaces = true;
    } else {
      Write(v, i);
      indention_ = false;
      spaces = false;
    }
  }
  whitespace_ = indention_ = false;
}

void Emitter::Single(std::string_view v, bool allow_breaks, int indent) {
  WriteIndicator("'", true, false, false);
  bool spaces = false;
  for (size_t i = 0; i < v.size();) {
    if (IsSpace(v, i)) {
      if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < v.size() - 1 &&
          !IsSpace(v, i + 1)) {
        WriteIndent(indent);
        ++i;
      } else {
        Write(v, i);
      }
      spaces = true;
    } else {
      if (v[i] == '\'') Put('\'');
      Write(v, i);
      indention_ = false;
      spaces = false;
    }
  }
  WriteIndicator("'", false, false, false);
  whitespace_ = indention_ = false;
}

void Emitter::Double(std::string_view v, bool allow_breaks, int indent) {
  WriteIndicator("\"", true, false, false);
  bool spaces = false;
  for (size_t i = 0; i < v.size();) {
    bool bom = At(v, i) == 0xEF && At(v, i + 1) == 0xBB && At(v, i + 2) == 0xBF;
    if (!IsPrintable(v, i) || bom || IsBreak(v, i) || v[i] == '"' || v[i] == '\\') {
      size_t w = std::min(Width(At(v, i)), v.size() - i);
      uint32_t r = w == 1 ? At(v, i) : At(v, i) & (0xFF >> (w + 1));
      for (size_t k = 1; k < w; ++k) r = (r << 6) | (At(v, i + k) & 0x3F);
      i += w;
      Put('\\');
      // The short escapes of yaml_emitter_write_double_quoted_scalar, else \xXX \uXXXX \UXXXXXXXX.
      static constexpr std::pair<uint32_t, char> kShort[] = {
          {0x00, '0'},  {0x07, 'a'}, {0x08, 'b'}, {0x09, 't'},   {0x0A, 'n'},
          {0x0B, 'v'},  {0x0C, 'f'}, {0x0D, 'r'}, {0x1B, 'e'},   {0x22, '"'},
          {0x5C, '\\'}, {0x85, 'N'}, {0xA0, '_'}, {0x2028, 'L'}, {0x2029, 'P'}};
      auto it = std::find_if(std::begin(kShort), std::end(kShort),
                             [&](const auto& e) { return e.first == r; });
      if (it != std::end(kShort)) {
        Put(it->second);
      } else {
        int digits = r <= 0xFF ? 2 : r <= 0xFFFF ? 4 : 8;
        Put(digits == 2 ? 'x' : digits == 4 ? 'u' : 'U');
        for (int k = (digits - 1) * 4; k >= 0; k -= 4) Put("0123456789ABCDEF"[(r >> k) & 0xF]);
      }
      spaces = false;
    } else if (IsSpace(v, i)) {
      if (allow_breaks && !spaces && column_ > kBestWidth && i != 0 && i != v.size() - 1) {
        WriteIndent(indent);
        if (IsSpace(v, i + 1)) Put('\\');
        ++i;
      } else {
        Write(v, i);
      }
      spaces = true;
    } else {
      Write(v, i);
      spaces = false;
    }
  }
  WriteIndicator("\"", false, false, false);
  whitespace_ = indention_ = false;
}

void Emitter::Literal(std::string_view v, int indent) {
  WriteIndicator("|", true, false, false);
  if (IsSpace(v, 0) || IsBreak(v, 0))
    WriteIndicator(std::string(1, '0' + kBestIndent), false, false, false);
  // Chomping: "-" without a final break, "+" with two (or only one character, a break).
  size_t last = v.size() - 1;
  while (last > 0 && (At(v, last) & 0xC0) == 0x80) --last;
  if (!IsBreak(v, last)) {
    WriteIndicator("-", false, false, false);
  } else if (last == 0) {
    WriteIndicator("+", false, false, false);
  } else {
    size_t prev = last - 1;
    while (prev > 0 && (At(v, prev) & 0xC0) == 0x80) --prev;
    if (IsBreak(v, prev)) WriteIndicator("+", false, false, false);
  }
  PutBreak();
  indention_ = whitespace_ = true;
  bool breaks = true;
  for (size_t i = 0; i < v.size();) {
    if (IsBreak(v, i)) {
      i += Width(At(v, i));
      PutBreak();
      indention_ = breaks = true;
    } else {
      if (breaks) {
        WriteIndent(indent);
        breaks = false;
      }
      Write(v, i);
      indention_ = false;
    }
  }
}

// encode.go stringv picks the wanted style; the emitter may then demote it.
void Emitter::Scalar(const std::string& v, bool simple_key, int indent) {
  Style wanted = Style::kPlain;
  if (v.find('\n') != std::string::npos) {
    wanted = Style::kLiteral;
  } else if (ResolvesToNonString(v) || IsBase60Float(v)) {
    wanted = Style::kDouble;
  }
  switch (SelectStyle(v, wanted, simple_key)) {
    case Style::kPlain:
      return Plain(v, !simple_key, indent);
    case Style::kSingle:
      return Single(v, !simple_key, indent);
    case Style::kDouble:
      return Double(v, !simple_key, indent);
    case Style::kLiteral:
      return Literal(v, indent);
  }
}

// The value after "key:" of a mapping whose keys sit at `indent`.
void Emitter::Value(const Node& n, int indent) {
  switch (n.kind) {
    case Node::Kind::kScalar:
      return Scalar(n.scalar, false, indent + kBestIndent);
    case Node::Kind::kMap:
      if (n.map.empty()) return WriteIndicator("{}", true, false, false);
      return Mapping(n, indent);
    case Node::Kind::kSeq:
      if (n.seq.empty()) return WriteIndicator("[]", true, false, false);
      return Sequence(n, indent);  // yaml.v2 does not indent a sequence under its key
  }
}

void Emitter::Mapping(const Node& n, int parent_indent) {
  int indent = parent_indent < 0 ? 0 : parent_indent + kBestIndent;
  for (const auto& [key, value] : n.map) {
    WriteIndent(indent);
    Scalar(key, true, indent + kBestIndent);
    WriteIndicator(":", false, false, false);
    Value(value, indent);
  }
}

void Emitter::Sequence(const Node& n, int indent) {
  for (const auto& item : n.seq) {
    WriteIndent(indent);
    WriteIndicator("-", true, false, true);
    switch (item.kind) {
      case Node::Kind::kScalar:
        Scalar(item.scalar, false, indent + kBestIndent);
        break;
      case Node::Kind::kMap:
        if (item.map.empty())
          WriteIndicator("{}", true, false, false);
        else
          Mapping(item, indent);
        break;
      case Node::Kind::kSeq:
        if (item.seq.empty())
          WriteIndicator("[]", true, false, false);
        else
          Sequence(item, indent + kBestIndent);
        break;
    }
  }
}

// Decodes the UTF-8 character at s[i] and advances i.
uint32_t NextRune(std::string_view s, size_t& i) {
  size_t w = std::min(Width(At(s, i)), s.size() - i);
  uint32_t r = w == 1 ? At(s, i) : At(s, i) & (0xFF >> (w + 1));
  for (size_t k = 1; k < w; ++k) r = (r << 6) | (At(s, i + k) & 0x3F);
  i += w;
  return r;
}

bool IsLetter(uint32_t r) { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 0x7F; }
bool IsDigit(uint32_t r) { return r >= '0' && r <= '9'; }

}  // namespace

bool KeyLess(std::string_view a, std::string_view b) {
  std::vector<uint32_t> ar, br;
  for (size_t i = 0; i < a.size();) ar.push_back(NextRune(a, i));
  for (size_t i = 0; i < b.size();) br.push_back(NextRune(b, i));
  for (size_t i = 0; i < ar.size() && i < br.size(); ++i) {
    if (ar[i] == br[i]) continue;
    bool al = IsLetter(ar[i]), bl = IsLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    int64_t an = 0, bn = 0;
    if (ar[i] == '0' || br[i] == '0') {
      for (size_t j = i; j-- > 0 && IsDigit(ar[j]);) {
        if (ar[j] != '0') {
          an = bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < ar.size() && IsDigit(ar[ai]); ++ai) an = an * 10 + (ar[ai] - '0');
    for (; bi < br.size() && IsDigit(br[bi]); ++bi) bn = bn * 10 + (br[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.size() < br.size();
}

Node StringMap(const std::map<std::string, std::string>& m) {
  std::vector<std::string> keys;
  for (const auto& [k, _] : m) keys.push_back(k);
  std::stable_sort(keys.begin(), keys.end(), KeyLess);
  Node n = Node::Map();
  for (const auto& k : keys) n.Add(k, Node::Scalar(m.at(k)));
  return n;
}

void SortKeys(Node& node) {
  for (auto& [_, v] : node.map) SortKeys(v);
  for (auto& v : node.seq) SortKeys(v);
  std::stable_sort(node.map.begin(), node.map.end(),
                   [](const auto& x, const auto& y) { return KeyLess(x.first, y.first); });
}

std::string Marshal(const Node& root) {
  Emitter e;
  switch (root.kind) {
    case Node::Kind::kMap:
      e.Mapping(root, -1);
      break;
    case Node::Kind::kSeq:
      e.Sequence(root, 0);
      break;
    case Node::Kind::kScalar:
      e.Scalar(root.scalar, false, 0);
      break;
  }
  e.WriteIndent(0);  // yaml_emitter_emit_document_end
  return e.out;
}

}  // namespace plinth::slo::goyaml
