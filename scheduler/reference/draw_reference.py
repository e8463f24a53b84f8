# Reference implementation of docs/draw-spec.md (regulation.draw.v2). Python 3.8+, standard
# library only, and entropy_check.py (docs/entropy.md §5) for the statements' signatures.
# Inputs are assumed well-formed (the spec lists the checks); the statements are checked.
import datetime
import hashlib
import json

import entropy_check

CLASSES = "ABCD"


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# 2. Tickets: R. Rivest's consistent_sampler first_fraction(id, seed).
def first_fraction(id, seed):
    h = int(sha256_hex(sha256_hex(seed) + id), 16)
    return "0." + "{:064d}".format(h)[::-1]


def ticket_key(ticket):
    # Tickets compare as real numbers: pad the fraction digits to 78 (the most SHA-256 can give).
    return ticket[2:].ljust(78, "0")


# 3. Canonical records: name=len:value\n, len the value's UTF-8 byte count in decimal.
def record(fields):
    out = []
    for name, value in fields:
        value = str(value)
        out.append("%s=%d:%s\n" % (name, len(value.encode("utf-8")), value))
    return "".join(out)


# 4. Digests.
def population_line(row):
    code, cls, region = row
    return code + "," + cls + ("," + region if region else "") + "\n"


def population_digests(rows):
    rows = sorted(rows)  # by credit code (unique), byte order
    overall = "regulation.population.v1\n" + "".join(population_line(r) for r in rows)
    result = {"population": sha256_hex(overall)}
    for c in CLASSES:
        text = "regulation.population.class.v1\n" + c + "\n"
        text += "".join(population_line(r) for r in rows if r[1] == c)
        result["population_" + c.lower()] = sha256_hex(text)
    return result


def canonical_plan(plan):
    p = {
        "plan_id": plan["plan_id"],
        "departments": sorted(plan["departments"]),
        "items": sorted(plan["items"], key=lambda i: i["item_id"]),
        "quotas": sorted(plan["quotas"], key=lambda q: q["class"]),
        "team_size": plan["team_size"],
        "workload_cap": plan["workload_cap"],
        "due_date": plan["due_date"],
    }
    # The optional parts (3.2, 3.4), each only when the plan has it, in this order.
    if plan.get("targets"):
        p["targets"] = sorted(plan["targets"], key=lambda t: t["credit_code"])
    if plan.get("credit"):
        c = plan["credit"]
        p["credit"] = {"class_source": c["class_source"],
                       "dishonest_policy": c["dishonest_policy"],
                       "dishonest": sorted(set(c["dishonest"]))}
    if plan.get("no_repeat"):
        r, n = plan["no_repeat"], {}
        n["window_days"], n["scope"] = r["window_days"], r["scope"]
        if r.get("mode") == "join":
            n["mode"] = "join"
        n["considered"] = sorted(r["considered"], key=lambda c: c["bundle_digest"])
        earlier = "joined" if r.get("mode") == "join" else "excluded"
        n[earlier] = sorted(r[earlier], key=lambda e: e["credit_code"])
        p["no_repeat"] = n
    if plan.get("recusals"):
        p["recusals"] = sorted(plan["recusals"], key=lambda r: (
            r["credit_code"], r["inspector_id"], r["request_id"]))
    return p


def earlier_set(plan):
    """7, "No repeated visits": {credit_code: bundle_digest} of the rule's earlier set."""
    r = plan.get("no_repeat")
    if not r:
        return {}
    return {e["credit_code"]: e["bundle_digest"] for e in r.get("joined", r.get("excluded", []))}


def repeat_excluded(plan):
    # The codes a no-repeat rule excludes: its earlier set, unless it joins.
    r = plan.get("no_repeat")
    return set() if not r or r.get("mode") == "join" else set(earlier_set(plan))


