#include "services/access/caller_certificate.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/credit_code.h"
#include "common/status_macros.h"
#include "pki/certificates.h"

namespace regulation::access {
namespace {

absl::Status Unauthenticated(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

// The identity URIs of a certificate, by kind ("role", "department", ...).
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> IdentityUris(
    const std::vector<std::string>& uris) {
  absl::flat_hash_map<std::string, std::string> by_kind;
  for (const std::string& uri : uris) {
    absl::string_view rest = uri;
    if (!absl::ConsumePrefix(&rest, pki::kIdentityUriPrefix)) continue;
    const size_t colon = rest.find(':');
    if (colon == absl::string_view::npos) continue;
    const std::string kind(rest.substr(0, colon));
    if (!by_kind.emplace(kind, std::string(rest.substr(colon + 1))).second) {
      return Unauthenticated(kind == "role" ? "certificate carries more than one role"
                                            : absl::StrCat("certificate repeats its ", kind));
    }
  }
  return by_kind;
}

}  // namespace

absl::StatusOr<Caller> CallerFromCertificate(absl::string_view cert_pem) {
  absl::StatusOr<pki::CertificateInfo> info = pki::DescribeCertificate(cert_pem);
  if (!info.ok()) return Unauthenticated("certificate cannot be parsed");
  if (info->common_name.empty()) return Unauthenticated("certificate has no common name");
  REG_ASSIGN_OR_RETURN(auto uris, IdentityUris(info->uris));
  auto role_uri = uris.find("role");
  if (role_uri == uris.end()) return Unauthenticated("certificate carries no role");
  const std::optional<Role> role = RoleFromName(role_uri->second);
  if (!role.has_value()) return Unauthenticated("certificate carries an unknown role");

  Caller caller;
  caller.roles = RoleSet{*role};
  caller.subject = absl::StrCat("CN=", info->common_name, " serial=", info->serial_hex);
  if (*role == Role::kAgency || *role == Role::kInspector) {
    auto it = uris.find("department");
    if (it == uris.end() || !pki::IsValidIdentifier(it->second)) {
      return Unauthenticated("certificate lacks a valid department for its role");
    }
    caller.department = it->second;
  }
  if (*role == Role::kAgency) {
    auto it = uris.find("region");
    if (it == uris.end() || !pki::ValidateRegionField("region", it->second).ok()) {
      return Unauthenticated("certificate lacks a valid region prefix for its role");
    }
    caller.region_prefix = it->second;
  }
  if (*role == Role::kInspector) {
    auto it = uris.find("inspector");
    if (it == uris.end() || !pki::IsValidIdentifier(it->second)) {
      return Unauthenticated("certificate lacks a valid inspector id for its role");
    }
    caller.inspector_id = it->second;
  }
  if (*role == Role::kEnterprise) {
    auto it = uris.find("credit-code");
    if (it == uris.end() || !IsValidCreditCode(it->second)) {
      return Unauthenticated("certificate lacks a valid credit code for its role");
    }
    caller.credit_code = it->second;
  }
  return caller;
}

}  // namespace regulation::access
