#include "cost/csv.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <random>

namespace plinth::cost {
namespace {

namespace fs = std::filesystem;

class CsvReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("plinth_csv_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  std::string WriteGzip(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    gzFile f = gzopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    EXPECT_EQ(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
              static_cast<int>(bytes.size()));
    gzclose(f);
    return path;
  }

  // Every record as "line: field|field|...", or the error.
  static std::string ReadAll(const std::string& path,
                             size_t buffer = CsvReader::kDefaultBufferBytes) {
    auto reader = CsvReader::Open(path, buffer);
    if (!reader.ok()) return "error: " + reader.error().message;
    std::string out;
    for (;;) {
      auto more = (*reader)->Next();
      if (!more.ok()) return out + "error: " + more.error().message;
      if (!*more) return out;
      out += std::to_string((*reader)->line()) + ":";
      for (size_t i = 0; i < (*reader)->fields().size(); ++i) {
        out += (i ? "|" : " ") + std::string((*reader)->fields()[i]);
      }
      out += "\n";
    }
  }

  fs::path dir_;
};

TEST_F(CsvReaderTest, ReadsRfc4180) {
  std::string csv =
      "\xEF\xBB\xBF"
      "a,b,c\r\n"
      "1,\"two, with comma\",3\r\n"
      "\"say \"\"hi\"\"\",,\"\"\r\n"
      "\r\n"
      "\"multi\nline\",x,\"\"\"\"\n"
      "last,row,without newline";
  EXPECT_EQ(ReadAll(Write("a.csv", csv)),
            "1: a|b|c\n"
            "2: 1|two, with comma|3\n"
            "3: say \"hi\"||\n"
            "5: multi\nline|x|\"\n"
            "7: last|row|without newline\n");
}

TEST_F(CsvReaderTest, TrailingEmptyFieldsAndLoneCarriageReturns) {
  EXPECT_EQ(ReadAll(Write("a.csv", "a,\r1,2,\n,\n")), "1: a|\n2: 1|2|\n3: |\n");
}

TEST_F(CsvReaderTest, SmallBuffersGiveTheSameRecords) {
  // Records that straddle every possible buffer boundary, with quotes, escapes and CRLF.
  std::mt19937 random(7);
  std::string csv;
  for (int row = 0; row < 300; ++row) {
    for (int col = 0; col < 5; ++col) {
      if (col) csv += ",";
      switch (random() % 5) {
        case 0:
          csv += std::to_string(random() % 100000);
          break;
        case 1:
          csv += "\"q,uoted \"\"" + std::to_string(row) + "\"\"\"";
          break;
        case 2:
          csv += "\"line\r\nbreak\"";
          break;
        case 3:
          break;
        default:
          csv += "NULL";
      }
    }
    csv += random() % 2 ? "\r\n" : "\n";
  }
  std::string path = Write("big.csv", csv);
  std::string expected = ReadAll(path);
  EXPECT_EQ(std::count(expected.begin(), expected.end(), '|'), 300 * 4);
  for (size_t buffer : {64, 65, 100, 127, 1000}) {
    EXPECT_EQ(ReadAll(path, buffer), expected) << "buffer " << buffer;
  }
  EXPECT_EQ(ReadAll(WriteGzip("big.csv.gz", csv), 100), expected);
}

TEST_F(CsvReaderTest, GrowsTheBufferForALongRecord) {
  std::string field(10000, 'x');
  EXPECT_EQ(ReadAll(Write("a.csv", "a,\"" + field + "\"\nb,c\n"), 64),
            "1: a|" + field + "\n2: b|c\n");
}

TEST_F(CsvReaderTest, ReadsGzipAndReportsCompressedBytes) {
  std::string csv;
  for (int i = 0; i < 1000; ++i) csv += "row," + std::to_string(i) + ",\"some text\"\n";
  std::string path = WriteGzip("a.csv.gz", csv);
  auto reader = CsvReader::Open(path);
  ASSERT_TRUE(reader.ok());
  int rows = 0;
  while (*(*reader)->Next()) ++rows;
  EXPECT_EQ(rows, 1000);
  EXPECT_TRUE((*reader)->gzip());
  EXPECT_EQ((*reader)->input_bytes(), (*reader)->file_bytes());
  EXPECT_LT((*reader)->file_bytes(), static_cast<int64_t>(csv.size()) / 4);
}

TEST_F(CsvReaderTest, TruncatedGzipIsAnErrorNamingTheFile) {
  std::string csv;
  for (int i = 0; i < 20000; ++i) csv += "row," + std::to_string(i * 7919 % 10007) + "\n";
  std::string path = WriteGzip("t.csv.gz", csv);
  fs::resize_file(path, fs::file_size(path) / 2);
  std::string out = ReadAll(path);
  EXPECT_EQ(out.substr(out.find("error:")),
            "error: " + path + ": truncated gzip stream (unexpected end of file)");

  // Cut inside the 8-byte trailer: every byte of data is there, the stream is still incomplete.
  std::string whole = WriteGzip("w.csv.gz", "a,b\n");
  fs::resize_file(whole, fs::file_size(whole) - 3);
  EXPECT_EQ(ReadAll(whole), "error: " + whole + ": truncated gzip stream (unexpected end of file)");
}

TEST_F(CsvReaderTest, CorruptGzipIsAnErrorNamingTheFile) {
  std::string csv;
  for (int i = 0; i < 5000; ++i) csv += "row," + std::to_string(i * 31 % 977) + "\n";
  std::string path = WriteGzip("c.csv.gz", csv);
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(fs::file_size(path) / 2));
  f.write("\xff\xff\xff\xff\xff\xff\xff\xff", 8);
  f.close();
  std::string out = ReadAll(path);
  ASSERT_NE(out.find("error: "), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.find("error: ")),
            "error: " + path + ": corrupt gzip stream (incorrect data check)");
}

TEST_F(CsvReaderTest, SyntaxErrorsNameFileAndLine) {
  std::string a = Write("a.csv", "x,y\n1,\"open\nstill open\n");
  EXPECT_EQ(ReadAll(a), "1: x|y\nerror: " + a + ":2: unterminated quoted field");
  std::string b = Write("b.csv", "x,y\n\"a\nb\"c,d\n");
  EXPECT_EQ(ReadAll(b),
            "1: x|y\nerror: " + b + ":3: unexpected character 'c' after a quoted field");
  EXPECT_EQ(ReadAll((dir_ / "missing.csv").string()),
            "error: " + (dir_ / "missing.csv").string() + ": No such file or directory");
}

TEST_F(CsvReaderTest, EmptyFileHasNoRecords) {
  EXPECT_EQ(ReadAll(Write("e.csv", "")), "");
  EXPECT_EQ(ReadAll(Write("n.csv", "\n\r\n")), "");
}

}  // namespace
}  // namespace plinth::cost