def plan_digest(plan):
    p = canonical_plan(plan)
    f = [("domain", "regulation.plan.v1"), ("plan_id", p["plan_id"]),
         ("departments", len(p["departments"]))]
    f += [("department", d) for d in p["departments"]]
    f.append(("items", len(p["items"])))
    for i in p["items"]:
        f += [("item.id", i["item_id"]), ("item.department", i["department"]),
              ("item.required_qualification", i["required_qualification"])]
    for q in p["quotas"]:
        kind = "ratio_ppm" if "ratio_ppm" in q else "count"
        f += [("quota.class", q["class"]), ("quota.kind", kind), ("quota.value", q[kind])]
    f += [("team_size", p["team_size"]), ("workload_cap", p["workload_cap"]),
          ("due_date", p["due_date"])]
    if "targets" in p:
        f.append(("targets", len(p["targets"])))
        for t in p["targets"]:
            f += [("target.credit_code", t["credit_code"]), ("target.reason", t["reason"])]
    if "credit" in p:
        c = p["credit"]
        f += [("credit.class_source", c["class_source"]),
              ("credit.dishonest_policy", c["dishonest_policy"]),
              ("credit.dishonest", len(c["dishonest"]))]
        f += [("credit.dishonest.credit_code", code) for code in c["dishonest"]]
    if "no_repeat" in p:
        r = p["no_repeat"]
        f += [("no_repeat.window_days", r["window_days"]), ("no_repeat.scope", r["scope"])]
        if "mode" in r:
            f.append(("no_repeat.mode", r["mode"]))
        f.append(("no_repeat.considered", len(r["considered"])))
        for c in r["considered"]:
            f += [("considered.bundle_digest", c["bundle_digest"]),
                  ("considered.plan_id", c["plan_id"]), ("considered.round", c["round"]),
                  ("considered.committed_at", c["committed_at"])]
        earlier = "joined" if "mode" in r else "excluded"
        f.append(("no_repeat." + earlier, len(r[earlier])))
        for e in r[earlier]:
            f += [(earlier + ".credit_code", e["credit_code"]),
                  (earlier + ".bundle_digest", e["bundle_digest"])]
    if "recusals" in p:
        f.append(("recusals", len(p["recusals"])))
        for r in p["recusals"]:
            f += [("recusal.request_id", r["request_id"]), ("recusal.credit_code", r["credit_code"]),
                  ("recusal.inspector_id", r["inspector_id"])]
    return sha256_hex(record(f))


# 3.4 The class frozen for each enterprise under the plan's credit policy.
def highest_ratio_class(quotas):
    # The class whose quota has the highest ratio_ppm; ties: the riskier.
    best = None
    for q in sorted(quotas, key=lambda q: q["class"]):
        if "ratio_ppm" in q and (best is None or q["ratio_ppm"] >= best["ratio_ppm"]):
            best = q
    return best["class"]


def frozen_rows(enterprises, plan):
    """enterprises: (credit_code, model class, official class or "", region_code or "",
    on the dishonest list at commit). Returns the frozen population's rows (3.1, 3.4)."""
    credit = plan.get("credit") or {"class_source": "model", "dishonest_policy": "none"}
    rows = []
    for code, model, official, region, listed in enterprises:
        cls = model
        if official and credit["class_source"] == "official":
            cls = official
        elif official and credit["class_source"] == "stricter":
            cls = max(model, official)  # D over C over B over A
        if listed and credit["dishonest_policy"] == "highest_ratio":
            cls = highest_ratio_class(plan["quotas"])
        elif listed and credit["dishonest_policy"] == "always":
            cls = "D"
        rows.append((code, cls, region))
    return rows


def roster_digest(roster):
    inspectors = sorted(roster["inspectors"], key=lambda i: i["inspector_id"])
    conflicts = sorted({(c["inspector_id"], c["credit_code"]) for c in roster["conflicts"]})
    last = sorted({(l["credit_code"], l["inspector_id"]) for l in roster["last_inspections"]})
    f = [("domain", "regulation.roster.v1"), ("inspectors", len(inspectors))]
    for i in inspectors:
        quals = sorted(set(i["qualifications"]))
        f += [("inspector.id", i["inspector_id"]), ("inspector.department", i["department"]),
              ("inspector.region_code", i["region_code"]),
              ("inspector.certificate_valid_until", i["certificate_valid_until"]),
              ("inspector.status", i["status"]), ("inspector.qualifications", len(quals))]
        f += [("inspector.qualification", q) for q in quals]
    f.append(("conflicts", len(conflicts)))
    for inspector_id, code in conflicts:
        f += [("conflict.inspector_id", inspector_id), ("conflict.credit_code", code)]
    f.append(("last_inspections", len(last)))
    for code, inspector_id in last:
        f += [("last_inspection.credit_code", code), ("last_inspection.inspector_id", inspector_id)]
    return sha256_hex(record(f))


