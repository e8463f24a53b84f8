// regctl: the operator's command line for regulatord, over gRPC with mutual TLS.
//
//   regctl [global flags] COMMAND ...
//
// The commands, their usage and their flags are a table (regctl_commands.cc), from which
// `regctl --help` and `regctl help COMMAND` are rendered and against which each command
// line is checked. This file owns the flags (absl parses them) and binds each command of
// the table to a runner that reads its flags into the command's option struct.

#include <grpc/grpc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "tools/regctl/admin_command.h"
#include "tools/regctl/assignment_command.h"
#include "tools/regctl/audit_command.h"
#include "tools/regctl/backtest_command.h"
#include "tools/regctl/command_line.h"
#include "tools/regctl/command_table.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/cosign_command.h"
#include "tools/regctl/enterprise_command.h"
#include "tools/regctl/entropy_command.h"
#include "tools/regctl/import/command.h"
#include "tools/regctl/output.h"
#include "tools/regctl/pki_command.h"
#include "tools/regctl/plan_command.h"
#include "tools/regctl/portrait_command.h"
#include "tools/regctl/publish_command.h"
#include "tools/regctl/regctl_commands.h"
#include "tools/regctl/result_command.h"
#include "tools/regctl/roster_command.h"
#include "tools/regctl/scoring_command.h"
#include "tools/regctl/server_command.h"
#include "tools/regctl/status_command.h"
#include "tools/regctl/synth_command.h"
#include "tools/regctl/verify_draw_command.h"
#include "tools/regctl/verify_log_command.h"
#include "tools/regctl/recusal_command.h"
#include "tools/regctl/withdrawal_command.h"
#include "tools/regctl/objection_command.h"
#include "tools/regctl/alert_command.h"
#include "tools/regctl/witness_command.h"
#include "tools/regctl/shard_routing.h"
#include "tools/regctl/import/sharded_command.h"
#include "tools/regctl/service_routing.h"
#include "services/server/topology_file.h"

