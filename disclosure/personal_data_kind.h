#ifndef DISCLOSURE_PERSONAL_DATA_KIND_H_
#define DISCLOSURE_PERSONAL_DATA_KIND_H_

// The kinds of personal data the redactor removes, and the size limits behind its output
// bound. Documented with RedactPersonalData in redaction.h; its own header so that the
// detectors (internal to the redactor) can name a kind without the public API.

#include <cstddef>

namespace regulation::disclosure {

enum class PersonalDataKind {
  kIdCardNumber = 0,
  kMobilePhone,
  kLandlinePhone,
  kBankCardNumber,
  kEmailAddress,
  kHomeAddress,
  kHealthInformation,
  kMessagingAccount,
  kPersonName,
  kBankAccountNumber,
  kTravelDocumentNumber,
  kLicensePlate,
};
inline constexpr int kNumPersonalDataKinds = 12;

// The longest mask, in bytes, and the shortest match: see the invariants in redaction.h.
inline constexpr size_t kMaxMaskBytes = 27;
inline constexpr size_t kMinMatchBytes = 3;

// The largest size RedactPersonalData can return for an input of `input_size` bytes.
constexpr size_t MaxRedactedSize(size_t input_size) {
  return input_size + (input_size / kMinMatchBytes) * (kMaxMaskBytes - kMinMatchBytes);
}

}  // namespace regulation::disclosure

#endif  // DISCLOSURE_PERSONAL_DATA_KIND_H_
