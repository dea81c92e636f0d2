#include "cost/xlsx.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <map>

namespace plinth::cost {
namespace {

uint32_t Get16(const std::string& s, size_t at) {
  return static_cast<uint8_t>(s[at]) | static_cast<uint8_t>(s[at + 1]) << 8;
}
uint32_t Get32(const std::string& s, size_t at) { return Get16(s, at) | Get16(s, at + 2) << 16; }

std::string Inflate(const std::string& packed, size_t size) {
  std::string out(size, '\0');
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, -15), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

// Reads a zip through its central directory, checking each entry's CRC-32: name -> data.
std::map<std::string, std::string> Unzip(const std::string& zip) {
  std::map<std::string, std::string> out;
  size_t end = zip.size() - 22;
  EXPECT_EQ(Get32(zip, end), 0x06054b50u);
  size_t entries = Get16(zip, end + 10);
  size_t at = Get32(zip, end + 16);
  for (size_t i = 0; i < entries; ++i) {
    EXPECT_EQ(Get32(zip, at), 0x02014b50u);
    uint32_t crc = Get32(zip, at + 16);
    size_t packed = Get32(zip, at + 20), size = Get32(zip, at + 24);
    size_t name_len = Get16(zip, at + 28), local = Get32(zip, at + 42);
    std::string name = zip.substr(at + 46, name_len);
    EXPECT_EQ(Get32(zip, local), 0x04034b50u);
    size_t data = local + 30 + Get16(zip, local + 26) + Get16(zip, local + 28);
    std::string content = Inflate(zip.substr(data, packed), size);
    EXPECT_EQ(
        crc32(0, reinterpret_cast<const Bytef*>(content.data()), static_cast<uInt>(content.size())),
        crc)
        << name;
    out[name] = content;
    at += 46 + name_len;
  }
  return out;
}

TEST(Xlsx, ColumnLetters) {
  EXPECT_EQ(ColumnLetters(0), "A");
  EXPECT_EQ(ColumnLetters(25), "Z");
  EXPECT_EQ(ColumnLetters(26), "AA");
  EXPECT_EQ(ColumnLetters(27), "AB");
  EXPECT_EQ(ColumnLetters(701), "ZZ");
  EXPECT_EQ(ColumnLetters(702), "AAA");
}

TEST(Xlsx, ZipEntriesReadBack) {
  std::string big(100000, 'x');
  auto files = Unzip(WriteZip({{"a.txt", "hello"}, {"dir/empty", ""}, {"big", big}}));
  EXPECT_EQ(files, (std::map<std::string, std::string>{
                       {"a.txt", "hello"}, {"dir/empty", ""}, {"big", big}}));
}

TEST(Xlsx, WorkbookPartsAndCells) {
  XlsxSheet sheet{"Show[back]", {"team", "cost"}, {}};
  sheet.rows.push_back({XlsxCell::Text("a & <b>"), XlsxCell::Number("-12.35")});
  sheet.rows.push_back({XlsxCell{}, XlsxCell::Number("1200", true)});
  std::string bytes = WriteXlsx({sheet, XlsxSheet{"Second", {}, {}}});
  EXPECT_EQ(bytes, WriteXlsx({sheet, XlsxSheet{"Second", {}, {}}}));  // deterministic
  auto files = Unzip(bytes);
  std::vector<std::string> names;
  for (const auto& [name, _] : files) names.push_back(name);
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}));
  EXPECT_NE(
      files["xl/workbook.xml"].find("<sheet name=\"Show_back_\" sheetId=\"1\" r:id=\"rId1\"/>"),
      std::string::npos);
  const std::string& xml = files["xl/worksheets/sheet1.xml"];
  EXPECT_NE(xml.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
                     "state=\"frozen\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("<row r=\"1\"><c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t "
                     "xml:space=\"preserve\">team</t></is></c>"),
            std::string::npos);
  EXPECT_NE(xml.find("<c r=\"A2\" s=\"0\" t=\"inlineStr\"><is><t xml:space=\"preserve\">a &amp; "
                     "&lt;b&gt;</t></is></c><c r=\"B2\" s=\"2\"><v>-12.35</v></c>"),
            std::string::npos);
  EXPECT_NE(xml.find("<row r=\"3\"><c r=\"B3\" s=\"3\"><v>1200</v></c></row>"), std::string::npos);
  EXPECT_EQ(files["xl/worksheets/sheet2.xml"].find("<pane"), std::string::npos);
}

TEST(Xlsx, ControlCharactersAreDropped) {
  XlsxSheet sheet{"S",
                  {},
                  {{XlsxCell::Text(std::string("a\x01"
                                               "b\tc",
                                               5))}}};
  auto files = Unzip(WriteXlsx({sheet}));
  EXPECT_NE(files["xl/worksheets/sheet1.xml"].find(">ab\tc<"), std::string::npos);
}

}  // namespace
}  // namespace plinth::cost