// Every flag is parsed by absl; which command takes which flag, and what it means there,
// is in the command table (regctl_commands.cc): `regctl help COMMAND`.
ABSL_FLAG(std::string, server, "localhost:50051", "global: regctl help");
ABSL_FLAG(std::string, output, "table", "global: regctl help");
ABSL_FLAG(int, timeout_seconds, 60, "global: regctl help");
ABSL_FLAG(std::string, tls_dir, "", "global: regctl help");
ABSL_FLAG(bool, insecure_loopback, false, "global: regctl help");
ABSL_FLAG(std::string, services, "", "global: regctl help");
ABSL_FLAG(std::string, shards, "", "per command: regctl help");
ABSL_FLAG(std::string, credit_code, "", "per command: regctl help");
ABSL_FLAG(std::string, name, "", "per command: regctl help");
ABSL_FLAG(std::string, region, "", "per command: regctl help");
ABSL_FLAG(std::string, industry, "", "per command: regctl help");
ABSL_FLAG(int64_t, capital_yuan, 0, "per command: regctl help");
ABSL_FLAG(std::string, established, "", "per command: regctl help");
ABSL_FLAG(std::string, status, "OPERATING", "per command: regctl help");
ABSL_FLAG(std::string, address, "", "per command: regctl help");
ABSL_FLAG(std::string, file, "", "per command: regctl help");
ABSL_FLAG(std::string, region_prefix, "", "per command: regctl help");
ABSL_FLAG(std::string, industry_prefix, "", "per command: regctl help");
ABSL_FLAG(std::string, status_filter, "", "per command: regctl help");
ABSL_FLAG(int, page_size, 0, "per command: regctl help");
ABSL_FLAG(std::string, page_token, "", "per command: regctl help");
ABSL_FLAG(bool, all, false, "per command: regctl help");
ABSL_FLAG(std::string, config, "", "per command: regctl help");
ABSL_FLAG(std::string, oracle, "", "per command: regctl help");
ABSL_FLAG(std::string, report_dir, "", "per command: regctl help");
ABSL_FLAG(bool, stored, false, "per command: regctl help");
ABSL_FLAG(std::string, resume_token, "", "per command: regctl help");
ABSL_FLAG(int, region_digits, 0, "per command: regctl help");
ABSL_FLAG(std::string, cut_points, "", "per command: regctl help");
ABSL_FLAG(std::string, quantiles, "", "per command: regctl help");
ABSL_FLAG(std::string, model, "", "per command: regctl help");
ABSL_FLAG(std::string, from, "", "per command: regctl help");
ABSL_FLAG(std::string, to, "", "per command: regctl help");
ABSL_FLAG(int, shuffles, 0, "per command: regctl help");
ABSL_FLAG(std::string, as_of, "", "per command: regctl help");
ABSL_FLAG(int64_t, enterprises, 0, "per command: regctl help");
ABSL_FLAG(int, years, 3, "per command: regctl help");
ABSL_FLAG(uint64_t, seed, 0, "per command: regctl help");
ABSL_FLAG(std::string, end_date, "2026-06-30", "per command: regctl help");
ABSL_FLAG(int, batch_size, 500, "per command: regctl help");
ABSL_FLAG(int, window, 8, "per command: regctl help");
ABSL_FLAG(int, max_errors, 100, "per command: regctl help");
ABSL_FLAG(bool, restart, false, "per command: regctl help");
ABSL_FLAG(std::string, caller, "", "per command: regctl help");
ABSL_FLAG(std::string, rpc, "", "per command: regctl help");
ABSL_FLAG(std::string, since, "", "per command: regctl help");
ABSL_FLAG(std::string, until, "", "per command: regctl help");
ABSL_FLAG(std::string, expect_head, "", "per command: regctl help");
ABSL_FLAG(std::string, ca_dir, "", "per command: regctl help");
ABSL_FLAG(std::string, ca_name, "regulation CA", "per command: regctl help");
ABSL_FLAG(std::string, out, "", "per command: regctl help");
ABSL_FLAG(std::string, role, "", "per command: regctl help");
ABSL_FLAG(std::string, department, "", "per command: regctl help");
ABSL_FLAG(std::string, inspector_id, "", "per command: regctl help");
ABSL_FLAG(int, days, 0, "per command: regctl help");
ABSL_FLAG(bool, server_cert, false, "per command: regctl help");
ABSL_FLAG(std::string, dns, "", "per command: regctl help");
ABSL_FLAG(std::string, ip, "", "per command: regctl help");
ABSL_FLAG(std::string, cert, "", "per command: regctl help");
ABSL_FLAG(std::string, reason, "", "per command: regctl help");
ABSL_FLAG(bool, force, false, "per command: regctl help");
ABSL_FLAG(std::vector<std::string>, source, {}, "per command: regctl help");
ABSL_FLAG(std::vector<std::string>, statement, {}, "per command: regctl help");
ABSL_FLAG(bool, allow_unstaffed, false, "per command: regctl help");
ABSL_FLAG(bool, restaff, false, "per command: regctl help");
ABSL_FLAG(std::string, entropy_kind, "", "per command: regctl help");
ABSL_FLAG(std::string, entropy_reference, "", "per command: regctl help");
ABSL_FLAG(std::string, nonce_commitment, "", "per command: regctl help");
ABSL_FLAG(std::string, entropy, "", "per command: regctl help");
ABSL_FLAG(std::string, nonce, "", "per command: regctl help");
ABSL_FLAG(std::string, bundle_out, "", "per command: regctl help");
ABSL_FLAG(std::string, codes, "", "per command: regctl help");
ABSL_FLAG(int, round, 0, "per command: regctl help");
ABSL_FLAG(std::string, plan, "", "per command: regctl help");
ABSL_FLAG(std::string, category, "", "per command: regctl help");
ABSL_FLAG(std::string, findings, "", "per command: regctl help");
ABSL_FLAG(std::string, follow_up, "", "per command: regctl help");
ABSL_FLAG(std::string, inspection_end, "", "per command: regctl help");
ABSL_FLAG(std::string, comment, "", "per command: regctl help");
ABSL_FLAG(std::string, rule, "", "per command: regctl help");
ABSL_FLAG(std::string, disposition, "", "per command: regctl help");
ABSL_FLAG(std::string, note, "", "per command: regctl help");
ABSL_FLAG(std::string, legal_basis, "", "per command: regctl help");
ABSL_FLAG(std::string, preview_digest, "", "per command: regctl help");
ABSL_FLAG(int64_t, corrects_index, -1, "per command: regctl help");
ABSL_FLAG(std::string, state, "", "per command: regctl help");
ABSL_FLAG(int, within, 0, "per command: regctl help");
ABSL_FLAG(std::string, format, "", "per command: regctl help");
ABSL_FLAG(std::string, csv_headers, "zh", "per command: regctl help");
ABSL_FLAG(std::string, lang, "zh", "per command: regctl help");
ABSL_FLAG(std::string, site_url, "", "per command: regctl help");
ABSL_FLAG(std::string, verifier_key, "", "per command: regctl help");
ABSL_FLAG(std::string, state_file, "", "per command: regctl help");
ABSL_FLAG(bool, trust_on_first_use, false, "per command: regctl help");
ABSL_FLAG(std::vector<std::string>, witness_key, {}, "per command: regctl help");
ABSL_FLAG(std::string, cosigner_name, "", "per command: regctl help");
ABSL_FLAG(std::string, population, "", "per command: regctl help");
ABSL_FLAG(std::string, roster, "", "per command: regctl help");
ABSL_FLAG(std::string, sources, "", "per command: regctl help");
ABSL_FLAG(std::string, previous, "", "per command: regctl help");
ABSL_FLAG(std::vector<std::string>, earlier, {}, "per command: regctl help");
ABSL_FLAG(std::string, metrics, "http://localhost:9464/metrics", "per command: regctl help");
ABSL_FLAG(std::string, risk_class, "", "per command: regctl help");
ABSL_FLAG(std::string, algorithm, "", "per command: regctl help");
ABSL_FLAG(std::string, key, "", "per command: regctl help");
ABSL_FLAG(std::string, source_id, "", "per command: regctl help");
ABSL_FLAG(std::string, commitment, "", "per command: regctl help");
ABSL_FLAG(std::string, public_key, "", "per command: regctl help");
ABSL_FLAG(std::string, attest, "", "per command: regctl help");
// regctl objection (tools/regctl/objection_command.h); --grounds also for regctl recusal.
ABSL_FLAG(std::string, grounds, "", "per command: regctl help");
ABSL_FLAG(std::vector<std::string>, evidence, {}, "per command: regctl help");
ABSL_FLAG(std::string, decision, "", "per command: regctl help");
ABSL_FLAG(bool, overdue, false, "per command: regctl help");
ABSL_FLAG(std::string, service, "", "per command: regctl help");

