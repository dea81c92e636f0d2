#pragma once
// A minimal XLSX (Office Open XML spreadsheet) writer for the cost reports: one or more sheets
// of text and number cells, a bold and frozen header row, numbers shown with two decimals.
// The workbook is a zip of the OOXML parts, deflated with zlib; the output is byte-for-byte
// deterministic (entries dated 1980-01-01), so tests can compare it. Strings are written
// inline (no shared-string table). Pure; thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace plinth::cost {

struct XlsxCell {
  enum class Kind { kEmpty, kText, kNumber } kind = Kind::kEmpty;
  // kText: the text (UTF-8; characters XML 1.0 forbids are dropped). kNumber: a decimal number
  // as text ("-12.35", "1200"), written as is so no digit goes through a double.
  std::string value;
  bool bold = false;

  static XlsxCell Text(std::string text, bool bold = false) {
    return {Kind::kText, std::move(text), bold};
  }
  // REQUIRES: `decimal` is a plain decimal number: optional "-", digits, optional ".digits".
  static XlsxCell Number(std::string decimal, bool bold = false) {
    return {Kind::kNumber, std::move(decimal), bold};
  }
};

struct XlsxSheet {
  std::string name;                 // shown on the tab; cut to 31 characters, []:*?/\ -> _
  std::vector<std::string> header;  // the first row, bold and frozen; may be empty
  std::vector<std::vector<XlsxCell>> rows;
};

// The .xlsx file's bytes. REQUIRES: at least one sheet; sheet names distinct after cleaning.
std::string WriteXlsx(const std::vector<XlsxSheet>& sheets);

// The zip container alone (deflated entries, CRC-32 from zlib), for tests and other formats.
struct ZipEntry {
  std::string name;
  std::string data;
};
std::string WriteZip(const std::vector<ZipEntry>& entries);

// "A" for 0, "Z" for 25, "AA" for 26: a spreadsheet column's letters.
std::string ColumnLetters(size_t column);

}  // namespace plinth::cost
