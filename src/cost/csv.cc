#include "cost/csv.h"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace plinth::cost {
namespace {

constexpr size_t kGzipInternalBuffer = size_t{256} << 10;

// Counts '\n' in [b, e).
int64_t CountNewlines(const char* b, const char* e) {
  int64_t n = 0;
  while (b < e) {
    const void* hit = std::memchr(b, '\n', static_cast<size_t>(e - b));
    if (!hit) break;
    ++n;
    b = static_cast<const char*>(hit) + 1;
  }
  return n;
}

}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path, size_t buffer_bytes) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Error::Invalid(path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return Error::Invalid(path + ": is a directory");
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) {
    return Error::Invalid(path + ": " + (errno ? std::strerror(errno) : "cannot open"));
  }
  gzbuffer(file, kGzipInternalBuffer);
  std::unique_ptr<CsvReader> reader(new CsvReader(path, file, std::max<size_t>(buffer_bytes, 64)));
  reader->file_bytes_ = static_cast<int64_t>(st.st_size);
  return reader;
}

CsvReader::CsvReader(std::string path, gzFile_s* file, size_t buffer_bytes)
    : path_(std::move(path)), file_(file), buf_(buffer_bytes) {}

CsvReader::~CsvReader() {
  if (file_) gzclose(file_);
}

Error CsvReader::At(int64_t line, const std::string& message) const {
  return Error::Invalid(path_ + ":" + std::to_string(line) + ": " + message);
}

Status CsvReader::Fill() {
  size_t remaining = end_ - pos_;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, remaining);
    pos_ = 0;
    end_ = remaining;
  }
  if (end_ == buf_.size()) {
    if (buf_.size() >= kMaxRecordBytes) {
      return At(next_line_, "a record is longer than " + std::to_string(kMaxRecordBytes >> 20) +
                                " MiB (is this a CSV file?)");
    }
    buf_.resize(std::min(buf_.size() * 2, kMaxRecordBytes));
  }
  unsigned want = static_cast<unsigned>(std::min<size_t>(buf_.size() - end_, INT_MAX / 2));
  int n = gzread(file_, buf_.data() + end_, want);
  int errnum = Z_OK;
  std::string_view message = gzerror(file_, &errnum);
  if (message.starts_with(path_ + ": ")) message.remove_prefix(path_.size() + 2);  // zlib's
  if (n < 0 || (errnum != Z_OK && errnum != Z_BUF_ERROR)) {
    if (errnum == Z_ERRNO) return Error::Invalid(path_ + ": read error: " + std::strerror(errno));
    return Error::Invalid(path_ + ": corrupt gzip stream (" + std::string(message) + ")");
  }
  if (errnum == Z_BUF_ERROR) {
    return Error::Invalid(path_ + ": truncated gzip stream (" + std::string(message) + ")");
  }
  if (n == 0) eof_ = true;
  end_ += static_cast<size_t>(n);
  input_bytes_ = std::max<int64_t>(gzoffset(file_), 0);
  if (first_fill_) {
    first_fill_ = false;
    gzip_ = !gzdirect(file_);
    if (end_ >= 3 && std::memcmp(buf_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;  // UTF-8 BOM
  }
  return {};
}

// Parses one record at pos_ into fields_ (raw, still escaped). kNeedMore leaves pos_ where it
// was, so the record is parsed again from its start after Fill(); nothing is unescaped until the
// whole record is in the buffer.
CsvReader::Parse CsvReader::ParseRecord(Error* error) {
  char* const base = buf_.data();
  const char* const start = base + pos_;
  const char* const end = base + end_;
  const char* p = start;
  if (p == end) return Parse::kNeedMore;
  if (*p == '\n' || *p == '\r') {  // a blank line
    if (*p == '\r' && p + 1 == end && !eof_) return Parse::kNeedMore;
    pos_ += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
    ++next_line_;
    return Parse::kBlank;
  }
  fields_.clear();
  escaped_.clear();
  bool quoted = false;  // newlines can only be inside quoted fields
  for (;;) {
    if (p < end && *p == '"') {
      quoted = true;
      const char* q = p + 1;
      for (;;) {
        q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)));
        if (!q) {
          if (!eof_) return Parse::kNeedMore;
          *error = At(next_line_, "unterminated quoted field");
          return Parse::kError;
        }
        if (q + 1 == end && !eof_) return Parse::kNeedMore;  // "" may straddle the buffer end
        if (q + 1 < end && q[1] == '"') {
          if (escaped_.empty() || escaped_.back() != fields_.size()) {
            escaped_.push_back(fields_.size());
          }
          q += 2;
          continue;
        }
        break;
      }
      fields_.emplace_back(p + 1, static_cast<size_t>(q - p - 1));
      p = q + 1;
      if (p == end) break;  // eof_ here: the last record without a line end
      if (*p == ',') {
        ++p;
        continue;
      }
      if (*p != '\n' && *p != '\r') {
        *error = At(next_line_ + CountNewlines(start, p),
                    std::string("unexpected character '") + *p + "' after a quoted field");
        return Parse::kError;
      }
    } else {
      const char* q = p;
      while (q < end && *q != ',' && *q != '\n' && *q != '\r') ++q;
      if (q == end && !eof_) return Parse::kNeedMore;
      fields_.emplace_back(p, static_cast<size_t>(q - p));
      p = q;
      if (p == end) break;
      if (*p == ',') {
        ++p;
        continue;
      }
    }
    break;  // at the line end
  }
  const int64_t embedded_newlines = quoted ? CountNewlines(start, p) : 0;
  if (p < end) {  // consume the line end
    if (*p == '\r') {
      if (p + 1 == end && !eof_) return Parse::kNeedMore;
      ++p;
      if (p < end && *p == '\n') ++p;
    } else {
      ++p;
    }
  }
  pos_ = static_cast<size_t>(p - base);
  line_ = next_line_;
  next_line_ += 1 + embedded_newlines;
  return Parse::kRecord;
}

Result<bool> CsvReader::Next() {
  for (;;) {
    Error error;
    Parse parsed = ParseRecord(&error);
    if (parsed == Parse::kBlank) continue;
    if (parsed == Parse::kError) return error;
    if (parsed == Parse::kNeedMore) {
      if (eof_) return false;  // only when nothing is left
      PLINTH_RETURN_IF_ERROR(Fill());
      continue;
    }
    for (size_t i : escaped_) {  // "" -> " in place; the field only shrinks
      char* b = buf_.data() + (fields_[i].data() - buf_.data());
      size_t w = 0;
      for (size_t r = 0; r < fields_[i].size(); ++r) {
        b[w++] = b[r];
        if (b[r] == '"') ++r;
      }
      fields_[i] = std::string_view(b, w);
    }
    return true;
  }
}

}  // namespace plinth::cost
