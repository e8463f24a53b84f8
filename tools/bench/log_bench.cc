// Disclosure log benchmark: in one run, on one machine, over RocksDB,
//   (a) appends: --records realistic disclosure records (JSON, about 500 bytes) appended
//       in batches of --batch, each batch one Append: one atomic, fsync'ed WriteBatch
//       and one signed checkpoint; appends/s counts only the time inside Append;
//   (b) proofs: --proofs inclusion proofs of random indices at the final tree size,
//       on --proof_threads threads;
//   (c) tile export: a full C2SP tlog-tiles export of the log (reported, not the goal),
//       then --incremental more records appended and exported incrementally, timed,
//       with the number of files written.
// The exported directory is then checked with the offline verifier (reported).
// The last line is one JSON object:
//   {"appends_per_s": ..., "proofs_per_s": ..., "incremental_export_s": ...,
//    "files_written": ...}
//
//   bazel run --config=opt //tools/bench:log
//   bazel run --config=opt //tools/bench:log -- --records=100000 --batch=100

#include <stdlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "disclosure/log_verifier.h"
#include "disclosure/merkle.h"
#include "disclosure/signing_key.h"
#include "disclosure/tiles.h"
#include "disclosure/transparency_log.h"
#include "storage/rocksdb_store.h"
#include "tools/bench/bench_support.h"

ABSL_FLAG(int64_t, records, 1000000, "records to append");
ABSL_FLAG(int, batch, 1000, "records per Append (one fsync and one checkpoint each)");
ABSL_FLAG(int64_t, proofs, 200000, "inclusion proofs to generate at the final size");
ABSL_FLAG(int, proof_threads, 1, "threads generating proofs");
ABSL_FLAG(int, incremental, 1000, "records appended before the timed incremental export");
ABSL_FLAG(bool, verify, true, "run the offline verifier over the exported directory");
ABSL_FLAG(std::string, work_dir, "",
          "where to put the database and export (default: new /tmp dir)");
ABSL_FLAG(bool, keep, false, "keep the work directory");

