#include "disclosure/site/publisher.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "disclosure/checkpoint.h"
#include "disclosure/cosignature.h"
#include "disclosure/site/checkpoint_guard.h"
#include "disclosure/public_leaf.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/site_paths.h"
#include "disclosure/site/site_updater.h"
#include "disclosure/site/site_writer.h"
#include "disclosure/site/tile_stage.h"
#include "disclosure/tiles.h"

namespace regulation::disclosure::site {
namespace {

std::optional<std::string> ReadOptional(const SiteWriter& site, const std::string& path,
                                        absl::Status* error) {
  absl::StatusOr<std::string> data = site.Read(path);
  if (data.ok()) return *std::move(data);
  if (!absl::IsNotFound(data.status())) *error = data.status();
  return std::nullopt;
}

// Checks each record against the log's entry bundles (installed in the site) and its
// draw bundle against its digest, then hands batches to the updater.
class RecordIntake {
 public:
  RecordIntake(const SiteWriter* site, SiteUpdater* updater, SiteSource* source, uint64_t from,
               uint64_t to, const PublishOptions& options)
      : site_(site),
        updater_(updater),
        source_(source),
        next_(from),
        from_(from),
        to_(to),
        options_(options) {}

  absl::Status Take(const v1::PublicRecord& record) {
    if (record.log_index() != static_cast<int64_t>(next_) || next_ >= to_) {
      return absl::DataLossError(absl::StrCat("the log sent record ", record.log_index(),
                                              " where record ", next_, " was due"));
    }
    const int64_t index = static_cast<int64_t>(next_);
    REG_ASSIGN_OR_RETURN(const std::string* logged, LoggedEntry(next_));
    if (record.leaf() != *logged) {
      return absl::DataLossError(absl::StrCat("the leaf of record ", index, " differs from entry ",
                                              index, " of the log's entry bundle: refusing to publish"));
    }
    absl::StatusOr<PublicLeaf> leaf = ParsePublicLeaf(record.leaf());
    if (!leaf.ok()) {
      return absl::DataLossError(absl::StrCat("record ", index, ": ", leaf.status().message()));
    }
    SiteRecord site_record;
    if (record.withdrawn()) {
      REG_ASSIGN_OR_RETURN(site_record, TakeWithdrawn(record));
    } else {
      absl::StatusOr<v1::PublicEntry> entry = CheckBody(*leaf, record.body_json(), record.salt());
      if (!entry.ok()) {
        return absl::DataLossError(absl::StrCat("record ", index, ": ", entry.status().message(),
                                                ": refusing to publish it"));
      }
      site_record = SiteRecord{index, record.leaf(), record.body_json(), record.salt(),
                               *std::move(entry)};
      REG_RETURN_IF_ERROR(TakeAttachment(record, site_record.entry));
      if (site_record.entry.has_withdrawal()) REG_RETURN_IF_ERROR(TakeWithdrawal(site_record));
    }
    batch_.push_back(std::move(site_record));
    ++next_;
    if (static_cast<int64_t>(batch_.size()) >= options_.batch_records) return Flush();
    return absl::OkStatus();
  }

  // After the last record: every record served as withdrawn was named by its
  // WITHDRAWAL record.
  absl::Status CheckWithdrawals() const {
    if (claims_.empty()) return absl::OkStatus();
    const auto& [index, by] = *claims_.begin();
    return absl::DataLossError(absl::StrCat("record ", index, " was served as withdrawn by record ",
                                            by, ", which does not withdraw it"));
  }

  absl::Status Flush() {
    if (batch_.empty()) return absl::OkStatus();
    REG_RETURN_IF_ERROR(updater_->AddBatch(batch_, bundles_));
    batch_.clear();
    bundles_.clear();
    if (options_.progress) {
      options_.progress({static_cast<int64_t>(next_ - from_), static_cast<int64_t>(to_ - from_),
                         static_cast<int64_t>(site_->written().size())});
    }
    return absl::OkStatus();
  }

  uint64_t next() const { return next_; }

