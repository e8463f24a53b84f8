// regctl: the operator's command line for regulatord, over gRPC with mutual TLS.
//
//   regctl [--server=HOST:PORT] [--tls_dir=DIR | --insecure_loopback]
//          [--output=table|json] COMMAND ...
//
// `regctl --help` lists the commands (kUsage below) and exit codes.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "tools/regctl/admin_command.h"
#include "tools/regctl/assignment_command.h"
#include "tools/regctl/audit_command.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/enterprise_command.h"
#include "tools/regctl/import/command.h"
#include "tools/regctl/output.h"
#include "tools/regctl/pki_command.h"
#include "tools/regctl/publish_command.h"
#include "tools/regctl/withdrawal_command.h"
#include "tools/regctl/result_command.h"
#include "tools/regctl/plan_command.h"
#include "tools/regctl/portrait_command.h"
#include "tools/regctl/roster_command.h"
#include "tools/regctl/backtest_command.h"
#include "tools/regctl/scoring_command.h"
#include "tools/regctl/server_command.h"
#include "tools/regctl/status_command.h"
#include "tools/regctl/synth_command.h"
#include "tools/regctl/verify_draw_command.h"
#include "tools/regctl/verify_log_command.h"
#include "tools/regctl/entropy_command.h"
#include "tools/regctl/cosign_command.h"
#include "tools/regctl/witness_command.h"

ABSL_FLAG(std::string, server, "localhost:50051", "regulatord address, HOST:PORT");
ABSL_FLAG(std::string, output, "table", "table or json (protobuf's canonical JSON)");
ABSL_FLAG(int, timeout_seconds, 60, "deadline of each call");
ABSL_FLAG(std::string, tls_dir, "",
          "mutual TLS identity: a directory with ca.crt, tls.crt, tls.key (`regctl pki issue`); "
          "default $REGCTL_TLS_DIR, else data/pki/admin (the demo's, made by tools/up)");
ABSL_FLAG(bool, insecure_loopback, false,
          "plaintext, to a regulatord started with --insecure_loopback (loopback only)");

// enterprise put
ABSL_FLAG(std::string, credit_code, "",
          "put: unified social credit code (18 characters); conflict declare|list: the "
          "enterprise; verify-draw: an enterprise whose own ticket to check");
ABSL_FLAG(std::string, name, "", "put: registered name; pki issue: the holder's name (subject CN)");
ABSL_FLAG(std::string, region, "",
          "put: region code, six digits (GB/T 2260); pki issue: an agency's region prefix");
ABSL_FLAG(std::string, industry, "", "put: industry code (GB/T 4754), e.g. C13");
ABSL_FLAG(int64_t, capital_yuan, 0, "put: registered capital in yuan");
ABSL_FLAG(std::string, established, "", "put: establishment date, YYYY-MM-DD");
ABSL_FLAG(std::string, status, "OPERATING",
          "put: OPERATING, SUSPENDED, LIQUIDATING, REVOKED, DEREGISTERED or MOVED_OUT");
ABSL_FLAG(std::string, address, "", "put: registered business address");
ABSL_FLAG(std::string, file, "",
          "enterprise|inspector|item put: JSON-lines file, one Enterprise (Inspector, "
          "InspectionItem) per line in canonical JSON; plan create: one Plan in JSON");
