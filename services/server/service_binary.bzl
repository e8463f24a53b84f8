"""One service's binary: regulatord's program with another --serve default.

portraitd, scoringd, inspectiond and disclosured are built from regulatord_main.cc, so
that the flags and the start-up are one piece of code (docs/deploy.md); each only changes
what it serves by default and the name it reports.
"""

# Every server binary's allocator (third_party/system:jemalloc says why).
SERVER_MALLOC = "//third_party/system:jemalloc"

def service_binary(name, serve, deps):
    native.cc_binary(
        name = name,
        srcs = ["regulatord_main.cc"],
        copts = [
            "-DREGULATION_DEFAULT_SERVE=\\\"%s\\\"" % serve,
            "-DREGULATION_PROGRAM_NAME=\\\"%s\\\"" % name,
        ],
        malloc = SERVER_MALLOC,
        visibility = ["//visibility:public"],
        deps = deps,
    )
