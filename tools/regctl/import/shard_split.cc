#include "tools/regctl/import/shard_split.h"

#include <google/protobuf/util/json_util.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "regulation/v1/event.pb.h"
#include "tools/regctl/import/checkpoint.h"
#include "tools/regctl/import/csv_reader.h"
#include "tools/regctl/import/input.h"
#include "tools/regctl/import/line_reader.h"

namespace regulation::regctl {
namespace {

constexpr char kStampName[] = "SOURCE";

std::string StampText(const FileFingerprint& f) {
  return absl::StrCat("size=", f.size, "\nmtime_ns=", f.mtime_ns, "\nhead_sha256=",
                      f.head_sha256, "\n");
}

// A CSV field as the reader reads it back: quoted when it holds a comma, a quote or a
// line break.
std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvLine(const std::vector<std::string>& fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(fields[i]);
  }
  return out + "\n";
}

// The part files being written, one per shard, opened on their first row.
class PartWriters {
 public:
  PartWriters(std::string dir, std::string extension, std::string header)
      : dir_(std::move(dir)), extension_(std::move(extension)), header_(std::move(header)) {}

  ~PartWriters() {
    for (auto& [shard, file] : files_) std::fclose(file);
  }

  std::string PathOf(const std::string& shard) const {
    return absl::StrCat(dir_, "/", shard, extension_, ".partial");
  }

  absl::Status Write(const std::string& shard, absl::string_view row) {
    std::FILE*& file = files_[shard];
    if (file == nullptr) {
      file = std::fopen(PathOf(shard).c_str(), "wb");
      if (file == nullptr) return FileErrorStatus(errno, "cannot create", PathOf(shard));
      if (!header_.empty() && std::fwrite(header_.data(), 1, header_.size(), file) != header_.size()) {
        return FileErrorStatus(errno, "cannot write", PathOf(shard));
      }
    }
    if (std::fwrite(row.data(), 1, row.size(), file) != row.size()) {
      return FileErrorStatus(errno, "cannot write", PathOf(shard));
    }
    ++rows_[shard];
    return absl::OkStatus();
  }

  // Closes every part and gives it its final name.
  absl::Status Finish() {
    for (auto& [shard, file] : files_) {
      const bool flushed = std::fflush(file) == 0 && fsync(fileno(file)) == 0;
      std::fclose(file);
      file = nullptr;
      if (!flushed) return FileErrorStatus(errno, "cannot write", PathOf(shard));
      const std::string final_path = absl::StrCat(dir_, "/", shard, extension_);
      if (std::rename(PathOf(shard).c_str(), final_path.c_str()) != 0) {
        return FileErrorStatus(errno, "cannot rename", PathOf(shard));
      }
    }
    files_.clear();
    return absl::OkStatus();
  }

  int64_t rows(const std::string& shard) const {
    auto it = rows_.find(shard);
    return it == rows_.end() ? 0 : it->second;
  }

 private:
  const std::string dir_;
  const std::string extension_;
  const std::string header_;
  std::map<std::string, std::FILE*> files_;
  std::map<std::string, int64_t> rows_;
};

class Splitter {
 public:
  Splitter(const std::string& file, const services::ShardMap& map, std::FILE* diagnostics)
      : file_(file), map_(map), diagnostics_(diagnostics) {}

  // The shard of `credit_code`, or empty after reporting line `line` rejected.
  std::string Route(absl::string_view credit_code, int64_t line) {
    absl::StatusOr<const internal::ShardConfig*> shard = map_.ForCreditCode(credit_code);
    if (shard.ok()) return (*shard)->name();
    Reject(line, shard.status().message());
    return "";
  }

  void Reject(int64_t line, absl::string_view why) {
    std::fprintf(diagnostics_, "%s:%lld: %s\n", file_.c_str(), static_cast<long long>(line),
                 std::string(why).c_str());
    ++rejected_;
  }

  int64_t rejected() const { return rejected_; }

 private:
  const std::string& file_;
  const services::ShardMap& map_;
  std::FILE* diagnostics_;
  int64_t rejected_ = 0;
};

// The CSV's rows in parts that repeat its header.
absl::StatusOr<std::unique_ptr<PartWriters>> SplitEnterprises(const std::string& file,
                                                              ImportInput* input,
                                                              Splitter* splitter,
                                                              const std::string& dir) {
  input->SkipByteOrderMark();
  CsvReader reader(input, 1);
  CsvRecord record;
  REG_ASSIGN_OR_RETURN(bool any, reader.Next(&record));
  if (!any || !record.error.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ":1: header: an enterprise CSV starts "
                                                   "with a header line naming credit_code"));
  }
  int code_column = -1;
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (absl::StripAsciiWhitespace(record.fields[i]) == "credit_code") code_column = static_cast<int>(i);
  }
  if (code_column < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":1: header: no credit_code column (", absl::StrJoin(record.fields, ","),
                     ")"));
  }
  auto writers = std::make_unique<PartWriters>(dir, ".csv", CsvLine(record.fields));
  while (true) {
    REG_ASSIGN_OR_RETURN(bool more, reader.Next(&record));
    if (!more) return writers;
    if (!record.error.empty()) {
      splitter->Reject(record.line, record.error);
      continue;
    }
    if (static_cast<int>(record.fields.size()) <= code_column) {
      splitter->Reject(record.line, "credit_code: missing (the row is shorter than the header)");
      continue;
    }
    const std::string shard =
        splitter->Route(absl::StripAsciiWhitespace(record.fields[code_column]), record.line);
    if (!shard.empty()) REG_RETURN_IF_ERROR(writers->Write(shard, CsvLine(record.fields)));
  }
}

