# github_checks.py - what GitHub code scanning requires of a SARIF upload beyond the schema
# (docs.github.com "SARIF support for code scanning"), checked on one document.
# Usage: python3 github_checks.py FILE.sarif; prints one problem per line, exits 1 on any.
import json
import re
import sys

doc = json.load(open(sys.argv[1], encoding="utf-8"))
problems = []
runs = doc.get("runs", [])
if len(runs) != 1:
    problems.append(f"expected one run, got {len(runs)}")
for run in runs:
    driver = run["tool"]["driver"]
    rules = driver.get("rules", [])
    ids = [r["id"] for r in rules]
    if len(ids) != len(set(ids)):
        problems.append("duplicate rule ids")
    for r in rules:
        props = r.get("properties", {})
        sev = props.get("security-severity")
        if not isinstance(sev, str) or not re.fullmatch(r"\d+(\.\d+)?", sev) or not 0 <= float(sev) <= 10:
            problems.append(f"rule {r['id']}: security-severity must be a string number 0-10: {sev!r}")
        if "security" not in props.get("tags", []):
            problems.append(f"rule {r['id']}: no 'security' tag, GitHub ignores security-severity")
        if not r.get("helpUri", "").startswith("https://"):
            problems.append(f"rule {r['id']}: helpUri")
        if not r.get("help", {}).get("markdown"):
            problems.append(f"rule {r['id']}: help.markdown")
    if run.get("columnKind") not in (None, "utf16CodeUnits"):
        problems.append("GitHub assumes utf16CodeUnits columns")
    prints = set()
    for i, res in enumerate(run.get("results", [])):
        where = f"result {i}"
        if ids[res["ruleIndex"]] != res["ruleId"]:
            problems.append(f"{where}: ruleIndex does not point at ruleId")
        if not res.get("message", {}).get("text"):
            problems.append(f"{where}: empty message")
        locs = res.get("locations", [])
        if not locs:
            problems.append(f"{where}: GitHub rejects results without a location")
        for loc in locs:
            uri = loc["physicalLocation"]["artifactLocation"].get("uri", "")
            if not uri or uri.startswith("/") or "\\" in uri or " " in uri or uri.startswith("./"):
                problems.append(f"{where}: artifact uri {uri!r}")
            reg = loc["physicalLocation"].get("region")
            if reg:
                end_line = reg.get("endLine", reg["startLine"])
                if end_line < reg["startLine"]:
                    problems.append(f"{where}: region ends before it starts")
                if end_line == reg["startLine"] and reg.get("endColumn", 10**9) <= reg.get("startColumn", 1):
                    problems.append(f"{where}: empty or reversed column span")
        fp = res.get("partialFingerprints", {}).get("plimsoll/v1", "")
        if not re.fullmatch(r"[0-9a-f]{16}:\d+", fp):
            problems.append(f"{where}: fingerprint {fp!r}")
        if fp in prints:
            problems.append(f"{where}: fingerprint {fp} repeats")
        prints.add(fp)
for p in problems:
    print(p)
sys.exit(1 if problems else 0)
