// ThreadSanitizer annotations for Debian's Abseil synchronization library, linked into
// every binary of `--config=tsan` (docs/build.md, "Sanitizers").
//
// Why: absl::Mutex is implemented in libabsl_synchronization.so, which Debian builds
// without -fsanitize=thread. TSan sees neither its atomics nor its futex waits, so every
// field guarded by an absl::Mutex would be reported as a data race. This file defines
// the Mutex and CondVar entry points the project calls; the executable's definitions take
// precedence over the library's (dynamic symbol interposition), call the library's own
// (found with dlsym(RTLD_NEXT)), and tell TSan what each one means: acquiring the mutex
// after Lock, ReaderLock and a successful TryLock, releasing it before Unlock and
// ReaderUnlock, and both around Await and CondVar::Wait (which release and re-acquire
// it). Conditions (Await, LockWhen) are evaluated by the library, on whichever thread
// holds the mutex at the time, so each evaluation is wrapped as a critical section of
// its own. That is the happens-before order a mutex gives; races on data that no mutex
// guards are still reported.
//
// Only the configuration adds this file; nothing else links it.

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace {

// The library's definition of `mangled`, or abort: a missing symbol would silently
// break every lock.
template <typename Fn>
Fn Real(const char* mangled) {
  void* symbol = dlsym(RTLD_NEXT, mangled);
  if (symbol == nullptr) {
    std::fprintf(stderr, "absl_mutex_tsan: %s not found: %s\n", mangled, dlerror());
    std::abort();
  }
  return reinterpret_cast<Fn>(symbol);
}

using MutexFn = void (*)(absl::Mutex*);
using TryFn = bool (*)(absl::Mutex*);
using AwaitFn = void (*)(absl::Mutex*, const absl::Condition&);
using AwaitTimeoutFn = bool (*)(absl::Mutex*, const absl::Condition&, absl::Duration);
using WaitFn = void (*)(absl::CondVar*, absl::Mutex*);
using WaitTimeoutFn = bool (*)(absl::CondVar*, absl::Mutex*, absl::Duration);

void Acquired(void* mu) { __tsan_acquire(mu); }
void Releasing(void* mu) { __tsan_release(mu); }

// A condition is evaluated inside the library while some thread holds the mutex: the
// waiter, or a thread that is unlocking it. Each evaluation is a critical section.
struct AnnotatedCondition {
  void* mu;
  const absl::Condition* condition;
};

bool EvalUnderMutex(void* arg) {
  const auto* annotated = static_cast<const AnnotatedCondition*>(arg);
  Acquired(annotated->mu);
  const bool holds = annotated->condition->Eval();
  Releasing(annotated->mu);
  return holds;
}

// The library's deadlock detector records, on each lock taken while another is held, an
// edge in a graph it guards with a spin lock of its own that TSan cannot see either, so
// two threads taking locks report a false race in GraphCycles::GetId. TSan detects
// lock-order inversions itself, so the detector is off under it.
const bool kDeadlockDetectionOff = [] {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  return true;
}();

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const MutexFn real = Real<MutexFn>("_ZN4absl7debian35Mutex4LockEv");
  real(this);
  Acquired(this);
}

void Mutex::Unlock() {
  static const MutexFn real = Real<MutexFn>("_ZN4absl7debian35Mutex6UnlockEv");
  Releasing(this);
  real(this);
}

bool Mutex::TryLock() {
  static const TryFn real = Real<TryFn>("_ZN4absl7debian35Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) Acquired(this);
  return locked;
}

void Mutex::ReaderLock() {
  static const MutexFn real = Real<MutexFn>("_ZN4absl7debian35Mutex10ReaderLockEv");
  real(this);
  Acquired(this);
}

void Mutex::ReaderUnlock() {
  static const MutexFn real = Real<MutexFn>("_ZN4absl7debian35Mutex12ReaderUnlockEv");
  Releasing(this);
  real(this);
}

void Mutex::LockWhen(const Condition& cond) {
  static const AwaitFn real = Real<AwaitFn>("_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
  AnnotatedCondition annotated{this, &cond};
  real(this, Condition(&EvalUnderMutex, &annotated));
  Acquired(this);
}

void Mutex::Await(const Condition& cond) {
  static const AwaitFn real = Real<AwaitFn>("_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE");
  AnnotatedCondition annotated{this, &cond};
  Releasing(this);
  real(this, Condition(&EvalUnderMutex, &annotated));
  Acquired(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static const AwaitTimeoutFn real = Real<AwaitTimeoutFn>(
      "_ZN4absl7debian35Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  AnnotatedCondition annotated{this, &cond};
  Releasing(this);
  const bool met = real(this, Condition(&EvalUnderMutex, &annotated), timeout);
  Acquired(this);
  return met;
}

void CondVar::Wait(Mutex* mu) {
  static const WaitFn real = Real<WaitFn>("_ZN4absl7debian37CondVar4WaitEPNS0_5MutexE");
  Releasing(mu);
  real(this, mu);
  Acquired(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static const WaitTimeoutFn real = Real<WaitTimeoutFn>(
      "_ZN4absl7debian37CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  Releasing(mu);
  const bool timed_out = real(this, mu, timeout);
  Acquired(mu);
  return timed_out;
}

ABSL_NAMESPACE_END
}  // namespace absl
