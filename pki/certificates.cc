#include "pki/certificates.h"

#include <arpa/inet.h>
#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <ctime>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/credit_code.h"
#include "common/field_error.h"
#include "common/openssl_error.h"
#include "common/region_code.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/text_policy.h"

namespace regulation::pki {
namespace {

using access::RoleName;

// ---------------------------------------------------------------------------------------
// RAII for OpenSSL objects.

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

void FreeBio(BIO* bio) { BIO_free_all(bio); }
void FreeOpenSslString(char* s) { OPENSSL_free(s); }
void FreeOpenSslBytes(unsigned char* s) { OPENSSL_free(s); }

using BioPtr = OpenSslPtr<BIO, FreeBio>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using Asn1IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using GeneralNamePtr = OpenSslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using OpenSslStringPtr = OpenSslPtr<char, FreeOpenSslString>;
using OpenSslBytesPtr = OpenSslPtr<unsigned char, FreeOpenSslBytes>;

// ---------------------------------------------------------------------------------------
// Errors.

absl::Status Unauthenticated(absl::string_view reason) {
  return absl::UnauthenticatedError(reason);
}

// ---------------------------------------------------------------------------------------
// PEM and time conversions.

BioPtr MemoryBio(absl::string_view data) {
  if (data.size() > static_cast<size_t>(INT_MAX)) return nullptr;
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

absl::StatusOr<X509Ptr> ParseCertificatePem(absl::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  if (bio == nullptr) return absl::InvalidArgumentError("certificate too large");
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (cert == nullptr) return absl::InvalidArgumentError("not a PEM certificate");
  return cert;
}

absl::StatusOr<EvpPkeyPtr> ParsePrivateKeyPem(absl::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  if (bio == nullptr) return absl::InvalidArgumentError("key too large");
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  ERR_clear_error();
  if (key == nullptr) return absl::InvalidArgumentError("not a PEM private key");
  return key;
}

// The DER bytes of the first "CERTIFICATE" PEM block in `pem`.
absl::StatusOr<std::string> CertificateDer(absl::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  if (bio == nullptr) return absl::InvalidArgumentError("certificate too large");
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  const int ok = PEM_read_bio(bio.get(), &name, &header, &data, &len);
  OpenSslStringPtr name_owner(name), header_owner(header);
  OpenSslBytesPtr data_owner(data);
  ERR_clear_error();
  if (ok != 1 || name == nullptr || std::strcmp(name, PEM_STRING_X509) != 0 || len <= 0) {
    return absl::InvalidArgumentError("not a PEM certificate");
  }
  return std::string(reinterpret_cast<const char*>(data), static_cast<size_t>(len));
}

// Parses DER that must hold exactly one certificate.
X509Ptr ParseCertificateDer(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  ERR_clear_error();
  if (cert != nullptr && p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return nullptr;  // trailing bytes
  }
  return cert;
}

absl::StatusOr<std::string> BioContents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  if (len < 0 || (len > 0 && data == nullptr)) return OpenSslError("BIO_get_mem_data");
  return std::string(data, static_cast<size_t>(len));
}

absl::StatusOr<std::string> CertificateToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return OpenSslError("PEM_write_bio_X509");
  }
  return BioContents(bio.get());
}

absl::StatusOr<std::string> PrivateKeyToPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("PEM_write_bio_PrivateKey");
  }
  return BioContents(bio.get());
}

std::optional<absl::Time> Asn1TimeToTime(const ASN1_TIME* t) {
  struct tm tm;
  std::memset(&tm, 0, sizeof(tm));
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return absl::FromCivil(absl::CivilSecond(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                                           tm.tm_min, tm.tm_sec),
                         absl::UTCTimeZone());
}

// Sets `field` to `t`; false when X.509 cannot represent it (before 1950, after 9999).
bool SetAsn1Time(ASN1_TIME* field, absl::Time t) {
  if (t < absl::FromCivil(absl::CivilSecond(1950, 1, 1, 0, 0, 0), absl::UTCTimeZone()) ||
      t >= absl::FromCivil(absl::CivilSecond(10000, 1, 1, 0, 0, 0), absl::UTCTimeZone())) {
    return false;
  }
  const bool ok = ASN1_TIME_set(field, static_cast<time_t>(absl::ToUnixSeconds(t))) != nullptr;
  ERR_clear_error();
  return ok;
}

