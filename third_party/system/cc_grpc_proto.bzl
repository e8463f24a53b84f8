"""cc_grpc_proto: one line per .proto set -> C++ messages and gRPC stubs.

The gRPC project's own Bazel rules need downloads, so this macro runs Debian's protoc
(3.21) and grpc_cpp_plugin (1.51) in a genrule and wraps the output in a cc_library.
Imports resolve against `proto_root` (so a file imports "regulation/v1/common.proto")
and against /usr/include for the well-known types (google/protobuf/timestamp.proto).
"""

def cc_grpc_proto(name, srcs, deps = [], proto_root = "proto", visibility = None):
    """Generates `name` (cc_library) and `name + "_files"` (the .proto sources).

    Args:
      name: the cc_library to create.
      srcs: .proto files in this package.
      deps: other cc_grpc_proto targets whose files these import.
      proto_root: workspace folder that import paths are relative to.
      visibility: visibility of the generated targets.
    """
    package = native.package_name()
    if not package.startswith(proto_root):
        fail("cc_grpc_proto: package %s is not under %s" % (package, proto_root))
    stems = [src[:-len(".proto")] for src in srcs]
    outs = []
    for stem in stems:
        outs += [stem + ".pb.h", stem + ".pb.cc", stem + ".grpc.pb.h", stem + ".grpc.pb.cc"]

    native.filegroup(
        name = name + "_files",
        srcs = srcs + [dep + "_files" for dep in deps],
        visibility = visibility,
    )

    out_dir = "$(GENDIR)/" + proto_root
    native.genrule(
        name = name + "_gen",
        srcs = [name + "_files"],
        outs = outs,
        cmd = " ".join([
            "/usr/bin/protoc",
            "--proto_path=" + proto_root,
            "--proto_path=/usr/include",
            "--cpp_out=" + out_dir,
            "--grpc_out=" + out_dir,
            "--plugin=protoc-gen-grpc=/usr/bin/grpc_cpp_plugin",
        ] + [package + "/" + src for src in srcs]),
    )

    native.cc_library(
        name = name,
        srcs = [out for out in outs if out.endswith(".cc")],
        hdrs = [out for out in outs if out.endswith(".h")],
        strip_include_prefix = "/" + proto_root,
        deps = deps + [
            "//third_party/system:grpc",
            "//third_party/system:protobuf",
        ],
        visibility = visibility,
    )
