#include "disclosure/site/site_updater.h"

#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "disclosure/site/downloads.h"
#include "disclosure/site/draw_bundle_view.h"
#include "disclosure/site/published_bundle.h"
#include "disclosure/site/enterprise_page.h"
#include "disclosure/site/index_pages.h"
#include "disclosure/site/json_text.h"
#include "disclosure/site/plan_page.h"
#include "disclosure/site/public_entry.h"
#include "disclosure/site/record_page.h"
#include "disclosure/site/search_index.h"
#include "disclosure/site/site_assets.h"
#include "scheduler/bundle_parts.h"
#include "disclosure/site/site_paths.h"

namespace regulation::disclosure::site {
namespace {

// Search entries held before they are written (about 100 bytes each).
constexpr size_t kMaxPendingSearchEntries = 2'000'000;

void AddUnique(std::vector<int64_t>* v, int64_t x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
}

}  // namespace

absl::StatusOr<SiteRecord> SiteUpdater::Record(int64_t index) const {
  auto withdrawn = withdrawn_in_batch_.find(index);
  if (withdrawn != withdrawn_in_batch_.end()) return withdrawn->second;
  auto it = batch_.find(index);
  if (it != batch_.end()) return *it->second;
  auto by = state_->withdrawn.find(index);
  if (by != state_->withdrawn.end()) {
    REG_ASSIGN_OR_RETURN(std::string leaf, ReadLoggedLeaf(*site_, index, tree_size_));
    return WithdrawnRecord(index, std::move(leaf), by->second);
  }
  return LoadRecord(*site_, index);
}

absl::StatusOr<std::vector<int64_t>> SiteUpdater::MergeIndices(const std::string& path,
                                                               const std::string& key,
                                                               const std::vector<int64_t>& indices,
                                                               bool* created) {
  std::set<int64_t> all(indices.begin(), indices.end());
  absl::StatusOr<std::string> old = site_->Read(path);
  *created = absl::IsNotFound(old.status());
  if (old.ok()) {
    REG_ASSIGN_OR_RETURN(google::protobuf::Value parsed, ParseJson(*old, path));
    if (const google::protobuf::Value* list = Member(parsed, "records"); list != nullptr) {
      for (const google::protobuf::Value& v : list->list_value().values()) all.insert(AsInt(v));
    }
  } else if (!*created) {
    return old.status();
  }
  std::string json = absl::StrCat("{\"key\":", JsonString(key), ",\"records\":[");
  bool first = true;
  for (int64_t i : all) {
    absl::StrAppend(&json, first ? "" : ",", i);
    first = false;
  }
  json += "]}\n";
  REG_RETURN_IF_ERROR(site_->Write(path, json));
  return std::vector<int64_t>(all.begin(), all.end());
}

absl::Status SiteUpdater::UpdateEnterprise(const std::string& code,
                                           const std::vector<int64_t>& indices) {
  bool created = false;
  REG_ASSIGN_OR_RETURN(std::vector<int64_t> all,
                       MergeIndices(EnterpriseDataPath(code), code, indices, &created));
  // Counted once, by the batch that brings its first record, if the saved state does not
  // cover that record yet. Not by whether its file existed: a run that stopped before
  // saving the state, or a lost state file, leaves files the count never saw.
  if (!all.empty() && all.front() >= state_->tree_size &&
      all.front() == *std::min_element(indices.begin(), indices.end())) {
    ++state_->counts["enterprises"];
  }
  std::vector<SiteRecord> records;
  for (int64_t i : all) {
    REG_ASSIGN_OR_RETURN(SiteRecord r, Record(i));
    records.push_back(std::move(r));
  }
  return site_->Write(EnterprisePagePath(code), RenderEnterprisePage(code, records));
}

absl::Status SiteUpdater::UpdatePlan(const std::string& plan_id, const std::vector<int64_t>& indices) {
  bool created = false;
  REG_ASSIGN_OR_RETURN(std::vector<int64_t> all,
                       MergeIndices(PlanDataPath(plan_id), plan_id, indices, &created));
  std::vector<PlanRecord> records;
  SourceRegistry sources;
  for (int64_t i : all) {
    REG_ASSIGN_OR_RETURN(SiteRecord r, Record(i));
    const auto* named = r.entry.has_commitment()     ? &r.entry.commitment().entropy_sources()
                        : r.entry.has_announcement() ? &r.entry.announcement().entropy_sources()
                                                     : nullptr;
    for (int k = 0; named != nullptr && k < named->size(); ++k) {
      REG_RETURN_IF_ERROR(AddRegisteredSource(named->Get(k).source_id(), &sources));
    }
    std::string bundle;
    if (r.entry.has_draw()) {
      absl::StatusOr<std::string> b = ReadBundle(r.entry.draw());
      if (b.ok()) bundle = *std::move(b);
    }
    records.push_back({std::move(r), std::move(bundle)});
  }
  return site_->Write(PlanPagePath(plan_id), RenderPlanPage(plan_id, records, sources));
}

absl::Status SiteUpdater::WriteBundle(const v1::PublicDraw& draw, const std::string& bundle) {
  const std::string path = BundlePath(draw.plan_id(), draw.round());
  if (draw.bundle_part_digests().empty()) return site_->Write(path, bundle);
  // Published in parts, as the record names them: "<round>.00001.part", ... beside the
  // manifest at the bundle's path (docs/draw-spec.md §9.4).
  const scheduler::BundleManifest manifest =
      scheduler::ManifestOf(bundle, draw.bundle_part_bytes(), absl::StrCat(draw.round()));
  const std::string dir = path.substr(0, path.find_last_of('/') + 1);
  for (size_t i = 0; i < manifest.parts.size(); ++i) {
    REG_RETURN_IF_ERROR(site_->Write(
        dir + manifest.parts[i].file,
        std::string(scheduler::PartOf(bundle, manifest.part_bytes, static_cast<int64_t>(i)))));
  }
  return site_->Write(path, scheduler::WriteManifestJson(manifest));
}

absl::StatusOr<std::string> SiteUpdater::ReadBundle(const v1::PublicDraw& draw) const {
  return ReadPublishedBundle(draw, [this](const std::string& path) { return site_->Read(path); });
}

absl::Status SiteUpdater::AddRegisteredSource(const std::string& source_id, SourceRegistry* sources) {
  if (sources->count(source_id) > 0) return absl::OkStatus();
  absl::StatusOr<std::string> data = site_->Read(EntropySourceDataPath(source_id));
  if (absl::IsNotFound(data.status())) return absl::OkStatus();  // not in the log: the page says so
  if (!data.ok()) return data.status();
  REG_ASSIGN_OR_RETURN(google::protobuf::Value parsed, ParseJson(*data, EntropySourceDataPath(source_id)));
  if (const google::protobuf::Value* list = Member(parsed, "records"); list != nullptr) {
    for (const google::protobuf::Value& v : list->list_value().values()) {
      REG_ASSIGN_OR_RETURN(SiteRecord r, Record(AsInt(v)));
      if (r.entry.has_entropy_source() && r.entry.entropy_source().event() == "REGISTERED") {
        (*sources)[source_id] = r.entry.entropy_source().source();
      }
    }
  }
  return absl::OkStatus();
}

absl::Status SiteUpdater::RewriteRecordPage(int64_t index) {
  absl::StatusOr<SiteRecord> record = Record(index);
  if (!record.ok()) {
    // A correction of a record the site does not have (a bad index): nothing to mark.
    return absl::IsNotFound(record.status()) ? absl::OkStatus() : record.status();
  }
  // Its corrections and its withdrawal are on its enterprise's list (UpdateEnterprise ran
  // first) or in this batch.
  RecordPageLinks links;
  const std::string code = EnterpriseCodeOf(record->entry);
  std::vector<int64_t> candidates;
  if (!code.empty()) {
    if (absl::StatusOr<std::string> data = site_->Read(EnterpriseDataPath(code)); data.ok()) {
      REG_ASSIGN_OR_RETURN(google::protobuf::Value parsed, ParseJson(*data, EnterpriseDataPath(code)));
      if (const google::protobuf::Value* list = Member(parsed, "records"); list != nullptr) {
        for (const google::protobuf::Value& v : list->list_value().values()) candidates.push_back(AsInt(v));
      }
    }
  }
  for (const auto& [i, r] : batch_) candidates.push_back(i);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  std::optional<SiteRecord> withdrawal;
  for (int64_t i : candidates) {
    if (i <= index) continue;
    REG_ASSIGN_OR_RETURN(SiteRecord r, Record(i));
    if (r.entry.has_correction() && r.entry.correction().corrects_index() == index) {
      links.corrections.push_back(std::move(r));
    } else if (r.entry.has_objection_outcome() &&
               r.entry.objection_outcome().objected_index() == index) {
      links.objection_outcomes.push_back(std::move(r));
    } else if (r.entry.has_withdrawal() && r.entry.withdrawal().withdrawn_index() == index) {
      withdrawal = std::move(r);
    }
  }
  if (withdrawal.has_value()) links.withdrawal = &*withdrawal;
  return site_->Write(RecordPagePath(index), RenderRecordPage(*record, links));
}

absl::Status SiteUpdater::WriteOwnFiles(const SiteRecord& r,
                                        const std::map<int64_t, std::string>& bundles) {
  if (r.withdrawn) {
    // Published before its withdrawal by an earlier run that did not finish, perhaps.
    REG_RETURN_IF_ERROR(site_->Remove(RecordBodyPath(r.index)));
    REG_RETURN_IF_ERROR(site_->Remove(RecordSaltPath(r.index)));
    return site_->Write(RecordPagePath(r.index), RenderRecordPage(r, {}));
  }
  REG_RETURN_IF_ERROR(site_->Write(RecordBodyPath(r.index), r.body));
  REG_RETURN_IF_ERROR(site_->Write(RecordSaltPath(r.index), SaltFileText(r.salt)));
  if (r.entry.has_draw()) {
    auto bundle = bundles.find(r.index);
    if (bundle != bundles.end()) REG_RETURN_IF_ERROR(WriteBundle(r.entry.draw(), bundle->second));
  }
  return site_->Write(RecordPagePath(r.index), RenderRecordPage(r, {}));
}

absl::Status SiteUpdater::RemoveWithdrawnBody(const SiteRecord& prior, DownloadsUpdate* downloads) {
  const int64_t index = prior.index;
  const std::string code = EnterpriseCodeOf(prior.entry);
  if (!code.empty()) {
    // Its name leaves the search index unless a record that remains still has it.
    const v1::PublicResult* gone = ResultOf(prior.entry);
    std::set<std::string> remaining;
    std::string name_now;
    if (absl::StatusOr<std::string> data = site_->Read(EnterpriseDataPath(code)); data.ok()) {
      REG_ASSIGN_OR_RETURN(google::protobuf::Value parsed, ParseJson(*data, EnterpriseDataPath(code)));
      if (const google::protobuf::Value* list = Member(parsed, "records"); list != nullptr) {
        for (const google::protobuf::Value& v : list->list_value().values()) {
          REG_ASSIGN_OR_RETURN(SiteRecord r, Record(AsInt(v)));
          const v1::PublicResult* result = ResultOf(r.entry);
          if (r.index == index || result == nullptr || result->enterprise_name().empty()) continue;
          remaining.insert(result->enterprise_name());
          name_now = result->enterprise_name();  // the list is in log order: the latest wins
        }
      }
    } else if (!absl::IsNotFound(data.status())) {
      return data.status();
    }
    const std::string name = gone == nullptr || remaining.count(gone->enterprise_name()) > 0
                                 ? ""
                                 : gone->enterprise_name();
    REG_RETURN_IF_ERROR(search_.Withdraw(site_, code, name, name_now));
  }
  downloads->Remove(index);
  // Last: the body files. Until they are gone a repeated run still finds the name above.
  REG_RETURN_IF_ERROR(site_->Remove(RecordBodyPath(index)));
  REG_RETURN_IF_ERROR(site_->Remove(RecordSaltPath(index)));
  return RewriteRecordPage(index);
}

absl::Status SiteUpdater::AddBatch(const std::vector<SiteRecord>& records,
                                   const std::map<int64_t, std::string>& bundles) {
  batch_.clear();
  withdrawn_in_batch_.clear();
  for (const SiteRecord& r : records) batch_[r.index] = &r;

  // 1. The records' own files.
  for (const SiteRecord& r : records) REG_RETURN_IF_ERROR(WriteOwnFiles(r, bundles));

  // 2. What the withdrawals of this batch withdraw, as the site had it (its name is
  // needed to take it out of the search index); then it is withdrawn for what follows.
  std::vector<SiteRecord> withdrawn_before;
  for (const SiteRecord& r : records) {
    if (!r.entry.has_withdrawal()) continue;
    const int64_t gone = r.entry.withdrawal().withdrawn_index();
    absl::StatusOr<SiteRecord> prior = Record(gone);
    if (absl::IsNotFound(prior.status())) {
      // Its body files are gone already: a run that did not finish removed them.
      REG_ASSIGN_OR_RETURN(std::string leaf, ReadLoggedLeaf(*site_, gone, tree_size_));
      prior = WithdrawnRecord(gone, std::move(leaf), r.index);
    }
    if (!prior.ok()) return prior.status();
    REG_ASSIGN_OR_RETURN(SiteRecord now, WithdrawnRecord(gone, prior->leaf, r.index));
    withdrawn_in_batch_[gone] = std::move(now);
    state_->withdrawn[gone] = r.index;
    withdrawn_before.push_back(*std::move(prior));
  }

  // 3. What links to them.
  std::map<std::string, std::vector<int64_t>> enterprises;
  std::map<std::string, std::vector<int64_t>> plans;
  std::vector<int64_t> corrected;
  DownloadsUpdate downloads;
  for (const SiteRecord& batch_record : records) {
    auto later = withdrawn_in_batch_.find(batch_record.index);
    const SiteRecord& r = later == withdrawn_in_batch_.end() ? batch_record : later->second;
    const std::string code = EnterpriseCodeOf(r.entry);
    if (!code.empty()) AddUnique(&enterprises[code], r.index);
    if (r.entry.has_correction()) {
      const int64_t original = r.entry.correction().corrects_index();
      if (original >= 0 && original < r.index) {
        corrected.push_back(original);
        absl::StatusOr<SiteRecord> o = Record(original);
        if (o.ok() && !EnterpriseCodeOf(o->entry).empty()) {
          AddUnique(&enterprises[EnterpriseCodeOf(o->entry)], r.index);
        }
      }
    }
    if (r.entry.has_objection_outcome()) {
      // The objected record's page links its outcome.
      const int64_t objected = r.entry.objection_outcome().objected_index();
      if (objected >= 0 && objected < r.index) corrected.push_back(objected);
    }
    const std::string plan = PlanIdOf(r.entry);
    if (!plan.empty()) AddUnique(&plans[plan], r.index);
    if (r.entry.has_draw()) {
      // Every enterprise a plan page lists has a page: drawn (result pending), or replaced.
      auto bundle = bundles.find(r.index);
      std::vector<std::string> drawn =
          bundle == bundles.end() ? std::vector<std::string>() : DrawTargetCodes(bundle->second);
      drawn.insert(drawn.end(), r.entry.draw().replaced_codes().begin(),
                   r.entry.draw().replaced_codes().end());
      for (const std::string& drawn_code : drawn) AddUnique(&enterprises[drawn_code], r.index);
    }
    if (const v1::PublicResult* result = ResultOf(r.entry); result != nullptr) {
      search_.Add(code, result->enterprise_name());
    }
    downloads.Add(r);
    AddToState(r, state_);
  }
  for (const SiteRecord& r : records) {
    if (!r.entry.has_entropy_source()) continue;
    bool created = false;
    REG_RETURN_IF_ERROR(MergeIndices(EntropySourceDataPath(r.entry.subject()), r.entry.subject(),
                                     {r.index}, &created)
                            .status());
  }
  for (const auto& [code, indices] : enterprises) REG_RETURN_IF_ERROR(UpdateEnterprise(code, indices));
  for (const auto& [plan, indices] : plans) REG_RETURN_IF_ERROR(UpdatePlan(plan, indices));
  std::sort(corrected.begin(), corrected.end());
  corrected.erase(std::unique(corrected.begin(), corrected.end()), corrected.end());
  for (int64_t original : corrected) REG_RETURN_IF_ERROR(RewriteRecordPage(original));
  for (const SiteRecord& prior : withdrawn_before) {
    REG_RETURN_IF_ERROR(RemoveWithdrawnBody(prior, &downloads));
  }
  if (search_.pending() >= kMaxPendingSearchEntries) REG_RETURN_IF_ERROR(search_.Apply(site_));
  REG_RETURN_IF_ERROR(downloads.Apply(site_, &state_->download_chunks));
  if (!records.empty()) state_->tree_size = std::max(state_->tree_size, records.back().index + 1);
  batch_.clear();
  withdrawn_in_batch_.clear();
  return absl::OkStatus();
}

absl::Status SiteUpdater::WriteAssets() {
  for (const SiteAsset& asset : SiteAssets()) {
    REG_RETURN_IF_ERROR(site_->WriteIfChanged(asset.path, absl::string_view(asset.data, asset.size)));
  }
  return absl::OkStatus();
}

absl::Status SiteUpdater::Finish(const SignedCheckpoint& checkpoint, const std::string& verifier_key,
                                 const std::string& site_url) {
  REG_RETURN_IF_ERROR(search_.Apply(site_));
  state_->origin = checkpoint.origin;
  REG_RETURN_IF_ERROR(site_->WriteIfChanged(kVerifierKeyPath, verifier_key + "\n"));
  REG_RETURN_IF_ERROR(site_->WriteIfChanged(kSearchPage, RenderSearchPage()));
  REG_RETURN_IF_ERROR(site_->WriteIfChanged(kPlansPage, RenderPlansPage(*state_)));
  REG_RETURN_IF_ERROR(site_->WriteIfChanged(kDownloadsPage, RenderDownloadsPage(*state_)));
  REG_RETURN_IF_ERROR(site_->WriteIfChanged(kVerifyPage, RenderVerifyPage(checkpoint, verifier_key)));
  REG_RETURN_IF_ERROR(site_->WriteIfChanged(kFeedPath, RenderAtomFeed(*state_, site_url)));
  REG_RETURN_IF_ERROR(site_->WriteIfChanged(kHomePage, RenderHomePage(*state_, checkpoint)));
  return site_->WriteIfChanged(kStatePath, SerializeSiteState(*state_));
}

}  // namespace regulation::disclosure::site
