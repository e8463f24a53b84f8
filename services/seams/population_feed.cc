#include "services/seams/population_feed.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace regulation::services {
namespace {

// Walks the class stream alongside ascending credit codes.
class ClassCursor {
 public:
  explicit ClassCursor(ClassReader* reader) : reader_(reader) {}

  // The model class of `code` (0: never scored). REQUIRES: codes ascending across calls.
  absl::StatusOr<int> ClassOf(const std::string& code) {
    while (true) {
      if (at_ < batch_.size()) {
        const CodeClass& row = batch_[at_];
        if (row.credit_code > code) return 0;
        if (row.credit_code == code) return row.risk_class;
        ++at_;
        continue;
      }
      if (ended_) return 0;
      std::string last = previous_last_;
      REG_RETURN_IF_ERROR(reader_->Next(&batch_));
      at_ = 0;
      if (batch_.empty()) {
        ended_ = true;
        return 0;
      }
      for (const CodeClass& row : batch_) {
        if (!last.empty() && row.credit_code <= last) {
          return absl::FailedPreconditionError(absl::StrCat(
              "the scoring service's class stream is out of credit-code order at ",
              row.credit_code));
        }
        last = row.credit_code;
      }
      previous_last_ = std::move(last);
    }
  }

 private:
  ClassReader* const reader_;
  std::vector<CodeClass> batch_;
  size_t at_ = 0;
  std::string previous_last_;
  bool ended_ = false;
};

}  // namespace

absl::Status PopulationFeed::ForEachBatch(const PopulationQuery& query,
                                          const PopulationBatchUse& use) {
  REG_ASSIGN_OR_RETURN(std::unique_ptr<ClassReader> reader, classes_->Read(query.batch_size));
  ClassCursor classes(reader.get());
  std::vector<PopulationRow> joined;
  std::string last;
  return portrait_->ForEachBatch(
      query, [&](absl::Span<const PopulationRow> rows) -> absl::Status {
        joined.assign(rows.begin(), rows.end());
        for (PopulationRow& row : joined) {
          if (!last.empty() && row.credit_code <= last) {
            return absl::FailedPreconditionError(absl::StrCat(
                "the portrait service's population stream is out of credit-code order at ",
                row.credit_code));
          }
          last = row.credit_code;
          REG_ASSIGN_OR_RETURN(row.model_class, classes.ClassOf(row.credit_code));
        }
        return use(joined);
      });
}

}  // namespace regulation::services