namespace regulation::regctl {
namespace {

// What a runner gets: the command line's words (the command first) and every --attest.
struct Invocation {
  std::vector<std::string> args;
  std::vector<std::string> attest;

  // The words after the command.
  std::vector<std::string> rest() const {
    return std::vector<std::string>(args.begin() + 1, args.end());
  }
};

using Runner = std::function<int(const Invocation&)>;

// --tls_dir, else $REGCTL_TLS_DIR, else the demo identity tools/up creates.
std::string DefaultTlsDir() {
  std::string dir = absl::GetFlag(FLAGS_tls_dir);
  if (dir.empty()) {
    const char* env = std::getenv("REGCTL_TLS_DIR");
    dir = env != nullptr && *env != '\0' ? env : "data/pki/admin";
  }
  return dir;
}

// The global flags of a command that calls the server.
struct ServerFlags {
  ConnectionOptions connection;
  OutputFormat output = OutputFormat::kTable;
};

// nullopt (after printing why) when --output or --timeout_seconds is wrong.
std::optional<ServerFlags> ReadServerFlags() {
  ServerFlags flags;
  absl::StatusOr<OutputFormat> output = ParseOutputFormat(absl::GetFlag(FLAGS_output));
  if (!output.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(output.status().message()).c_str());
    return std::nullopt;
  }
  flags.output = *output;
  if (absl::GetFlag(FLAGS_timeout_seconds) <= 0) {
    std::fprintf(stderr, "error: --timeout_seconds: must be at least 1\n");
    return std::nullopt;
  }
  flags.connection.server = absl::GetFlag(FLAGS_server);
  flags.connection.call_timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_seconds));
  flags.connection.insecure_loopback = absl::GetFlag(FLAGS_insecure_loopback);
  flags.connection.tls_dir = DefaultTlsDir();
  return flags;
}

// --shards (docs/scale.md, "Region shards"): the map, or nullopt without the flag. Exits
// with the usage code, after saying why, on a map that cannot be read.
std::optional<services::ShardMap> ReadShardMap(int* exit_code) {
  const std::string path = absl::GetFlag(FLAGS_shards);
  if (path.empty()) return std::nullopt;
  absl::StatusOr<services::ShardMap> map = LoadShardMap(path);
  if (!map.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(map.status().message()).c_str());
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  return *std::move(map);
}

// Points `connection` at the shard holding `credit_code`; kExitOk, or the exit code after
// saying why (a malformed code, a region no shard holds).
int RouteToEnterprise(const services::ShardMap& map, const std::string& credit_code,
                      ConnectionOptions* connection) {
  absl::StatusOr<ConnectionOptions> routed = RouteToShard(map, *connection, credit_code);
  if (!routed.ok()) {
    std::fprintf(stderr, "error: %s: %s\n",
                 absl::StatusCodeToString(routed.status().code()).c_str(),
                 std::string(routed.status().message()).c_str());
    return absl::IsInvalidArgument(routed.status()) ? kExitUsage : kExitServerError;
  }
  *connection = *std::move(routed);
  return kExitOk;
}

// --services=FILE (docs/deploy.md §4): sets --server to the address of the service
// `command` calls. An exit code after saying why, or nullopt to go on.
std::optional<int> RouteToService(const std::string& command) {
  const std::string path = absl::GetFlag(FLAGS_services);
  if (path.empty()) return std::nullopt;
  const CommandSpec* spec = RegctlCommands().Find(command);
  if (spec != nullptr && spec->local) return std::nullopt;
  if (absl::GetFlag(FLAGS_server) != "localhost:50051") {
    std::fprintf(stderr, "error: --services and --server both name the server: give one\n");
    return kExitUsage;
  }
  if (command == "audit") return std::nullopt;  // every process in turn: RunAudit
  absl::StatusOr<internal::v1::Topology> topology = services::LoadTopology(path);
  absl::StatusOr<std::string> address =
      topology.ok() ? ServiceAddressFor(*topology, command) : topology.status();
  if (!address.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(address.status().message()).c_str());
    return kExitUsage;
  }
  absl::SetFlag(&FLAGS_server, *address);
  return std::nullopt;
}

int NotRouted(const std::string& command) {
  std::fprintf(stderr,
               "error: --shards routes commands about one enterprise, `enterprise list` and "
               "`score all`; `%s` goes to one server: give --server instead\n",
               command.c_str());
  return kExitUsage;
}