std::string Asn1StringBytes(const ASN1_STRING* s) {
  if (s == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

// The first CN of `name` as UTF-8; empty when there is none.
std::string CommonName(const X509_NAME* name) {
  if (name == nullptr) return "";
  const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return "";
  const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, value);
  OpenSslBytesPtr owner(utf8);
  ERR_clear_error();
  if (len < 0) return "";
  return std::string(reinterpret_cast<const char*>(utf8), static_cast<size_t>(len));
}

absl::StatusOr<std::string> SerialHex(X509* cert) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (bn == nullptr) return absl::InvalidArgumentError("unreadable serial number");
  if (BN_is_negative(bn.get())) return absl::InvalidArgumentError("negative serial number");
  OpenSslStringPtr hex(BN_bn2hex(bn.get()));
  if (hex == nullptr) return OpenSslError("BN_bn2hex");
  return absl::AsciiStrToLower(hex.get());
}

// ---------------------------------------------------------------------------------------
// Validation of requests.

bool IsIdentifierChar(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}


// The subject's common name: the text policy, 1-64 characters.
absl::Status ValidateCommonName(absl::string_view field, absl::string_view name) {
  return ValidateText(field, name, TextRule::RequiredChars(64));
}


bool IsValidDnsName(absl::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.' ||
      name.front() == '-') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

absl::Status ValidateRequest(const CertificateRequest& r) {
  REG_RETURN_IF_ERROR(ValidateCommonName("common_name", r.common_name));
  if (r.not_after <= r.not_before) return InvalidField("not_after", "must be after not_before");
  if (!r.role.has_value()) {
    if (r.dns_names.empty() && r.ip_addresses.empty()) {
      return InvalidField("dns_names", "a server certificate needs a DNS name or an IP address");
    }
    if (!r.department.empty()) return InvalidField("department", "not for a server certificate");
    if (!r.region_prefix.empty()) {
      return InvalidField("region_prefix", "not for a server certificate");
    }
    if (!r.inspector_id.empty()) {
      return InvalidField("inspector_id", "not for a server certificate");
    }
    if (!r.credit_code.empty()) {
      return InvalidField("credit_code", "not for a server certificate");
    }
    for (const std::string& name : r.dns_names) {
      if (!IsValidDnsName(name)) {
        return InvalidField("dns_names", absl::StrCat("not a host name: \"", name, "\""));
      }
    }
    return absl::OkStatus();
  }
  const Role role = *r.role;
  const std::string role_name(RoleName(role));
  if (!r.dns_names.empty()) return InvalidField("dns_names", "only for server certificates");
  if (!r.ip_addresses.empty()) {
    return InvalidField("ip_addresses", "only for server certificates");
  }
  const bool needs_department = role == Role::kAgency || role == Role::kInspector;
  if (needs_department) {
    if (r.department.empty()) {
      return InvalidField("department", absl::StrCat("required for role ", role_name));
    }
    if (!IsValidIdentifier(r.department)) {
      return InvalidField("department", "1-64 of [A-Za-z0-9._-]");
    }
  } else if (!r.department.empty()) {
    return InvalidField("department", absl::StrCat("not for role ", role_name));
  }
  if (role == Role::kAgency) {
    REG_RETURN_IF_ERROR(ValidateRegionField("region_prefix", r.region_prefix));
  } else if (!r.region_prefix.empty()) {
    return InvalidField("region_prefix", absl::StrCat("not for role ", role_name));
  }
  if (role == Role::kInspector) {
    if (r.inspector_id.empty()) return InvalidField("inspector_id", "required for role inspector");
    if (!IsValidIdentifier(r.inspector_id)) {
      return InvalidField("inspector_id", "1-64 of [A-Za-z0-9._-]");
    }
  } else if (!r.inspector_id.empty()) {
    return InvalidField("inspector_id", absl::StrCat("not for role ", role_name));
  }
  if (role == Role::kEnterprise) {
    if (r.credit_code.empty()) return InvalidField("credit_code", "required for role enterprise");
    if (absl::Status valid = ValidateCreditCode(r.credit_code); !valid.ok()) {
      return InvalidField("credit_code", valid.message());
    }
  } else if (!r.credit_code.empty()) {
    return InvalidField("credit_code", absl::StrCat("not for role ", role_name));
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------------------
// Building certificates.

absl::StatusOr<EvpPkeyPtr> NewP256Key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (key == nullptr) return OpenSslError("EVP_EC_gen(P-256)");
  return key;
}

// 128 random bits with the top bit set: positive, 16 bytes, 32 hex digits.
absl::StatusOr<Asn1IntegerPtr> RandomSerial() {
  BignumPtr bn(BN_new());
  if (bn == nullptr || BN_rand(bn.get(), 128, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) != 1) {
    return OpenSslError("BN_rand");
  }
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (serial == nullptr) return OpenSslError("BN_to_ASN1_INTEGER");
  return serial;
}

// Adds an extension given in OpenSSL's configuration syntax. Only fixed strings are
// passed here: anything from a request goes through AddSubjectAltNames.
absl::Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (ext == nullptr) return OpenSslError(absl::StrCat("extension ", OBJ_nid2sn(nid)));
  if (X509_add_ext(cert, ext.get(), -1) != 1) return OpenSslError("X509_add_ext");
  return absl::OkStatus();
}

