#pragma once
// A streaming RFC 4180 CSV reader for billing exports: quoted fields, "" escapes, newlines inside
// quotes, LF or CRLF line ends, an optional UTF-8 byte order mark. Reads plain or gzip files
// (zlib's gzread detects which), through one buffer of a few MB whatever the file size.
//
// Fields are string_views into the buffer, valid until the next call to Next(); a quoted field
// with "" escapes is unescaped in place, so a record costs no allocation.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

struct gzFile_s;  // zlib's gzFile

namespace plinth::cost {

class CsvReader {
 public:
  static constexpr size_t kDefaultBufferBytes = size_t{4} << 20;
  // A record longer than this is an error rather than an unbounded buffer.
  static constexpr size_t kMaxRecordBytes = size_t{64} << 20;

  // Opens `path`; the error names the file. `buffer_bytes` is the initial buffer size.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 size_t buffer_bytes = kDefaultBufferBytes);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into fields(); false at the end of the file. Blank lines are skipped.
  // Errors name the file and line: "FILE: truncated gzip stream (unexpected end of file)",
  // "FILE:12: unterminated quoted field", "FILE:3: unexpected character 'x' after a quoted
  // field", a corrupt gzip stream or a read error.
  Result<bool> Next();

  // The current record's fields. Valid until the next call to Next().
  const std::vector<std::string_view>& fields() const { return fields_; }
  // The physical line (1-based) on which the current record starts.
  int64_t line() const { return line_; }

  const std::string& path() const { return path_; }
  bool gzip() const { return gzip_; }
  // Bytes consumed from the file so far (compressed bytes for gzip), updated per buffer fill.
  int64_t input_bytes() const { return input_bytes_; }
  // The file's size in bytes.
  int64_t file_bytes() const { return file_bytes_; }

 private:
  enum class Parse { kRecord, kBlank, kNeedMore, kError };
  CsvReader(std::string path, gzFile_s* file, size_t buffer_bytes);
  Parse ParseRecord(Error* error);
  Status Fill();
  Error At(int64_t line, const std::string& message) const;

  // Constant after Open
  std::string path_;
  gzFile_s* file_ = nullptr;
  bool gzip_ = false;
  int64_t file_bytes_ = 0;

  std::vector<char> buf_;
  size_t pos_ = 0;  // start of the unparsed bytes
  size_t end_ = 0;  // end of the valid bytes
  bool eof_ = false;
  bool first_fill_ = true;
  int64_t input_bytes_ = 0;
  int64_t line_ = 0;                      // the current record's first line
  int64_t next_line_ = 1;                 // the line at pos_
  std::vector<std::string_view> fields_;  // views into buf_
  std::vector<size_t> escaped_;           // fields_ with "" escapes still in them
};

}  // namespace plinth::cost