def nonce_commitment(nonce_hex):
    return hashlib.sha256(bytes.fromhex(nonce_hex)).hexdigest()


# 4.2 The round's commitment and its digest.
UTC = datetime.timezone.utc


def parse_time(text):
    # "2026-03-01T02:15:00.000000Z" (the spec's form), or a pulse's "...:00.000Z" / "...:00Z".
    for form in ("%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ"):
        try:
            return datetime.datetime.strptime(text, form).replace(tzinfo=UTC)
        except ValueError:
            pass
    raise ValueError("not a time: " + text)


SOURCE_FIELDS = ["source_id", "kind", "department", "algorithm", "public_key",
                 "certificate_pem", "rsa_modulus", "rsa_exponent", "pulse_time"]


def commitment_digest(scope, c):
    """scope: plan_id, round, digests, previous_bundle_digest and named (rounds >= 1)."""
    d, named = scope["digests"], sorted(scope.get("named", []))
    f = [("domain", "regulation.commitment.v1"), ("plan_id", scope["plan_id"]),
         ("round", scope["round"]), ("kind", c["kind"]), ("plan_digest", d["plan"]),
         ("population_digest", d["population"])]
    f += [("population_digest_" + k.lower(), d["population_" + k.lower()]) for k in CLASSES]
    f += [("roster_digest", d["roster"]),
          ("previous_bundle_digest", scope.get("previous_bundle_digest", "")),
          ("named", len(named))]
    f += [("named.credit_code", code) for code in named]
    f += [("nonce_commitment", c["nonce_commitment"]), ("committed_at", c["committed_at"]),
          ("min_entropy_delay_seconds", c["min_entropy_delay_seconds"]),
          ("sources", len(c["sources"]))]
    for s in c["sources"]:
        f += [("source." + ("id" if k == "source_id" else k), s[k]) for k in SOURCE_FIELDS]
    return sha256_hex(record(f))


# 4.3 The statements: each checked against its committed source, in the commitment's order.
class StatementError(Exception):
    pass


def registered(source):
    # The source as entropy_check.py reads it (a RegisteredEntropySource).
    return {"source_id": source["source_id"], "kind": "ENTROPY_SOURCE_KIND_" + source["kind"],
            "algorithm": source["algorithm"], "public_key_hex": source["public_key"],
            "certificate_pem": source["certificate_pem"],
            "rsa_modulus_hex": source["rsa_modulus"], "rsa_exponent_hex": source["rsa_exponent"]}


def check_statements(scope, c, statements):
    """[(source_id, value)] in the commitment's source order; StatementError otherwise."""
    named = [s["source_id"] for s in c["sources"]]
    by_source = {}
    for s in statements:
        if s["source_id"] not in named:
            raise StatementError("%s is not named by the commitment" % s["source_id"])
        if s["source_id"] in by_source:
            raise StatementError("source %s: more than one statement" % s["source_id"])
        by_source[s["source_id"]] = s
    earliest = parse_time(c["committed_at"]) + datetime.timedelta(
        seconds=c["min_entropy_delay_seconds"])
    values, attested = [], set()
    for source in c["sources"]:
        sid, kind = source["source_id"], source["kind"]
        s = by_source.get(sid)
        if s is None:
            raise StatementError("source %s: no statement" % sid)
        if kind == "WITNESS":
            if "witness" not in s:
                raise StatementError("source %s: not a signed statement" % sid)
            r = entropy_check.verify_witness_statement(
                registered(source),
                {"source_id": sid, "witness": {"statement": s["witness"]["statement"],
                                               "signature_hex": s["witness"]["signature"]}},
                {"plan_id": scope["plan_id"], "round": scope["round"], "commitment": c["digest"]})
            if not r["ok"]:
                raise StatementError("source %s: %s" % (sid, r["reason"]))
            if parse_time(r["statement"]["signed_at"]) < earliest:
                raise StatementError("source %s: signed before the minimum delay" % sid)
            attested.update(r["statement"]["attested"])
        elif kind == "BEACON":
            if "beacon_pulse" not in s:
                raise StatementError("source %s: not a pulse" % sid)
            r = entropy_check.verify_beacon_pulse(registered(source), s["beacon_pulse"])
            if not r["ok"]:
                raise StatementError("source %s: %s" % (sid, r["reason"]))
            if parse_time(r["time"]) != parse_time(source["pulse_time"]):
                raise StatementError("source %s: the pulse is not the committed one" % sid)
        else:
            if "unchecked_value" not in s:
                raise StatementError("source %s: not a value" % sid)
            r = {"value": s["unchecked_value"]}
        values.append((sid, r["value"]))
    for source in c["sources"]:
        if source["kind"] == "UNCHECKED":
            sid = source["source_id"]
            if (sid, by_source[sid]["unchecked_value"]) not in attested:
                raise StatementError("source %s: its value is attested by no witness" % sid)
    return values


