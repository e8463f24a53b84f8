#include "disclosure/body_check.h"

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/public_leaf.h"

namespace regulation::disclosure {
namespace {

absl::Status Bad(uint64_t index, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("record ", index, ": ", what));
}

}  // namespace

absl::Status BodyCheck::Check(uint64_t index, absl::string_view leaf_bytes) {
  absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf(leaf_bytes);
  if (!leaf.ok()) return Bad(index, leaf.status().message());
  absl::StatusOr<Body> published = read_(index);
  if (absl::IsNotFound(published.status())) {
    missing_[index] = leaf->key;
    return absl::OkStatus();
  }
  if (!published.ok()) return published.status();
  absl::StatusOr<v1::PublicEntry> entry = CheckBody(*leaf, published->body, published->salt);
  if (!entry.ok()) return Bad(index, entry.status().message());
  ++bodies_checked_;
  if (check_entry_ != nullptr) {
    const absl::Status checked = check_entry_(index, *entry);
    if (absl::IsDataLoss(checked)) return Bad(index, checked.message());
    REG_RETURN_IF_ERROR(checked);
  }
  if (!entry->has_withdrawal()) return absl::OkStatus();

  // A WITHDRAWAL record: it names an earlier record, under its own key.
  const v1::PublicWithdrawal& w = entry->withdrawal();
  const int64_t gone = w.withdrawn_index();
  if (gone < 0 || static_cast<uint64_t>(gone) >= index ||
      leaf->key != absl::StrCat("withdrawal/", gone)) {
    return Bad(index, absl::StrCat("the WITHDRAWAL record ", leaf->key, " names record ", gone,
                                   ", which it cannot withdraw"));
  }
  auto missing = missing_.find(static_cast<uint64_t>(gone));
  if (missing != missing_.end()) {
    if (missing->second != w.withdrawn_key()) {
      return Bad(index, absl::StrCat("withdraws record ", gone, " as ", w.withdrawn_key(),
                                     ", but that record's leaf is ", missing->second));
    }
    missing_.erase(missing);
    ++withdrawn_;
    return absl::OkStatus();
  }
  // Its body is still published: it matched its leaf; is it the record named?
  REG_ASSIGN_OR_RETURN(Body still, read_(static_cast<uint64_t>(gone)));
  absl::StatusOr<v1::PublicEntry> old = ParsePublicEntryJson(still.body);
  if (!old.ok() || old->key() != w.withdrawn_key()) {
    return Bad(index, absl::StrCat("withdraws record ", gone, " as ", w.withdrawn_key(),
                                   ", which is another record"));
  }
  ++withdrawn_;
  still_published_.push_back(static_cast<uint64_t>(gone));
  return absl::OkStatus();
}

absl::Status BodyCheck::Finish() const {
  if (missing_.empty()) return absl::OkStatus();
  const auto& [index, key] = *missing_.begin();
  return absl::DataLossError(absl::StrCat(
      "record ", index, " (", key, ") has no published body, and no WITHDRAWAL record in the "
      "log names it", missing_.size() > 1 ? absl::StrCat(" (", missing_.size() - 1, " more)") : ""));
}

}  // namespace regulation::disclosure
