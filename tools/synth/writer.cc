#include "tools/synth/writer.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <filesystem>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/escaping.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/event.pb.h"
#include "tools/synth/auc.h"
#include "tools/synth/csv.h"
#include "tools/synth/hashing_file.h"
#include "tools/synth/history.h"
#include "tools/synth/population.h"
#include "tools/synth/random.h"
#include "tools/synth/run_merge.h"

namespace regulation::synth {
namespace {

constexpr char kTempDirName[] = ".synth-tmp";
constexpr char kEnterprisesHeader[] =
    "credit_code,name,region_code,industry_code,registered_capital_yuan,establishment_date,"
    "status,address\n";
constexpr char kTruthHeader[] = "credit_code,latent_propensity,problem_probability_at_end\n";
constexpr char kInspectionTruthHeader[] = "event_id,credit_code,p_true,problem_found\n";
constexpr int kPayloadFields = 32;  // payload field numbers are below this

// What one worker counts; integer sums only, so the merge order does not matter.
struct WorkerStats {
  int64_t events = 0;
  std::array<int64_t, kPayloadFields> by_kind{};
  std::array<int64_t, 8> by_status{};
  int64_t inspections = 0;
  int64_t problems = 0;
  int64_t p_true_sum = 0;  // fixed point, AucHistogram::kOne
  AucHistogram oracle;
  AucHistogram observable;
  AucHistogram end;
  int64_t operating = 0;
  int64_t p_end_sum = 0;  // fixed point