 private:
  // A record served without its body: only once a WITHDRAWAL record, later in this log,
  // names it (checked when that record arrives, CheckWithdrawals).
  absl::StatusOr<SiteRecord> TakeWithdrawn(const v1::PublicRecord& record) {
    const int64_t index = record.log_index();
    if (!record.body_json().empty() || !record.salt().empty()) {
      return absl::DataLossError(absl::StrCat("record ", index, " came withdrawn and with a body"));
    }
    const int64_t by = record.withdrawal_index();
    if (by < 0 || static_cast<uint64_t>(by) >= to_) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the body of record ", index, " was withdrawn, but the WITHDRAWAL record that says so "
          "is not covered by the log's checkpoint (tree size ", to_, ") yet: publish again once "
          "it is"));
    }
    if (by <= index) {
      return absl::DataLossError(absl::StrCat("record ", index, " is said to be withdrawn by the "
                                              "earlier record ", by));
    }
    claims_[index] = by;
    absl::StatusOr<SiteRecord> withdrawn = WithdrawnRecord(index, record.leaf(), by);
    if (!withdrawn.ok()) return absl::DataLossError(withdrawn.status().message());
    return withdrawn;
  }

  // A WITHDRAWAL record names an earlier record, under its own key.
  absl::Status TakeWithdrawal(const SiteRecord& record) {
    const int64_t gone = record.entry.withdrawal().withdrawn_index();
    if (gone < 0 || gone >= record.index ||
        record.entry.key() != absl::StrCat("withdrawal/", gone)) {
      return absl::DataLossError(absl::StrCat("record ", record.index, " (", record.entry.key(),
                                              ") withdraws record ", gone,
                                              ", which it cannot: refusing to publish it"));
    }
    auto claim = claims_.find(gone);
    if (claim != claims_.end() && claim->second != record.index) {
      return absl::DataLossError(absl::StrCat("record ", gone, " was served as withdrawn by record ",
                                              claim->second, " but record ", record.index,
                                              " withdraws it"));
    }
    if (claim != claims_.end()) claims_.erase(claim);
    return absl::OkStatus();
  }

  // A DRAW record's bundle published in parts: each part fetched and checked against the
  // digest the record names for it, then the whole against the bundle digest.
  absl::StatusOr<std::string> FetchParts(int64_t index, const v1::PublicDraw& draw) {
    int64_t part = 0;
    std::string bundle;
    for (const std::string& digest : draw.bundle_part_digests()) {
      REG_ASSIGN_OR_RETURN(const std::string data, source_->AttachmentPart(index, part));
      if (Sha256Hex(data) != digest ||
          (part + 1 < draw.bundle_part_digests_size() &&
           static_cast<int64_t>(data.size()) != draw.bundle_part_bytes())) {
        return absl::DataLossError(absl::StrCat(
            "part ", part + 1, " of the draw bundle of record ", index, " (plan ", draw.plan_id(),
            ", round ", draw.round(), ") is not the part its record names: refusing to publish it"));
      }
      bundle += data;
      ++part;
    }
    return bundle;
  }

  // A DRAW record's bundle, checked against the digest its body names.
  absl::Status TakeAttachment(const v1::PublicRecord& record, const v1::PublicEntry& entry) {
    if (!entry.has_draw()) return absl::OkStatus();
    const int64_t index = record.log_index();
    if (record.attachment().empty() && !entry.draw().bundle_part_digests().empty()) {
      REG_ASSIGN_OR_RETURN(std::string joined, FetchParts(index, entry.draw()));
      if (Sha256Hex(joined) != entry.draw().bundle_digest()) {
        return absl::DataLossError(absl::StrCat(
            "the parts of the draw bundle of record ", index, " (plan ", entry.draw().plan_id(),
            ", round ", entry.draw().round(), ") join to a bundle that does not hash to the "
            "digest its record names: refusing to publish it"));
      }
      bundles_[index] = std::move(joined);
      return absl::OkStatus();
    }
    if (record.attachment().empty()) {
      return absl::DataLossError(absl::StrCat("the log sent no bundle with draw record ", index,
                                              " (plan ", entry.draw().plan_id(), ", round ",
                                              entry.draw().round(), ")"));
    }
    if (Sha256Hex(record.attachment()) != entry.draw().bundle_digest()) {
      return absl::DataLossError(absl::StrCat(
          "the draw bundle of record ", index, " (plan ", entry.draw().plan_id(), ", round ",
          entry.draw().round(), ") does not hash to the digest its record names (",
          entry.draw().bundle_digest(), "): refusing to publish it"));
    }
    bundles_[index] = record.attachment();
    return absl::OkStatus();
  }

  absl::StatusOr<const std::string*> LoggedEntry(uint64_t index) {
    const uint64_t tile = index / kTileWidth;
    if (!bundle_.has_value() || bundle_tile_ != tile) {
      const Tile t{0, tile, std::min(kTileWidth, to_ - tile * kTileWidth)};
      REG_ASSIGN_OR_RETURN(std::string data, site_->Read(EntryBundlePath(t)));
      REG_ASSIGN_OR_RETURN(bundle_, DecodeEntryBundle(data));
      bundle_tile_ = tile;
    }
    const uint64_t k = index % kTileWidth;
    if (k >= bundle_->size()) return absl::DataLossError("entry bundle too short");
    return &(*bundle_)[k];
  }

  const SiteWriter* const site_;
  SiteUpdater* const updater_;
  SiteSource* const source_;
  uint64_t next_;
  const uint64_t from_;
  const uint64_t to_;
  const PublishOptions& options_;
  std::vector<SiteRecord> batch_;
  std::map<int64_t, std::string> bundles_;
  std::optional<std::vector<std::string>> bundle_;
  uint64_t bundle_tile_ = 0;
  // Records served as withdrawn -> the WITHDRAWAL record said to name them, not yet seen.
  std::map<int64_t, int64_t> claims_;
};

