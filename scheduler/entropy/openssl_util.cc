#include "scheduler/entropy/openssl_util.h"

#include <openssl/err.h>

#include "absl/strings/str_cat.h"

namespace regulation::scheduler::entropy {

absl::Status OpenSslError(absl::string_view what) {
  std::string detail;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    absl::StrAppend(&detail, detail.empty() ? "" : "; ", buffer);
  }
  return absl::InternalError(absl::StrCat(what, " failed", detail.empty() ? "" : ": ", detail));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<size_t>(size)) : std::string();
}

std::string BignumToFixedBytes(const BIGNUM* bn, int size) {
  std::string out(static_cast<size_t>(size), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), size);
  return out;
}

}  // namespace regulation::scheduler::entropy
