#include "disclosure/site/downloads.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "disclosure/site/json_text.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

using google::protobuf::Value;

// Columns whose JSON value is a number.
bool IsNumberColumn(size_t column) { return column == 0 || column == 13; }

std::string CsvCell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                        cell[0] == '\t' || cell[0] == '\r')) {
    cell = "'" + cell;
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

const std::vector<std::string>& DownloadColumns() {
  static const std::vector<std::string>* const kColumns = new std::vector<std::string>{
      "log_index",       "kind",          "publish_time",        "credit_code",
      "enterprise_name", "category",      "category_label",      "findings",
      "follow_up_measures", "inspection_end_date", "departments", "plan_id",
      "result_id",       "corrects_index", "correction_reason"};
  return *kColumns;
}

void DownloadsUpdate::Remove(int64_t index) {
  const int64_t chunk = index / kDownloadChunkSize;
  removed_[chunk].insert(index);
  auto rows = rows_.find(chunk);
  if (rows != rows_.end()) rows->second.erase(index);
}

void DownloadsUpdate::Add(const SiteRecord& record) {
  const v1::PublicResult* result = ResultOf(record.entry);
  if (result == nullptr || record.withdrawn) return;
  const bool correction = record.entry.has_correction();
  rows_[record.index / kDownloadChunkSize][record.index] = {
      absl::StrCat(record.index),
      record.entry.kind(),
      record.entry.publish_time(),
      result->credit_code(),
      result->enterprise_name(),
      result->category(),
      result->category_label(),
      result->findings(),
      result->follow_up_measures(),
      result->inspection_end_date(),
      absl::StrJoin(result->departments(), "; "),
      result->plan_id(),
      result->result_id(),
      correction ? absl::StrCat(record.entry.correction().corrects_index()) : "",
      correction ? record.entry.correction().reason() : ""};
}

absl::Status DownloadsUpdate::Apply(SiteWriter* site, std::set<int64_t>* chunks) const {
  const std::vector<std::string>& columns = DownloadColumns();
  std::set<int64_t> touched;
  for (const auto& [chunk, additions] : rows_) touched.insert(chunk);
  for (const auto& [chunk, gone] : removed_) touched.insert(chunk);
  static const std::map<int64_t, std::vector<std::string>>* const kNone =
      new std::map<int64_t, std::vector<std::string>>();
  static const std::set<int64_t>* const kNoneRemoved = new std::set<int64_t>();
  for (const int64_t chunk : touched) {
    auto added = rows_.find(chunk);
    const auto& additions = added == rows_.end() ? *kNone : added->second;
    auto gone = removed_.find(chunk);
    const std::set<int64_t>& removals = gone == removed_.end() ? *kNoneRemoved : gone->second;
    const std::string json_path = DownloadJsonPath(chunk);
    std::map<int64_t, std::vector<std::string>> rows;
    if (absl::StatusOr<std::string> old = site->Read(json_path); old.ok()) {
      REG_ASSIGN_OR_RETURN(Value parsed, ParseJson(*old, json_path));
      if (const Value* list = Member(parsed, "rows"); list != nullptr) {
        for (const Value& row : list->list_value().values()) {
          std::vector<std::string> fields;
          for (size_t c = 0; c < columns.size(); ++c) {
            const Value* v = Member(row, columns[c]);
            if (v == nullptr || v->kind_case() == Value::kNullValue) {
              fields.push_back("");
            } else if (v->kind_case() == Value::kNumberValue) {
              fields.push_back(absl::StrCat(AsInt(*v)));
            } else {
              fields.push_back(v->string_value());
            }
          }
          int64_t index = 0;
          if (absl::SimpleAtoi(fields[0], &index)) rows[index] = std::move(fields);
        }
      }
    } else if (!absl::IsNotFound(old.status())) {
      return old.status();
    }
    for (const auto& [index, fields] : additions) rows[index] = fields;
    for (const int64_t index : removals) rows.erase(index);

    std::string json = absl::StrCat("{\"chunk\":", chunk, ",\"rows\":[");
    std::string csv = absl::StrCat("\xEF\xBB\xBF", absl::StrJoin(columns, ","), "\r\n");
    bool first = true;
    for (const auto& [index, fields] : rows) {
      absl::StrAppend(&json, first ? "\n{" : ",\n{");
      first = false;
      for (size_t c = 0; c < columns.size(); ++c) {
        const bool number = IsNumberColumn(c);
        absl::StrAppend(&json, c > 0 ? "," : "", JsonString(columns[c]), ":",
                        number ? (fields[c].empty() ? "null" : fields[c]) : JsonString(fields[c]));
        absl::StrAppend(&csv, c > 0 ? "," : "", CsvCell(fields[c]));
      }
      json += "}";
      csv += "\r\n";
    }
    json += "\n]}\n";
    REG_RETURN_IF_ERROR(site->Write(json_path, json));
    REG_RETURN_IF_ERROR(site->Write(DownloadCsvPath(chunk), csv));
    chunks->insert(chunk);
  }
  return absl::OkStatus();
}

}  // namespace regulation::disclosure::site