// Appends a GENERAL_NAME of `type` holding an IA5String.
absl::Status PushIa5Name(GENERAL_NAMES* names, int type, absl::string_view value) {
  GeneralNamePtr name(GENERAL_NAME_new());
  ASN1_IA5STRING* ia5 = ASN1_IA5STRING_new();
  if (name == nullptr || ia5 == nullptr) {
    ASN1_IA5STRING_free(ia5);
    return OpenSslError("GENERAL_NAME_new");
  }
  if (ASN1_STRING_set(ia5, value.data(), static_cast<int>(value.size())) != 1) {
    ASN1_IA5STRING_free(ia5);
    return OpenSslError("ASN1_STRING_set");
  }
  GENERAL_NAME_set0_value(name.get(), type, ia5);  // `name` owns ia5 now
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) return OpenSslError("sk_GENERAL_NAME_push");
  name.release();  // `names` owns it now
  return absl::OkStatus();
}

absl::Status PushIpName(GENERAL_NAMES* names, absl::string_view text) {
  const std::string copy(text);
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(copy.c_str());
  ERR_clear_error();
  if (ip == nullptr) {
    return InvalidField("ip_addresses", absl::StrCat("not an IP address: \"", text, "\""));
  }
  GeneralNamePtr name(GENERAL_NAME_new());
  if (name == nullptr) {
    ASN1_OCTET_STRING_free(ip);
    return OpenSslError("GENERAL_NAME_new");
  }
  GENERAL_NAME_set0_value(name.get(), GEN_IPADD, ip);
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) return OpenSslError("sk_GENERAL_NAME_push");
  name.release();
  return absl::OkStatus();
}

// Built programmatically (not through the configuration syntax), so that no request
// value can smuggle in extra names.
absl::Status AddSubjectAltNames(X509* cert, const CertificateRequest& r) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (names == nullptr) return OpenSslError("sk_GENERAL_NAME_new_null");
  if (r.role.has_value()) {
    const std::string prefix(kIdentityUriPrefix);
    REG_RETURN_IF_ERROR(
        PushIa5Name(names.get(), GEN_URI, absl::StrCat(prefix, "role:", RoleName(*r.role))));
    if (!r.department.empty()) {
      REG_RETURN_IF_ERROR(
          PushIa5Name(names.get(), GEN_URI, absl::StrCat(prefix, "department:", r.department)));
    }
    if (!r.region_prefix.empty()) {
      REG_RETURN_IF_ERROR(
          PushIa5Name(names.get(), GEN_URI, absl::StrCat(prefix, "region:", r.region_prefix)));
    }
    if (!r.inspector_id.empty()) {
      REG_RETURN_IF_ERROR(
          PushIa5Name(names.get(), GEN_URI, absl::StrCat(prefix, "inspector:", r.inspector_id)));
    }
    if (!r.credit_code.empty()) {
      REG_RETURN_IF_ERROR(
          PushIa5Name(names.get(), GEN_URI, absl::StrCat(prefix, "credit-code:", r.credit_code)));
    }
  }
  for (const std::string& dns : r.dns_names) {
    REG_RETURN_IF_ERROR(PushIa5Name(names.get(), GEN_DNS, dns));
  }
  for (const std::string& ip : r.ip_addresses) {
    REG_RETURN_IF_ERROR(PushIpName(names.get(), ip));
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslError("subjectAltName");
  }
  return absl::OkStatus();
}