# 5. Seed.
def derive_seed(commitment, nonce_hex, values, round):
    f = [("domain", "regulation.draw.v2"), ("commitment_digest", commitment),
         ("nonce", nonce_hex), ("entropy_values", len(values))]
    for source_id, value in values:
        f += [("entropy.source_id", source_id), ("entropy.value", value)]
    f.append(("round", round))
    return sha256_hex(record(f))


# 6. Quotas.
def quota(q, n_class):
    if "ratio_ppm" in q:
        return (q["ratio_ppm"] * n_class + 500000) // 1000000
    return min(q["count"], n_class)


# 7. Targets. rows: (credit_code, class letter, region_code or "").
def select_targets(rows, seed, counts, excluded):
    classes, chosen = [], []
    for c in CLASSES:
        pool = [r for r in rows if r[1] == c and r[0] not in excluded]
        pool = sorted(((first_fraction(r[0], seed), r) for r in pool),
                      key=lambda t: (ticket_key(t[0]), t[1][0]))
        n = counts[c](len(pool)) if callable(counts[c]) else min(counts[c], len(pool))
        picked = pool[:n]
        classes.append({"class": c, "population": len(pool), "selected": n,
                        "cutoff": picked[-1][0] if picked else ""})
        chosen += picked
    chosen.sort(key=lambda t: (ticket_key(t[0]), t[1][0]))
    targets = [{"credit_code": r[0], "region_code": r[2], "ticket": t, "rank": k + 1}
               for k, (t, r) in enumerate(chosen)]
    return classes, targets


# 8. Teams.
RULES = ["not active", "without a certificate valid through the due date",
         "of other departments", "without the required qualifications", "outside jurisdiction",
         "in conflict", "rotated out", "at the workload cap",
         "held back to cover other departments"]


def jurisdiction_prefix(region_code):
    while region_code.endswith("00"):
        region_code = region_code[:-2]
    return region_code


def static_failure(i, plan):
    # Index into RULES of the first target-independent rule the inspector fails, or None.
    if i["status"] != "ACTIVE":
        return 0
    if i["certificate_valid_until"] < plan["due_date"]:  # "" sorts before every date
        return 1
    if i["department"] not in plan["departments"]:
        return 2
    needed = {it["required_qualification"] for it in plan["items"]
              if it["department"] == i["department"] and it["required_qualification"]}
    if not needed <= set(i["qualifications"]):
        return 3
    return None