// enterprise list
ABSL_FLAG(std::string, region_prefix, "", "list: only regions starting with this");
ABSL_FLAG(std::string, industry_prefix, "", "list: only industries starting with this");
ABSL_FLAG(std::string, status_filter, "", "list: only this status");
ABSL_FLAG(int, page_size, 0, "list: rows per page (0: server default, 100)");
ABSL_FLAG(std::string, page_token, "", "list: continue from this token");
ABSL_FLAG(bool, all, false, "list: follow page tokens to the end");
// scoring
ABSL_FLAG(std::string, config, "", "train: a TrainingConfig in canonical JSON (docs/scoring.md)");
ABSL_FLAG(std::string, oracle, "", "train: the generator's inspections_truth.csv (oracle AUC)");
ABSL_FLAG(std::string, report_dir, "", "train: where to write report.html and report.json");
ABSL_FLAG(bool, stored, false, "score get: the stored batch score instead of a fresh one");
ABSL_FLAG(std::string, resume_token, "", "score all: continue an interrupted run");
ABSL_FLAG(int, region_digits, 0, "score distribution: group regions by 2, 4 or 6 digits");
ABSL_FLAG(std::string, cut_points, "", "policy set: probabilities B,C,D where classes start");
ABSL_FLAG(std::string, quantiles, "", "policy set: shares A,B,C of the population (D the rest)");
// backtest (and score get --as_of)
ABSL_FLAG(std::string, model, "", "backtest, score get --as_of: a model version (default: active)");
ABSL_FLAG(std::string, from, "", "backtest: the period's first day, YYYY-MM-DD");
ABSL_FLAG(std::string, to, "", "backtest: the period's last day, YYYY-MM-DD");
ABSL_FLAG(int, shuffles, 0, "backtest: random orders to compare with (default 200)");
// portrait
ABSL_FLAG(std::string, as_of, "",
          "portrait get: RFC 3339 time or YYYY-MM-DD (end of day); results overdue: the day");
// synth
ABSL_FLAG(int64_t, enterprises, 0, "synth: how many enterprises to generate");
ABSL_FLAG(int, years, 3, "synth: years of event history before --end_date");
ABSL_FLAG(uint64_t, seed, 0,
          "synth: the seed; the same seed gives the same files; backtest: the shuffles' seed");
ABSL_FLAG(std::string, end_date, "2026-06-30", "synth: last day of the history, YYYY-MM-DD");
// import
ABSL_FLAG(int, batch_size, 500, "import: rows per request (1-1000)");
ABSL_FLAG(int, window, 8, "import events: batches in flight at once (1-64)");
ABSL_FLAG(int, max_errors, 100,
          "import: stop after more than N rejected rows (exit 4); 0 = no limit");
ABSL_FLAG(bool, restart, false, "import: ignore FILE.import-state and start at the first row");
// audit
ABSL_FLAG(std::string, caller, "", "audit list: only callers whose subject contains this");
ABSL_FLAG(std::string, rpc, "", "audit list: only this method (e.g. UpsertEnterprise)");
ABSL_FLAG(std::string, since, "", "audit list: from this time (RFC 3339 or YYYY-MM-DD)");
ABSL_FLAG(std::string, until, "", "audit list: before this time (a date includes that day)");
ABSL_FLAG(std::string, expect_head, "",
          "audit verify: a head saved earlier (SEQ:HEX) that the chain must still contain");
// pki
ABSL_FLAG(std::string, ca_dir, "", "pki: the CA directory (ca.crt, ca.key, revoked.txt)");
ABSL_FLAG(std::string, ca_name, "regulation CA", "pki init: the CA's name (subject CN)");
ABSL_FLAG(std::string, out, "",
          "pki issue: directory to write ca.crt, tls.crt, tls.key into; synth, draw export: "
          "output directory; assignments export: output file (default: stdout); witness "
          "keygen: the key directory; witness sign: the statement file (default: stdout); "
          "admin backup: the backup directory to create");
ABSL_FLAG(std::string, role, "", "pki issue: agency, inspector, auditor, public or admin");
ABSL_FLAG(std::string, department, "",
          "pki issue: department of an agency or inspector; inspector|item|plan list: only "
          "this department");
ABSL_FLAG(std::string, inspector_id, "",
          "pki issue: an inspector's roster id; conflict declare|list: the inspector");
ABSL_FLAG(int, days, 0, "pki: validity in days (default: init 3650, issue 365, --server_cert 825)");
ABSL_FLAG(bool, server_cert, false,
          "pki issue: a server certificate (with --dns and/or --ip) instead of a client one");
ABSL_FLAG(std::string, dns, "", "pki issue --server_cert: DNS names, comma-separated");
ABSL_FLAG(std::string, ip, "", "pki issue --server_cert: IP addresses, comma-separated");
ABSL_FLAG(std::string, cert, "",
          "pki revoke, pki show: a certificate file (PEM); entropy register: a beacon's "
          "pinned certificate");
// conflicts, plans, draws, assignments (InspectionService)
ABSL_FLAG(std::string, reason, "",
          "conflict declare: why the inspector stands aside; plan announce: why the targets "
          "cannot be inspected; results correct: why; withdrawal request: why (kept, not "
          "published); witness sign --force: why a second statement is signed");
