#include "tools/crash_harness/fixture.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "tools/crash_harness/subprocess.h"

namespace regulation::crash {
namespace {

absl::Status Run(const std::vector<std::string>& argv) {
  const ProgramRun run = RunProgram(argv);
  if (run.exit_code == 0) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(argv.size() > 1 ? argv[1] : argv[0], " ... exited ",
                                          run.exit_code, ": ", run.output));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The values of "key": "..." in each line of a JSON-lines file.
std::vector<std::string> FieldOfEachLine(const std::string& path, const std::string& key) {
  std::vector<std::string> values;
  const std::string quoted = "\"" + key + "\": \"";
  for (absl::string_view line : absl::StrSplit(ReadFile(path), '\n')) {
    const size_t at = line.find(quoted);
    if (at == absl::string_view::npos) continue;
    const size_t start = at + quoted.size();
    values.emplace_back(line.substr(start, line.find('"', start) - start));
  }
  return values;
}

}  // namespace

absl::StatusOr<Fixture> MakePki(const FixtureOptions& options, Endpoint* endpoint) {
  Fixture fixture;
  fixture.pki_dir = options.work_dir + "/pki";
  const std::string& pki = fixture.pki_dir;
  absl::Status status = Run({options.regctl, "pki", "init", "--ca_dir=" + pki + "/ca",
                             "--ca_name=crash harness CA"});
  auto issue = [&](const std::string& dir, std::vector<std::string> flags) {
    if (!status.ok()) return;
    std::vector<std::string> argv = {options.regctl, "pki", "issue", "--ca_dir=" + pki + "/ca",
                                     "--out=" + pki + "/" + dir};
    argv.insert(argv.end(), flags.begin(), flags.end());
    status = Run(argv);
  };
  issue("server", {"--server_cert", "--dns=localhost", "--ip=127.0.0.1,::1"});
  issue("admin", {"--role=admin", "--name=crash-admin"});
  issue("auditor", {"--role=auditor", "--name=crash-auditor"});
  issue("agency", {"--role=agency", "--name=crash-hz", "--department=samr", "--region=3301"});
  issue("public", {"--role=public", "--name=crash-public"});
  fixture.inspector_ids = FieldOfEachLine(options.demo_dir + "/inspectors.jsonl", "inspector_id");
  fixture.item_ids = FieldOfEachLine(options.demo_dir + "/items.jsonl", "item_id");
  for (const std::string& id : fixture.inspector_ids) {
    issue("inspector-" + id, {"--role=inspector", "--name=crash-" + id, "--department=samr",
                              "--inspector_id=" + id});
  }
  if (!status.ok()) return status;
  std::vector<std::string> identities = {"admin", "auditor", "agency", "public"};
  for (const std::string& id : fixture.inspector_ids) identities.push_back("inspector-" + id);
  for (const std::string& name : identities) {
    if (absl::Status added = endpoint->AddIdentity(name, pki + "/" + name); !added.ok()) {
      return added;
    }
  }
  return fixture;
}

absl::Status LoadWorld(const FixtureOptions& options, const Endpoint& endpoint, Fixture* fixture) {
  const std::string& pki = fixture->pki_dir;
  auto as = [&](const std::string& identity, std::vector<std::string> args) {
    std::vector<std::string> argv = {options.regctl, "--server=" + endpoint.address(),
                                     "--tls_dir=" + pki + "/" + identity};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  };
  // A generated population (history up to yesterday); only its directory is loaded: the
  // events are the workload's.
  const absl::CivilDay yesterday = absl::ToCivilDay(absl::Now(), absl::LocalTimeZone()) - 1;
  const std::string synth = options.work_dir + "/synth";
  absl::Status status = Run({options.regctl, "synth",
                             absl::StrCat("--enterprises=", options.enterprises), "--years=1",
                             absl::StrCat("--seed=", options.seed),
                             absl::StrCat("--end_date=", absl::FormatCivilTime(yesterday)),
                             "--out=" + synth});
  if (!status.ok()) return status;
  status = Run(as("admin", {"import", "enterprises", synth + "/enterprises.csv"}));
  if (!status.ok()) return status;
  // Events are dated up to 300 days back, so only enterprises established before that.
  const std::string established_before = absl::FormatCivilTime(yesterday - 310);
  bool header = true;
  for (absl::string_view line : absl::StrSplit(ReadFile(synth + "/enterprises.csv"), '\n')) {
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    if (header || fields.size() < 6) {
      header = false;
      continue;
    }
    if (fields[5] < established_before) fixture->enterprises.push_back(fields[0]);
  }
  if (fixture->enterprises.empty()) return absl::InternalError("no enterprise old enough");
  status = Run(as("admin", {"inspector", "put", "--file=" + options.demo_dir + "/inspectors.jsonl"}));
  if (!status.ok()) return status;
  status = Run(as("agency", {"item", "put", "--file=" + options.demo_dir + "/items.jsonl"}));
  if (!status.ok()) return status;

  // The witness: a key of its own, registered by the admin.
  const std::string witness = options.work_dir + "/witness";
  status = Run({options.regctl, "witness", "keygen", "--algorithm=ed25519", "--out=" + witness});
  if (!status.ok()) return status;
  fixture->witness_key = witness + "/witness.key";
  std::vector<std::string> pub = absl::StrSplit(ReadFile(witness + "/witness.pub"), ' ');
  if (pub.size() < 2) return absl::InternalError("witness.pub: no key");
  std::string key = pub[1];
  key.erase(key.find_last_not_of(" \n") + 1);
  std::ofstream(witness + "/source.json")
      << "{\"sourceId\": \"" << fixture->witness_id
      << "\", \"kind\": \"ENTROPY_SOURCE_KIND_WITNESS\", \"displayName\": \"崩溃测试公证处\", "
         "\"department\": \"notary-crash\", \"algorithm\": \"ed25519\", \"publicKeyHex\": \""
      << key << "\"}\n";
  return Run(as("admin", {"entropy", "register", "--file=" + witness + "/source.json"}));
}

}  // namespace regulation::crash