int RunPki(const Invocation& call) {
  PkiOptions options;
  options.ca_dir = absl::GetFlag(FLAGS_ca_dir);
  options.ca_name = absl::GetFlag(FLAGS_ca_name);
  options.out = absl::GetFlag(FLAGS_out);
  options.role = absl::GetFlag(FLAGS_role);
  options.name = absl::GetFlag(FLAGS_name);
  options.department = absl::GetFlag(FLAGS_department);
  options.region = absl::GetFlag(FLAGS_region);
  options.inspector_id = absl::GetFlag(FLAGS_inspector_id);
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.service = absl::GetFlag(FLAGS_service);
  options.days = absl::GetFlag(FLAGS_days);
  options.server_cert = absl::GetFlag(FLAGS_server_cert);
  options.dns = absl::GetFlag(FLAGS_dns);
  options.ip = absl::GetFlag(FLAGS_ip);
  options.cert = absl::GetFlag(FLAGS_cert);
  // `--server` is regulatord's address: given without a value it swallows the next
  // flag ("--server --dns=localhost"). Point at the right flag instead.
  if (absl::StartsWith(absl::GetFlag(FLAGS_server), "-")) {
    std::fprintf(stderr,
                 "error: --server is regulatord's address; a server certificate is "
                 "`pki issue --server_cert --dns=HOST ...`\n");
    return kExitUsage;
  }
  return RunPkiCommand(call.rest(), options, stdout);
}

int RunSynth(const Invocation& call) {
  if (call.args.size() != 1) {
    std::fprintf(stderr, "error: synth takes flags, not arguments\n");
    return kExitUsage;
  }
  SynthOptions options;
  options.enterprises = absl::GetFlag(FLAGS_enterprises);
  options.years = absl::GetFlag(FLAGS_years);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.out = absl::GetFlag(FLAGS_out);
  options.end_date = absl::GetFlag(FLAGS_end_date);
  return RunSynthCommand(options, stdout);
}

int RunVerifyLog(const Invocation& call) {
  VerifyLogOptions options;
  options.verifier_key = absl::GetFlag(FLAGS_verifier_key);
  options.state_file = absl::GetFlag(FLAGS_state_file);
  options.trust_on_first_use = absl::GetFlag(FLAGS_trust_on_first_use);
  options.witness_keys = absl::GetFlag(FLAGS_witness_key);
  return RunVerifyLogCommand(call.rest(), options, stdout);
}

int RunWitness(const Invocation& call) {
  if (call.args.size() > 1 && call.args[1] == "cosign") {
    CosignOptions options;
    options.key = absl::GetFlag(FLAGS_key);
    options.cosigner_name = absl::GetFlag(FLAGS_cosigner_name);
    options.verifier_key = absl::GetFlag(FLAGS_verifier_key);
    options.state_file = absl::GetFlag(FLAGS_state_file);
    return RunCosignCommand(std::vector<std::string>(call.args.begin() + 2, call.args.end()),
                            options, stdout);
  }
  WitnessOptions options;
  options.algorithm = absl::GetFlag(FLAGS_algorithm);
  options.out = absl::GetFlag(FLAGS_out);
  options.key = absl::GetFlag(FLAGS_key);
  options.source_id = absl::GetFlag(FLAGS_source_id);
  options.plan = absl::GetFlag(FLAGS_plan);
  options.round = absl::GetFlag(FLAGS_round);
  options.commitment = absl::GetFlag(FLAGS_commitment);
  options.attest = call.attest;
  options.public_key = absl::GetFlag(FLAGS_public_key);
  options.force = absl::GetFlag(FLAGS_force);
  options.force_reason = absl::GetFlag(FLAGS_force) ? absl::GetFlag(FLAGS_reason) : "";
  return RunWitnessCommand(call.rest(), options, stdout);
}

int RunStatus(const Invocation& call) {
  StatusOptions options;
  options.metrics_url = absl::GetFlag(FLAGS_metrics);
  options.timeout = absl::Seconds(std::max(1, absl::GetFlag(FLAGS_timeout_seconds)));
  return RunStatusCommand(call.args, options, stdout);
}

int RunVerifyDraw(const Invocation& call) {
  VerifyDrawOptions options;
  options.population_file = absl::GetFlag(FLAGS_population);
  options.roster_file = absl::GetFlag(FLAGS_roster);
  options.sources_file = absl::GetFlag(FLAGS_sources);
  options.previous_file = absl::GetFlag(FLAGS_previous);
  options.earlier_files = absl::GetFlag(FLAGS_earlier);
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.risk_class = absl::GetFlag(FLAGS_risk_class);
  return RunVerifyDrawCommand(call.rest(), options, stdout);
}

