#include "cost/xlsx.h"

#include <zlib.h>

#include <algorithm>
#include <cassert>
#include <cstdint>

namespace plinth::cost {

namespace {

// Styles (xl/styles.xml cellXfs): 0 default, 1 bold, 2 number "#,##0.00", 3 bold number.
int StyleOf(const XlsxCell& c) {
  int style = c.bold ? 1 : 0;
  return c.kind == XlsxCell::Kind::kNumber ? style + 2 : style;
}

constexpr std::string_view kXmlHead =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRel =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// Text for XML content and attributes; characters XML 1.0 does not allow are dropped.
std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '"') {
      out += "&quot;";
    } else if (u >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
      out += c;
    }
  }
  return out;
}

std::string SheetName(std::string_view name) {
  std::string out;
  for (char c : name.substr(0, 31))
    out += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
  return out.empty() ? "Sheet" : out;
}

std::string CellXml(const XlsxCell& c, size_t row, size_t col) {
  bool blank = c.kind == XlsxCell::Kind::kEmpty || c.value.empty();
  if (blank && !c.bold) return "";
  std::string ref = ColumnLetters(col) + std::to_string(row + 1);
  std::string head = "<c r=\"" + ref + "\" s=\"" + std::to_string(StyleOf(c)) + "\"";
  if (blank) return head + "/>";
  switch (c.kind) {
    case XlsxCell::Kind::kText:
      return head + " t=\"inlineStr\"><is><t xml:space=\"preserve\">" + Escape(c.value) +
             "</t></is></c>";
    case XlsxCell::Kind::kNumber:
      return head + "><v>" + Escape(c.value) + "</v></c>";
    case XlsxCell::Kind::kEmpty:
      break;
  }
  return head + "/>";
}

std::string SheetXml(const XlsxSheet& sheet) {
  // Column widths from the longest text in each column (Excel's unit: characters).
  std::vector<size_t> width(sheet.header.size(), 0);
  for (size_t c = 0; c < sheet.header.size(); ++c) width[c] = sheet.header[c].size();
  for (const auto& row : sheet.rows) {
    if (row.size() > width.size()) width.resize(row.size(), 0);
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].value.size());
  }
  std::string out = std::string(kXmlHead) + "<worksheet xmlns=\"" + std::string(kMain) + "\">";
  if (!sheet.header.empty()) {
    out +=
        "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" "
        "activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>";
  }
  if (!width.empty()) {
    out += "<cols>";
    for (size_t c = 0; c < width.size(); ++c) {
      std::string n = std::to_string(c + 1);
      out += "<col min=\"" + n + "\" max=\"" + n + "\" width=\"" +
             std::to_string(std::clamp<size_t>(width[c] + 2, 8, 60)) + "\" customWidth=\"1\"/>";
    }
    out += "</cols>";
  }
  out += "<sheetData>";
  size_t r = 0;
  auto add_row = [&](const std::vector<XlsxCell>& cells) {
    out += "<row r=\"" + std::to_string(r + 1) + "\">";
    for (size_t c = 0; c < cells.size(); ++c) out += CellXml(cells[c], r, c);
    out += "</row>";
    ++r;
  };
  if (!sheet.header.empty()) {
    std::vector<XlsxCell> header;
    for (const auto& h : sheet.header) header.push_back(XlsxCell::Text(h, true));
    add_row(header);
  }
  for (const auto& row : sheet.rows) add_row(row);
  return out + "</sheetData></worksheet>";
}

void Put16(std::string& out, uint32_t v) {
  out += static_cast<char>(v & 0xff);
  out += static_cast<char>((v >> 8) & 0xff);
}

void Put32(std::string& out, uint32_t v) {
  Put16(out, v & 0xffff);
  Put16(out, v >> 16);
}