def assign_teams(seed, targets, roster, plan, workload):
    conflicts = {(c["inspector_id"], c["credit_code"]) for c in roster["conflicts"]}
    # 8.1 rule 6: a granted recusal is a conflict frozen with the plan.
    conflicts |= {(r["inspector_id"], r["credit_code"]) for r in plan.get("recusals", [])}
    last = {(l["inspector_id"], l["credit_code"]) for l in roster["last_inspections"]}
    departments = sorted(set(plan["departments"]))
    size, cap = plan["team_size"], plan["workload_cap"]
    teams = []
    for t in targets:
        code, region = t["credit_code"], t["region_code"]
        team_seed = seed + ":team:" + code
        order = sorted(roster["inspectors"], key=lambda i: (
            ticket_key(first_fraction(i["inspector_id"], team_seed)), i["inspector_id"]))
        team, counts = [], [0] * len(RULES)
        for i in order:
            iid = i["inspector_id"]
            rule = static_failure(i, plan)
            if rule is None:
                if not region.startswith(jurisdiction_prefix(i["region_code"])):
                    rule = 4
                elif (iid, code) in conflicts:
                    rule = 5
                elif (iid, code) in last:
                    rule = 6
                elif workload.get(iid, 0) >= cap:
                    rule = 7
            if rule is None and len(team) < size:
                covered = {m["department"] for m in team} | {i["department"]}
                missing = [d for d in departments if d not in covered]
                if len(missing) > size - len(team) - 1:
                    rule = 8
                else:
                    team.append(i)
                    continue
            if rule is not None:
                counts[rule] += 1
        if len(team) == size:
            for m in team:
                workload[m["inspector_id"]] = workload.get(m["inspector_id"], 0) + 1
            teams.append({"credit_code": code, "inspectors": [m["inspector_id"] for m in team],
                          "status": "STAFFED", "reason": ""})
            continue
        parts = ["%d %s" % (n, RULES[k]) for k, n in enumerate(counts) if n]
        reason = "%d of %d inspectors found; excluded: %s" % (
            len(team), size, ", ".join(parts) if parts else "none")
        covered = {m["department"] for m in team}
        missing = [d for d in departments if d not in covered]
        if len(departments) > 1 and missing:
            reason += "; departments not covered: " + ", ".join(missing)
        teams.append({"credit_code": code, "inspectors": [], "status": "UNSTAFFED",
                      "reason": reason})
    return teams


