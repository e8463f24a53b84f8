#!/usr/bin/env python3
"""A regulation.v1 client in Python: lists enterprises and fetches one portrait.

It speaks mutual TLS with an identity that `regctl pki issue` made (a directory holding
ca.crt, tls.crt and tls.key; tools/up makes data/pki/admin and the others), using the
modules generate_stubs.sh generates from the .proto files. See README.md.

Exit codes: 0 done; 1 the server refused (the gRPC status is printed); 2 bad usage or
unreadable identity files; 3 the server is unreachable.
"""

import argparse
import os
import sys

import grpc

from regulation.v1 import enterprise_pb2
from regulation.v1 import portrait_service_pb2
from regulation.v1 import portrait_service_pb2_grpc


def read(path):
    with open(path, "rb") as f:
        return f.read()


def channel(server, tls_dir):
    """A channel that presents tls_dir's certificate and trusts only its CA."""
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read(os.path.join(tls_dir, "ca.crt")),
        private_key=read(os.path.join(tls_dir, "tls.key")),
        certificate_chain=read(os.path.join(tls_dir, "tls.crt")))
    return grpc.secure_channel(server, credentials)


def list_enterprises(stub, region_prefix, limit):
    """Up to `limit` enterprises, following page tokens: only an empty token ends a list
    (docs/api.md, Conventions), and a page may be empty while more follow."""
    found = []
    token = ""
    while len(found) < limit:
        page = stub.ListEnterprises(
            portrait_service_pb2.ListEnterprisesRequest(
                region_prefix=region_prefix, page_size=min(100, limit - len(found)),
                page_token=token),
            timeout=30)
        found.extend(page.enterprises)
        token = page.next_page_token
        if not token:
            break
    return found[:limit]


def status_name(value):
    # An enum value this client's .proto files do not know yet is shown by number
    # (docs/api.md, Compatibility policy), never taken for a known one.
    try:
        return enterprise_pb2.EnterpriseStatus.Name(value)
    except ValueError:
        return "ENTERPRISE_STATUS_%d" % value


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="localhost:50051")
    parser.add_argument("--tls_dir", default="data/pki/admin")
    parser.add_argument("--region_prefix", default="")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--portrait", default="",
                        help="credit code whose portrait to fetch (default: the first listed)")
    args = parser.parse_args(argv)
    if args.limit < 1:
        parser.error("--limit must be at least 1")
    try:
        stub = portrait_service_pb2_grpc.PortraitServiceStub(channel(args.server, args.tls_dir))
    except OSError as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    try:
        enterprises = list_enterprises(stub, args.region_prefix, args.limit)
        for e in enterprises:
            print("%s  %s  %s  %s" % (e.credit_code, e.region_code, status_name(e.status), e.name))
        code = args.portrait or (enterprises[0].credit_code if enterprises else "")
        if not code:
            print("no enterprise in scope", file=sys.stderr)
            return 0
        portrait = stub.GetPortrait(portrait_service_pb2.GetPortraitRequest(credit_code=code), timeout=30)
        print("portrait of %s as of %s: %d events, version %d" % (
            portrait.credit_code, portrait.as_of.ToJsonString(), portrait.event_count, portrait.version))
        for f in portrait.features[:5]:
            print("  %-32s %g" % (f.name, f.value))
        print("  (%d features, schema %s)" % (len(portrait.features), portrait.schema_digest[:12]))
    except grpc.RpcError as e:
        if e.code() == grpc.StatusCode.UNAVAILABLE:
            print("error: UNAVAILABLE: %s" % e.details(), file=sys.stderr)
            return 3
        print("error: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