ABSL_FLAG(bool, force, false,
          "witness sign: sign although the ledger holds a statement for this plan and round "
          "(with --reason)");
ABSL_FLAG(std::vector<std::string>, source, {},
          "plan commit|announce: registered entropy sources, ID or ID@PULSE_TIME (a beacon's "
          "pulse, RFC 3339), comma-separated");
ABSL_FLAG(std::vector<std::string>, statement, {},
          "plan draw|replace: the sources' statements, comma-separated: files holding an "
          "EntropyStatement (regctl witness sign), or SOURCE_ID=FILE, a beacon's raw pulse");
ABSL_FLAG(bool, allow_unstaffed, false,
          "plan commit: commit although the roster cannot staff the expected targets");
ABSL_FLAG(bool, restaff, false,
          "plan announce: staff --codes (unstaffed targets) again from the current roster "
          "instead of replacing them");
// regulation.draw.v1's flags: refused with a pointer to the new ones.
ABSL_FLAG(std::string, entropy_kind, "", "(no longer accepted: --source)");
ABSL_FLAG(std::string, entropy_reference, "", "(no longer accepted: --source)");
ABSL_FLAG(std::string, nonce_commitment, "",
          "plan commit: SHA-256 (64 hex) of a nonce you keep until the draw (default: the "
          "server seals one)");
ABSL_FLAG(std::string, entropy, "", "(no longer accepted: --statement)");
ABSL_FLAG(std::string, nonce, "", "plan draw: the nonce (hex) you committed to, if you hold it");
ABSL_FLAG(std::string, bundle_out, "",
          "plan draw|replace, draw get: also write the round's bundle (what verify-draw "
          "reads) to this file");
ABSL_FLAG(std::string, codes, "", "plan announce: the targets to replace, credit codes C1,C2");
ABSL_FLAG(int, round, 0,
          "draw get, witness sign: the round (0 the original draw, 1, 2, ... replacements)");
ABSL_FLAG(std::string, plan, "",
          "assignments list|export: one plan's assignments instead of your own; "
          "results submit|list, witness sign: the plan");
// results (DisclosureService)
ABSL_FLAG(std::string, category, "",
          "results submit|correct: the official category, e.g. NO_PROBLEM_FOUND");
ABSL_FLAG(std::string, findings, "", "results submit|correct: what was found (free text)");
ABSL_FLAG(std::string, follow_up, "", "results submit|correct: follow-up measures (free text)");
ABSL_FLAG(std::string, inspection_end, "",
          "results submit|correct: the inspection's last day, YYYY-MM-DD");
ABSL_FLAG(std::string, comment, "", "results approve|return, withdrawal approve: the comment");
ABSL_FLAG(std::string, legal_basis, "",
          "withdrawal request: the legal basis, published, e.g. 《中华人民共和国个人信息保护法》第四十七条");
ABSL_FLAG(std::string, preview_digest, "",
          "results approve: the preview_digest printed by `results preview` for what you checked");
ABSL_FLAG(int64_t, corrects_index, -1, "results correct: the log record being corrected");
ABSL_FLAG(std::string, state, "",
          "results list: SUBMITTED, RETURNED, APPROVED or PUBLISHED; withdrawal list: "
          "REQUESTED or WITHDRAWN");
ABSL_FLAG(int, within, 0, "results overdue: also results due within N working days");
ABSL_FLAG(std::string, format, "", "assignments export: csv or html");
ABSL_FLAG(std::string, site_url, "",
          "publish: the site's absolute URL, for the Atom feed (default: relative links)");
// verify-log, verify-draw
ABSL_FLAG(std::string, verifier_key, "",
          "verify-log, publish: the log's verifier key NAME+ID+KEY, pinned (default: "
          "DIR/verifier.key)");
ABSL_FLAG(std::string, state_file, "",
          "verify-log: where verified checkpoints are remembered (default: "
          "~/.regulation-log-state); witness cosign: the last checkpoint cosigned (default: "
          "cosigner-state beside --key)");
ABSL_FLAG(bool, trust_on_first_use, false,
          "verify-log: with no --verifier_key and a state file that does not know the log, "
          "trust the key the directory serves (otherwise refused)");
