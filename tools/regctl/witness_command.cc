#include "tools/regctl/witness_command.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "google/protobuf/util/json_util.h"
#include "regulation/v1/entropy.pb.h"
#include "scheduler/entropy/witness_key.h"
#include "scheduler/entropy/witness_statement.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/output.h"
#include "tools/regctl/witness_ledger.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

using scheduler::entropy::AttestedValue;
using scheduler::entropy::FormatStatementTime;
using scheduler::entropy::WitnessAlgorithm;
using scheduler::entropy::WitnessKey;
using scheduler::entropy::WitnessPublicKey;
using scheduler::entropy::WitnessStatement;

constexpr char kKeyFile[] = "witness.key";
constexpr char kPublicFile[] = "witness.pub";

int Usage(absl::string_view message) { return UsageError({"witness"}, message); }

int Failure(const absl::Status& status) {
  absl::FPrintF(stderr, "error: %s\n", status.message());
  return kExitServerError;
}

void PrintStatement(std::FILE* out, const WitnessStatement& s) {
  absl::FPrintF(out, "  source_id:   %s\n  plan:        %s\n  round:       %d\n",
                s.source_id, s.plan_id, s.round);
  absl::FPrintF(out, "  commitment:  %s\n  value:       %s\n  signed at:   %s\n", s.commitment,
                s.value, FormatStatementTime(s.signed_at));
  for (const AttestedValue& a : s.attested) {
    absl::FPrintF(out, "  attests:     %s = %s\n", a.source_id, a.value);
  }
}

int Keygen(const WitnessOptions& options, std::FILE* out) {
  if (options.algorithm.empty()) return Usage("witness keygen: --algorithm=ed25519|sm2-sm3 is required");
  if (options.out.empty()) return Usage("witness keygen: --out=DIR is required");
  absl::StatusOr<WitnessAlgorithm> algorithm =
      scheduler::entropy::ParseWitnessAlgorithm("--algorithm", options.algorithm);
  if (!algorithm.ok()) return Usage(algorithm.status().message());
  absl::Status made = MakeDirectories(options.out, 0700);
  if (!made.ok()) return Failure(made);
  absl::StatusOr<WitnessKey> key = WitnessKey::Generate(*algorithm);
  if (!key.ok()) return Failure(key.status());
  const std::string key_path = absl::StrCat(options.out, "/", kKeyFile);
  absl::Status written = key->WriteNew(key_path);
  if (absl::IsAlreadyExists(written)) {
    return Failure(absl::AlreadyExistsError(absl::StrCat(
        key_path, " already exists; a witness keeps one key (choose another --out to make "
                  "a new one)")));
  }
  if (!written.ok()) return Failure(written);
  const std::string public_path = absl::StrCat(options.out, "/", kPublicFile);
  const std::string public_line =
      absl::StrCat(options.algorithm, " ", key->public_key().hex(), "\n");
  written = WriteFileAtomically(public_path, public_line);
  if (!written.ok()) return Failure(written);
  absl::FPrintF(out,
                "wrote %s (private, mode 0600: it never leaves this machine) and %s\n"
                "register this witness with:\n"
                "  algorithm:      %s\n"
                "  public_key_hex: %s\n",
                key_path, public_path, options.algorithm, key->public_key().hex());
  return kExitOk;
}