  void Merge(const WorkerStats& o) {
    events += o.events;
    for (int i = 0; i < kPayloadFields; ++i) by_kind[i] += o.by_kind[i];
    for (size_t i = 0; i < by_status.size(); ++i) by_status[i] += o.by_status[i];
    inspections += o.inspections;
    problems += o.problems;
    p_true_sum += o.p_true_sum;
    oracle.Merge(o.oracle);
    observable.Merge(o.observable);
    end.Merge(o.end);
    operating += o.operating;
    p_end_sum += o.p_end_sum;
  }
};

int64_t Fixed(double p) { return std::llround(p * static_cast<double>(AucHistogram::kOne)); }

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

absl::Status WriteWholeFile(const std::string& path, absl::string_view data) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return absl::ErrnoToStatus(errno, absl::StrCat("cannot create ", path));
  const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok) {
    return absl::ErrnoToStatus(ok ? errno : saved, absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

absl::Status AppendFileTo(const std::string& path, HashingFileWriter* out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
  std::string buffer(1 << 20, '\0');
  absl::Status status;
  while (status.ok()) {
    const size_t n = std::fread(buffer.data(), 1, buffer.size(), f);
    if (n > 0) status = out->Write(absl::string_view(buffer.data(), n));
    if (n < buffer.size()) {
      if (std::ferror(f)) status = absl::ErrnoToStatus(errno, absl::StrCat("cannot read ", path));
      break;
    }
  }
  std::fclose(f);
  return status;
}

std::string ChunkPath(const std::string& temp_dir, int64_t chunk, absl::string_view suffix) {
  return absl::StrFormat("%s/chunk-%06d.%s", temp_dir, chunk, suffix);
}

// Generates enterprises [begin, end) into the chunk's three files.
absl::Status GenerateChunk(const SynthConfig& config, int64_t chunk, int64_t begin, int64_t end,
                           const std::string& temp_dir, StreamFactory* streams, WorkerStats* stats,
                           std::atomic<int64_t>* enterprises_done,
                           std::atomic<int64_t>* events_done) {
  std::string enterprises;
  std::string truth;
  std::string inspection_truth;
  std::vector<std::string> lines;
  std::string json;
  for (int64_t i = begin; i < end; ++i) {
    const EnterpriseProfile profile = GenerateProfile(config, i, streams);
    const History history = SimulateHistory(config, profile, streams);
    const v1::Enterprise record = EnterpriseRecord(profile, history);
    const absl::CivilDay est = profile.establishment;
    enterprises += CsvRow({record.credit_code(), record.name(), record.region_code(),
                           record.industry_code(), absl::StrCat(record.registered_capital_yuan()),
                           FormatDate(est), StatusShortName(record.status()), record.address()});
    truth += CsvRow({record.credit_code(), absl::StrFormat("%.6f", profile.latent_propensity),
                     absl::StrFormat("%.6f", history.problem_probability_at_end)});
    for (const v1::Event& event : history.events) {
      json.clear();
      const auto printed = google::protobuf::util::MessageToJsonString(event, &json);
      if (!printed.ok()) {
        return absl::InternalError(
            absl::StrCat("cannot print event ", event.event_id(), ": ", printed.ToString()));
      }
      lines.push_back(absl::StrCat(absl::StrFormat("%012d", event.occur_time().seconds()),
                                   event.event_id(), "\t", json));
      ++stats->by_kind[std::min(kPayloadFields - 1, static_cast<int>(event.payload_case()))];
    }
    stats->events += static_cast<int64_t>(history.events.size());
    stats->by_status[std::min<size_t>(7, record.status())]++;
    for (const InspectionRecord& inspection : history.inspections) {
      inspection_truth += CsvRow({inspection.event_id, record.credit_code(),
                                  absl::StrFormat("%.6f", inspection.p_true),
                                  inspection.problem_found ? "1" : "0"});
      ++stats->inspections;
      stats->problems += inspection.problem_found;
      stats->p_true_sum += Fixed(inspection.p_true);
      stats->oracle.Add(inspection.p_true, inspection.problem_found, !inspection.problem_found);
      stats->observable.Add(Sigmoid(inspection.observable_logit), inspection.problem_found,
                            !inspection.problem_found);
    }
    if (record.status() == v1::ENTERPRISE_STATUS_OPERATING) {
      ++stats->operating;
      stats->p_end_sum += Fixed(history.problem_probability_at_end);
      stats->end.AddProbability(history.problem_probability_at_end,
                                history.problem_probability_at_end);
    }
    enterprises_done->fetch_add(1, std::memory_order_relaxed);
    events_done->fetch_add(static_cast<int64_t>(history.events.size()), std::memory_order_relaxed);
  }
  // Keys have one width (12-digit seconds, then ids of one width), so whole lines sort as
  // their keys do.
  std::sort(lines.begin(), lines.end());
  std::string run;
  size_t bytes = 0;
  for (const std::string& line : lines) bytes += line.size() + 1;
  run.reserve(bytes);
  for (const std::string& line : lines) {
    run += line;
    run.push_back('\n');
  }
  lines.clear();
  absl::Status status = WriteWholeFile(ChunkPath(temp_dir, chunk, "events.run"), run);
  if (status.ok()) {
    status = WriteWholeFile(ChunkPath(temp_dir, chunk, "enterprises.csv"), enterprises);
  }
  if (status.ok()) status = WriteWholeFile(ChunkPath(temp_dir, chunk, "truth.csv"), truth);
  if (status.ok()) {
    status = WriteWholeFile(ChunkPath(temp_dir, chunk, "inspections_truth.csv"), inspection_truth);
  }
  return status;
}

std::string FormatCount(int64_t n) {
  std::string digits = absl::StrCat(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

// `name` in out_dir: the header, then every chunk's part of that file in chunk order.
absl::StatusOr<FileSummary> WriteConcatenated(const std::string& out_dir, const char* name,
                                              const char* header, const std::string& temp_dir,
                                              int64_t chunks) {
  HashingFileWriter out;
  absl::Status status = out.Open(out_dir + "/" + name);
  if (status.ok()) status = out.Write(header);
  for (int64_t chunk = 0; status.ok() && chunk < chunks; ++chunk) {
    status = AppendFileTo(ChunkPath(temp_dir, chunk, name), &out);
  }
  if (status.ok()) status = out.Close();
  if (!status.ok()) return status;
  return FileSummary{name, 0, out.bytes(), out.sha256_hex()};
}

// events.jsonl in out_dir: the chunks' sorted runs merged, keys stripped.
absl::StatusOr<FileSummary> WriteMergedEvents(const std::string& out_dir,
                                              const std::string& temp_dir, int64_t chunks,
                                              int64_t expected, const WriteOptions& options) {
  HashingFileWriter out;
  absl::Status status = out.Open(out_dir + "/events.jsonl");
  if (!status.ok()) return status;
  std::vector<std::string> runs;
  for (int64_t chunk = 0; chunk < chunks; ++chunk) {
    runs.push_back(ChunkPath(temp_dir, chunk, "events.run"));
  }
  const absl::Time started = absl::Now();
  absl::Time last = started;
  int64_t rows = 0;
  std::string buffer;
  status = MergeRuns(
      runs, temp_dir, options.merge_fan_in, /*strip_keys=*/true, [&](absl::string_view line) {
        buffer.assign(line.data(), line.size());
        buffer.push_back('\n');
        ++rows;
        if (options.progress != nullptr && (rows & 0xFFFF) == 0 &&
            absl::Now() - last >= absl::Seconds(1)) {
          last = absl::Now();
          const double rate = rows / absl::ToDoubleSeconds(last - started);
          std::fprintf(options.progress, "synth: merged %s/%s events (%.0f%%), ETA %.0f s\n",
                       FormatCount(rows).c_str(), FormatCount(expected).c_str(),
                       100.0 * rows / std::max<int64_t>(1, expected), (expected - rows) / rate);
          std::fflush(options.progress);
        }
        return out.Write(buffer);
      });
  if (status.ok()) status = out.Close();
  if (!status.ok()) return status;
  return FileSummary{"events.jsonl", rows, out.bytes(), out.sha256_hex()};
}

}  // namespace

std::string StatusShortName(v1::EnterpriseStatus status) {
  std::string name = v1::EnterpriseStatus_Name(status);
  const absl::string_view prefix = "ENTERPRISE_STATUS_";
  return absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name;
}

absl::StatusOr<SynthSummary> WriteSyntheticData(const SynthConfig& config,
                                                const std::string& out_dir,
                                                const WriteOptions& options) {
  absl::Status valid = ValidateConfig(config);
  if (!valid.ok()) return valid;
  if (out_dir.empty()) return absl::InvalidArgumentError("out: a directory is required");
  if (options.chunk_size < 1) return absl::InvalidArgumentError("chunk_size must be positive");
  if (options.merge_fan_in < 2) return absl::InvalidArgumentError("merge_fan_in must be >= 2");
  int threads = options.threads;
  if (threads <= 0) {
    threads = static_cast<int>(std::min(8u, std::max(1u, std::thread::hardware_concurrency())));
  }

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return absl::ErrnoToStatus(ec.value(), absl::StrCat("cannot create ", out_dir));
  const std::string manifest_path = out_dir + "/manifest.json";
  std::filesystem::remove(manifest_path, ec);  // a stale manifest must not vouch for new files
  const std::string temp_dir = out_dir + "/" + kTempDirName;
  std::filesystem::remove_all(temp_dir, ec);
  std::filesystem::create_directories(temp_dir, ec);
  if (ec) return absl::ErrnoToStatus(ec.value(), absl::StrCat("cannot create ", temp_dir));
  // The temporary directory goes on every return from here, success or not.
  struct RemoveOnExit {
    ~RemoveOnExit() {
      std::error_code ignored;
      std::filesystem::remove_all(path, ignored);
    }
    std::string path;
  } remove_temp_dir{temp_dir};

  const int64_t chunks = (config.enterprises + options.chunk_size - 1) / options.chunk_size;
  threads = static_cast<int>(std::min<int64_t>(threads, chunks));
  std::vector<absl::Status> chunk_status(chunks);
  std::vector<std::unique_ptr<WorkerStats>> worker_stats;
  for (int w = 0; w < threads; ++w) worker_stats.push_back(std::make_unique<WorkerStats>());
  std::atomic<int64_t> next_chunk{0};
  std::atomic<int64_t> enterprises_done{0};
  std::atomic<int64_t> events_done{0};
  std::atomic<bool> failed{false};
  std::atomic<int> workers_running{threads};

  const absl::Time started = absl::Now();
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      StreamFactory streams(config.seed);
      while (!failed.load()) {
        const int64_t chunk = next_chunk.fetch_add(1);
        if (chunk >= chunks) break;
        const int64_t begin = chunk * options.chunk_size;
        const int64_t end = std::min(config.enterprises, begin + options.chunk_size);
        chunk_status[chunk] = GenerateChunk(config, chunk, begin, end, temp_dir, &streams,
                                            worker_stats[w].get(), &enterprises_done, &events_done);
        if (!chunk_status[chunk].ok()) failed.store(true);
      }
      workers_running.fetch_sub(1);
    });
  }
  absl::Time last_report = started;
  while (workers_running.load() > 0) {
    absl::SleepFor(absl::Milliseconds(100));
    const absl::Time now = absl::Now();
    if (options.progress == nullptr || now - last_report < absl::Seconds(1)) continue;
    last_report = now;
    const int64_t done = enterprises_done.load();
    const double seconds = absl::ToDoubleSeconds(now - started);
    const double rate = seconds > 0 ? done / seconds : 0;
    const double eta = rate > 0 ? (config.enterprises - done) / rate : 0;
    std::fprintf(options.progress,
                 "synth: %s/%s enterprises (%.0f%%), %s enterprises/s, %s events, ETA %.0f s\n",
                 FormatCount(done).c_str(), FormatCount(config.enterprises).c_str(),
                 100.0 * done / config.enterprises, FormatCount(std::llround(rate)).c_str(),
                 FormatCount(events_done.load()).c_str(), eta);
    std::fflush(options.progress);
  }
  for (std::thread& t : workers) t.join();
  for (const absl::Status& s : chunk_status) {
    if (!s.ok()) return s;
  }

  WorkerStats stats;
  for (const auto& w : worker_stats) stats.Merge(*w);
  worker_stats.clear();

  SynthSummary summary;
  summary.config = config;
  summary.window = WindowOf(config);
  summary.enterprises = config.enterprises;
  summary.events = stats.events;

  // Output files in a fixed order: enterprises.csv, events.jsonl, truth.csv,
  // inspections_truth.csv.
  absl::StatusOr<FileSummary> file =
      WriteConcatenated(out_dir, "enterprises.csv", kEnterprisesHeader, temp_dir, chunks);
  if (!file.ok()) return file.status();
  file->rows = config.enterprises;
  summary.files.push_back(*file);
  file = WriteMergedEvents(out_dir, temp_dir, chunks, stats.events, options);
  if (!file.ok()) return file.status();
  summary.files.push_back(*file);
  file = WriteConcatenated(out_dir, "truth.csv", kTruthHeader, temp_dir, chunks);
  if (!file.ok()) return file.status();
  file->rows = config.enterprises;
  summary.files.push_back(*file);
  file =
      WriteConcatenated(out_dir, "inspections_truth.csv", kInspectionTruthHeader, temp_dir, chunks);
  if (!file.ok()) return file.status();
  file->rows = stats.inspections;
  summary.files.push_back(*file);

  const google::protobuf::Descriptor* descriptor = v1::Event::descriptor();
  for (int i = 1; i < kPayloadFields; ++i) {
    if (stats.by_kind[i] == 0) continue;
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByNumber(i);
    summary.events_by_kind[field != nullptr ? field->name() : absl::StrCat("field_", i)] =
        stats.by_kind[i];
  }
  for (size_t s = 0; s < stats.by_status.size(); ++s) {
    if (stats.by_status[s] == 0) continue;
    summary.enterprises_by_status[StatusShortName(static_cast<v1::EnterpriseStatus>(s))] =
        stats.by_status[s];
  }
  summary.inspections = stats.inspections;
  summary.inspection_problems = stats.problems;
  if (stats.inspections > 0) {
    summary.inspection_problem_rate = static_cast<double>(stats.problems) / stats.inspections;
    summary.inspection_mean_p_true = static_cast<double>(stats.p_true_sum) /
                                     static_cast<double>(AucHistogram::kOne) / stats.inspections;
  }
  summary.inspection_oracle_auc = stats.oracle.Auc();
  summary.inspection_observable_auc = stats.observable.Auc();
  summary.operating_at_end = stats.operating;
  if (stats.operating > 0) {
    summary.mean_problem_probability_at_end = static_cast<double>(stats.p_end_sum) /
                                              static_cast<double>(AucHistogram::kOne) /
                                              stats.operating;
  }
  summary.expected_oracle_auc_at_end = stats.end.Auc();

  HashingFileWriter manifest;
  absl::Status status = manifest.Open(manifest_path);
  if (status.ok()) status = manifest.Write(ManifestJson(summary));
  if (status.ok()) status = manifest.Close();
  if (!status.ok()) return status;
  return summary;
}

std::string ManifestJson(const SynthSummary& s) {
  std::string out = "{\n";
  absl::StrAppend(&out, "  \"generator\": \"regulation synth v2 (tools/synth)\",\n");
  absl::StrAppend(&out, "  \"parameters\": {\n");
  absl::StrAppend(&out, "    \"enterprises\": ", s.config.enterprises, ",\n");
  absl::StrAppend(&out, "    \"years\": ", s.config.years, ",\n");
  absl::StrAppend(&out, "    \"seed\": \"", s.config.seed, "\",\n");
  absl::StrAppend(&out, "    \"end_date\": \"", FormatDate(s.config.end_date), "\",\n");
  absl::StrAppend(&out, "    \"window_first_day\": \"", FormatDate(s.window.first_day), "\"\n");
  absl::StrAppend(&out, "  },\n  \"files\": [\n");
  for (size_t i = 0; i < s.files.size(); ++i) {
    const FileSummary& f = s.files[i];
    absl::StrAppend(&out, "    {\"name\": ", JsonQuote(f.name), ", \"rows\": ", f.rows,
                    ", \"bytes\": ", f.bytes, ", \"sha256\": \"", f.sha256, "\"}",
                    i + 1 < s.files.size() ? ",\n" : "\n");
  }
  absl::StrAppend(&out, "  ],\n  \"counts\": {\n");
  absl::StrAppend(&out, "    \"enterprises\": ", s.enterprises, ",\n");
  absl::StrAppend(&out, "    \"events\": ", s.events, ",\n");
  auto append_map = [&out](absl::string_view name, const std::map<std::string, int64_t>& m,
                           bool last) {
    absl::StrAppend(&out, "    ", JsonQuote(name), ": {");
    bool first = true;
    for (const auto& [key, value] : m) {
      absl::StrAppend(&out, first ? "" : ", ", JsonQuote(key), ": ", value);
      first = false;
    }
    absl::StrAppend(&out, last ? "}\n" : "},\n");
  };
  append_map("events_by_kind", s.events_by_kind, false);
  append_map("enterprises_by_status", s.enterprises_by_status, true);
  absl::StrAppend(&out, "  },\n  \"inspections\": {\n");
  absl::StrAppend(&out, "    \"count\": ", s.inspections, ",\n");
  absl::StrAppend(&out, "    \"problems_found\": ", s.inspection_problems, ",\n");
  absl::StrAppendFormat(&out, "    \"problem_rate\": %.6f,\n", s.inspection_problem_rate);
  absl::StrAppendFormat(&out, "    \"mean_p_true\": %.6f,\n", s.inspection_mean_p_true);
  absl::StrAppendFormat(&out, "    \"oracle_auc\": %.6f,\n", s.inspection_oracle_auc);
  absl::StrAppendFormat(&out, "    \"observable_part_auc\": %.6f\n", s.inspection_observable_auc);
  absl::StrAppend(&out, "  },\n  \"truth_at_end\": {\n");
  absl::StrAppend(&out, "    \"operating_enterprises\": ", s.operating_at_end, ",\n");
  absl::StrAppendFormat(&out, "    \"mean_problem_probability\": %.6f,\n",
                        s.mean_problem_probability_at_end);
  absl::StrAppendFormat(&out, "    \"expected_oracle_auc\": %.6f\n", s.expected_oracle_auc_at_end);
  absl::StrAppend(&out, "  }\n}\n");
  return out;
}

}  // namespace regulation::synth