// A v3 certificate for `key` with a random serial, subject CN=`common_name` and the
// validity period set; issuer and extensions are the caller's.
absl::StatusOr<X509Ptr> NewCertificate(EVP_PKEY* key, absl::string_view common_name,
                                       absl::Time not_before, absl::Time not_after) {
  X509Ptr cert(X509_new());
  if (cert == nullptr) return OpenSslError("X509_new");
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1) return OpenSslError("X509_set_version");
  REG_ASSIGN_OR_RETURN(Asn1IntegerPtr serial, RandomSerial());
  if (X509_set_serialNumber(cert.get(), serial.get()) != 1) {
    return OpenSslError("X509_set_serialNumber");
  }
  if (!SetAsn1Time(X509_getm_notBefore(cert.get()), not_before)) {
    return InvalidField("not_before", "not representable in a certificate (1950-9999)");
  }
  if (!SetAsn1Time(X509_getm_notAfter(cert.get()), not_after)) {
    return InvalidField("not_after", "not representable in a certificate (1950-9999)");
  }
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.data()),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    ERR_clear_error();
    return InvalidField("common_name", "not valid UTF-8 or too long");
  }
  if (X509_set_pubkey(cert.get(), key) != 1) return OpenSslError("X509_set_pubkey");
  return cert;
}

absl::StatusOr<KeyAndCertificate> SignAndEncode(X509* cert, EVP_PKEY* signer,
                                                EVP_PKEY* subject_key) {
  if (X509_sign(cert, signer, EVP_sha256()) <= 0) return OpenSslError("X509_sign");
  KeyAndCertificate out;
  REG_ASSIGN_OR_RETURN(out.key_pem, PrivateKeyToPem(subject_key));
  REG_ASSIGN_OR_RETURN(out.cert_pem, CertificateToPem(cert));
  return out;
}

bool IsCa(X509* cert) {
  const uint32_t flags = X509_get_extension_flags(cert);
  return (flags & EXFLAG_BCONS) != 0 && (flags & EXFLAG_CA) != 0;
}

// ---------------------------------------------------------------------------------------
// Reading identities.

std::string IpToText(const ASN1_OCTET_STRING* ip) {
  const int len = ASN1_STRING_length(ip);
  const unsigned char* bytes = ASN1_STRING_get0_data(ip);
  char text[INET6_ADDRSTRLEN] = {0};
  if (len == 4 && inet_ntop(AF_INET, bytes, text, sizeof(text)) != nullptr) return text;
  if (len == 16 && inet_ntop(AF_INET6, bytes, text, sizeof(text)) != nullptr) return text;
  return absl::StrCat("<", len, "-byte address>");
}

absl::StatusOr<CertificateInfo> Describe(X509* cert) {
  CertificateInfo info;
  info.common_name = CommonName(X509_get_subject_name(cert));
  info.issuer_common_name = CommonName(X509_get_issuer_name(cert));
  REG_ASSIGN_OR_RETURN(info.serial_hex, SerialHex(cert));
  std::optional<absl::Time> not_before = Asn1TimeToTime(X509_get0_notBefore(cert));
  std::optional<absl::Time> not_after = Asn1TimeToTime(X509_get0_notAfter(cert));
  if (!not_before || !not_after) return absl::InvalidArgumentError("unreadable validity period");
  info.not_before = *not_before;
  info.not_after = *not_after;
  // Computes the cached extension flags; EXFLAG_INVALID marks undecodable extensions.
  const uint32_t flags = X509_get_extension_flags(cert);
  if ((flags & EXFLAG_INVALID) != 0) return absl::InvalidArgumentError("malformed extensions");
  info.is_ca = IsCa(cert);
  if ((flags & EXFLAG_XKUSAGE) != 0) {
    const uint32_t xku = X509_get_extended_key_usage(cert);
    info.server_auth = (xku & XKU_SSL_SERVER) != 0;
    info.client_auth = (xku & XKU_SSL_CLIENT) != 0;
  }
  int critical = -1;
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, &critical, nullptr)));
  ERR_clear_error();
  if (names == nullptr && critical != -1) {
    return absl::InvalidArgumentError("malformed or repeated subjectAltName");
  }
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    switch (name->type) {
      case GEN_URI:
        info.uris.push_back(Asn1StringBytes(name->d.uniformResourceIdentifier));
        break;
      case GEN_DNS:
        info.dns_names.push_back(Asn1StringBytes(name->d.dNSName));
        break;
      case GEN_IPADD:
        info.ip_addresses.push_back(IpToText(name->d.iPAddress));
        break;
      default:
        break;
    }
  }
  return info;
}

}  // namespace

