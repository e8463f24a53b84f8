#include "tools/regctl/pki_command.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/files.h"
#include "pki/certificates.h"
#include "pki/tls_files.h"
#include "services/access/caller_certificate.h"
#include "services/access/role.h"
#include "tools/regctl/connection.h"
#include "tools/regctl/usage_error.h"

namespace regulation::regctl {
namespace {

using pki::CertificateInfo;
using pki::CertificateRequest;
using pki::KeyAndCertificate;

// Certificates start this far in the past, for clocks that run a little behind.
constexpr absl::Duration kBackdate = absl::Minutes(5);
constexpr int kDefaultCaDays = 3650;
constexpr int kDefaultClientDays = 365;
constexpr int kDefaultServerDays = 825;
constexpr int kMaxDays = 36500;

int Usage(absl::string_view message) { return UsageError({"pki"}, message); }

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "error: %s: %s\n", absl::StatusCodeToString(status.code()).c_str(),
               std::string(status.message()).c_str());
  return kExitServerError;
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

// The flag a CertificateRequest field comes from.
std::string FlagForField(absl::string_view message) {
  static constexpr std::pair<absl::string_view, absl::string_view> kFlags[] = {
      {"common_name: ", "--name: "},     {"department: ", "--department: "},
      {"region_prefix: ", "--region: "}, {"inspector_id: ", "--inspector_id: "},
      {"credit_code: ", "--credit_code: "},
      {"dns_names: ", "--dns: "},        {"ip_addresses: ", "--ip: "},
      {"not_after: ", "--days: "},       {"not_before: ", "--days: "},
  };
  for (const auto& [field, flag] : kFlags) {
    if (absl::StartsWith(message, field)) {
      return absl::StrCat(flag, message.substr(field.size()));
    }
  }
  return std::string(message);
}

// The validity in days: --days when given, `fallback` otherwise.
absl::StatusOr<absl::Duration> Validity(int days, int fallback) {
  if (days == 0) days = fallback;
  if (days < 0 || days > kMaxDays) {
    return absl::InvalidArgumentError(absl::StrCat("--days: 1 to ", kMaxDays));
  }
  return absl::Hours(24) * days;
}

std::vector<std::string> SplitList(absl::string_view list) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(list, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

int Init(const PkiOptions& o, std::FILE* out) {
  if (o.ca_dir.empty()) return Usage("init needs --ca_dir=DIR");
  absl::StatusOr<absl::Duration> validity = Validity(o.days, kDefaultCaDays);
  if (!validity.ok()) return Usage(validity.status().message());
  const absl::Time now = o.clock->Now();
  // Refuse early, before generating anything, when a CA is already there.
  if (::access(pki::TlsPath(o.ca_dir, pki::kCaKeyFile).c_str(), F_OK) == 0) {
    return Fail(
        absl::AlreadyExistsError(absl::StrCat(pki::TlsPath(o.ca_dir, pki::kCaKeyFile),
                                              ": already exists; refusing to replace the CA")));
  }
  absl::StatusOr<KeyAndCertificate> ca =
      pki::CreateCertificateAuthority(o.ca_name, now - kBackdate, now + *validity);
  if (absl::IsInvalidArgument(ca.status())) {
    return Usage(absl::StrCat("--ca_name: ", ca.status().message()));
  }
  if (!ca.ok()) return Fail(ca.status());
  if (absl::Status written = pki::WriteCaDir(o.ca_dir, *ca); !written.ok()) {
    return Fail(written);
  }
  std::fprintf(out,
               "created CA \"%s\", valid until %s\n"
               "  %s  CA certificate: give it to servers and clients\n"
               "  %s  CA private key (0600): keep it secret, off the servers\n"
               "  %s  revoked serial numbers (regctl pki revoke)\n",
               o.ca_name.c_str(), Rfc3339(now + *validity).c_str(),
               pki::TlsPath(o.ca_dir, pki::kCaCertFile).c_str(),
               pki::TlsPath(o.ca_dir, pki::kCaKeyFile).c_str(),
               pki::TlsPath(o.ca_dir, pki::kRevokedFile).c_str());
  return kExitOk;
}

int Issue(const PkiOptions& o, std::FILE* out) {
  if (o.ca_dir.empty()) return Usage("issue needs --ca_dir=DIR");
  if (o.out.empty()) return Usage("issue needs --out=DIR");
  CertificateRequest request;
  request.common_name = o.name;
  request.department = o.department;
  request.region_prefix = o.region;
  request.inspector_id = o.inspector_id;
  request.credit_code = o.credit_code;
  int default_days = kDefaultClientDays;
  if (o.server_cert) {
    if (!o.role.empty()) return Usage("--server_cert and --role exclude each other");
    request.dns_names = SplitList(o.dns);
    request.ip_addresses = SplitList(o.ip);
    if (request.dns_names.empty() && request.ip_addresses.empty()) {
      return Usage("issue --server_cert needs --dns=HOST[,HOST] and/or --ip=ADDR[,ADDR]");
    }
    if (request.common_name.empty()) {
      request.common_name =
          request.dns_names.empty() ? request.ip_addresses.front() : request.dns_names.front();
    }
    default_days = kDefaultServerDays;
  } else {
    if (o.role.empty()) {
      return Usage(
          "issue needs --role=agency|inspector|auditor|public|admin|enterprise (or --server_cert)");
    }
    request.role = access::RoleFromName(o.role);
    if (!request.role.has_value()) {
      return Usage(absl::StrCat("--role: unknown role \"", o.role,
                                "\" (agency, inspector, auditor, public, admin, enterprise)"));
    }
    if (o.name.empty()) return Usage("issue needs --name=CN, the holder's name");
    if (!o.dns.empty() || !o.ip.empty()) return Usage("--dns and --ip are for --server_cert only");
  }
  absl::StatusOr<absl::Duration> validity = Validity(o.days, default_days);
  if (!validity.ok()) return Usage(validity.status().message());
  const absl::Time now = o.clock->Now();
  request.not_before = now - kBackdate;
  request.not_after = now + *validity;

  absl::StatusOr<KeyAndCertificate> ca = pki::ReadCaDir(o.ca_dir);
  if (!ca.ok()) return Fail(ca.status());
  absl::StatusOr<KeyAndCertificate> issued = pki::IssueCertificate(*ca, request);
  if (absl::IsInvalidArgument(issued.status())) {
    if (absl::StartsWith(issued.status().message(), "ca: ")) {
      return Fail(absl::FailedPreconditionError(
          absl::StrCat(o.ca_dir, ": ", issued.status().message().substr(4))));
    }
    return Usage(FlagForField(issued.status().message()));
  }
  if (!issued.ok()) return Fail(issued.status());
  if (absl::Status written = pki::WriteTlsDir(o.out, ca->cert_pem, *issued); !written.ok()) {
    return Fail(written);
  }
  absl::StatusOr<std::string> serial = pki::CertificateSerialHex(issued->cert_pem);
  std::fprintf(out, "issued %s certificate CN=%s serial=%s, valid until %s\n",
               o.server_cert ? "server" : o.role.c_str(), request.common_name.c_str(),
               serial.ok() ? serial->c_str() : "?", Rfc3339(request.not_after).c_str());
  std::fprintf(out, "  %s\n  %s\n  %s (0600)\n",
               pki::TlsPath(o.out, pki::kCaCertFile).c_str(),
               pki::TlsPath(o.out, pki::kCertFile).c_str(),
               pki::TlsPath(o.out, pki::kKeyFile).c_str());
  return kExitOk;
}

// True when `serial` is already listed in the revocation file `contents`.
bool Listed(absl::string_view contents, absl::string_view serial) {
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    if (const size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    const std::optional<std::string> listed =
        pki::NormalizeSerialHex(absl::StripAsciiWhitespace(line));
    if (listed.has_value() && *listed == serial) return true;
  }
  return false;
}

absl::Status Append(const std::string& path, absl::string_view text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return FileErrorStatus(errno, "cannot open", path);
  const ssize_t n = ::write(fd, text.data(), text.size());
  // A short write without an error code means the disk took no more: no space.
  const int error = n < 0 ? errno : ENOSPC;
  if (::close(fd) != 0 || n != static_cast<ssize_t>(text.size())) {
    return FileErrorStatus(n == static_cast<ssize_t>(text.size()) ? errno : error, "cannot append",
                           path);
  }
  return absl::OkStatus();
}

int Revoke(const PkiOptions& o, std::FILE* out) {
  if (o.ca_dir.empty()) return Usage("revoke needs --ca_dir=DIR");
  if (o.cert.empty()) return Usage("revoke needs --cert=FILE");
  absl::StatusOr<std::string> pem = ReadWholeFile(o.cert);
  if (!pem.ok()) return Fail(pem.status());
  absl::StatusOr<CertificateInfo> info = pki::DescribeCertificate(*pem);
  if (!info.ok())
    return Fail(absl::InvalidArgumentError(absl::StrCat(o.cert, ": ", info.status().message())));
  absl::StatusOr<KeyAndCertificate> ca = pki::ReadCaDir(o.ca_dir);
  if (!ca.ok()) return Fail(ca.status());
  absl::StatusOr<CertificateInfo> ca_info = pki::DescribeCertificate(ca->cert_pem);
  if (ca_info.ok() && ca_info->common_name != info->issuer_common_name) {
    std::fprintf(stderr, "warning: %s was issued by \"%s\", not by this CA (\"%s\")\n",
                 o.cert.c_str(), info->issuer_common_name.c_str(), ca_info->common_name.c_str());
  }
  const std::string path = pki::TlsPath(o.ca_dir, pki::kRevokedFile);
  absl::StatusOr<std::string> contents = ReadWholeFile(path);
  if (!contents.ok() && !absl::IsNotFound(contents.status())) return Fail(contents.status());
  const std::string serial = info->serial_hex;
  if (contents.ok() && Listed(*contents, serial)) {
    std::fprintf(out, "%s already revoked (CN=%s)\n", serial.c_str(), info->common_name.c_str());
    return kExitOk;
  }
  std::string entry;
  if (contents.ok() && !contents->empty() && contents->back() != '\n') entry = "\n";
  absl::StrAppend(&entry, "# CN=", info->common_name, " revoked ", Rfc3339(o.clock->Now()), "\n",
                  serial, "\n");
  if (absl::Status appended = Append(path, entry); !appended.ok()) return Fail(appended);
  std::fprintf(out, "%s revoked (CN=%s); servers reading %s refuse it within seconds\n",
               serial.c_str(), info->common_name.c_str(), path.c_str());
  return kExitOk;
}

int Show(const PkiOptions& o, std::FILE* out) {
  if (o.cert.empty()) return Usage("show needs --cert=FILE");
  absl::StatusOr<std::string> pem = ReadWholeFile(o.cert);
  if (!pem.ok()) return Fail(pem.status());
  absl::StatusOr<CertificateInfo> info = pki::DescribeCertificate(*pem);
  if (!info.ok())
    return Fail(absl::InvalidArgumentError(absl::StrCat(o.cert, ": ", info.status().message())));
  auto line = [out](absl::string_view label, absl::string_view value) {
    std::fprintf(out, "%-13s %s\n", std::string(label).c_str(),
                 value.empty() ? "-" : std::string(value).c_str());
  };
  line("subject:", absl::StrCat("CN=", info->common_name));
  line("issuer:", absl::StrCat("CN=", info->issuer_common_name));
  line("serial:", info->serial_hex);
  std::string kind = info->is_ca                              ? "certificate authority"
                     : info->server_auth && info->client_auth ? "server and client"
                     : info->server_auth                      ? "server"
                     : info->client_auth                      ? "client"
                                                              : "other";
  line("kind:", kind);
  if (!info->is_ca && !info->server_auth) {
    absl::StatusOr<access::Caller> caller = access::CallerFromCertificate(*pem);
    if (caller.ok()) {
      line("role:", caller->roles.ToString());
      line("department:", caller->department);
      line("region:", caller->region_prefix);
      line("inspector id:", caller->inspector_id);
      line("credit code:", caller->credit_code);
    } else {
      line("identity:", absl::StrCat("invalid: ", caller.status().message()));
    }
  }
  if (!info->dns_names.empty()) line("dns:", absl::StrJoin(info->dns_names, ", "));
  if (!info->ip_addresses.empty()) line("ip:", absl::StrJoin(info->ip_addresses, ", "));
  const absl::Time now = o.clock->Now();
  const char* state = now < info->not_before   ? "not yet valid"
                      : now >= info->not_after ? "EXPIRED"
                                               : "valid";
  line("valid:",
       absl::StrCat(Rfc3339(info->not_before), " to ", Rfc3339(info->not_after), " (", state, ")"));
  return kExitOk;
}

}  // namespace

int RunPkiCommand(const std::vector<std::string>& args, const PkiOptions& options, std::FILE* out) {
  if (args.empty()) return Usage("missing subcommand");
  const std::string& verb = args[0];
  if (args.size() != 1) return Usage(absl::StrCat("pki ", verb, " takes flags, not arguments"));
  if (verb == "init") return Init(options, out);
  if (verb == "issue") return Issue(options, out);
  if (verb == "revoke") return Revoke(options, out);
  if (verb == "show") return Show(options, out);
  return Usage(absl::StrCat("unknown subcommand \"", verb, "\""));
}

}  // namespace regulation::regctl
