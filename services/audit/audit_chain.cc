#include "services/audit/audit_chain.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace regulation::audit {
namespace {

std::string DeterministicBytes(const v1::AuditRecord& record) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream output(&bytes);
    google::protobuf::io::CodedOutputStream coded(&output);
    coded.SetSerializationDeterministic(true);
    record.SerializeToCodedStream(&coded);
  }
  return bytes;
}

bool IsHex(absl::string_view text) {
  for (char c : text) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string Missing(uint64_t first, uint64_t last) {
  if (first == last) return absl::StrCat("record ", first, " is missing");
  return absl::StrCat("records ", first, " to ", last, " are missing");
}

}  // namespace

std::string GenesisHash() { return std::string(kAuditHashSize, '\0'); }

std::string ComputeRecordHash(const v1::AuditRecord& record) {
  std::string content;
  if (record.record_hash().empty()) {
    content = DeterministicBytes(record);
  } else {
    v1::AuditRecord cleared = record;
    cleared.clear_record_hash();
    content = DeterministicBytes(cleared);
  }
  Sha256Hasher hasher;
  hasher.Update(record.previous_hash());
  hasher.Update(content);
  return hasher.FinishString();
}

std::string FormatChainHead(uint64_t sequence, absl::string_view hash) {
  return absl::StrCat(sequence, ":", absl::BytesToHexString(hash));
}

AuditChainVerifier::AuditChainVerifier() : hashes_(GenesisHash()) {}

std::string AuditChainVerifier::head_hash() const { return std::string(HashAt(head_sequence_)); }

absl::string_view AuditChainVerifier::HashAt(uint64_t sequence) const {
  return absl::string_view(hashes_).substr(sequence * kAuditHashSize, kAuditHashSize);
}

absl::Status AuditChainVerifier::Add(const v1::AuditRecord& record) {
  if (!failure_.ok()) return failure_;
  const uint64_t sequence = record.sequence();
  if (sequence <= head_sequence_) {
    failure_ =
        absl::DataLossError(absl::StrCat("record ", sequence, " follows ", head_sequence_,
                                         ": sequence does not increase (duplicated or reordered)"));
  } else if (sequence != head_sequence_ + 1) {
    failure_ = absl::DataLossError(absl::StrCat("record ", sequence, " follows ", head_sequence_,
                                                ": ", Missing(head_sequence_ + 1, sequence - 1)));
  } else if (record.record_hash() != ComputeRecordHash(record)) {
    failure_ = absl::DataLossError(
        absl::StrCat("record ", sequence, ": hash does not match its content (altered)"));
  } else if (record.previous_hash() != HashAt(head_sequence_)) {
    failure_ = absl::DataLossError(
        head_sequence_ == 0
            ? absl::StrCat("record ", sequence,
                           ": previous_hash is not the start of the chain (32 zero bytes)")
            : absl::StrCat("record ", sequence, ": previous_hash does not match record ",
                           head_sequence_));
  }
  if (!failure_.ok()) return failure_;
  hashes_.append(record.record_hash());
  head_sequence_ = sequence;
  return absl::OkStatus();
}

absl::Status AuditChainVerifier::CheckHead(uint64_t expected_sequence,
                                           absl::string_view expected_hash_hex) const {
  if (expected_hash_hex.size() != 2 * kAuditHashSize || !IsHex(expected_hash_hex)) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected head hash must be 64 hex digits, got \"", expected_hash_hex, "\""));
  }
  const std::string expected_hash = absl::HexStringToBytes(expected_hash_hex);
  if (expected_sequence > head_sequence_) {
    return absl::DataLossError(absl::StrCat("the chain ends at record ", head_sequence_,
                                            " but the expected head is record ", expected_sequence,
                                            ": records were removed from the end"));
  }
  const absl::string_view actual = HashAt(expected_sequence);
  if (actual != expected_hash) {
    return absl::DataLossError(
        absl::StrCat("record ", expected_sequence, " has hash ", absl::BytesToHexString(actual),
                     " but the expected head says ", absl::AsciiStrToLower(expected_hash_hex),
                     ": the chain was rewritten"));
  }
  return absl::OkStatus();
}

}  // namespace regulation::audit
