#!/usr/bin/env python3
"""hadolint conformance: run every case of ../shared/conformance/hadolint/cases.jsonl.

For each case, Plimsoll scans the exact Dockerfile text with every rule on (--enable all)
and the case's configuration translated to .plimsoll.yml, and counts the findings whose
`aka` holds the case's DL id. A case agrees when that count meets the expectation (hit:
at least one, or exactly `count`; no-hit: none). Cases where Plimsoll disagrees on purpose
are listed with the reason in hadolint-disagreements.tsv; they pass as such, and a listed
case that starts agreeing is reported so the list stays honest. Prints TAP lines and a
summary with the agreement rate.
"""
import json, os, subprocess, sys, tempfile

root = os.environ.get("PL_ROOT", os.path.join(os.path.dirname(__file__), "..", ".."))
shared = os.environ.get("SHARED", os.path.join(root, "..", "shared"))
binary = os.environ.get("PLIMSOLL", os.path.join(root, "build", "plimsoll"))
cases_path = os.path.join(shared, "conformance", "hadolint", "cases.jsonl")
if not os.path.exists(cases_path):
    print("ok - hadolint conformance # SKIP cases not found at " + cases_path)
    sys.exit(0)

disagree = {}
with open(os.path.join(os.path.dirname(__file__), "hadolint-disagreements.tsv")) as f:
    for line in f:
        if line.strip() and not line.startswith("#"):
            cid, reason = line.rstrip("\n").split("\t", 1)
            disagree[cid] = reason

def yaml_config(hc):
    out = []
    if not hc:
        return ""
    if "trustedRegistries" in hc:
        regs = hc["trustedRegistries"]
        regs = regs if isinstance(regs, list) else [regs]
        out.append("trusted-registries: [" + ", ".join(json.dumps(r) for r in regs) + "]")
    if "label-schema" in hc:
        out.append("label-schema:")
        for k, v in hc["label-schema"].items():
            out.append(f"  {json.dumps(k)}: {v}")
    if hc.get("strict-labels"):
        out.append("strict-labels: true")
    return "\n".join(out) + "\n"

agree = by_design = fail = 0
per_rule = {}
with tempfile.TemporaryDirectory() as tmp, open(cases_path) as f:
    for line in f:
        case = json.loads(line)
        cid, rule = case["id"], case["rule"]
        df = os.path.join(tmp, "Dockerfile")
        with open(df, "w") as out:
            out.write(case["dockerfile"])
        cfg = os.path.join(tmp, "plimsoll.yml")
        with open(cfg, "w") as out:
            out.write(yaml_config(case["hadolint_config"]) or "fail-on: none\n")
        p = subprocess.run([binary, "scan", "--enable", "all", "--no-context", "--format",
                            "json", "--fail-on", "none", "--config", cfg, df],
                           capture_output=True, text=True)
        try:
            findings = json.loads(p.stdout)["findings"]
        except Exception:
            print(f"not ok - {cid} {rule}: no JSON report (rc={p.returncode}) {p.stderr[:200]}")
            fail += 1
            continue
        n = sum(1 for x in findings if rule in x.get("aka", []))
        want = case["count"]
        if case["expect"] == "hit":
            good = n >= 1 if want is None else n == want
        else:
            good = n == 0
        stats = per_rule.setdefault(rule, [0, 0])
        stats[1] += 1
        if good:
            stats[0] += 1
            agree += 1
            if cid in disagree:
                print(f"not ok - {cid} {rule} now agrees: remove it from hadolint-disagreements.tsv")
                fail += 1
            else:
                print(f"ok - {cid} {rule}")
        elif cid in disagree:
            by_design += 1
            print(f"ok - {cid} {rule} # disagreement on purpose: {disagree[cid]}")
        else:
            fail += 1
            exp = case["expect"] + ("" if want is None else f" count={want}")
            print(f"not ok - {cid} {rule}: expected {exp}, Plimsoll found {n}: {case['case']}")
            print("#   " + case["dockerfile"].replace("\n", "\n#   "))

total = agree + by_design + fail
print(f"# hadolint cases: {total}, agree {agree} ({100.0 * agree / max(total, 1):.1f}%), "
      f"disagree on purpose {by_design}, unexplained {fail}")