ABSL_FLAG(std::vector<std::string>, witness_key, {},
          "verify-log: cosigners (NAME+ID+KEY, comma-separated) whose cosignature the "
          "checkpoint must carry; publish: the cosigners the site's readers require");
ABSL_FLAG(std::string, cosigner_name, "",
          "witness cosign: the cosigner's name (e.g. witness.example/w1)");
ABSL_FLAG(std::string, population, "",
          "verify-draw: the frozen population (draw export's population.csv)");
ABSL_FLAG(std::string, roster, "", "verify-draw: the frozen roster (draw export's roster.json)");
ABSL_FLAG(std::string, sources, "",
          "verify-draw: the published entropy source registry (JSON list of "
          "RegisteredEntropySource, or regctl --output=json entropy list)");
ABSL_FLAG(std::string, previous, "",
          "verify-draw: the bundle of the round before, to check a later round's chain");
// status
ABSL_FLAG(std::string, metrics, "http://localhost:9464/metrics",
          "status: regulatord's metrics endpoint (its --metrics_listen)");
ABSL_FLAG(std::string, risk_class, "",
          "verify-draw --credit_code: its risk class A-D (default: from --population)");
// witness (the entropy witness's own tool)
ABSL_FLAG(std::string, algorithm, "", "witness keygen|verify: ed25519 or sm2-sm3");
ABSL_FLAG(std::string, key, "", "witness sign: the witness's private key file (witness.key)");
ABSL_FLAG(std::string, source_id, "",
          "witness sign: the witness's registered source id; witness verify: the id expected");
ABSL_FLAG(std::string, commitment, "",
          "witness sign: the round's commitment digest (64 hex), as published in the log");
ABSL_FLAG(std::string, public_key, "", "witness verify: the witness's registered public key (hex)");
// Repeatable: main() collects every --attest before the other flags are parsed.
ABSL_FLAG(std::string, attest, "",
          "witness sign: SOURCE_ID=VALUE, a value of an unchecked source the witness saw "
          "announced; repeat for several");