// The JSON lines in parts, each line as it was.
absl::StatusOr<std::unique_ptr<PartWriters>> SplitEvents(ImportInput* input, Splitter* splitter,
                                                         const std::string& dir) {
  auto writers = std::make_unique<PartWriters>(dir, ".jsonl", "");
  LineReader reader(input, 1);
  TextLine line;
  v1::Event event;
  while (true) {
    REG_ASSIGN_OR_RETURN(bool more, reader.Next(&line));
    if (!more) return writers;
    const absl::string_view text = absl::StripAsciiWhitespace(line.text);
    if (line.too_long) {
      splitter->Reject(line.number, absl::StrCat("line longer than ",
                                                 LineReader::kDefaultMaxLineBytes, " bytes"));
      continue;
    }
    if (text.empty()) continue;
    event.Clear();
    google::protobuf::util::JsonParseOptions lenient;
    lenient.ignore_unknown_fields = true;  // the import itself judges the row
    if (!google::protobuf::util::JsonStringToMessage(
             google::protobuf::StringPiece(text.data(), text.size()), &event, lenient)
             .ok()) {
      splitter->Reject(line.number, "not a regulation.v1.Event in JSON (no credit code to route by)");
      continue;
    }
    const std::string shard = splitter->Route(event.credit_code(), line.number);
    if (!shard.empty()) REG_RETURN_IF_ERROR(writers->Write(shard, absl::StrCat(text, "\n")));
  }
}

}  // namespace

absl::StatusOr<ShardSplit> SplitByShard(const std::string& kind, const std::string& file,
                                        const services::ShardMap& map, std::FILE* diagnostics) {
  if (kind != "enterprises" && kind != "events") {
    return absl::InvalidArgumentError(
        absl::StrCat("import kind \"", kind, "\": expected enterprises or events"));
  }
  const std::string dir = absl::StrCat(file, ".by-shard");
  const std::string stamp_path = absl::StrCat(dir, "/", kStampName);
  const std::string extension = kind == "events" ? ".jsonl" : ".csv";
  REG_ASSIGN_OR_RETURN(FileFingerprint fingerprint, FingerprintFile(file));
  const std::string stamp = StampText(fingerprint);

  ShardSplit split;
  absl::StatusOr<std::string> old_stamp = ReadWholeFile(stamp_path);
  if (old_stamp.ok() && *old_stamp == stamp) {
    split.reused = true;
    for (const internal::ShardConfig& shard : map.config().shards()) {
      ShardPart part{shard.name(), absl::StrCat(dir, "/", shard.name(), extension), 0};
      if (!FingerprintFile(part.path).ok()) part.path.clear();
      split.parts.push_back(std::move(part));
    }
    return split;
  }

  REG_RETURN_IF_ERROR(MakeDirectories(dir));
  std::remove(stamp_path.c_str());
  REG_ASSIGN_OR_RETURN(std::unique_ptr<ImportInput> input, ImportInput::Open(file));
  Splitter splitter(file, map, diagnostics);
  REG_ASSIGN_OR_RETURN(std::unique_ptr<PartWriters> parts,
                       kind == "enterprises" ? SplitEnterprises(file, input.get(), &splitter, dir)
                                             : SplitEvents(input.get(), &splitter, dir));
  REG_RETURN_IF_ERROR(input->status());
  REG_RETURN_IF_ERROR(parts->Finish());
  for (const internal::ShardConfig& shard : map.config().shards()) {
    const std::string path = absl::StrCat(dir, "/", shard.name(), extension);
    const int64_t rows = parts->rows(shard.name());
    if (rows == 0) std::remove(path.c_str());  // a stale part of an earlier split
    split.parts.push_back({shard.name(), rows > 0 ? path : "", rows});
  }
  split.rejected = splitter.rejected();
  // Last: the stamp says the parts are complete for this input.
  REG_RETURN_IF_ERROR(WriteFileAtomically(stamp_path, stamp));
  return split;
}

}  // namespace regulation::regctl
