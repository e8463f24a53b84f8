#ifndef STORAGE_KV_STORE_CONTRACT_H_
#define STORAGE_KV_STORE_CONTRACT_H_

// The behaviour every KvStore must have, as a value-parameterised GoogleTest suite.
// A backend's test instantiates it with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Memory, KvStoreContractTest,
//                            testing::Values(KvStoreFactory{
//                                "Memory", [] { return NewMemoryStore(); }, nullptr}),
//                            KvStoreFactoryName);
//
// The tests themselves live in kv_store_contract.cc; link this library with
// alwayslink so that they register.
//
// Thread safety: as for any GoogleTest fixture, one test at a time.

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "storage/kv_store.h"

namespace regulation::storage {

struct KvStoreFactory {
  using OpenFn = std::function<absl::StatusOr<std::unique_ptr<KvStore>>()>;

  // Names the instantiation in test names: letters, digits and '_' only.
  std::string name;
  // Makes a new, empty store, independent of every store made before. Called at the
  // start of each test.
  OpenFn open_fresh;
  // Opens again the store that the latest open_fresh call made, after the test has
  // destroyed it; what was written before must be there. Null for backends that do
  // not persist (the persistence tests are then skipped).
  OpenFn reopen;
};

// For INSTANTIATE_TEST_SUITE_P's name generator argument.
std::string KvStoreFactoryName(const testing::TestParamInfo<KvStoreFactory>& info);

// Owns the store under test. Tests use store() and, for persistence, Reopen().
class KvStoreContractTest : public testing::TestWithParam<KvStoreFactory> {
 protected:
  void SetUp() override;

  KvStore& store() { return *store_; }
  // Destroys the store and opens it again with the factory's `reopen`.
  // REQUIRES: GetParam().reopen is set.
  void Reopen();

 private:
  std::unique_ptr<KvStore> store_;
};

}  // namespace regulation::storage

#endif  // STORAGE_KV_STORE_CONTRACT_H_