namespace regulation::bench {
namespace {

constexpr char kOrigin[] = "regulation.example/disclosure";

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }

// The i-th disclosure record: an inspection result as the public site would publish it,
// deterministic, about 500 bytes of JSON.
std::string Record(int64_t i) {
  SplitMix64 rng(static_cast<uint64_t>(i) * 7919 + 11);
  static const char* const kOutcomes[] = {"no_problem_found", "problem_found_corrected",
                                          "problem_found_penalised", "not_found_at_address"};
  static const char* const kItems[] = {"food_safety_licence", "product_quality_sampling",
                                       "price_display",       "advertising_compliance",
                                       "special_equipment",   "annual_report_accuracy"};
  const int64_t plan = 1 + static_cast<int64_t>(rng.Below(400));
  return absl::StrFormat(
      "{\"kind\":\"inspection_result\",\"result_id\":\"R-2026-%08d\",\"plan_id\":\"P-2026-%04d\","
      "\"credit_code\":\"91330106%09dX\",\"enterprise_name\":\"Hangzhou Example Trading Co., Ltd. "
      "No. %d\",\"region_code\":\"3301%02d\",\"inspected_on\":\"2026-%02d-%02d\","
      "\"inspectors\":[\"I-%05d\",\"I-%05d\"],\"items\":[\"%s\",\"%s\"],\"outcome\":\"%s\","
      "\"findings\":\"Checked on site against the published item list; records and "
      "licences inspected; findings recorded by both inspectors.\",\"draw\":{\"seed\":\"%016x\","
      "\"ticket\":\"%016x\"},\"published_at\":\"2026-%02d-%02dT10:00:00+08:00\"}",
      i, plan, rng.Below(1000000000), i, 1 + rng.Below(18), 1 + rng.Below(12), 1 + rng.Below(28),
      rng.Below(3000), rng.Below(3000), kItems[rng.Below(6)], kItems[rng.Below(6)],
      kOutcomes[rng.Below(4)], rng.Next(), rng.Next(), 1 + rng.Below(12), 1 + rng.Below(28));
}

std::vector<std::string> Records(int64_t first, int64_t count) {
  std::vector<std::string> out;
  out.reserve(count);
  for (int64_t i = first; i < first + count; ++i) out.push_back(Record(i));
  return out;
}

int Fail(absl::string_view what, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", std::string(what).c_str(), status.ToString().c_str());
  return 1;
}

int Run() {
  const int64_t records = absl::GetFlag(FLAGS_records);
  const int batch = absl::GetFlag(FLAGS_batch);
  const int64_t proofs = absl::GetFlag(FLAGS_proofs);
  const int proof_threads = std::max(1, absl::GetFlag(FLAGS_proof_threads));
  const int incremental = absl::GetFlag(FLAGS_incremental);
  std::string work = absl::GetFlag(FLAGS_work_dir);
  if (work.empty()) {
    char templ[] = "/tmp/log-bench.XXXXXX";
    work = mkdtemp(templ);
  }
  std::fprintf(stderr, "%lld records (%zu bytes each, about), batches of %d, in %s\n",
               static_cast<long long>(records), Record(0).size(), batch, work.c_str());

  storage::RocksDbOptions db_options;
  db_options.path = work + "/db";
  absl::StatusOr<std::unique_ptr<storage::KvStore>> store = storage::OpenRocksDbStore(db_options);
  if (!store.ok()) return Fail("open store", store.status());
  absl::StatusOr<disclosure::SigningKey> key =
      disclosure::SigningKey::LoadOrGenerate(work + "/log.pem", kOrigin);
  if (!key.ok()) return Fail("signing key", key.status());
  absl::StatusOr<std::unique_ptr<disclosure::TransparencyLog>> opened =
      disclosure::TransparencyLog::Open(store->get(), *key);
  if (!opened.ok()) return Fail("open log", opened.status());
  disclosure::TransparencyLog& log = **opened;

  // (a) Appends.
  absl::Duration in_append;
  absl::Time last_report = absl::Now();
  for (int64_t done = 0; done < records;) {
    const int64_t n = std::min<int64_t>(batch, records - done);
    const std::vector<std::string> chunk = Records(done, n);
    const absl::Time start = absl::Now();
    absl::StatusOr<std::vector<uint64_t>> indices = log.Append(chunk);
    in_append += absl::Now() - start;
    if (!indices.ok()) return Fail("append", indices.status());
    done += n;
    if (absl::Now() - last_report > absl::Seconds(2)) {
      std::fprintf(stderr, "  %lld appended, %.0f/s\n", static_cast<long long>(done),
                   done / Seconds(in_append));
      last_report = absl::Now();
    }
  }
  const double appends_per_s = records / Seconds(in_append);
  std::fprintf(stderr, "appends: %.0f records/s (%lld batches, %.2f ms per batch)\n", appends_per_s,
               static_cast<long long>((records + batch - 1) / batch),
               1000 * Seconds(in_append) / ((records + batch - 1) / batch));

  // (b) Inclusion proofs at the final size.
  const disclosure::SignedCheckpoint final_cp = log.Checkpoint();
  std::atomic<int64_t> proof_failures{0};
  const absl::Time proofs_start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < proof_threads; ++t) {
    threads.emplace_back([&, t] {
      SplitMix64 rng(1000 + t);
      const int64_t mine = proofs / proof_threads + (t < proofs % proof_threads ? 1 : 0);
      for (int64_t i = 0; i < mine; ++i) {
        const uint64_t index = rng.Below(final_cp.size);
        absl::StatusOr<std::vector<std::string>> proof = log.InclusionProof(index, final_cp.size);
        if (!proof.ok() || proof->empty()) ++proof_failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double proofs_per_s = proofs / Seconds(absl::Now() - proofs_start);
  if (proof_failures > 0) {
    return Fail("proofs", absl::InternalError(absl::StrCat(proof_failures.load(), " failed")));
  }
  // Spot check: a few proofs verify against the checkpoint.
  for (uint64_t index : {uint64_t{0}, final_cp.size / 3, final_cp.size - 1}) {
    absl::StatusOr<std::vector<std::string>> proof = log.InclusionProof(index, final_cp.size);
    absl::StatusOr<std::string> entry = log.Entry(index);
    if (!proof.ok() || !entry.ok()) return Fail("proof", proof.status());
    absl::Status ok = disclosure::VerifyInclusion(
        index, final_cp.size, disclosure::LeafHash(*entry), *proof, final_cp.root_hash);
    if (!ok.ok()) return Fail("proof verification", ok);
  }
  std::fprintf(stderr, "inclusion proofs: %.0f/s on %d thread(s), at tree size %llu\n",
               proofs_per_s, proof_threads, static_cast<unsigned long long>(final_cp.size));

  // (c) Tile export: full, then incremental.
  const std::string site = work + "/site";
  absl::Time start = absl::Now();
  absl::StatusOr<std::vector<std::string>> full = disclosure::ExportTiles(log, 0, site);
  if (!full.ok()) return Fail("full export", full.status());
  std::fprintf(stderr, "full export: %zu files in %.2f s\n", full->size(),
               Seconds(absl::Now() - start));

  const uint64_t exported = log.size();
  if (absl::Status appended = log.Append(Records(records, incremental)).status(); !appended.ok()) {
    return Fail("append", appended);
  }
  start = absl::Now();
  absl::StatusOr<std::vector<std::string>> delta = disclosure::ExportTiles(log, exported, site);
  const double incremental_s = Seconds(absl::Now() - start);
  if (!delta.ok()) return Fail("incremental export", delta.status());
  std::fprintf(stderr, "incremental export of %d records on top of %llu: %zu files in %.4f s:\n",
               incremental, static_cast<unsigned long long>(exported), delta->size(),
               incremental_s);
  for (const std::string& file : *delta) std::fprintf(stderr, "    %s\n", file.c_str());

  if (absl::GetFlag(FLAGS_verify)) {
    start = absl::Now();
    absl::StatusOr<disclosure::VerifiedLog> verified =
        disclosure::VerifyLogDirectory(site, key->verifier(), nullptr);
    if (!verified.ok()) return Fail("offline verification", verified.status());
    std::fprintf(stderr, "offline verification of %llu entries and %llu hash tiles: %.2f s\n",
                 static_cast<unsigned long long>(verified->entries),
                 static_cast<unsigned long long>(verified->hash_tiles),
                 Seconds(absl::Now() - start));
  }

  opened->reset();
  store->reset();
  if (!absl::GetFlag(FLAGS_keep)) {
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
  }
  std::printf(
      "{\"appends_per_s\": %.0f, \"proofs_per_s\": %.0f, \"incremental_export_s\": %.4f, "
      "\"files_written\": %zu}\n",
      appends_per_s, proofs_per_s, incremental_s, delta->size());
  return 0;
}

}  // namespace
}  // namespace regulation::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return regulation::bench::Run();
}
