#include "common/sha256.h"

#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/escaping.h"

namespace regulation {

struct Sha256Hasher::Impl {
  EVP_MD_CTX* ctx = nullptr;
  EVP_MD* md = nullptr;
};

Sha256Hasher::Sha256Hasher() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  impl_->md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  // Allocation failure or a missing default provider leaves nothing to recover.
  if (impl_->ctx == nullptr || impl_->md == nullptr) std::abort();
  Reset();
}

Sha256Hasher::~Sha256Hasher() {
  EVP_MD_CTX_free(impl_->ctx);
  EVP_MD_free(impl_->md);
}

void Sha256Hasher::Reset() { EVP_DigestInit_ex2(impl_->ctx, impl_->md, nullptr); }

void Sha256Hasher::Update(absl::string_view data) {
  EVP_DigestUpdate(impl_->ctx, data.data(), data.size());
}

void Sha256Hasher::Finish(unsigned char out[32]) {
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &len);
  Reset();
}

std::string Sha256Hasher::FinishString() {
  unsigned char out[32];
  Finish(out);
  return std::string(reinterpret_cast<const char*>(out), sizeof(out));
}

std::string Sha256(absl::string_view data) {
  // One hasher per thread: a one-shot EVP_Digest looks the algorithm up and allocates a
  // context on every call, half of its cost on short inputs (event digests, alert ids).
  thread_local Sha256Hasher hasher;
  hasher.Update(data);
  return hasher.FinishString();
}

std::string Sha256Hex(absl::string_view data) { return absl::BytesToHexString(Sha256(data)); }

}  // namespace regulation