int Sign(const WitnessOptions& options, std::FILE* out) {
  for (const auto& [flag, value] : {std::pair<const char*, const std::string*>{"--key", &options.key},
                                    {"--source_id", &options.source_id},
                                    {"--plan", &options.plan},
                                    {"--commitment", &options.commitment}}) {
    if (value->empty()) return Usage(absl::StrCat("witness sign: ", flag, " is required"));
  }
  WitnessStatement statement;
  statement.source_id = options.source_id;
  statement.plan_id = options.plan;
  statement.round = options.round;
  statement.commitment = options.commitment;
  for (const std::string& attest : options.attest) {
    const size_t equals = attest.find('=');
    if (equals == std::string::npos || equals == 0) {
      return Usage(absl::StrCat("--attest: must be SOURCE_ID=VALUE, got \"", attest, "\""));
    }
    statement.attested.push_back({attest.substr(0, equals), attest.substr(equals + 1)});
  }
  std::sort(statement.attested.begin(), statement.attested.end(),
            [](const AttestedValue& a, const AttestedValue& b) { return a.source_id < b.source_id; });
  for (size_t i = 1; i < statement.attested.size(); ++i) {
    if (statement.attested[i].source_id == statement.attested[i - 1].source_id) {
      return Usage(absl::StrCat("--attest: source \"", statement.attested[i].source_id,
                                "\" is attested twice"));
    }
  }
  absl::StatusOr<std::string> value = scheduler::entropy::FreshWitnessValue();
  if (!value.ok()) return Failure(value.status());
  statement.value = *value;
  statement.signed_at = absl::FromUnixSeconds(absl::ToUnixSeconds(options.clock->Now()));
  // Field errors are the caller's: check them before touching the key.
  absl::Status valid = scheduler::entropy::ValidateWitnessStatement(statement);
  if (!valid.ok()) return Usage(valid.message());

  if (options.force != !options.force_reason.empty()) {
    return Usage("witness sign: --force and --reason=TEXT go together (the reason is recorded "
                 "in the ledger)");
  }

  absl::StatusOr<WitnessKey> key = WitnessKey::Load(options.key);
  if (!key.ok()) return Failure(key.status());
  // A second value for the same plan and round would let the drawing party choose
  // between two draws: the ledger beside the key refuses it unless forced.
  absl::StatusOr<WitnessLedger> ledger = LoadWitnessLedger(LedgerPathForKey(options.key));
  if (!ledger.ok()) return Failure(ledger.status());
  if (std::optional<LedgerEntry> earlier = FindSigned(*ledger, statement.plan_id, statement.round);
      earlier.has_value() && !options.force) {
    absl::FPrintF(stderr,
                  "error: this witness already signed plan \"%s\" round %d at %s (value %s..., "
                  "commitment %s...; %s). A second value for the same round would let the "
                  "drawing party choose between two draws: refused. If the first statement was "
                  "lost, sign again with --force --reason=TEXT (recorded in the ledger).\n",
                  statement.plan_id, statement.round, earlier->signed_at,
                  earlier->value.substr(0, 16), earlier->commitment.substr(0, 16), ledger->path);
    return kExitServerError;
  }
  absl::StatusOr<scheduler::entropy::SignedWitnessStatement> signed_statement =
      scheduler::entropy::SignWitnessStatement(*key, statement);
  if (!signed_statement.ok()) return Failure(signed_statement.status());
  // Recorded before the statement leaves this machine: a crash in between costs a forced
  // re-sign, never an unrecorded value.
  absl::Status recorded = AppendToLedger(
      &*ledger, {statement.plan_id, statement.round, statement.commitment, statement.value,
                 FormatStatementTime(statement.signed_at), options.force_reason});
  if (!recorded.ok()) return Failure(recorded);

  v1::EntropyStatement message;
  message.set_source_id(statement.source_id);
  message.mutable_witness()->set_statement(signed_statement->text);
  message.mutable_witness()->set_signature_hex(signed_statement->signature_hex);
  const std::string json = ToJson(message);

  std::FILE* report = options.out.empty() ? stderr : out;
  if (options.out.empty()) {
    absl::FPrintF(out, "%s", json);
  } else {
    AtomicWriteOptions write;
    write.exclusive = true;
    absl::Status written = WriteFileAtomically(options.out, json, write);
    if (!written.ok()) return Failure(written);
  }
  absl::FPrintF(report, "signed with the %s key %s...:\n",
                scheduler::entropy::WitnessAlgorithmName(key->algorithm()),
                key->public_key().hex().substr(0, 16));
  PrintStatement(report, statement);
  if (!options.out.empty()) absl::FPrintF(report, "wrote %s\n", options.out);
  return kExitOk;
}

int Verify(const std::vector<std::string>& args, const WitnessOptions& options, std::FILE* out) {
  if (args.size() != 2) return Usage("witness verify takes one FILE");
  if (options.algorithm.empty() || options.public_key.empty()) {
    return Usage("witness verify: --algorithm and --public_key (the registered key) are required");
  }
  absl::StatusOr<WitnessAlgorithm> algorithm =
      scheduler::entropy::ParseWitnessAlgorithm("--algorithm", options.algorithm);
  if (!algorithm.ok()) return Usage(algorithm.status().message());
  absl::StatusOr<WitnessPublicKey> key =
      WitnessPublicKey::FromHex(*algorithm, "--public_key", options.public_key);
  if (!key.ok()) return Usage(key.status().message());
  absl::StatusOr<std::string> text = ReadWholeFile(args[1]);
  if (!text.ok()) return Usage(text.status().message());

  auto invalid = [out](absl::string_view reason) {
    absl::FPrintF(out, "INVALID: %s\n", reason);
    return kExitServerError;
  };
  v1::EntropyStatement message;
  if (!google::protobuf::util::JsonStringToMessage(*text, &message).ok()) {
    return invalid(absl::StrCat(args[1], ": not an EntropyStatement in JSON"));
  }
  if (!message.has_witness()) {
    return invalid(absl::StrCat(args[1], ": not a witness statement (no \"witness\" evidence)"));
  }
  absl::StatusOr<WitnessStatement> statement = scheduler::entropy::VerifyWitnessStatement(
      *key, message.witness().statement(), message.witness().signature_hex());
  if (!statement.ok()) return invalid(statement.status().message());
  if (statement->source_id != message.source_id()) {
    return invalid(absl::StrCat("source_id: the file says \"", message.source_id(),
                                "\" but the signed statement says \"", statement->source_id,
                                "\""));
  }
  if (!options.source_id.empty() && statement->source_id != options.source_id) {
    return invalid(absl::StrCat("statement.source_id: signed as source \"", statement->source_id,
                                "\", not \"", options.source_id, "\""));
  }
  absl::FPrintF(out, "VALID: a %s statement signed by the key %s...\n", options.algorithm,
                options.public_key.substr(0, 16));
  PrintStatement(out, *statement);
  return kExitOk;
}

}  // namespace

int RunWitnessCommand(const std::vector<std::string>& args, const WitnessOptions& options,
                      std::FILE* out) {
  if (args.empty()) return Usage("witness: keygen, sign or verify");
  if (args[0] == "keygen") {
    if (args.size() != 1) return Usage("witness keygen takes flags, not arguments");
    return Keygen(options, out);
  }
  if (args[0] == "sign") {
    if (args.size() != 1) return Usage("witness sign takes flags, not arguments");
    return Sign(options, out);
  }
  if (args[0] == "verify") return Verify(args, options, out);
  return Usage(absl::StrCat("witness: unknown subcommand \"", args[0],
                            "\" (keygen, sign or verify)"));
}

}  // namespace regulation::regctl
