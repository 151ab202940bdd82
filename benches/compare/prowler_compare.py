#!/usr/bin/env python3
"""Maps Prowler's findings to monkey's, check by check and resource by resource.

Usage: prowler_compare.py PROWLER.ocsf.json MONKEY_EXPORT.json MONKEY_CHECKS.json OUT.md -> prints a JSON summary

A monkey check names the Prowler checks it covers in its docs ("Prowler `a`, `b`"), so
`monkey checks --format json` gives the mapping. Resources are matched by their id: the last
part of the ARN (bucket name, sg-..., i-..., user name), or the item name. For each Prowler
check that failed somewhere: the resources both flagged, those only Prowler flagged (each
with the reason monkey does not, from REASONS below) and those only monkey flagged.
"""
import collections, json, re, sys

from prowler_reasons import ALSO, COVERED_BY, REASONS

prowler = json.load(open(sys.argv[1]))
export = json.load(open(sys.argv[2]))
checks = json.load(open(sys.argv[3]))
checks = checks.get("checks", checks) if isinstance(checks, dict) else checks


def rid(text):
    """The id of a resource from its ARN or name: the last path or colon part, lower-cased."""
    text = (text or "").strip()
    m = re.match(r"^(.*) \((sg-[0-9a-f]+) in ", text)  # security group item names: "name (sg-... in vpc-...)"
    if m:
        return m.group(2)
    return re.split(r"[/:]", text)[-1].lower() if text else ""


# monkey check id -> Prowler check ids it covers
covers = {}
for check in checks:
    docs = check.get("docs", "")
    ids = set()
    for segment in re.split(r"[;\n]", docs):
        if "Prowler" in segment:
            last = ""
            for token in re.findall(r"`([a-z0-9_]+)`", segment.split("Prowler", 1)[1]):
                if token.startswith("_") and last:  # `iam_password_policy_uppercase`, `_lowercase`
                    token = last.rsplit("_", 1)[0] + token
                ids.add(token)
                last = token
    covers[check["id"]] = ids
# Mappings the docs give in prose ("the per-port checks", "their inline variants").
for pid, mids in COVERED_BY.items():
    for mid in mids:
        covers.setdefault(mid, set()).add(pid)
prowler_to_monkey = collections.defaultdict(set)
for mid, pids in covers.items():
    for pid in pids:
        prowler_to_monkey[pid].add(mid)

# Prowler FAILs: check -> resource ids
p_fail, p_pass = collections.defaultdict(set), collections.defaultdict(set)
for f in prowler:
    code = f["metadata"]["event_code"]
    res = (f.get("resources") or [{}])[0]
    r = rid(res.get("uid")) or rid(res.get("name"))
    (p_fail if f["status_code"] == "FAIL" else p_pass)[code].add(r)

# monkey open issues: check -> resource ids
m_fail = collections.defaultdict(set)
account_level = collections.defaultdict(set)
for item in export.get("items", export if isinstance(export, list) else []):
    r = rid(item.get("arn")) or rid(item.get("name"))
    for issue in item.get("issues", []):
        check = issue.get("check") or (issue.get("key") or {}).get("check")
        m_fail[check].add(r)
        if item.get("technology") in ("iamaccount", "ebsencryption"):
            account_level[check].add(r)

rows, summary = [], {"prowler_checks_failed": 0, "both": 0, "only_prowler_findings": 0, "only_monkey_findings": 0,
                     "prowler_findings": 0, "unexplained": []}
for pid in sorted(p_fail):
    mids = sorted(prowler_to_monkey.get(pid, ()))
    pr = p_fail[pid]
    mr = set().union(*(m_fail.get(m, set()) for m in mids)) if mids else set()
    if mids and any(account_level.get(m) for m in mids) and mr:
        both, only_p, only_m = pr, set(), set()  # account-level: one resource each side, named differently
    else:
        both, only_p, only_m = pr & mr, pr - mr, mr - pr
    also = set().union(*(m_fail.get(m, set()) for m in ALSO.get(pid, ()))) & only_p
    only_p = only_p - also
    reason = REASONS.get(pid, "") if also else ""
    if only_p and not REASONS.get(pid):
        summary["unexplained"].append(pid)
        reason = "UNEXPLAINED"
    elif only_p:
        reason = REASONS[pid]
    summary["prowler_checks_failed"] += 1
    summary["prowler_findings"] += len(pr)
    summary["both"] += len(both)
    summary["under_another_check"] = summary.get("under_another_check", 0) + len(also)
    summary["only_prowler_findings"] += len(only_p)
    rows.append((pid, len(pr), ", ".join(f"`{m}`" for m in mids) or "—", len(mr), len(both), len(also), len(only_p),
                 len(only_m), reason, sorted(only_p)[:3]))

mapped = set().union(*covers.values())
monkey_only_checks = sorted(c for c in m_fail if not (covers.get(c, set()) & set(p_fail)))
summary["only_monkey_findings"] = sum(r[7] for r in rows) + sum(len(m_fail[c]) for c in monkey_only_checks)
summary["monkey_checks_with_findings"] = len(m_fail)
summary["monkey_findings"] = sum(len(v) for v in m_fail.values())

with open(sys.argv[4], "w") as out:
    out.write("# Prowler vs monkey: findings by check\n\n")
    out.write(f"Prowler failed {summary['prowler_checks_failed']} checks on {summary['prowler_findings']} resources; "
              f"monkey opened issues of {summary['monkey_checks_with_findings']} checks on {summary['monkey_findings']} "
              f"(check, resource) pairs. Resources matched by id (bucket name, sg-/i-/vol-/snap- id, IAM name).\n\n")
    out.write("| Prowler check | Prowler FAIL | monkey check(s) | monkey | both | monkey, under another check | only Prowler | only monkey | why monkey does not flag the rest under this check |\n")
    out.write("|---|---:|---|---:|---:|---:|---:|---:|---|\n")
    for pid, np, mids, nm, nb, na, nop, nom, reason, sample in rows:
        example = f" (e.g. {', '.join(sample)})" if reason == "UNEXPLAINED" else ""
        out.write(f"| `{pid}` | {np} | {mids} | {nm} | {nb} | {na} | {nop} | {nom} | {reason}{example} |\n")
    out.write("\n## monkey checks with findings and no failing Prowler counterpart\n\n")
    out.write("| monkey check | resources | Prowler checks it covers (all passed or not run) |\n|---|---:|---|\n")
    for c in monkey_only_checks:
        pids = sorted(covers.get(c, ()))
        out.write(f"| `{c}` | {len(m_fail[c])} | {', '.join(f'`{p}`' for p in pids) or '— (Security Monkey check)'} |\n")
print(json.dumps(summary))