int RunEnterprise(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  EnterpriseOptions options;
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.name = absl::GetFlag(FLAGS_name);
  options.region = absl::GetFlag(FLAGS_region);
  options.industry = absl::GetFlag(FLAGS_industry);
  options.capital_yuan = absl::GetFlag(FLAGS_capital_yuan);
  options.established = absl::GetFlag(FLAGS_established);
  options.status = absl::GetFlag(FLAGS_status);
  options.address = absl::GetFlag(FLAGS_address);
  options.file = absl::GetFlag(FLAGS_file);
  options.region_prefix = absl::GetFlag(FLAGS_region_prefix);
  options.industry_prefix = absl::GetFlag(FLAGS_industry_prefix);
  options.status_filter = absl::GetFlag(FLAGS_status_filter);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.page_token = absl::GetFlag(FLAGS_page_token);
  options.all_pages = absl::GetFlag(FLAGS_all);
  options.output = server->output;
  int exit_code = kExitOk;
  if (std::optional<services::ShardMap> map = ReadShardMap(&exit_code)) {
    const std::vector<std::string> args = call.rest();
    if (args.size() == 2 && args[0] == "get") {
      exit_code = RouteToEnterprise(*map, args[1], &server->connection);
    } else if (args.size() == 1 && args[0] == "list") {
      options.list_shards = RoutesForPrefix(*map, server->connection, options.region_prefix);
      if (options.list_shards.empty()) {
        std::fprintf(stderr, "error: --region_prefix=%s: no shard holds a region there\n",
                     options.region_prefix.c_str());
        return kExitServerError;
      }
    } else if (args.size() == 1 && args[0] == "put" && options.file.empty()) {
      exit_code = RouteToEnterprise(*map, options.credit_code, &server->connection);
    } else {
      return NotRouted(absl::StrCat("enterprise ", absl::StrJoin(args, " ")));
    }
  }
  if (exit_code != kExitOk) return exit_code;
  return RunEnterpriseCommand(call.rest(), options, server->connection, stdout);
}

// train, model, score and policy: ScoringService.
int RunScoring(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  ScoringOptions options;
  options.config_file = absl::GetFlag(FLAGS_config);
  options.oracle_file = absl::GetFlag(FLAGS_oracle);
  options.report_dir = absl::GetFlag(FLAGS_report_dir);
  options.stored = absl::GetFlag(FLAGS_stored);
  options.resume_token = absl::GetFlag(FLAGS_resume_token);
  options.region_digits = absl::GetFlag(FLAGS_region_digits);
  options.cut_points = absl::GetFlag(FLAGS_cut_points);
  options.quantiles = absl::GetFlag(FLAGS_quantiles);
  options.as_of = absl::GetFlag(FLAGS_as_of);
  options.model_version = absl::GetFlag(FLAGS_model);
  options.lang = absl::GetFlag(FLAGS_lang);
  options.output = server->output;
  int exit_code = kExitOk;
  if (std::optional<services::ShardMap> map = ReadShardMap(&exit_code)) {
    const std::vector<std::string>& args = call.args;
    if (args.size() == 3 && args[0] == "score" && args[1] == "get") {
      exit_code = RouteToEnterprise(*map, args[2], &server->connection);
    } else if (args.size() == 2 && args[0] == "score" && args[1] == "all") {
      // Each shard scores its own enterprises; one after the other, stopping at a failure.
      for (const ConnectionOptions& shard : RoutesForPrefix(*map, server->connection, "")) {
        std::fprintf(stdout, "shard %s (%s):\n", shard.shard.c_str(), shard.server.c_str());
        std::fflush(stdout);
        if (int ran = RunScoringCommand(args, options, shard, stdout); ran != kExitOk) return ran;
      }
      return kExitOk;
    } else {
      return NotRouted(absl::StrJoin(args, " "));
    }
  }
  if (exit_code != kExitOk) return exit_code;
  return RunScoringCommand(call.args, options, server->connection, stdout);
}

int RunBacktest(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  BacktestOptions options;
  options.model_version = absl::GetFlag(FLAGS_model);
  options.from = absl::GetFlag(FLAGS_from);
  options.to = absl::GetFlag(FLAGS_to);
  options.oracle_file = absl::GetFlag(FLAGS_oracle);
  options.shuffles = absl::GetFlag(FLAGS_shuffles);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.output = server->output;
  return RunBacktestCommand(call.rest(), options, server->connection, stdout);
}

int RunPortrait(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  PortraitOptions options;
  options.as_of = absl::GetFlag(FLAGS_as_of);
  options.region_prefix = absl::GetFlag(FLAGS_region_prefix);
  options.output = server->output;
  int exit_code = kExitOk;
  if (std::optional<services::ShardMap> map = ReadShardMap(&exit_code)) {
    const std::vector<std::string> args = call.rest();
    if (args.size() != 2 || args[0] != "get") {
      return NotRouted(absl::StrCat("portrait ", absl::StrJoin(args, " ")));
    }
    exit_code = RouteToEnterprise(*map, args[1], &server->connection);
  }
  if (exit_code != kExitOk) return exit_code;
  return RunPortraitCommand(call.rest(), options, server->connection, stdout);
}

int RunImport(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  ImportOptions options;
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.window = absl::GetFlag(FLAGS_window);
  options.max_errors = absl::GetFlag(FLAGS_max_errors);
  options.restart = absl::GetFlag(FLAGS_restart);
  int exit_code = kExitOk;
  if (std::optional<services::ShardMap> map = ReadShardMap(&exit_code)) {
    return RunShardedImportCommand(call.rest(), options, *map, server->connection, stdout);
  }
  if (exit_code != kExitOk) return exit_code;
  return RunImportCommand(call.rest(), options, server->connection, stdout);
}