namespace regulation::regctl {
namespace {

constexpr char kUsage[] =
    "the operator's command line for regulatord.\n"
    "\n"
    "  regctl [--server=HOST:PORT] [--tls_dir=DIR | --insecure_loopback]\n"
    "         [--output=table|json] COMMAND ...\n"
    "\n"
    "commands:\n"
    "  enterprise put --credit_code=C --name=N --region=R --industry=I\n"
    "                 --established=YYYY-MM-DD [--capital_yuan=N] [--status=S] "
    "[--address=A]\n"
    "  enterprise put --file=ENTERPRISES.jsonl\n"
    "  enterprise get CREDIT_CODE\n"
    "  enterprise list [--region_prefix=P] [--industry_prefix=P] [--status_filter=S]\n"
    "                  [--page_size=N] [--page_token=T] [--all]\n"
    "  health [SERVICE]      standard gRPC health check\n"
    "  services              services listed by server reflection\n"
    "  train [--config=FILE.json] [--oracle=inspections_truth.csv] [--report_dir=DIR]\n"
    "  model list | model get VERSION | model activate VERSION\n"
    "  score get CREDIT_CODE [--stored]      probability, class A-D and reasons\n"
    "  score get CREDIT_CODE --as_of=T [--model=V]   a model on the portrait as of T\n"
    "  backtest --from=D --to=D [--model=V] [--oracle=inspections_truth.csv] [--shuffles=N]\n"
    "           [--seed=S]          the period's inspections scored as of their own day\n"
    "  score all [--resume_token=T]         rescore every enterprise\n"
    "  score distribution [--region_digits=N]\n"
    "  policy get | policy set --cut_points=B,C,D | --quantiles=A,B,C\n"
    "  portrait get CREDIT_CODE [--as_of=T]\n"
    "  portrait verify [--region_prefix=P]   kept portraits == recomputed from history\n"
    "  synth --enterprises=N [--years=3] [--seed=S] [--end_date=D] --out=DIR\n"
    "                        a realistic synthetic population (no server needed)\n"
    "  import enterprises FILE.csv [--batch_size=N] [--max_errors=N] [--restart]\n"
    "  import events FILE.jsonl [--batch_size=N] [--window=N] [--max_errors=N] [--restart]\n"
    "  audit list [--caller=S] [--rpc=METHOD] [--since=T] [--until=T] [--page_size=N]\n"
    "  audit verify [--expect_head=SEQ:HEX]   check the audit trail's hash chain\n"
    "  pki init --ca_dir=DIR [--ca_name=NAME] [--days=3650]\n"
    "  pki issue --ca_dir=DIR --out=DIR --role=agency|inspector|auditor|public|admin\n"
    "            --name=CN [--department=D] [--region=PREFIX] [--inspector_id=ID] "
    "[--days=365]\n"
    "  pki issue --ca_dir=DIR --out=DIR --server_cert --dns=HOST[,HOST] [--ip=ADDR[,ADDR]]\n"
    "            [--days=825]\n"
    "  pki revoke --ca_dir=DIR --cert=FILE\n"
    "  pki show --cert=FILE  local certificate authority (no server needed)\n"
    "  inspector put --file=INSPECTORS.jsonl  one regulation.v1.Inspector per line\n"
    "  inspector get ID\n"
    "  inspector list [--department=D] [--region_prefix=P] [--page_size=N] [--all]\n"
    "  conflict declare --inspector_id=ID --credit_code=C --reason=TEXT\n"
    "  conflict list [--inspector_id=ID | --credit_code=C] [--all]\n"
    "  item put --file=ITEMS.jsonl            one regulation.v1.InspectionItem per line\n"
    "  item list [--department=D] [--all]\n"
    "  plan create --file=PLAN.json           one regulation.v1.Plan; prints its id\n"
    "  plan get ID\n"
    "  plan list [--department=D] [--all]\n"
    "  entropy register --file=SOURCE.json [--cert=CERT.pem]   a witness, beacon or\n"
    "                        unchecked source (admin); entropy list; entropy retire ID --reason=T\n"
    "  plan commit ID --source=ID[@PULSE_TIME][,...] [--nonce_commitment=HEX]\n"
    "              [--allow_unstaffed]   freeze the inputs, name the entropy sources\n"
    "  plan draw ID --statement=FILE[,...] [--nonce=HEX] [--bundle_out=FILE]\n"
    "  plan announce ID --codes=C1,C2 --reason=TEXT --source=ID[,...] [--restaff]\n"
    "                        fix a replacement (or re-staffing) round before its randomness\n"
    "  plan replace ID --statement=FILE[,...] [--bundle_out=FILE]   draw the announced round\n"
    "                        (also as draw announce|replace)\n"
    "  plan close ID\n"
    "  draw get PLAN_ID [--round=N] [--bundle_out=FILE]\n"
    "  draw export PLAN_ID --out=DIR [--round=N]   frozen inputs (round N's roster) and\n"
    "                        bundles, for verify-draw\n"
    "  assignments list [--plan=ID]\n"
    "  assignments watch                      new assignments as they come (until Ctrl-C)\n"
    "  assignments export --format=csv|html [--plan=ID] [--out=FILE]\n"
    "  results submit --plan=P --credit_code=C --category=NAME --inspection_end=YYYY-MM-DD\n"
    "                 [--findings=TEXT] [--follow_up=TEXT]          an assigned inspector\n"
    "  results preview RESULT_ID              what approval publishes, byte for byte, each\n"
    "                                         removal of personal data, and its digest\n"
    "  results approve RESULT_ID --preview_digest=D [--comment=TEXT]\n"
    "  results return RESULT_ID --comment=TEXT\n"
    "  results correct RESULT_ID --corrects_index=N --category=NAME --inspection_end=D\n"
    "                  [--findings=TEXT] [--follow_up=TEXT] --reason=TEXT\n"
    "  results get RESULT_ID | list [--plan=P] [--credit_code=C] [--state=S]\n"
    "  results overdue [--within=N] [--as_of=YYYY-MM-DD]   late or due within N working days\n"
    "  withdrawal request LOG_INDEX --reason=TEXT --legal_basis=TEXT   the record's agency asks\n"
    "  withdrawal approve LOG_INDEX [--comment=TEXT]     an admin approves: the body is deleted\n"
    "  withdrawal list [--state=REQUESTED|WITHDRAWN]\n"
    "  verify-draw BUNDLE [--population=FILE] [--roster=FILE] [--sources=REGISTRY.json]\n"
    "              [--previous=BUNDLE] [--credit_code=C [--risk_class=A-D]]\n"
    "                        check a draw and its entropy statements (no server needed)\n"
    "  publish --out=DIR [--verifier_key=KEY] [--site_url=URL]\n"
    "                        mirror the disclosure log into a static public site (incremental)\n"
    "  verify-log DIR [--verifier_key=KEY | --trust_on_first_use] [--state_file=FILE]\n"
    "             [--witness_key=COSIGNER,...]\n"
    "                        check a published disclosure log (no server needed)\n"
    "  witness keygen --algorithm=ed25519|sm2-sm3 --out=DIR    an entropy witness's key\n"
    "  witness sign --key=DIR/witness.key --source_id=ID --plan=PLAN --round=N\n"
    "               --commitment=HEX [--attest=SOURCE_ID=VALUE ...] [--out=FILE]\n"
    "  witness verify FILE --algorithm=A --public_key=HEX [--source_id=ID]\n"
    "  witness cosign [SITE] --key=FILE --cosigner_name=NAME [--verifier_key=LOGKEY]\n"
    "                 [--state_file=FILE]   cosign SITE's checkpoint (C2SP tlog-cosignature)\n"
    "                        after checking it extends the last one cosigned; no SITE:\n"
    "                        print the cosigner's key\n"
    "                        the witness's own tool, on its own machine (no server needed)\n"
    "  status [--metrics=URL]   is the server healthy? (its metrics endpoint; exit 1 on "
    "problems)\n"
    "  admin backup --out=DIR   a consistent online backup into a new directory "
    "(docs/operations.md)\n"
    "\n"
    "exit codes: 0 ok, 1 server refused, 2 usage, 3 unreachable, 4 rows rejected;\n"
    "            verify-draw, verify-log, witness verify: 0 VALID, 1 INVALID, 2 usage";

// --tls_dir, else $REGCTL_TLS_DIR, else the demo identity tools/up creates.
std::string DefaultTlsDir() {
  std::string dir = absl::GetFlag(FLAGS_tls_dir);
  if (dir.empty()) {
    const char* env = std::getenv("REGCTL_TLS_DIR");
    dir = env != nullptr && *env != '\0' ? env : "data/pki/admin";
  }
  return dir;
}

int RunPki(const std::vector<std::string>& args) {
  PkiOptions options;
  options.ca_dir = absl::GetFlag(FLAGS_ca_dir);
  options.ca_name = absl::GetFlag(FLAGS_ca_name);
  options.out = absl::GetFlag(FLAGS_out);
  options.role = absl::GetFlag(FLAGS_role);
  options.name = absl::GetFlag(FLAGS_name);
  options.department = absl::GetFlag(FLAGS_department);
  options.region = absl::GetFlag(FLAGS_region);
  options.inspector_id = absl::GetFlag(FLAGS_inspector_id);
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
  return RunPkiCommand(args, options, stdout);
}

int Run(const std::vector<std::string>& args, const std::vector<std::string>& attest) {
  if (args.empty()) {
    std::fprintf(stderr, "usage: regctl %s\n", kUsage);
    return kExitUsage;
  }
  // Local: needs neither --output nor a server.
  if (args[0] == "pki") return RunPki(std::vector<std::string>(args.begin() + 1, args.end()));
  if (args[0] == "synth") {
    if (args.size() != 1) {
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
  if (args[0] == "verify-log") {
    VerifyLogOptions options;
    options.verifier_key = absl::GetFlag(FLAGS_verifier_key);
    options.state_file = absl::GetFlag(FLAGS_state_file);
    options.trust_on_first_use = absl::GetFlag(FLAGS_trust_on_first_use);
    options.witness_keys = absl::GetFlag(FLAGS_witness_key);
    return RunVerifyLogCommand(std::vector<std::string>(args.begin() + 1, args.end()), options,
                               stdout);
  }
  if (args[0] == "witness" && args.size() > 1 && args[1] == "cosign") {
    CosignOptions options;
    options.key = absl::GetFlag(FLAGS_key);
    options.cosigner_name = absl::GetFlag(FLAGS_cosigner_name);
    options.verifier_key = absl::GetFlag(FLAGS_verifier_key);
    options.state_file = absl::GetFlag(FLAGS_state_file);
    return RunCosignCommand(std::vector<std::string>(args.begin() + 2, args.end()), options,
                            stdout);
  }
  if (args[0] == "witness") {
    WitnessOptions options;
    options.algorithm = absl::GetFlag(FLAGS_algorithm);
    options.out = absl::GetFlag(FLAGS_out);
    options.key = absl::GetFlag(FLAGS_key);
    options.source_id = absl::GetFlag(FLAGS_source_id);
    options.plan = absl::GetFlag(FLAGS_plan);
    options.round = absl::GetFlag(FLAGS_round);
    options.commitment = absl::GetFlag(FLAGS_commitment);
    options.attest = attest;
    options.public_key = absl::GetFlag(FLAGS_public_key);
    options.force = absl::GetFlag(FLAGS_force);
    options.force_reason = absl::GetFlag(FLAGS_force) ? absl::GetFlag(FLAGS_reason) : "";
    return RunWitnessCommand(std::vector<std::string>(args.begin() + 1, args.end()), options,
                             stdout);
  }
  if (args[0] == "status") {
    StatusOptions options;
    options.metrics_url = absl::GetFlag(FLAGS_metrics);
    options.timeout = absl::Seconds(std::max(1, absl::GetFlag(FLAGS_timeout_seconds)));
    return RunStatusCommand(args, options, stdout);
  }
  if (args[0] == "verify-draw") {
    VerifyDrawOptions options;
    options.population_file = absl::GetFlag(FLAGS_population);
    options.roster_file = absl::GetFlag(FLAGS_roster);
    options.sources_file = absl::GetFlag(FLAGS_sources);
    options.previous_file = absl::GetFlag(FLAGS_previous);
    options.credit_code = absl::GetFlag(FLAGS_credit_code);
    options.risk_class = absl::GetFlag(FLAGS_risk_class);
    return RunVerifyDrawCommand(std::vector<std::string>(args.begin() + 1, args.end()), options,
                                stdout);
  }
  absl::StatusOr<OutputFormat> output = ParseOutputFormat(absl::GetFlag(FLAGS_output));
  if (!output.ok()) {
    std::fprintf(stderr, "error: %s\n", std::string(output.status().message()).c_str());
    return kExitUsage;
  }
  ConnectionOptions connection;
  connection.server = absl::GetFlag(FLAGS_server);
  if (absl::GetFlag(FLAGS_timeout_seconds) <= 0) {
    std::fprintf(stderr, "error: --timeout_seconds: must be at least 1\n");
    return kExitUsage;
  }
  connection.call_timeout = absl::Seconds(absl::GetFlag(FLAGS_timeout_seconds));
  connection.insecure_loopback = absl::GetFlag(FLAGS_insecure_loopback);
  connection.tls_dir = DefaultTlsDir();

  const std::string& command = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "enterprise") {
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
    options.output = *output;
    return RunEnterpriseCommand(rest, options, connection, stdout);
  }
  if (command == "train" || command == "model" || command == "score" || command == "policy") {
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
    options.output = *output;
    return RunScoringCommand(args, options, connection, stdout);
  }
  if (command == "backtest") {
    BacktestOptions options;
    options.model_version = absl::GetFlag(FLAGS_model);
    options.from = absl::GetFlag(FLAGS_from);
    options.to = absl::GetFlag(FLAGS_to);
    options.oracle_file = absl::GetFlag(FLAGS_oracle);
    options.shuffles = absl::GetFlag(FLAGS_shuffles);
    options.seed = absl::GetFlag(FLAGS_seed);
    options.output = *output;
    return RunBacktestCommand(rest, options, connection, stdout);
  }
  if (command == "portrait") {
    PortraitOptions options;
    options.as_of = absl::GetFlag(FLAGS_as_of);
    options.region_prefix = absl::GetFlag(FLAGS_region_prefix);
    options.output = *output;
    return RunPortraitCommand(rest, options, connection, stdout);
  }
  if (command == "import") {
    ImportOptions options;
    options.batch_size = absl::GetFlag(FLAGS_batch_size);
    options.window = absl::GetFlag(FLAGS_window);
    options.max_errors = absl::GetFlag(FLAGS_max_errors);
    options.restart = absl::GetFlag(FLAGS_restart);
    return RunImportCommand(rest, options, connection, stdout);
  }
  if (command == "audit") {
    AuditOptions options;
    options.caller = absl::GetFlag(FLAGS_caller);
    options.rpc = absl::GetFlag(FLAGS_rpc);
    options.since = absl::GetFlag(FLAGS_since);
    options.until = absl::GetFlag(FLAGS_until);
    options.page_size = absl::GetFlag(FLAGS_page_size);
    options.expect_head = absl::GetFlag(FLAGS_expect_head);
    options.output = *output;
    return RunAuditCommand(rest, options, connection, stdout);
  }
  if (command == "inspector" || command == "conflict" || command == "item") {
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
    options.output = *output;
    return RunRosterCommand(args, options, connection, stdout);
  }
  if (command == "entropy") {
    EntropyOptions options;
    options.file = absl::GetFlag(FLAGS_file);
    options.cert = absl::GetFlag(FLAGS_cert);
    options.reason = absl::GetFlag(FLAGS_reason);
    options.page_size = absl::GetFlag(FLAGS_page_size);
    options.page_token = absl::GetFlag(FLAGS_page_token);
    options.all_pages = absl::GetFlag(FLAGS_all);
    options.output = *output;
    return RunEntropyCommand(rest, options, connection, stdout);
  }
  if (command == "plan" || command == "draw") {
    for (const auto& [flag, replacement] :
         {std::pair<std::string, const char*>{absl::GetFlag(FLAGS_entropy_kind), "--entropy_kind"},
          {absl::GetFlag(FLAGS_entropy_reference), "--entropy_reference"},
          {absl::GetFlag(FLAGS_entropy), "--entropy"}}) {
      if (flag.empty()) continue;
      std::fprintf(stderr,
                   "error: %s is no longer accepted (regulation.draw.v2): name registered "
                   "sources with --source=ID when committing or announcing, and draw with "
                   "their signed statements, --statement=FILE (docs/api.md)\n",
                   replacement);
      return kExitUsage;
    }
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
    options.output = *output;
    return RunPlanCommand(args, options, connection, stdout);
  }
  if (command == "assignments") {
    AssignmentOptions options;
    options.plan = absl::GetFlag(FLAGS_plan);
    options.format = absl::GetFlag(FLAGS_format);
    options.out = absl::GetFlag(FLAGS_out);
    options.page_size = absl::GetFlag(FLAGS_page_size);
    options.now = absl::Now();
    options.output = *output;
    return RunAssignmentCommand(rest, options, connection, stdout);
  }
  if (command == "results") {
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
    options.output = *output;
    return RunResultCommand(rest, options, connection, stdout);
  }
  if (command == "withdrawal") {
    WithdrawalOptions options;
    options.reason = absl::GetFlag(FLAGS_reason);
    options.legal_basis = absl::GetFlag(FLAGS_legal_basis);
    options.comment = absl::GetFlag(FLAGS_comment);
    options.state = absl::GetFlag(FLAGS_state);
    options.output = *output;
    return RunWithdrawalCommand(rest, options, connection, stdout);
  }
  if (command == "publish") {
    PublishCommandOptions options;
    options.out_dir = absl::GetFlag(FLAGS_out);
    options.verifier_key = absl::GetFlag(FLAGS_verifier_key);
    options.witness_keys = absl::GetFlag(FLAGS_witness_key);
    options.site_url = absl::GetFlag(FLAGS_site_url);
    return RunPublishCommand(rest, options, connection, stdout);
  }
  if (command == "admin") {
    AdminOptions options;
    options.out = absl::GetFlag(FLAGS_out);
    return RunAdminCommand(args, options, connection, stdout);
  }
  if (command == "health") return RunHealthCommand(args, connection, stdout);
  if (command == "services") return RunServicesCommand(connection, stdout);
  std::fprintf(stderr, "error: unknown command \"%s\" (regctl --help)\n", command.c_str());
  return kExitUsage;
}

}  // namespace
}  // namespace regulation::regctl

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(regulation::regctl::kUsage);
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
  std::vector<char*> positional =
      absl::ParseCommandLine(static_cast<int>(rest.size()), rest.data());
  std::vector<std::string> args(positional.begin() + 1, positional.end());
  return regulation::regctl::Run(args, attest);
}