bool IsValidIdentifier(absl::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), IsIdentifierChar);
}

absl::Status ValidateRegionField(absl::string_view field, absl::string_view prefix) {
  if (prefix.empty()) return InvalidField(field, "required for role agency");
  if (prefix.size() < 2 || prefix.size() > 6) {
    return InvalidField(field, "a region-code prefix of 2-6 digits");
  }
  return ForField(field, ValidateRegionPrefix(prefix));
}

std::optional<std::string> NormalizeSerialHex(absl::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  const size_t first = text.find_first_not_of('0');
  if (first == absl::string_view::npos) return std::string("0");
  return absl::AsciiStrToLower(text.substr(first));
}

absl::StatusOr<KeyAndCertificate> CreateCertificateAuthority(absl::string_view common_name,
                                                             absl::Time not_before,
                                                             absl::Time not_after) {
  REG_RETURN_IF_ERROR(ValidateCommonName("common_name", common_name));
  if (not_after <= not_before) return InvalidField("not_after", "must be after not_before");
  REG_ASSIGN_OR_RETURN(EvpPkeyPtr key, NewP256Key());
  REG_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(key.get(), common_name, not_before, not_after));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1) {
    return OpenSslError("X509_set_issuer_name");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE"));
  REG_RETURN_IF_ERROR(
      AddExtension(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign"));
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  return SignAndEncode(cert.get(), key.get(), key.get());
}

absl::StatusOr<KeyAndCertificate> IssueCertificate(const KeyAndCertificate& ca,
                                                   const CertificateRequest& request) {
  REG_RETURN_IF_ERROR(ValidateRequest(request));
  absl::StatusOr<X509Ptr> ca_cert = ParseCertificatePem(ca.cert_pem);
  if (!ca_cert.ok()) return ForField("ca", ca_cert.status());
  absl::StatusOr<EvpPkeyPtr> ca_key = ParsePrivateKeyPem(ca.key_pem);
  if (!ca_key.ok()) return ForField("ca", ca_key.status());
  if (!IsCa(ca_cert->get())) return InvalidField("ca", "the certificate is not a CA");
  if (X509_check_private_key(ca_cert->get(), ca_key->get()) != 1) {
    ERR_clear_error();
    return InvalidField("ca", "the key does not match the certificate");
  }
  std::optional<absl::Time> ca_not_after = Asn1TimeToTime(X509_get0_notAfter(ca_cert->get()));
  if (!ca_not_after) return InvalidField("ca", "unreadable validity period");
  if (request.not_after > *ca_not_after) {
    return InvalidField("not_after", absl::StrCat("later than the CA certificate's expiry, ",
                                                  absl::FormatTime(*ca_not_after)));
  }

  REG_ASSIGN_OR_RETURN(EvpPkeyPtr key, NewP256Key());
  REG_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(key.get(), request.common_name,
                                                    request.not_before, request.not_after));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert->get())) != 1) {
    return OpenSslError("X509_set_issuer_name");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca_cert->get(), cert.get(), nullptr, nullptr, 0);
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE"));
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature"));
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_ext_key_usage,
                                   request.role.has_value() ? "clientAuth" : "serverAuth"));
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  REG_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  REG_RETURN_IF_ERROR(AddSubjectAltNames(cert.get(), request));
  return SignAndEncode(cert.get(), ca_key->get(), key.get());
}

absl::StatusOr<std::string> CertificateSerialHex(absl::string_view cert_pem) {
  REG_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(cert_pem));
  return SerialHex(cert.get());
}

absl::StatusOr<CertificateInfo> DescribeCertificate(absl::string_view cert_pem) {
  REG_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(cert_pem));
  return Describe(cert.get());
}

// ---------------------------------------------------------------------------------------
// CertificateVerifier.

struct CertificateVerifier::Store {
  X509StorePtr store;
};

CertificateVerifier::CertificateVerifier(std::unique_ptr<Store> store) : store_(std::move(store)) {}

CertificateVerifier::~CertificateVerifier() = default;

