#include "services/common/request_id.h"

#include <openssl/rand.h>

#include <atomic>
#include <cstdint>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"

namespace regulation::services {
namespace {

class Registry {
 public:
  static Registry& Get() {
    static Registry* registry = new Registry();
    return *registry;
  }
  void Put(const grpc::ServerContextBase* context, std::string id) {
    absl::MutexLock lock(&mu_);
    ids_.insert_or_assign(context, std::move(id));
  }
  void Erase(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    ids_.erase(context);
  }
  std::string Find(const grpc::ServerContextBase* context) {
    absl::MutexLock lock(&mu_);
    auto it = ids_.find(context);
    return it == ids_.end() ? std::string() : it->second;
  }

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, std::string> ids_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

bool IsValidRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' &&
        c != ':' && c != '-') {
      return false;
    }
  }
  return true;
}

std::string NewRequestId() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    // OpenSSL's generator does not fail once seeded. An id only needs to be unlikely to
    // repeat, so fall back to the time and a counter rather than fail the call.
    static std::atomic<uint64_t> counter{0};
    return absl::StrCat("t", absl::ToUnixNanos(absl::Now()), "-", counter.fetch_add(1));
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

std::string RequestIdOf(const grpc::ServerContextBase* context) {
  return Registry::Get().Find(context);
}

void RegisterRequestId(const grpc::ServerContextBase* context, std::string id) {
  Registry::Get().Put(context, std::move(id));
}

void UnregisterRequestId(const grpc::ServerContextBase* context) {
  Registry::Get().Erase(context);
}

}  // namespace regulation::services