std::string Deflate(const std::string& data) {
  z_stream z{};
  int rc = deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  assert(rc == Z_OK);
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  rc = deflate(&z, Z_FINISH);
  assert(rc == Z_STREAM_END);
  (void)rc;
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

std::string ColumnLetters(size_t column) {
  std::string out;
  for (size_t n = column + 1; n > 0; n = (n - 1) / 26) {
    out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return out;
}

std::string WriteZip(const std::vector<ZipEntry>& entries) {
  constexpr uint32_t kDosDate = (0 << 9) | (1 << 5) | 1;  // 1980-01-01
  std::string out, directory;
  for (const ZipEntry& e : entries) {
    uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size())));
    std::string packed = Deflate(e.data);
    uint32_t offset = static_cast<uint32_t>(out.size());
    auto common = [&](std::string& s) {
      Put16(s, 20);  // version needed: 2.0 (deflate)
      Put16(s, 0);   // flags
      Put16(s, 8);   // method: deflate
      Put16(s, 0);   // time 00:00
      Put16(s, kDosDate);
      Put32(s, crc);
      Put32(s, static_cast<uint32_t>(packed.size()));
      Put32(s, static_cast<uint32_t>(e.data.size()));
      Put16(s, static_cast<uint32_t>(e.name.size()));
      Put16(s, 0);  // extra field length
    };
    Put32(out, 0x04034b50);
    common(out);
    out += e.name;
    out += packed;
    Put32(directory, 0x02014b50);
    Put16(directory, 20);  // made by: 2.0, MS-DOS attributes
    common(directory);
    Put16(directory, 0);  // comment length
    Put16(directory, 0);  // disk number
    Put16(directory, 0);  // internal attributes
    Put32(directory, 0);  // external attributes
    Put32(directory, offset);
    directory += e.name;
  }
  uint32_t directory_offset = static_cast<uint32_t>(out.size());
  out += directory;
  Put32(out, 0x06054b50);
  Put16(out, 0);
  Put16(out, 0);
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put16(out, static_cast<uint32_t>(entries.size()));
  Put32(out, static_cast<uint32_t>(directory.size()));
  Put32(out, directory_offset);
  Put16(out, 0);  // comment length
  return out;
}

std::string WriteXlsx(const std::vector<XlsxSheet>& sheets) {
  assert(!sheets.empty());
  std::string types = std::string(kXmlHead) +
                      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                      "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
                      "vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" "
                      "ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" "
                      "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml."
                      "sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\""
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>";
  std::string workbook = std::string(kXmlHead) + "<workbook xmlns=\"" + std::string(kMain) +
                         "\" xmlns:r=\"" + std::string(kRel) + "\"><sheets>";
  std::string rels = std::string(kXmlHead) +
                     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                     "relationships\">";
  std::vector<ZipEntry> parts;
  for (size_t i = 0; i < sheets.size(); ++i) {
    std::string n = std::to_string(i + 1);
    types += "<Override PartName=\"/xl/worksheets/sheet" + n +
             ".xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml."
             "worksheet+xml\"/>";
    workbook += "<sheet name=\"" + Escape(SheetName(sheets[i].name)) + "\" sheetId=\"" + n +
                "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n + "\" Type=\"" + std::string(kRel) +
            "/worksheet\" Target=\"worksheets/sheet" + n + ".xml\"/>";
    parts.push_back({"xl/worksheets/sheet" + n + ".xml", SheetXml(sheets[i])});
  }
  rels += "<Relationship Id=\"rId" + std::to_string(sheets.size() + 1) + "\" Type=\"" +
          std::string(kRel) + "/styles\" Target=\"styles.xml\"/></Relationships>";
  std::string styles =
      std::string(kXmlHead) + "<styleSheet xmlns=\"" + std::string(kMain) +
      "\"><fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font><font><b/>"
      "<sz val=\"11\"/><name val=\"Calibri\"/></font></fonts><fills count=\"2\"><fill>"
      "<patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/>"
      "</fill></fills><borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/>"
      "</border></borders><cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" "
      "fillId=\"0\" borderId=\"0\"/></cellStyleXfs><cellXfs count=\"4\">"
      "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>"
      "<xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
      "<xf numFmtId=\"4\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
      "applyNumberFormat=\"1\"/><xf numFmtId=\"4\" fontId=\"1\" fillId=\"0\" borderId=\"0\" "
      "xfId=\"0\" applyNumberFormat=\"1\" applyFont=\"1\"/></cellXfs><cellStyles count=\"1\">"
      "<cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles></styleSheet>";
  std::vector<ZipEntry> entries = {
      {"[Content_Types].xml", types + "</Types>"},
      {"_rels/.rels",
       std::string(kXmlHead) +
           "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\"" +
           std::string(kRel) + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      {"xl/workbook.xml", workbook + "</sheets></workbook>"},
      {"xl/_rels/workbook.xml.rels", rels},
      {"xl/styles.xml", styles},
  };
  for (auto& p : parts) entries.push_back(std::move(p));
  return WriteZip(entries);
}

}  // namespace plinth::cost
