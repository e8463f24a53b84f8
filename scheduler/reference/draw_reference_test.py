#!/usr/bin/env python3
"""The spec's Python reference (docs/draw-spec.md §14) against the C++ library's bundles.

  draw_reference_test.py TESTDATA_DIR DRAW_SPEC_MD REFERENCE_PY ENTROPY_CHECK_PY

1. docs/draw-spec.md §14 reproduces draw_reference.py verbatim.
2. From the inputs of §12.2 (population, roster, registry, each round's statements), the
   reference writes round 0 and round 1 byte for byte as the C++ library did
   (spec_bundle_round{0,1}.json), checking every statement on the way.
3. A statement edited by one character, or signed with another round's digest, stops it.
4. The chain check accepts round 1 after round 0 and refuses the round that reuses round
   0's nonce (spec_bundle_round1_reused_nonce.json).
"""
import csv
import json
import os
import sys

TESTDATA, SPEC, REFERENCE, ENTROPY_CHECK = sys.argv[1:5]
sys.path.insert(0, os.path.dirname(REFERENCE))
sys.path.insert(0, os.path.dirname(ENTROPY_CHECK))
import draw_reference as ref  # noqa: E402

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def read(name):
    with open(os.path.join(TESTDATA, name), encoding="utf-8") as f:
        return f.read()


# 1. The markdown's §14 is the file.
spec = open(SPEC, encoding="utf-8").read()
section = spec[spec.index("## 14."):]
block = section[section.index("```python\n") + len("```python\n"):]
block = block[:block.index("\n```\n") + 1]
check(block == open(REFERENCE, encoding="utf-8").read(),
      "docs/draw-spec.md §14 reproduces scheduler/reference/draw_reference.py verbatim")

# 2. The inputs of §12.2.
PLAN = {
    "plan_id": "PLAN-2026-HZ-007", "departments": ["市场监管局", "消防救援"],
    "items": [{"item_id": "XF-001", "department": "消防救援", "required_qualification": "消防监督"},
              {"item_id": "SC-002", "department": "市场监管局", "required_qualification": ""},
              {"item_id": "SC-001", "department": "市场监管局", "required_qualification": "食品安全"}],
    "quotas": [{"class": "A", "ratio_ppm": 100000}, {"class": "B", "ratio_ppm": 250000},
               {"class": "C", "count": 3}, {"class": "D", "count": 100}],
    "team_size": 3, "workload_cap": 3, "due_date": "2026-12-31"}
rows = [(r[0], r[1], r[2]) for r in list(csv.reader(read("spec_population.csv").splitlines()))[1:]]
roster = json.loads(read("spec_roster.json"))
registry = {s["source_id"]: s for s in json.loads(read("spec_registry.json"))}


def committed(source_id, pulse_time=""):
    s = registry[source_id]
    return {"source_id": source_id, "kind": s["kind"].replace("ENTROPY_SOURCE_KIND_", ""),
            "department": s.get("department", ""), "algorithm": s.get("algorithm", ""),
            "public_key": s.get("public_key_hex", ""),
            "certificate_pem": s.get("certificate_pem", ""),
            "rsa_modulus": s.get("rsa_modulus_hex", ""),
            "rsa_exponent": s.get("rsa_exponent_hex", ""), "pulse_time": pulse_time}


round0 = {
    "plan": PLAN, "round": 0,
    "nonce": "5f1c0e8a9b7d3c2e4f60718293a4b5c6d7e8f90112233445566778899aabbccd",
    "commitment": {"kind": "draw",
                   "nonce_commitment": "ae7e565b8cfdb713a642d5c95c901addf6506f513f5846c13e197eb134ce3a5f",
                   "committed_at": "2026-03-01T02:00:00.000000Z", "min_entropy_delay_seconds": 600,
                   "sources": [committed("notary-xihu"),
                               committed("test-beacon", "2026-03-01T02:15:00.000000Z"),
                               committed("zj-lottery")]},
    "statements": json.loads(read("spec_statements_round0.json"))}
text0, digest0 = ref.run_draw(round0, rows, roster)
check(text0 == read("spec_bundle_round0.json"),
      "round 0: the reference writes spec_bundle_round0.json byte for byte (%s)" % digest0)

# Round 1 replaces the first target of each of classes A, B and D, in team order.
bundle0 = json.loads(text0)
cls = {r[0]: r[1] for r in rows}
named, seen = [], set()
for t in bundle0["targets"]:
    k = cls[t["credit_code"]]
    if k != "C" and k not in seen:
        seen.add(k)
        named.append(t["credit_code"])
workload = {}
for team in bundle0["teams"]:
    for i in team["inspectors"]:
        workload[i] = workload.get(i, 0) + 1
nonce1 = "c3a1f0e2d4b6987a5c3e1f0d2b4a6987a5c3e1f0d2b4a6987a5c3e1f0d2b4a69"
round1 = {
    "plan": PLAN, "round": 1, "nonce": nonce1,
    "commitment": {"kind": "replace", "nonce_commitment": ref.nonce_commitment(nonce1),
                   "committed_at": "2026-03-09T01:00:00.000000Z", "min_entropy_delay_seconds": 600,
                   "sources": [committed("notary-xihu"), committed("zj-lottery")]},
    "statements": json.loads(read("spec_statements_round1.json")),
    "replacement": {"previous_bundle_digest": digest0, "named": named,
                    "counts": {"A": 1, "B": 1, "C": 0, "D": 1},
                    "excluded": [t["credit_code"] for t in bundle0["targets"]]
                    + ["91330106000179191U"],
                    "prior_workload": workload}}
text1, digest1 = ref.run_draw(round1, rows, roster)
check(text1 == read("spec_bundle_round1.json"),
      "round 1: the reference writes spec_bundle_round1.json byte for byte (%s)" % digest1)

# 3. Statements that must not pass.
def refused(inputs, what):
    try:
        ref.run_draw(inputs, rows, roster)
        check(False, what + ": refused")
    except ref.StatementError as e:
        check(True, "%s: refused (%s)" % (what, str(e)[:90]))


edited = json.loads(json.dumps(round0))
w = edited["statements"][0]["witness"]
w["statement"] = w["statement"].replace("signed_at=20:2026-03-01T02:11", "signed_at=20:2026-03-01T02:12")
refused(edited, "a witness statement edited after signing")
replayed = json.loads(json.dumps(round0))
replayed["statements"][0] = json.loads(read("spec_statements_round1.json"))[0]
refused(replayed, "round 1's statement replayed in round 0")
unattested = json.loads(json.dumps(round0))
unattested["statements"][2]["unchecked_value"] = "07 12 19 23 31 + 06"
refused(unattested, "a lottery value no witness attested")
late = json.loads(json.dumps(round0))
late["commitment"]["committed_at"] = "2026-03-01T02:05:00.000000Z"
refused(late, "a commitment whose statements no longer bind to it")

# 4. The chain.
check(ref.check_round_chain(text0, text1) is None, "the chain: round 1 follows round 0")
reason = ref.check_round_chain(text0, read("spec_bundle_round1_reused_nonce.json"))
check(reason is not None and "reuses round 0's nonce" in reason,
      "the chain: the round that reuses round 0's nonce is refused (%s)" % reason)

sys.exit(1 if failures else 0)
