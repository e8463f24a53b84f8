// LeakSanitizer's suppressions for `--config=asan` (docs/build.md, "Sanitizers"), linked
// into every binary of that configuration. LSan reads them from this function, so they
// need no file path (tests run in sandboxes whose paths differ from machine to machine).
//
// Each entry says why the memory is not a leak of this project's code:
//
//   leak:libcares.so   Debian's c-ares 1.18 loses a 10-byte copy of the host name in
//                      ares_getaddrinfo when gRPC's DNS resolver looks up "localhost" (one
//                      per channel; seen in mtls_test, audit_command_test,
//                      import_command_test). The allocation is made inside c-ares, which
//                      only gRPC calls; no project code can free it. With full unwinding
//                      (ASAN_OPTIONS=fast_unwind_on_malloc=0) the stack reads
//                      regctl::Connection::Open -> grpc::WaitForConnected -> gRPC's
//                      PollingResolver -> ares_gethostbyname -> ares_getaddrinfo -> malloc.

extern "C" const char* __lsan_default_suppressions() { return "leak:libcares.so\n"; }
