#include "services/inspection/draw_archive.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scheduler/bundle_parts.h"

namespace regulation::services {
namespace {

using storage::ColumnFamily;

// Batches of about this many bytes while storing.
constexpr size_t kBatchBytes = size_t{4} << 20;

std::string RoundPrefix(const v1::Draw& draw) {
  return absl::StrFormat("%s/%06d/", draw.plan_id(), draw.round());
}

std::string PartKey(const v1::Draw& draw, int64_t index) {
  return absl::StrFormat("%sb/%06d", RoundPrefix(draw), index);
}

std::string SliceKey(const v1::Draw& draw, int64_t index) {
  return absl::StrFormat("%st/%06d", RoundPrefix(draw), index);
}

absl::StatusOr<internal::DrawSlice> ReadSlice(storage::KvStore* store, const v1::Draw& draw,
                                              int64_t index) {
  const std::string key = SliceKey(draw, index);
  absl::StatusOr<std::string> bytes = store->Get(ColumnFamily::kDrawChunks, key);
  if (absl::IsNotFound(bytes.status())) {
    return absl::DataLossError(absl::StrCat("draw slice ", key, " is missing"));
  }
  if (!bytes.ok()) return bytes.status();
  internal::DrawSlice slice;
  if (!slice.ParseFromString(*bytes) || slice.targets_size() != slice.teams_size()) {
    return absl::DataLossError(absl::StrCat("draw slice ", key, " is corrupt"));
  }
  return slice;
}

}  // namespace

bool DrawArchive::KeepsWhole(const v1::Draw& draw) const {
  return static_cast<int64_t>(draw.bundle_json().size()) <= options_.inline_bundle_bytes;
}

absl::Status DrawArchive::Store(v1::Draw* draw) {
  const storage::WriteOptions no_sync;  // the plan record's synced write makes them durable
  storage::WriteBatch batch;
  auto flush_if_full = [&]() -> absl::Status {
    if (batch.byte_size() < kBatchBytes) return absl::OkStatus();
    REG_RETURN_IF_ERROR(store_->Write(batch, no_sync));
    batch.Clear();
    return absl::OkStatus();
  };
  // The bundle's parts.
  const std::string& bundle = draw->bundle_json();
  const int64_t part_bytes = options_.bundle_part_bytes;
  const int64_t parts = scheduler::PartCount(static_cast<int64_t>(bundle.size()), part_bytes);
  for (int64_t i = 0; i < parts; ++i) {
    const absl::string_view part = scheduler::PartOf(bundle, part_bytes, i);
    batch.Put(ColumnFamily::kDrawChunks, PartKey(*draw, i), part);
    v1::BundlePartInfo* info = draw->add_bundle_parts();
    info->set_bytes(static_cast<int64_t>(part.size()));
    info->set_sha256(Sha256Hex(part));
    REG_RETURN_IF_ERROR(flush_if_full());
  }
  // The targets and teams, in slices.
  const int per_slice = std::max(1, options_.targets_per_slice);
  for (int from = 0, slice = 0; from < draw->targets_size(); from += per_slice, ++slice) {
    internal::DrawSlice s;
    const int to = std::min(draw->targets_size(), from + per_slice);
    for (int i = from; i < to; ++i) {
      *s.add_targets() = draw->targets(i);
      *s.add_teams() = draw->teams(i);
    }
    batch.PutOwned(ColumnFamily::kDrawChunks, SliceKey(*draw, slice), s.SerializeAsString());
    REG_RETURN_IF_ERROR(flush_if_full());
  }
  REG_RETURN_IF_ERROR(store_->Write(batch, no_sync));
  draw->set_bundle_bytes(static_cast<int64_t>(bundle.size()));
  draw->set_bundle_part_bytes(part_bytes);
  draw->clear_targets();
  draw->clear_teams();
  draw->clear_bundle_json();
  return absl::OkStatus();
}

absl::Status DrawArchive::ForEachSlice(
    const v1::Draw& draw, const std::function<absl::Status(const internal::DrawSlice&)>& fn) {
  if (!KeptInParts(draw)) {
    internal::DrawSlice whole;
    *whole.mutable_targets() = draw.targets();
    *whole.mutable_teams() = draw.teams();
    return fn(whole);
  }
  int64_t seen = 0;
  for (int64_t index = 0; seen < draw.target_count(); ++index) {
    REG_ASSIGN_OR_RETURN(const internal::DrawSlice slice, ReadSlice(store_, draw, index));
    if (slice.targets_size() == 0) {
      return absl::DataLossError(absl::StrCat("draw slice ", SliceKey(draw, index), " is empty"));
    }
    seen += slice.targets_size();
    REG_RETURN_IF_ERROR(fn(slice));
  }
  return absl::OkStatus();
}

absl::StatusOr<internal::DrawSlice> DrawArchive::ReadTargets(const v1::Draw& draw, int64_t from,
                                                             int64_t count) {
  internal::DrawSlice out;
  if (!KeptInParts(draw)) {
    for (int64_t i = from; i < from + count && i < draw.targets_size(); ++i) {
      *out.add_targets() = draw.targets(static_cast<int>(i));
      *out.add_teams() = draw.teams(static_cast<int>(i));
    }
    return out;
  }
  if (from >= draw.target_count()) return out;
  // Every slice but the last has as many targets as the first.
  REG_ASSIGN_OR_RETURN(internal::DrawSlice first, ReadSlice(store_, draw, 0));
  const int64_t per_slice = first.targets_size();
  if (per_slice == 0) return absl::DataLossError("the first draw slice is empty");
  for (int64_t index = from / per_slice; out.targets_size() < count; ++index) {
    if (index * per_slice >= draw.target_count()) break;
    REG_ASSIGN_OR_RETURN(internal::DrawSlice slice,
                         index == 0 ? std::move(first) : ReadSlice(store_, draw, index));
    for (int64_t i = std::max<int64_t>(0, from - index * per_slice);
         i < slice.targets_size() && out.targets_size() < count; ++i) {
      *out.add_targets() = std::move(*slice.mutable_targets(static_cast<int>(i)));
      *out.add_teams() = std::move(*slice.mutable_teams(static_cast<int>(i)));
    }
  }
  return out;
}

int64_t DrawArchive::PartCount(const v1::Draw& draw) const {
  if (KeptInParts(draw)) return draw.bundle_parts_size();
  return scheduler::PartCount(static_cast<int64_t>(draw.bundle_json().size()),
                              options_.bundle_part_bytes);
}

int64_t DrawArchive::PartBytes(const v1::Draw& draw) const {
  return KeptInParts(draw) ? draw.bundle_part_bytes() : options_.bundle_part_bytes;
}

absl::StatusOr<std::string> DrawArchive::BundlePart(const v1::Draw& draw, int64_t index) {
  if (index < 0 || index >= PartCount(draw)) {
    return absl::InvalidArgumentError(
        absl::StrCat("part: the bundle has parts 0 to ", PartCount(draw) - 1));
  }
  if (!KeptInParts(draw)) {
    return std::string(scheduler::PartOf(draw.bundle_json(), options_.bundle_part_bytes, index));
  }
  const std::string key = PartKey(draw, index);
  absl::StatusOr<std::string> part = store_->Get(ColumnFamily::kDrawChunks, key);
  if (absl::IsNotFound(part.status())) {
    return absl::DataLossError(absl::StrCat("bundle part ", key, " is missing"));
  }
  if (!part.ok()) return part.status();
  if (Sha256Hex(*part) != draw.bundle_parts(static_cast<int>(index)).sha256()) {
    return absl::DataLossError(absl::StrCat("bundle part ", key, " does not match its SHA-256"));
  }
  return part;
}

absl::StatusOr<v1::Draw> DrawArchive::WithTargets(const v1::Draw& draw) {
  if (!KeptInParts(draw)) return draw;
  v1::Draw out = draw;
  REG_RETURN_IF_ERROR(ForEachSlice(draw, [&](const internal::DrawSlice& slice) {
    for (const v1::DrawnTarget& t : slice.targets()) *out.add_targets() = t;
    for (const v1::Team& t : slice.teams()) *out.add_teams() = t;
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace regulation::services