// The directory's publication lock, held until destruction (flock: released by the
// kernel too if the process dies).
class DirectoryLock {
 public:
  static absl::StatusOr<std::unique_ptr<DirectoryLock>> Acquire(const std::string& dir) {
    const std::string path = dir + "/.publish.lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return FileErrorStatus(errno, "cannot open", path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int error = errno;
      ::close(fd);
      if (error == EWOULDBLOCK) {
        return absl::FailedPreconditionError(absl::StrCat(
            "another publication into ", dir, " is running (it holds ", path,
            "); try again when it has finished"));
      }
      return FileErrorStatus(error, "cannot lock", path);
    }
    return std::unique_ptr<DirectoryLock>(new DirectoryLock(fd));
  }
  ~DirectoryLock() { ::close(fd_); }
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

 private:
  explicit DirectoryLock(int fd) : fd_(fd) {}
  const int fd_;
};

}  // namespace

absl::StatusOr<PublishReport> Publish(SiteSource& source, const std::string& dir,
                                      const PublishOptions& options) {
  REG_RETURN_IF_ERROR(MakeDirectories(dir));
  REG_ASSIGN_OR_RETURN(std::unique_ptr<DirectoryLock> lock, DirectoryLock::Acquire(dir));
  SiteWriter site(dir);
  absl::Status read_error;
  const std::optional<std::string> published_note = ReadOptional(site, kCheckpointPath, &read_error);
  const std::optional<std::string> site_key = ReadOptional(site, kVerifierKeyPath, &read_error);
  const std::optional<std::string> state_json = ReadOptional(site, kStatePath, &read_error);
  REG_RETURN_IF_ERROR(read_error);
  REG_ASSIGN_OR_RETURN(std::optional<CheckpointText> published,
                       ParsePublishedCheckpoint(published_note));
  const uint64_t from = published.has_value() ? published->size : 0;

  // 1. The log's checkpoint: the right key, and no rollback or fork.
  REG_ASSIGN_OR_RETURN(v1::Checkpoint latest, source.LatestCheckpoint());
  REG_ASSIGN_OR_RETURN(ChosenKey key,
                       ChooseVerifierKey(options.verifier_key, site_key, latest.verifier_key()));
  REG_ASSIGN_OR_RETURN(SignedCheckpoint announced,
                       CheckNextCheckpoint(latest.signed_note(), key.verifier, published, source));

  // 2. The log's files, staged and checked against the checkpoint they end with (the
  // log may have grown since `announced`; it must extend it).
  REG_ASSIGN_OR_RETURN(std::unique_ptr<TileStage> stage, TileStage::Create(&site));
  REG_RETURN_IF_ERROR(source.ForEachLogFile(
      static_cast<int64_t>(from), [&](const v1::LogFile& file) { return stage->Accept(file); }));
  if (!stage->has_checkpoint()) {
    return absl::DataLossError("the log's files ended without a checkpoint");
  }
  const CheckpointText announced_text{announced.origin, announced.size, announced.root_hash, {}};
  REG_ASSIGN_OR_RETURN(SignedCheckpoint target,
                       CheckNextCheckpoint(stage->checkpoint_note(), key.verifier, announced_text,
                                           source));
  REG_RETURN_IF_ERROR(stage->Verify(from, target));

  REG_ASSIGN_OR_RETURN(SiteState state,
                       ParseSiteState(state_json.has_value() ? &*state_json : nullptr));
  SiteUpdater updater(&site, &state, target.size);
  REG_RETURN_IF_ERROR(updater.WriteAssets());
  REG_RETURN_IF_ERROR(stage->Install(from, target.size, &site));

  // 3. The records, checked against the installed entry bundles. Normally those after
  // the published checkpoint; all of them when the site's pages are missing or older
  // (a tiles-only directory, a lost state file).
  const uint64_t records_from = std::min<uint64_t>(from, static_cast<uint64_t>(state.tree_size));
  RecordIntake intake(&site, &updater, &source, records_from, target.size, options);
  if (target.size > records_from) {
    REG_RETURN_IF_ERROR(source.ForEachRecord(
        static_cast<int64_t>(records_from), static_cast<int64_t>(target.size),
        [&](const v1::PublicRecord& record) { return intake.Take(record); }));
    REG_RETURN_IF_ERROR(intake.Flush());
    REG_RETURN_IF_ERROR(intake.CheckWithdrawals());
  }
  if (intake.next() != target.size) {
    return absl::DataLossError(absl::StrCat("the log sent records up to ", intake.next(),
                                            " but its checkpoint has ", target.size));
  }

  // 4. Index pages, then the checkpoint, last.
  const std::string verifier_key = key.verifier.VerifierKey();
  REG_RETURN_IF_ERROR(updater.Finish(target, verifier_key, options.site_url));
  if (!options.witness_keys.empty()) {
    std::string witnesses;
    for (const std::string& text : options.witness_keys) {
      REG_ASSIGN_OR_RETURN(CosignerVerifier witness, CosignerVerifier::Parse(text));
      absl::StrAppend(&witnesses, witness.VerifierKey(), "\n");
    }
    REG_RETURN_IF_ERROR(site.WriteIfChanged(kWitnessesPath, witnesses));
  }
  // The same checkpoint as published keeps the cosignatures witnesses added to it.
  absl::StatusOr<Note> published_parsed =
      published_note.has_value() ? ParseNote(*published_note) : absl::StatusOr<Note>(absl::NotFoundError(""));
  const bool same_checkpoint =
      published_parsed.ok() && published_parsed->text == target.note.substr(0, target.note.find("\n\n") + 1);
  if (!same_checkpoint) {
    if (options.sync) REG_RETURN_IF_ERROR(site.SyncAll());
    REG_RETURN_IF_ERROR(options.sync ? site.WriteDurably(kCheckpointPath, target.note)
                                     : site.Write(kCheckpointPath, target.note));
  }

  PublishReport report;
  report.previous_size = static_cast<int64_t>(from);
  report.tree_size = static_cast<int64_t>(target.size);
  report.records = static_cast<int64_t>(target.size - records_from);
  report.written = site.written();
  report.files_written = static_cast<int64_t>(report.written.size());
  report.verifier_key = verifier_key;
  report.trusted_on_first_use = key.trusted_on_first_use;
  return report;
}

}  // namespace regulation::disclosure::site
