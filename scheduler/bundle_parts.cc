#include "scheduler/bundle_parts.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/files.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "scheduler/field_checks.h"
#include "scheduler/json.h"
#include "scheduler/json_fields.h"

namespace regulation::scheduler {
namespace {

constexpr absl::string_view kWhere = "manifest";

bool IsAllowedFileName(absl::string_view name) {
  if (name.empty() || name.size() > 255 || name[0] == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// The sizes add up as ManifestOf would cut them.
absl::Status CheckSizes(const BundleManifest& m) {
  if (m.part_bytes < kMinBundlePartBytes || m.part_bytes > kMaxBundlePartBytes) {
    return Bad(kWhere, absl::StrFormat("part_bytes must be %d-%d, got %d", kMinBundlePartBytes,
                                       kMaxBundlePartBytes, m.part_bytes));
  }
  if (m.bundle_bytes < 1) return Bad(kWhere, "bundle_bytes must be at least 1");
  const int64_t expected = PartCount(m.bundle_bytes, m.part_bytes);
  if (static_cast<int64_t>(m.parts.size()) != expected) {
    return Bad(kWhere, absl::StrFormat("%d bytes in parts of %d make %d parts; the manifest lists %d",
                                       m.bundle_bytes, m.part_bytes, expected, m.parts.size()));
  }
  for (size_t i = 0; i < m.parts.size(); ++i) {
    const int64_t want = i + 1 < m.parts.size()
                             ? m.part_bytes
                             : m.bundle_bytes - m.part_bytes * static_cast<int64_t>(i);
    if (m.parts[i].bytes != want) {
      return Bad(kWhere, absl::StrFormat("part %d (%s) must have %d bytes, the manifest says %d",
                                         i + 1, m.parts[i].file, want, m.parts[i].bytes));
    }
  }
  return absl::OkStatus();
}

}  // namespace

int64_t PartCount(int64_t bundle_bytes, int64_t part_bytes) {
  if (bundle_bytes <= 0) return 1;
  return (bundle_bytes + part_bytes - 1) / part_bytes;
}

absl::string_view PartOf(absl::string_view bundle, int64_t part_bytes, int64_t index) {
  return bundle.substr(static_cast<size_t>(index * part_bytes), static_cast<size_t>(part_bytes));
}

std::string PartFileName(absl::string_view stem, int64_t index) {
  return absl::StrFormat("%s.%05d.part", stem, index + 1);
}

BundleManifest ManifestOf(absl::string_view bundle, int64_t part_bytes, absl::string_view stem) {
  BundleManifest m;
  m.bundle_digest = Sha256Hex(bundle);
  m.bundle_bytes = static_cast<int64_t>(bundle.size());
  m.part_bytes = part_bytes;
  const int64_t count = PartCount(m.bundle_bytes, part_bytes);
  for (int64_t i = 0; i < count; ++i) {
    const absl::string_view part = PartOf(bundle, part_bytes, i);
    m.parts.push_back({PartFileName(stem, i), static_cast<int64_t>(part.size()), Sha256Hex(part)});
  }
  return m;
}

std::string WriteManifestJson(const BundleManifest& m) {
  std::string out = "{";
  StringMember(&out, "spec", m.spec);
  out.push_back(',');
  StringMember(&out, "bundle_digest", m.bundle_digest);
  out.push_back(',');
  IntMember(&out, "bundle_bytes", m.bundle_bytes);
  out.push_back(',');
  IntMember(&out, "part_bytes", m.part_bytes);
  out.push_back(',');
  Key(&out, "parts");
  out.push_back('[');
  for (size_t i = 0; i < m.parts.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('{');
    StringMember(&out, "file", m.parts[i].file);
    out.push_back(',');
    IntMember(&out, "bytes", m.parts[i].bytes);
    out.push_back(',');
    StringMember(&out, "sha256", m.parts[i].sha256);
    out.push_back('}');
  }
  out += "]}";
  return out;
}

bool LooksLikeManifest(absl::string_view text) {
  return absl::StartsWith(text, absl::StrCat("{\"spec\":\"", kBundlePartsSpec, "\""));
}

absl::StatusOr<BundleManifest> ParseManifestJson(absl::string_view json) {
  absl::StatusOr<JsonValue> parsed = ParseJson(json);
  if (!parsed.ok()) return Recode(kWhere, parsed.status());
  const JsonValue& v = *parsed;
  REG_RETURN_IF_ERROR(
      ExpectObject(v, kWhere, {"spec", "bundle_digest", "bundle_bytes", "part_bytes", "parts"}));
  BundleManifest m;
  REG_RETURN_IF_ERROR(GetString(v, kWhere, "spec", &m.spec));
  if (m.spec != kBundlePartsSpec) {
    return Bad(kWhere, absl::StrFormat("spec must be \"%s\", got \"%s\"", kBundlePartsSpec, m.spec));
  }
  REG_RETURN_IF_ERROR(GetString(v, kWhere, "bundle_digest", &m.bundle_digest));
  REG_RETURN_IF_ERROR(Recode(kWhere, CheckDigestHex("bundle_digest", m.bundle_digest)));
  REG_RETURN_IF_ERROR(GetInt(v, kWhere, "bundle_bytes", 1, &m.bundle_bytes));
  REG_RETURN_IF_ERROR(GetInt(v, kWhere, "part_bytes", 1, &m.part_bytes));
  const std::vector<JsonValue>* parts = nullptr;
  REG_RETURN_IF_ERROR(GetArray(v, kWhere, "parts", &parts));
  if (static_cast<int64_t>(parts->size()) > kMaxBundleParts) {
    return Bad(kWhere, absl::StrFormat("at most %d parts", kMaxBundleParts));
  }
  for (size_t i = 0; i < parts->size(); ++i) {
    const std::string where = absl::StrFormat("manifest: parts[%d]", i);
    const JsonValue& p = (*parts)[i];
    REG_RETURN_IF_ERROR(ExpectObject(p, where, {"file", "bytes", "sha256"}));
    BundlePart& part = m.parts.emplace_back();
    REG_RETURN_IF_ERROR(GetString(p, where, "file", &part.file));
    if (!IsAllowedFileName(part.file)) {
      return Bad(where, absl::StrFormat("file \"%s\" is not a plain file name (letters, digits, "
                                        "'.', '_', '-'; not starting with '.')",
                                        part.file));
    }
    REG_RETURN_IF_ERROR(GetInt(p, where, "bytes", 1, &part.bytes));
    REG_RETURN_IF_ERROR(GetString(p, where, "sha256", &part.sha256));
    REG_RETURN_IF_ERROR(Recode(where, CheckDigestHex("sha256", part.sha256)));
  }
  REG_RETURN_IF_ERROR(CheckSizes(m));
  if (WriteManifestJson(m) != json) return Bad(kWhere, "not in canonical form");
  return m;
}

absl::StatusOr<std::string> JoinBundleParts(
    const BundleManifest& manifest,
    const std::function<absl::StatusOr<std::string>(const BundlePart&)>& read_part) {
  REG_RETURN_IF_ERROR(CheckSizes(manifest));
  std::string bundle;
  bundle.reserve(static_cast<size_t>(manifest.bundle_bytes));
  for (size_t i = 0; i < manifest.parts.size(); ++i) {
    const BundlePart& expected = manifest.parts[i];
    REG_ASSIGN_OR_RETURN(const std::string part, read_part(expected));
    const std::string where = absl::StrFormat("manifest: part %d (%s)", i + 1, expected.file);
    if (static_cast<int64_t>(part.size()) != expected.bytes) {
      return Bad(where, absl::StrFormat("has %d bytes, the manifest says %d", part.size(),
                                        expected.bytes));
    }
    const std::string digest = Sha256Hex(part);
    if (digest != expected.sha256) {
      return Bad(where, absl::StrFormat("SHA-256 is %s, the manifest says %s", digest,
                                        expected.sha256));
    }
    bundle += part;
  }
  const std::string whole = Sha256Hex(bundle);
  if (whole != manifest.bundle_digest) {
    return Bad(kWhere, absl::StrFormat("the parts joined hash to %s, the manifest says %s", whole,
                                       manifest.bundle_digest));
  }
  return bundle;
}

absl::StatusOr<std::string> ReadBundleFile(const std::string& path, BundleManifest* out) {
  REG_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  if (!LooksLikeManifest(text)) return text;
  REG_ASSIGN_OR_RETURN(const BundleManifest manifest, ParseManifestJson(text));
  if (out != nullptr) *out = manifest;
  const std::string dir = DirectoryOf(path);
  return JoinBundleParts(manifest, [&](const BundlePart& part) {
    return ReadWholeFile(absl::StrCat(dir, "/", part.file));
  });
}

}  // namespace regulation::scheduler