int RunAudit(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  AuditOptions options;
  options.caller = absl::GetFlag(FLAGS_caller);
  options.rpc = absl::GetFlag(FLAGS_rpc);
  options.since = absl::GetFlag(FLAGS_since);
  options.until = absl::GetFlag(FLAGS_until);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.expect_head = absl::GetFlag(FLAGS_expect_head);
  options.output = server->output;
  const std::string services_file = absl::GetFlag(FLAGS_services);
  if (services_file.empty()) {
    return RunAuditCommand(call.rest(), options, server->connection, stdout);
  }
  // Apart, each process keeps the trail of the calls it serves: ask each in turn, under
  // a line naming it, and exit with the worst code.
  if (options.output != OutputFormat::kTable) {
    std::fprintf(stderr,
                 "error: --services: audit prints one table per service; for --output=json "
                 "ask one with --server=HOST:PORT\n");
    return kExitUsage;
  }
  absl::StatusOr<internal::v1::Topology> topology = services::LoadTopology(services_file);
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> every =
      topology.ok() ? EveryService(*topology) : topology.status();
  if (!every.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(every.status().message()).c_str());
    return kExitUsage;
  }
  int worst = kExitOk;
  for (const auto& [service, address] : *every) {
    std::fprintf(stdout, "== %s (%s)\n", service.c_str(), address.c_str());
    std::fflush(stdout);
    ConnectionOptions connection = server->connection;
    connection.server = address;
    worst = std::max(worst, RunAuditCommand(call.rest(), options, connection, stdout));
  }
  return worst;
}

// inspector, conflict and item: the roster.
int RunRoster(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  RosterOptions options;
  options.file = absl::GetFlag(FLAGS_file);
  options.department = absl::GetFlag(FLAGS_department);
  options.region_prefix = absl::GetFlag(FLAGS_region_prefix);
  options.inspector_id = absl::GetFlag(FLAGS_inspector_id);
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.reason = absl::GetFlag(FLAGS_reason);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.page_token = absl::GetFlag(FLAGS_page_token);
  options.all_pages = absl::GetFlag(FLAGS_all);
  options.output = server->output;
  return RunRosterCommand(call.args, options, server->connection, stdout);
}

int RunEntropy(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  EntropyOptions options;
  options.file = absl::GetFlag(FLAGS_file);
  options.cert = absl::GetFlag(FLAGS_cert);
  options.reason = absl::GetFlag(FLAGS_reason);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.page_token = absl::GetFlag(FLAGS_page_token);
  options.all_pages = absl::GetFlag(FLAGS_all);
  options.output = server->output;
  return RunEntropyCommand(call.rest(), options, server->connection, stdout);
}

// plan and draw.
int RunPlan(const Invocation& call) {
  for (const auto& [value, flag] :
       {std::pair<std::string, const char*>{absl::GetFlag(FLAGS_entropy_kind), "--entropy_kind"},
        {absl::GetFlag(FLAGS_entropy_reference), "--entropy_reference"},
        {absl::GetFlag(FLAGS_entropy), "--entropy"}}) {
    if (value.empty()) continue;
    std::fprintf(stderr,
                 "error: %s is no longer accepted (regulation.draw.v2): name registered "
                 "sources with --source=ID when committing or announcing, and draw with "
                 "their signed statements, --statement=FILE (docs/api.md)\n",
                 flag);
    return kExitUsage;
  }
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  PlanOptions options;
  options.file = absl::GetFlag(FLAGS_file);
  options.department = absl::GetFlag(FLAGS_department);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.page_token = absl::GetFlag(FLAGS_page_token);
  options.all_pages = absl::GetFlag(FLAGS_all);
  options.sources = absl::GetFlag(FLAGS_source);
  options.nonce_commitment = absl::GetFlag(FLAGS_nonce_commitment);
  options.allow_unstaffed = absl::GetFlag(FLAGS_allow_unstaffed);
  options.statements = absl::GetFlag(FLAGS_statement);
  options.restaff = absl::GetFlag(FLAGS_restaff);
  options.nonce = absl::GetFlag(FLAGS_nonce);
  options.codes = absl::GetFlag(FLAGS_codes);
  options.reason = absl::GetFlag(FLAGS_reason);
  options.bundle_out = absl::GetFlag(FLAGS_bundle_out);
  options.round = absl::GetFlag(FLAGS_round);
  options.out = absl::GetFlag(FLAGS_out);
  options.output = server->output;
  return RunPlanCommand(call.args, options, server->connection, stdout);
}

int RunAssignments(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  AssignmentOptions options;
  options.plan = absl::GetFlag(FLAGS_plan);
  options.format = absl::GetFlag(FLAGS_format);
  options.csv_headers = absl::GetFlag(FLAGS_csv_headers);
  options.out = absl::GetFlag(FLAGS_out);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.now = absl::Now();
  options.output = server->output;
  return RunAssignmentCommand(call.rest(), options, server->connection, stdout);
}

int RunResults(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  ResultOptions options;
  options.plan = absl::GetFlag(FLAGS_plan);
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.category = absl::GetFlag(FLAGS_category);
  options.findings = absl::GetFlag(FLAGS_findings);
  options.follow_up = absl::GetFlag(FLAGS_follow_up);
  options.end_date = absl::GetFlag(FLAGS_inspection_end);
  options.comment = absl::GetFlag(FLAGS_comment);
  options.preview_digest = absl::GetFlag(FLAGS_preview_digest);
  options.reason = absl::GetFlag(FLAGS_reason);
  options.corrects_index = absl::GetFlag(FLAGS_corrects_index);
  options.state = absl::GetFlag(FLAGS_state);
  options.within = absl::GetFlag(FLAGS_within);
  options.as_of = absl::GetFlag(FLAGS_as_of);
  options.output = server->output;
  return RunResultCommand(call.rest(), options, server->connection, stdout);
}

