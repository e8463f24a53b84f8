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
5. The policy vectors of §12.3 (spec_bundle_<name>.json): round 0 of the spec plan as a
   targeted plan with a recusal, under the credit policies (stricter + always, official +
   highest_ratio: the frozen classes computed here from spec_credit.csv), with a no-repeat
   rule (exclude with recusals, join; the earlier set computed here from the earlier
   plan's bundle), and always with exclude: byte for byte.
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

# 5. The policy vectors (§12.3). The round's randomness inputs (commitment, nonce, statements)
# are read from each bundle and checked by the reference; everything that decides targets and
# teams is computed here from the spec's files.
region = {r[0]: r[2] for r in rows}
enterprises = [(c, m, o, region[c], listed == "1")
               for c, m, o, listed in list(csv.reader(read("spec_credit.csv").splitlines()))[1:]]
listed_codes = sorted(e[0] for e in enterprises if e[4])


def published_inputs(name, plan):
    b = json.loads(read("spec_bundle_%s.json" % name))
    c = b["commitment"]
    return {"plan": plan, "round": 0, "nonce": b["nonce"], "statements": b["statements"],
            "commitment": {k: c[k] for k in ["kind", "nonce_commitment", "committed_at",
                                              "min_entropy_delay_seconds", "sources"]}}


def reproduces(name, plan, population):
    try:
        text, digest = ref.run_draw(published_inputs(name, plan), population, roster)
    except ref.StatementError as e:  # the inputs computed here are not the committed ones
        check(False, "%s: the statements do not bind to the reference's commitment (%s)"
              % (name, str(e)[:90]))
        return json.loads(read("spec_bundle_%s.json" % name))
    check(text == read("spec_bundle_%s.json" % name),
          "%s: the reference writes spec_bundle_%s.json byte for byte (%s)" % (name, name, digest))
    return json.loads(text)


def with_changes(**changes):
    plan = json.loads(json.dumps(PLAN))
    plan["quotas"][3] = {"class": "D", "ratio_ppm": 200000}
    plan.update(changes)
    return plan


always_plan = with_changes(credit={"class_source": "stricter", "dishonest_policy": "always",
                                   "dishonest": listed_codes})
always_rows = ref.frozen_rows(enterprises, always_plan)
b = reproduces("credit_always", always_plan, always_rows)
check(set(listed_codes) <= {t["credit_code"] for t in b["targets"]},
      "credit_always: every listed enterprise is a target")
highest_plan = with_changes(credit={"class_source": "official", "dishonest_policy": "highest_ratio",
                                    "dishonest": listed_codes})
reproduces("credit_highest", highest_plan, ref.frozen_rows(enterprises, highest_plan))

earlier_text = read("spec_bundle_earlier.json")
earlier = reproduces("earlier", dict(PLAN, plan_id="PLAN-2026-HZ-001"), rows)
earlier_digest = ref.sha256_hex(earlier_text)


def rule_over_earlier(mode):
    # What the rule freezes at commit: the earlier round, and every target it drew.
    rule = {"window_days": 30, "scope": "department",
            "considered": [{"bundle_digest": earlier_digest, "plan_id": earlier["plan"]["plan_id"],
                            "round": earlier["round"],
                            "committed_at": earlier["commitment"]["committed_at"]}]}
    if mode == "join":
        rule["mode"] = "join"
    rule["joined" if mode == "join" else "excluded"] = [
        {"credit_code": t["credit_code"], "bundle_digest": earlier_digest}
        for t in earlier["targets"]]
    return rule


# Granted recusals are the agency's decisions: inputs, read from the bundle's plan.
recusals = json.loads(read("spec_bundle_no_repeat_exclude.json"))["plan"]["recusals"]
b = reproduces("no_repeat_exclude", dict(PLAN, no_repeat=rule_over_earlier("exclude"),
                                         recusals=recusals), rows)
check(not {t["credit_code"] for t in b["targets"]} & {t["credit_code"] for t in earlier["targets"]},
      "no_repeat_exclude: no target of the earlier round is drawn again")
b = reproduces("no_repeat_join", dict(PLAN, no_repeat=rule_over_earlier("join")), rows)
check(any("joint_visit" in t for t in b["teams"]),
      "no_repeat_join: a target of the earlier round is a joint visit")
check(set(listed_codes) & {t["credit_code"] for t in earlier["targets"]} != set(),
      "always_exclude: a listed enterprise is in the earlier set (the exclusion wins)")
reproduces("always_exclude", dict(always_plan, no_repeat=rule_over_earlier("exclude")), always_rows)

targeted_plan = json.loads(read("spec_bundle_targeted.json"))["plan"]  # its listed targets
targeted_plan = dict(PLAN, targets=targeted_plan["targets"], recusals=targeted_plan["recusals"],
                     quotas=[{"class": k, "count": 0} for k in ref.CLASSES])
listed_rows = [(t["credit_code"], "B", region[t["credit_code"]]) for t in targeted_plan["targets"]]
reproduces("targeted", targeted_plan, listed_rows)

sys.exit(1 if failures else 0)