absl::StatusOr<std::unique_ptr<CertificateVerifier>> CertificateVerifier::Create(
    absl::string_view ca_pem) {
  absl::StatusOr<X509Ptr> ca = ParseCertificatePem(ca_pem);
  if (!ca.ok()) return ForField("ca", ca.status());
  if (!IsCa(ca->get())) return InvalidField("ca", "the certificate is not a CA");
  auto store = std::make_unique<Store>();
  store->store.reset(X509_STORE_new());
  if (store->store == nullptr) return OpenSslError("X509_STORE_new");
  if (X509_STORE_add_cert(store->store.get(), ca->get()) != 1) {  // takes its own reference
    return OpenSslError("X509_STORE_add_cert");
  }
  return std::unique_ptr<CertificateVerifier>(new CertificateVerifier(std::move(store)));
}

absl::Status CertificateVerifier::Verify(absl::string_view cert_pem, absl::Time now) const {
  absl::StatusOr<std::string> der = CertificateDer(cert_pem);
  if (!der.ok()) return Unauthenticated("certificate cannot be parsed");
  const std::string key = Sha256(*der);
  // OpenSSL compares whole seconds: valid while notBefore <= now < notAfter.
  const int64_t now_seconds = absl::ToUnixSeconds(now);
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && absl::ToUnixSeconds(it->second.not_before) <= now_seconds &&
        now_seconds < absl::ToUnixSeconds(it->second.not_after)) {
      return absl::OkStatus();
    }
  }

  X509Ptr cert = ParseCertificateDer(*der);
  if (cert == nullptr) return Unauthenticated("certificate cannot be parsed");
  const uint32_t flags = X509_get_extension_flags(cert.get());
  if ((flags & EXFLAG_XKUSAGE) == 0 ||
      (X509_get_extended_key_usage(cert.get()) & XKU_SSL_CLIENT) == 0) {
    return Unauthenticated("certificate not issued for client authentication");
  }

  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (ctx == nullptr ||
      X509_STORE_CTX_init(ctx.get(), store_->store.get(), cert.get(), nullptr) != 1) {
    return OpenSslError("X509_STORE_CTX_init");
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()),
                             static_cast<time_t>(now_seconds));
  if (X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT) != 1) {
    return OpenSslError("X509_STORE_CTX_set_purpose");
  }
  const int verified = X509_verify_cert(ctx.get());
  ERR_clear_error();
  if (verified != 1) {
    const int error = X509_STORE_CTX_get_error(ctx.get());
    const bool leaf = X509_STORE_CTX_get_error_depth(ctx.get()) == 0;
    switch (error) {
      case X509_V_ERR_CERT_HAS_EXPIRED:
        return Unauthenticated(leaf ? "certificate expired" : "CA certificate expired");
      case X509_V_ERR_CERT_NOT_YET_VALID:
        return Unauthenticated(leaf ? "certificate not yet valid" : "CA certificate not yet valid");
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
      case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
      case X509_V_ERR_CERT_SIGNATURE_FAILURE:
      case X509_V_ERR_CERT_UNTRUSTED:
      case X509_V_ERR_CERT_REJECTED:
        return Unauthenticated("certificate not issued by this system's CA");
      case X509_V_ERR_INVALID_PURPOSE:
        return Unauthenticated("certificate not issued for client authentication");
      default:
        return Unauthenticated(
            absl::StrCat("certificate rejected: ", X509_verify_cert_error_string(error)));
    }
  }

  // The chain's validity period: what a later cache hit re-checks.
  Validity validity{absl::InfinitePast(), absl::InfiniteFuture()};
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) {
    X509* link = sk_X509_value(chain, i);
    std::optional<absl::Time> not_before = Asn1TimeToTime(X509_get0_notBefore(link));
    std::optional<absl::Time> not_after = Asn1TimeToTime(X509_get0_notAfter(link));
    if (!not_before || !not_after) return absl::OkStatus();  // verified, but not cacheable
    validity.not_before = std::max(validity.not_before, *not_before);
    validity.not_after = std::min(validity.not_after, *not_after);
  }
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= kMaxCacheEntries) cache_.clear();
  cache_.insert_or_assign(key, validity);
  return absl::OkStatus();
}

size_t CertificateVerifier::CacheSizeForTesting() const {
  absl::MutexLock lock(&mu_);
  return cache_.size();
}

}  // namespace regulation::pki
