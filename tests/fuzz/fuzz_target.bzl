"""fuzz_target: one libFuzzer target and the test that replays its seed corpus.

    fuzz_target(name = "redaction_fuzzer", srcs = ["redaction_fuzzer.cc"], deps = [...])

defines
  :redaction_fuzzer              the fuzzer. Under --config=fuzz (clang-15) it links
                                 libFuzzer's driver: `tools/fuzz redaction_fuzzer 600`.
                                 In the default (gcc) build it links replay_main instead:
                                 `bazel run //tests/fuzz:redaction_fuzzer -- FILE...`
                                 reproduces a crash without clang.
  :redaction_fuzzer_corpus_test  replays every file of corpus/redaction_fuzzer/ through
                                 the same LLVMFuzzerTestOneInput with replay_main: part of
                                 `bazel test //...`, built with the default toolchain.
"""

def fuzz_target(name, srcs, deps, size = "small"):
    corpus = "corpus/" + name
    native.cc_library(
        name = name + "_lib",
        testonly = True,
        srcs = srcs,
        deps = deps + [":fuzz_check"],
        # LLVMFuzzerTestOneInput is referenced only by the driver, which comes later on
        # the link line: keep it.
        alwayslink = True,
    )
    native.cc_binary(
        name = name,
        testonly = True,
        linkopts = select({
            ":libfuzzer_build": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = [":" + name + "_lib"] + select({
            ":libfuzzer_build": [],
            "//conditions:default": [":replay_main"],
        }),
    )
    native.cc_test(
        name = name + "_corpus_test",
        size = size,
        args = ["tests/fuzz/" + corpus],
        data = native.glob([corpus + "/**"]),
        deps = [
            ":" + name + "_lib",
            ":replay_main",
        ],
    )