int RunWithdrawal(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  WithdrawalOptions options;
  options.reason = absl::GetFlag(FLAGS_reason);
  options.legal_basis = absl::GetFlag(FLAGS_legal_basis);
  options.comment = absl::GetFlag(FLAGS_comment);
  options.state = absl::GetFlag(FLAGS_state);
  options.output = server->output;
  return RunWithdrawalCommand(call.rest(), options, server->connection, stdout);
}

int RunObjection(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  ObjectionOptions options;
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.grounds = absl::GetFlag(FLAGS_grounds);
  options.evidence = absl::GetFlag(FLAGS_evidence);
  options.decision = absl::GetFlag(FLAGS_decision);
  options.reason = absl::GetFlag(FLAGS_reason);
  options.category = absl::GetFlag(FLAGS_category);
  options.findings = absl::GetFlag(FLAGS_findings);
  options.follow_up = absl::GetFlag(FLAGS_follow_up);
  options.end_date = absl::GetFlag(FLAGS_inspection_end);
  options.state = absl::GetFlag(FLAGS_state);
  options.overdue = absl::GetFlag(FLAGS_overdue);
  options.output = server->output;
  return RunObjectionCommand(call.rest(), options, server->connection, stdout);
}

int RunRecusal(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  RecusalOptions options;
  options.inspector_id = absl::GetFlag(FLAGS_inspector_id);
  options.grounds = absl::GetFlag(FLAGS_grounds);
  options.reason = absl::GetFlag(FLAGS_reason);
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.output = server->output;
  return RunRecusalCommand(call.args, options, server->connection, stdout);
}

int RunAlerts(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  AlertOptions options;
  options.region_prefix = absl::GetFlag(FLAGS_region_prefix);
  options.credit_code = absl::GetFlag(FLAGS_credit_code);
  options.rule = absl::GetFlag(FLAGS_rule);
  options.state = absl::GetFlag(FLAGS_state);
  options.disposition = absl::GetFlag(FLAGS_disposition);
  options.note = absl::GetFlag(FLAGS_note);
  options.file = absl::GetFlag(FLAGS_file);
  options.page_size = absl::GetFlag(FLAGS_page_size);
  options.output = server->output;
  return RunAlertCommand(call.rest(), options, server->connection, stdout);
}

int RunPublish(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  PublishCommandOptions options;
  options.out_dir = absl::GetFlag(FLAGS_out);
  options.verifier_key = absl::GetFlag(FLAGS_verifier_key);
  options.witness_keys = absl::GetFlag(FLAGS_witness_key);
  options.site_url = absl::GetFlag(FLAGS_site_url);
  return RunPublishCommand(call.rest(), options, server->connection, stdout);
}

int RunAdmin(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  AdminOptions options;
  options.out = absl::GetFlag(FLAGS_out);
  return RunAdminCommand(call.args, options, server->connection, stdout);
}

int RunHealth(const Invocation& call) {
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  return RunHealthCommand(call.args, server->connection, stdout);
}

int RunServices(const Invocation& call) {
  if (call.args.size() != 1) {
    std::fprintf(stderr, "error: services takes no arguments\n");
    return kExitUsage;
  }
  std::optional<ServerFlags> server = ReadServerFlags();
  if (!server) return kExitUsage;
  return RunServicesCommand(server->connection, stdout);
}

// Each command of the table, by name, to its runner.
const std::map<std::string, Runner>& Runners() {
  static const auto* const runners = new std::map<std::string, Runner>{
      {"enterprise", RunEnterprise}, {"health", RunHealth},
      {"services", RunServices},     {"train", RunScoring},
      {"model", RunScoring},         {"score", RunScoring},
      {"policy", RunScoring},        {"backtest", RunBacktest},
      {"portrait", RunPortrait},     {"synth", RunSynth},
      {"import", RunImport},         {"audit", RunAudit},
      {"pki", RunPki},               {"inspector", RunRoster},
      {"conflict", RunRoster},       {"item", RunRoster},
      {"plan", RunPlan},             {"draw", RunPlan},
      {"entropy", RunEntropy},       {"assignments", RunAssignments},
      {"results", RunResults},       {"withdrawal", RunWithdrawal},
      {"verify-draw", RunVerifyDraw}, {"publish", RunPublish},
      {"verify-log", RunVerifyLog},  {"witness", RunWitness},
      {"status", RunStatus},         {"admin", RunAdmin},
      {"alerts", RunAlerts},
      {"objection", RunObjection},
      {"recusal", RunRecusal},       {"my-draws", RunRecusal},
  };
  return *runners;
}

// absl's own flags (--flagfile, --helpfull, ...): allowed with any command.
bool IsAbslBuiltin(absl::string_view name) {
  for (absl::string_view builtin : {"flagfile", "fromenv", "tryfromenv", "undefok", "helpfull",
                                    "helpshort", "helppackage", "helpon", "helpmatch",
                                    "version", "only_check_args"}) {
    if (name == builtin) return true;
  }
  return false;
}

