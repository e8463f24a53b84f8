#include "disclosure/public_leaf.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <iterator>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "disclosure/signing_key.h"
#include "google/protobuf/util/json_util.h"

namespace regulation::disclosure {
namespace {

constexpr absl::string_view kDigestField = "body_sha256";

bool HasControl(absl::string_view s) {
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) return true;
  }
  return false;
}

absl::Status CheckValue(absl::string_view name, absl::string_view value) {
  if (value.empty()) return absl::InvalidArgumentError(absl::StrCat("leaf ", name, ": is empty"));
  if (!IsValidUtf8(value) || HasControl(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf ", name, ": must be UTF-8 without control characters"));
  }
  return absl::OkStatus();
}

bool IsLowerHex(absl::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The named fields of a leaf, in order, and where each is in a PublicLeaf.
struct Field {
  absl::string_view name;
  std::string PublicLeaf::*member;
};
constexpr Field kFields[] = {{"kind", &PublicLeaf::kind},
                             {"key", &PublicLeaf::key},
                             {"subject", &PublicLeaf::subject},
                             {"publish_time", &PublicLeaf::publish_time}};

absl::Status Differs(absl::string_view field, absl::string_view in_body, absl::string_view in_leaf) {
  return absl::DataLossError(absl::StrCat("the body's ", field, " \"", in_body,
                                          "\" is not the leaf's \"", in_leaf, "\""));
}

}  // namespace

absl::StatusOr<std::string> EncodePublicLeaf(const PublicLeaf& leaf) {
  std::string out = absl::StrCat(kLeafFormat, "\n");
  for (const Field& f : kFields) {
    REG_RETURN_IF_ERROR(CheckValue(f.name, leaf.*f.member));
    absl::StrAppend(&out, f.name, " ", leaf.*f.member, "\n");
  }
  if (leaf.body_digest.size() != 32) {
    return absl::InvalidArgumentError("leaf body_sha256: must be 32 bytes");
  }
  absl::StrAppend(&out, kDigestField, " ", absl::BytesToHexString(leaf.body_digest), "\n");
  return out;
}

absl::StatusOr<PublicLeaf> ParsePublicLeaf(absl::string_view bytes) {
  if (!absl::StartsWith(bytes, absl::StrCat(kLeafFormat, "\n"))) {
    if (absl::StartsWith(bytes, "{")) {
      return absl::InvalidArgumentError(
          "the leaf is a PublicEntry's JSON: a log from before leaves committed to salted "
          "bodies (format 1); re-create it (docs/transparency-log.md, \"Leaves\")");
    }
    return absl::InvalidArgumentError(
        absl::StrCat("the leaf does not start with \"", kLeafFormat, "\""));
  }
  if (!absl::EndsWith(bytes, "\n")) return absl::InvalidArgumentError("the leaf does not end a line");
  std::vector<absl::string_view> lines = absl::StrSplit(bytes.substr(0, bytes.size() - 1), '\n');
  constexpr size_t kLines = 2 + std::size(kFields);
  if (lines.size() != kLines) {
    return absl::InvalidArgumentError(
        absl::StrCat("the leaf has ", lines.size(), " lines, not ", kLines));
  }
  PublicLeaf leaf;
  for (size_t f = 0; f < std::size(kFields); ++f) {
    const absl::string_view name = kFields[f].name;
    absl::string_view line = lines[f + 1];  // line 1 is the format, checked above
    if (!absl::ConsumePrefix(&line, absl::StrCat(name, " "))) {
      return absl::InvalidArgumentError(absl::StrCat("leaf line ", f + 2, " is not \"", name, " ...\""));
    }
    REG_RETURN_IF_ERROR(CheckValue(name, line));
    leaf.*kFields[f].member = std::string(line);
  }
  absl::string_view digest = lines[kLines - 1];
  if (!absl::ConsumePrefix(&digest, absl::StrCat(kDigestField, " ")) || digest.size() != 64 ||
      !IsLowerHex(digest)) {
    return absl::InvalidArgumentError(
        absl::StrCat("the leaf's last line is not \"", kDigestField, " <64 lowercase hex>\""));
  }
  leaf.body_digest = absl::HexStringToBytes(digest);
  return leaf;
}

std::string BodyDigest(absl::string_view salt, absl::string_view body) {
  Sha256Hasher hasher;
  hasher.Update(kBodyDigestDomain);
  hasher.Update(absl::string_view("\0", 1));
  hasher.Update(salt);
  hasher.Update(body);
  return hasher.FinishString();
}

std::string NewSalt() {
  std::string salt(kSaltSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) != 1) {
    std::abort();
  }
  return salt;
}

std::string PublicEntryJson(const v1::PublicEntry& entry) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  // Only fails for invalid UTF-8, which every field was validated against on entry.
  (void)google::protobuf::util::MessageToJsonString(entry, &json, options);
  return json;
}

absl::StatusOr<v1::PublicEntry> ParsePublicEntryJson(absl::string_view body) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  v1::PublicEntry entry;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(body.data(), body.size()), &entry, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the body is not a public entry: ", std::string(status.message())));
  }
  return entry;
}

absl::StatusOr<SealedBody> SealBody(std::string body, std::string salt) {
  if (body.size() > kMaxBodySize) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "the public record's body is ", body.size(), " bytes; at most ", kMaxBodySize));
  }
  if (salt.size() != kSaltSize) {
    return absl::InvalidArgumentError(absl::StrCat("a body's salt is ", kSaltSize, " bytes"));
  }
  REG_ASSIGN_OR_RETURN(v1::PublicEntry entry, ParsePublicEntryJson(body));
  PublicLeaf fields{entry.kind(), entry.key(), entry.subject(), entry.publish_time(),
                    BodyDigest(salt, body)};
  REG_ASSIGN_OR_RETURN(std::string leaf, EncodePublicLeaf(fields));
  return SealedBody{std::move(leaf), std::move(body), std::move(salt), std::move(entry)};
}

absl::StatusOr<v1::PublicEntry> CheckBody(const PublicLeaf& leaf, absl::string_view body,
                                          absl::string_view salt) {
  if (salt.size() != kSaltSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("the salt is ", salt.size(), " bytes, not ", kSaltSize));
  }
  if (BodyDigest(salt, body) != leaf.body_digest) {
    return absl::DataLossError(
        "the body (with its salt) does not hash to the digest its leaf names");
  }
  absl::StatusOr<v1::PublicEntry> entry = ParsePublicEntryJson(body);
  if (!entry.ok()) return absl::DataLossError(entry.status().message());
  if (entry->kind() != leaf.kind) return Differs("kind", entry->kind(), leaf.kind);
  if (entry->key() != leaf.key) return Differs("key", entry->key(), leaf.key);
  if (entry->subject() != leaf.subject) return Differs("subject", entry->subject(), leaf.subject);
  if (entry->publish_time() != leaf.publish_time) {
    return Differs("publish_time", entry->publish_time(), leaf.publish_time);
  }
  return entry;
}

}  // namespace regulation::disclosure
