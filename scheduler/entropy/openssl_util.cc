#include "scheduler/entropy/openssl_util.h"

namespace regulation::scheduler::entropy {

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