FlagKind KindOf(absl::string_view name) {
  const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  if (flag == nullptr) return FlagKind::kUnknown;
  return flag->IsOfType<bool>() ? FlagKind::kBool : FlagKind::kValue;
}

// The table and the runners must cover each other, and every flag a command declares must
// exist: checked at every start, so a command added to one and not the other cannot ship.
bool TableIsBound(const CommandTable& table) {
  bool bound = true;
  for (const CommandSpec& command : table.commands()) {
    if (Runners().count(command.name) == 0) {
      std::fprintf(stderr, "internal error: regctl %s has no runner\n", command.name.c_str());
      bound = false;
    }
    for (const FlagHelp& flag : command.flags) {
      if (absl::FindCommandLineFlag(flag.name) == nullptr) {
        std::fprintf(stderr, "internal error: regctl %s declares --%s, which is not defined\n",
                     command.name.c_str(), flag.name.c_str());
        bound = false;
      }
    }
  }
  for (const auto& [name, runner] : Runners()) {
    if (table.Find(name) == nullptr) {
      std::fprintf(stderr, "internal error: runner %s is not in the command table\n",
                   name.c_str());
      bound = false;
    }
  }
  return bound;
}

int CommandLineError(const std::string& message) {
  std::fprintf(stderr, "error: %s\n", message.c_str());
  return kExitUsage;
}

// Everything before absl parses the values: help, the command, and its flags.
// Returns the exit code to stop with, or nullopt to run the command.
std::optional<int> CheckCommandLine(const CommandTable& table,
                                    const std::vector<std::string>& words) {
  const ScannedCommandLine scanned = ScanCommandLine(words, KindOf);
  const std::vector<std::string>& positional = scanned.positional;
  if (!positional.empty() && positional[0] == "help") {
    if (positional.size() == 1) {
      std::fputs(table.Overview().c_str(), stdout);
      return kExitOk;
    }
    const CommandSpec* command = table.Find(positional[1]);
    if (command == nullptr) {
      return CommandLineError(absl::StrCat("no command \"", positional[1], "\" (regctl --help)"));
    }
    std::fputs(table.Help(*command).c_str(), stdout);
    return kExitOk;
  }
  const CommandSpec* command = positional.empty() ? nullptr : table.Find(positional[0]);
  if (scanned.help) {
    std::fputs(command != nullptr ? table.Help(*command).c_str() : table.Overview().c_str(),
               stdout);
    return kExitOk;
  }
  if (positional.empty()) {
    std::fprintf(stderr, "%s", table.Overview().c_str());
    return CommandLineError("missing command");
  }
  if (command == nullptr) {
    return CommandLineError(absl::StrCat("no command \"", positional[0], "\" (regctl --help)"));
  }
  if (!scanned.unknown_flags.empty()) {
    return CommandLineError(absl::StrCat(scanned.unknown_flags[0], " is not a regctl flag; regctl ",
                                   command->name, " takes: ", table.FlagList(*command),
                                   " (regctl help ", command->name, ")"));
  }
  std::vector<std::string> flags;
  for (const std::string& flag : scanned.flags) {
    if (!IsAbslBuiltin(flag)) flags.push_back(flag);
  }
  if (absl::Status checked = table.CheckFlags(*command, flags); !checked.ok()) {
    return CommandLineError(std::string(checked.message()));
  }
  return std::nullopt;
}

}  // namespace
}  // namespace regulation::regctl

int main(int argc, char** argv) {
  using regulation::regctl::CommandTable;
  const CommandTable& table = regulation::regctl::RegctlCommands();
  if (!regulation::regctl::TableIsBound(table)) return 70;  // EX_SOFTWARE
  absl::SetProgramUsageMessage("regctl [global flags] COMMAND ...  (regctl --help)");
  // --attest repeats (absl keeps only a flag's last value): take every one out first.
  std::vector<std::string> attest;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (arg == "--") {
      rest.insert(rest.end(), argv + i, argv + argc);
      break;
    }
    absl::string_view value = arg;
    if (absl::ConsumePrefix(&value, "--attest=") || absl::ConsumePrefix(&value, "-attest=")) {
      attest.emplace_back(value);
    } else if ((arg == "--attest" || arg == "-attest") && i + 1 < argc) {
      attest.emplace_back(argv[++i]);
    } else {
      rest.push_back(argv[i]);
    }
  }
  std::vector<std::string> words(rest.begin() + 1, rest.end());
  if (!attest.empty()) words.insert(words.begin(), "--attest=");  // for the table to check
  if (std::optional<int> stop = regulation::regctl::CheckCommandLine(table, words)) return *stop;

  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rest.size()), rest.data());
  regulation::regctl::Invocation call;
  call.args.assign(positional.begin() + 1, positional.end());
  call.attest = std::move(attest);
  // gRPC's own threads (its executor, which makes TLS handshakes) are joined before the
  // process ends, so that OpenSSL frees what each of them holds (per-thread random
  // generators); otherwise LeakSanitizer reports them. Every channel is gone by then.
  if (std::optional<int> stop = regulation::regctl::RouteToService(call.args[0])) return *stop;
  grpc_init();
  const int code = regulation::regctl::Runners().at(call.args[0])(call);
  grpc_shutdown_blocking();
  return code;
}
