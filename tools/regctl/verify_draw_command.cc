#include "tools/regctl/verify_draw_command.h"

#include <optional>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/status_macros.h"
#include "regulation/v1/inspection_service.pb.h"
#include "scheduler/bundle_parts.h"
#include "scheduler/population.h"
#include "scheduler/population_csv.h"
#include "scheduler/risk_class.h"
#include "scheduler/roster.h"
#include "scheduler/roster_json.h"
#include "scheduler/verify_draw.h"
#include "tools/regctl/jsonl_upsert.h"

namespace regulation::regctl {
namespace {

constexpr int kValid = 0;
constexpr int kInvalid = 1;
constexpr int kUsage = 2;

int Usage(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return kUsage;
}

std::string Short(const std::string& hex) { return hex.substr(0, 16) + "…"; }

// The registry file: a JSON list of RegisteredEntropySource, or a ListEntropySources
// response ({"sources": [...]}).
absl::StatusOr<std::vector<scheduler::PublishedSource>> ReadRegistry(const std::string& path) {
  REG_ASSIGN_OR_RETURN(const std::string text, ReadWholeFile(path));
  const size_t start = text.find_first_not_of(" \t\r\n");
  const std::string wrapped = start != std::string::npos && text[start] == '['
                                  ? absl::StrCat("{\"sources\":", text, "}")
                                  : text;
  v1::ListEntropySourcesResponse registry;
  if (absl::Status parsed = ParseCanonicalJson(wrapped, &registry); !parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a list of RegisteredEntropySource: ", parsed.message()));
  }
  std::vector<scheduler::PublishedSource> out;
  for (const v1::RegisteredEntropySource& s : registry.sources()) {
    scheduler::PublishedSource& p = out.emplace_back();
    p.source_id = s.source_id();
    p.kind = s.kind() == v1::ENTROPY_SOURCE_KIND_WITNESS  ? scheduler::SourceKind::kWitness
             : s.kind() == v1::ENTROPY_SOURCE_KIND_BEACON ? scheduler::SourceKind::kBeacon
                                                          : scheduler::SourceKind::kUnchecked;
    p.department = s.department();
    p.algorithm = s.algorithm();
    p.public_key = s.public_key_hex();
    p.certificate_pem = s.certificate_pem();
    p.rsa_modulus = s.rsa_modulus_hex();
    p.rsa_exponent = s.rsa_exponent_hex();
    p.register_time = absl::FromUnixSeconds(s.register_time().seconds()) +
                      absl::Nanoseconds(s.register_time().nanos());
    if (s.has_retire_time()) {
      p.retire_time = absl::FromUnixSeconds(s.retire_time().seconds()) +
                      absl::Nanoseconds(s.retire_time().nanos());
    }
  }
  return out;
}

}  // namespace

int RunVerifyDrawCommand(const std::vector<std::string>& args, const VerifyDrawOptions& options,
                         std::FILE* out) {
  if (args.size() != 1) {
    return Usage(
        "verify-draw takes one argument, the bundle file (or its parts' manifest): regctl "
        "verify-draw BUNDLE.json [--population=FILE] [--roster=FILE] [--sources=REGISTRY.json] "
        "[--previous=BUNDLE.json] [--credit_code=C [--risk_class=A-D]]");
  }
  int risk_class = 0;
  if (!options.risk_class.empty()) {
    risk_class = scheduler::ParseRiskClassLetter(options.risk_class);
    if (risk_class == 0) {
      return Usage(
          absl::StrFormat("--risk_class must be A, B, C or D, got \"%s\"", options.risk_class));
    }
    if (options.credit_code.empty()) return Usage("--risk_class needs --credit_code");
  }
  // A bundle file, or the manifest of a bundle published in parts (draw-spec §9.4).
  scheduler::BundleManifest manifest;
  absl::StatusOr<std::string> bundle = scheduler::ReadBundleFile(args[0], &manifest);
  if (absl::IsDataLoss(bundle.status())) {
    absl::FPrintF(out, "INVALID: %s\n", bundle.status().message());
    return kInvalid;
  }
  if (!bundle.ok()) return Usage(std::string(bundle.status().message()));

  std::optional<scheduler::FrozenPopulation> population;
  if (!options.population_file.empty()) {
    absl::StatusOr<scheduler::FrozenPopulation> read =
        scheduler::ReadPopulationCsvFile(options.population_file);
    if (!read.ok()) return Usage(std::string(read.status().message()));
    population = *std::move(read);
  }
  std::optional<scheduler::FrozenRoster> roster;
  if (!options.roster_file.empty()) {
    absl::StatusOr<scheduler::FrozenRoster> read =
        scheduler::ReadRosterJsonFile(options.roster_file);
    if (!read.ok()) return Usage(std::string(read.status().message()));
    roster = *std::move(read);
  }

  scheduler::VerifyContext context;
  if (!options.sources_file.empty()) {
    absl::StatusOr<std::vector<scheduler::PublishedSource>> read =
        ReadRegistry(options.sources_file);
    if (!read.ok()) return Usage(std::string(read.status().message()));
    context.sources = *std::move(read);
  }
  if (!options.previous_file.empty()) {
    absl::StatusOr<std::string> read = scheduler::ReadBundleFile(options.previous_file);
    if (!read.ok()) return Usage(absl::StrCat("--previous: ", read.status().message()));
    context.previous_bundle = *std::move(read);
  }
  if (!options.earlier_files.empty()) {
    context.earlier_bundles.emplace();
    for (const std::string& file : options.earlier_files) {
      absl::StatusOr<std::string> read = scheduler::ReadBundleFile(file);
      if (!read.ok()) return Usage(absl::StrCat("--earlier: ", file, ": ", read.status().message()));
      context.earlier_bundles->push_back(*std::move(read));
    }
  }

  scheduler::VerifySummary summary;
  const absl::Status status = scheduler::VerifyDraw(*bundle, population, roster, &summary, context);
  if (absl::IsInvalidArgument(status)) {
    return Usage(absl::StrCat(absl::StartsWith(status.message(), "earlier") ? "--earlier: "
                                                                             : "--previous: ",
                              status.message()));
  }
  if (!status.ok()) {
    absl::FPrintF(out, "INVALID: %s\n", status.message());
    return kInvalid;
  }

  std::string own;
  bool own_consistent = true;
  bool not_in_population = false;
  if (!options.credit_code.empty() && population.has_value()) {
    // The frozen population says who could be drawn, and in which class.
    const int64_t row = population->Find(options.credit_code);
    if (row < 0) {
      not_in_population = true;
      own = absl::StrFormat(
          "enterprise %s: not in the frozen population, so it could not be drawn (not selected)",
          options.credit_code);
    } else {
      const int frozen_class = population->risk_class(row);
      if (risk_class != 0 && risk_class != frozen_class) {
        return Usage(absl::StrCat(
            "--risk_class: the population file puts ", options.credit_code, " in class ",
            std::string(1, scheduler::RiskClassLetter(frozen_class)), "; leave --risk_class out"));
      }
      risk_class = frozen_class;
    }
  }
  if (!options.credit_code.empty() && !not_in_population) {
    absl::StatusOr<scheduler::OwnTicketCheck> check =
        scheduler::VerifyOwnTicket(*bundle, options.credit_code, risk_class);
    if (!check.ok()) {
      if (check.status().code() == absl::StatusCode::kInvalidArgument) {
        return Usage(absl::StrCat("--credit_code: ", check.status().message()));
      }
      absl::FPrintF(out, "INVALID: %s\n", check.status().message());
      return kInvalid;
    }
    own_consistent = check->consistent;
    own = absl::StrFormat("enterprise %s: %s", options.credit_code, check->explanation);
  }
  if (!own_consistent) {
    absl::FPrintF(out, "INVALID: %s\n", own);
    return kInvalid;
  }

  absl::FPrintF(out, "VALID: plan %s, round %d (%s); bundle %s, seed %s\n", summary.plan_id,
                summary.round, summary.round_kind, Short(summary.bundle_digest),
                Short(summary.seed));
  if (!manifest.parts.empty()) {
    absl::FPrintF(out,
                  "checked: %d parts of the manifest (%d bytes), each against its SHA-256, and "
                  "the parts joined against the bundle digest\n",
                  manifest.parts.size(), manifest.bundle_bytes);
  }
  absl::FPrintF(out,
                "checked: canonical form; plan digest; commitment %s against its record; "
                "statements: %d witness signature(s), %d beacon pulse(s), %d attested "
                "value(s), each bound to this plan, round and commitment and made after the "
                "minimum delay; nonce against its commitment; seed from its inputs; %d target "
                "tickets, their order and ranks; class counts and cutoffs; %d teams (%d "
                "staffed, %d unstaffed), their shape and the workload cap\n",
                Short(summary.commitment_digest), summary.witness_statements, summary.beacon_pulses,
                summary.unchecked_values, summary.targets, summary.targets, summary.staffed,
                summary.unstaffed);
  absl::FPrintF(out, summary.sources_checked
                         ? "checked with the registry: each source registered with these keys "
                           "before the commitment, not retired by then\n"
                         : "not checked: the sources' keys against the published registry "
                           "(--sources)\n");
  if (summary.chain_checked) {
    absl::FPrintF(out,
                  "checked with the previous round: the link, a fresh nonce and fresh "
                  "statements, the exclusions and the workload carried\n");
  } else if (summary.round > 0) {
    absl::FPrintF(out, "not checked: the chain to round %d (--previous)\n", summary.round - 1);
  }
  if (summary.repeat_checked) {
    absl::FPrintF(out,
                  "checked with the earlier bundles: the no-repeat rule's rounds (window, "
                  "scope, none left out) and its %d excluded enterprise(s)\n",
                  summary.repeat_excluded);
  } else if (summary.repeat_excluded > 0) {
    absl::FPrintF(out,
                  "not checked: the %d enterprise(s) excluded as visited by other plans, "
                  "against their bundles (--earlier)\n",
                  summary.repeat_excluded);
  }
  if (summary.recusals > 0) {
    absl::FPrintF(out, "checked: %d granted recusal(s) kept off their enterprises' teams\n",
                  summary.recusals);
  }
  if (summary.population_checked) {
    absl::FPrintF(out,
                  "checked with the population (%d enterprises): its digests; each target's "
                  "class cutoff and region; the selection re-run\n",
                  summary.population_size);
  } else {
    absl::FPrintF(out, "not checked: the selection against the population (--population)\n");
  }
  if (summary.roster_checked) {
    absl::FPrintF(out, "checked with the roster (%d inspectors): its digest; the teams re-run\n",
                  summary.roster_size);
  } else {
    absl::FPrintF(out, "not checked: the teams against the roster (--roster)\n");
  }
  if (!own.empty()) absl::FPrintF(out, "%s\n", own);
  return kValid;
}

}  // namespace regulation::regctl