# 9. The bundle.
def canonical_json(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def run_draw(inputs, rows, roster):
    """inputs: plan, nonce, round, commitment {kind, nonce_commitment, committed_at,
    min_entropy_delay_seconds, sources [{SOURCE_FIELDS}]}, statements (bundle form, any
    order), and for round >= 1 replacement {previous_bundle_digest, named [codes], counts
    {class: n}, excluded [codes], prior_workload {inspector_id: n}}. `roster` is the round's.
    Returns (bundle JSON text, bundle digest)."""
    plan = canonical_plan(inputs["plan"])
    digests = {"plan": plan_digest(plan)}
    digests.update(population_digests(rows))
    digests["roster"] = roster_digest(roster)
    rep, round = inputs.get("replacement"), inputs["round"]
    scope = {"plan_id": plan["plan_id"], "round": round, "digests": digests}
    if rep is not None:
        scope.update(previous_bundle_digest=rep["previous_bundle_digest"], named=rep["named"])
    c = dict(inputs["commitment"])
    c["digest"] = commitment_digest(scope, c)
    assert nonce_commitment(inputs["nonce"]) == c["nonce_commitment"]
    values = check_statements(scope, c, inputs["statements"])
    seed = derive_seed(c["digest"], inputs["nonce"], values, round)
    if rep is None:
        by_class = {q["class"]: q for q in plan["quotas"]}
        counts = {k: (lambda n, q=by_class[k]: quota(q, n)) for k in CLASSES}
        excluded, workload = set(), {}
    else:
        counts, excluded = rep["counts"], set(rep["excluded"])
        workload = dict(rep["prior_workload"])
    excluded |= repeat_excluded(plan)  # 7: no repeated visits, in every round
    always = set()
    if round == 0 and plan.get("credit", {}).get("dishonest_policy") == "always":
        # 7: the listed enterprises are targets (less those the no-repeat rule excludes:
        # the exclusion wins); no lottery draws a listed or excluded one.
        always = set(plan["credit"]["dishonest"]) - excluded
        excluded = excluded | set(plan["credit"]["dishonest"])
    if c["kind"] == "restaff" or (round == 0 and "targets" in plan):
        # No selection: the named (re-staffing) or listed (targeted plan) targets, in the
        # order of their tickets under this seed.
        named = set(rep["named"]) if rep else {t["credit_code"] for t in plan["targets"]}
        chosen = sorted(((first_fraction(r[0], seed), r) for r in rows if r[0] in named),
                        key=lambda t: (ticket_key(t[0]), t[1][0]))
        classes = [{"class": k, "population": 0, "selected": 0, "cutoff": ""} for k in CLASSES]
        targets = [{"credit_code": r[0], "region_code": r[2], "ticket": t, "rank": i + 1}
                   for i, (t, r) in enumerate(chosen)]
    else:
        classes, targets = select_targets(rows, seed, counts, excluded)
    if always:
        extra = [{"credit_code": r[0], "region_code": r[2], "ticket": first_fraction(r[0], seed)}
                 for r in rows if r[0] in always]
        targets = sorted(targets + extra, key=lambda t: (ticket_key(t["ticket"]), t["credit_code"]))
        targets = [{"credit_code": t["credit_code"], "region_code": t["region_code"],
                    "ticket": t["ticket"], "rank": i + 1} for i, t in enumerate(targets)]
    teams = assign_teams(seed, targets, roster, plan, workload)
    if plan.get("no_repeat", {}).get("mode") == "join":
        # 7, "Joint visits": each target of the earlier set names the round that drew it.
        joined = earlier_set(plan)
        rounds = {c["bundle_digest"]: c for c in plan["no_repeat"]["considered"]}
        for team in teams:
            if team["credit_code"] in joined:
                r = rounds[joined[team["credit_code"]]]
                team["joint_visit"] = {"plan_id": r["plan_id"], "round": r["round"],
                                       "bundle_digest": r["bundle_digest"]}
    order = [s["source_id"] for s in c["sources"]]
    bundle = {"spec": "regulation.draw.v2", "plan": plan,
              "digests": {k: digests[k] for k in
                          ["plan", "population", "population_a", "population_b",
                           "population_c", "population_d", "roster"]},
              "commitment": {"digest": c["digest"], "kind": c["kind"],
                             "nonce_commitment": c["nonce_commitment"],
                             "committed_at": c["committed_at"],
                             "min_entropy_delay_seconds": c["min_entropy_delay_seconds"],
                             "sources": [{k: s[k] for k in SOURCE_FIELDS}
                                         for s in c["sources"]]},
              "nonce": inputs["nonce"],
              "statements": sorted(inputs["statements"], key=lambda s: order.index(s["source_id"])),
              "round": round}
    if rep is not None:
        bundle["replacement"] = {
            "previous_bundle_digest": rep["previous_bundle_digest"],
            "named": sorted(set(rep["named"])),
            "counts": [{"class": k, "count": rep["counts"][k]} for k in CLASSES],
            "excluded": sorted(set(rep["excluded"])),
            "prior_workload": [{"inspector_id": k, "count": v}
                               for k, v in sorted(rep["prior_workload"].items()) if v > 0]}
    bundle.update({"seed": seed, "classes": classes, "targets": targets, "teams": teams})
    text = canonical_json(bundle)
    return text, sha256_hex(text)


# 11.3 The chain between a round and the round before it (both verified alone).
def check_round_chain(previous_text, bundle_text):
    """None when round r follows round r - 1, else what is wrong."""
    prev, b = json.loads(previous_text), json.loads(bundle_text)
    rep, r = b.get("replacement"), b["round"]
    if rep is None or prev["round"] != r - 1 or prev["plan"] != b["plan"]:
        return "the previous bundle is not round %d of this plan" % (r - 1)
    if rep["previous_bundle_digest"] != sha256_hex(previous_text):
        return "round %d names another previous bundle" % r
    if (b["commitment"]["nonce_commitment"] == prev["commitment"]["nonce_commitment"]
            or b["nonce"] == prev["nonce"]):
        return "round %d reuses round %d's nonce commitment" % (r, r - 1)
    if any(s in prev["statements"] for s in b["statements"]):
        return "round %d reuses a statement of round %d" % (r, r - 1)
    earlier = set(prev.get("replacement", {}).get("excluded", []))
    earlier |= {t["credit_code"] for t in prev["targets"]}
    if not earlier <= set(rep["excluded"]):
        return "round %d does not exclude every earlier target" % r
    workload = {w["inspector_id"]: w["count"]
                for w in prev.get("replacement", {}).get("prior_workload", [])}
    for team in prev["teams"]:
        for i in team["inspectors"]:
            workload[i] = workload.get(i, 0) + 1
    if workload != {w["inspector_id"]: w["count"] for w in rep["prior_workload"]}:
        return "round %d's prior workload is not the previous rounds' teams" % r
    if not set(rep["named"]) <= earlier:
        return "round %d names a target no earlier round drew" % r
    return None
