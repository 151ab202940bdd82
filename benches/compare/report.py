#!/usr/bin/env python3
"""Prints the Markdown tables of `benches/compare/run` from the raw results in DIR.

Usage: report.py DIR
"""
import json, pathlib, re, sys

D = pathlib.Path(sys.argv[1])


def lines(name):
    path = D / name
    return [json.loads(l) for l in path.read_text().splitlines() if l.strip().startswith("{")] if path.exists() else []


def timev(name):
    """Wall seconds, CPU seconds and peak RSS (bytes) from a `/usr/bin/time -v` report."""
    path = D / name
    if not path.exists():
        return None
    text = path.read_text()
    if "Elapsed" not in text:
        return None
    grab = lambda label: re.search(re.escape(label) + r".*: (\S+)\s*$", text, re.M).group(1)
    wall = 0.0
    for part in grab("Elapsed (wall clock) time").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(grab("User time")) + float(grab("System time"))
    return {"wall": wall, "cpu": cpu, "rss": int(grab("Maximum resident set size")) * 1024}


def t(ns):
    if ns is None:
        return "—"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.0f} ns"


def mib(b):
    return f"{b / 2**20:,.0f} MiB"


out = []
# --- diffing
rust = {r["input"]: r for r in lines("diff-rust.jsonl")}
py = {r["input"]: r for r in lines("diff-python.jsonl")}
if rust and py:
    out += ["### Diffing: time per diff (inputs parsed beforehand; median)", "",
            "| input | monkey (diff + JSON Patch) | deepdiff | deepdiff `ignore_order` | jsondiff | jsonpatch `make_patch` | fastest Python ÷ monkey | ≥ 100× |",
            "|---|---:|---:|---:|---:|---:|---:|:-:|"]
    order = ["iam_policy_10", "iam_policy_100", "iam_policy_1000", "security_group_5", "security_group_500", "s3_bucket"]
    for name in [n for n in order if n in rust] + [n for n in rust if n not in order]:
        r, p = rust[name], py.get(name, {})
        tools = ["deepdiff", "deepdiff_ignore_order", "jsondiff", "jsonpatch"]
        fastest = min(p[f"{x}_ns"] for x in tools if f"{x}_ns" in p) if p else None
        ratio = fastest / r["diff_patch_ns"] if fastest else None
        out.append(f"| {name.replace('_', ' ')} ({p.get('what', '')}) | {t(r['diff_patch_ns'])} | "
                   + " | ".join(t(p.get(f"{x}_ns")) for x in tools)
                   + f" | {ratio:,.0f}× | {'yes' if ratio and ratio >= 100 else '**no**'} |")
    out.append("")
# --- policies
rows = []
for label, suffix in (("varied corpus (1 or 2 statements, malformed ones)", ""), ("large: bucket policies, identity policies of 5 to 100 statements", "-large")):
    pr, pp, ps = lines(f"policy{suffix}-rust.jsonl"), lines(f"policy{suffix}-python.jsonl"), lines(f"policy{suffix}-summary.jsonl")
    if not (pr and pp):
        continue
    r, p = pr[0], pp[0]
    ratio = p["ns_per_policy"] / r["ns_per_policy"]
    agree = ps[0] if ps else {}
    explained = "yes" if agree and "UNEXPLAINED" not in agree.get("reasons", {}) else "**no**"
    rows.append(f"| {label} | {r['policies']} | {t(r['ns_per_policy'])} ({t(r['ns_per_policy_borrowed'])} borrowing) | "
                f"{t(p['ns_per_policy'])} | {ratio:,.0f}× ({p['ns_per_policy'] / r['ns_per_policy_borrowed']:,.0f}×) | "
                f"{'yes' if ratio >= 50 else '**no**'} | {agree.get('agree', '?')} of {agree.get('policies', '?')} "
                f"(all disagreements explained: {explained}) |")
if rows:
    out += ["### Policy analysis: parse + internet accessible + who is allowed, per policy", "",
            "| policies | count | monkey | policyuniverse | policyuniverse ÷ monkey | ≥ 50× | answers agree |",
            "|---|---:|---:|---:|---:|:-:|---|"] + rows + [""]
# --- scanning
tp, tm = timev("scan/prowler.time"), timev("scan/monkey.time")
if tp and tm:
    calls = json.loads((D / "scan/calls.json").read_text()) if (D / "scan/calls.json").exists() else {}
    summary = lines("scan/compare-summary.jsonl")
    s = summary[0] if summary else {}
    estate = (D / "scan/estate.txt").read_text().strip() if (D / "scan/estate.txt").exists() else ""
    out += [f"### Scanning one moto account ({estate}): Prowler `--service s3 ec2 iam` vs `monkey find-changes` (collect, diff, audit, store)", "",
            "| | Prowler | monkey | Prowler ÷ monkey |", "|---|---:|---:|---:|",
            f"| wall time | {tp['wall']:.1f} s | {tm['wall']:.1f} s | {tp['wall'] / tm['wall']:.1f}× |",
            f"| CPU time | {tp['cpu']:.1f} s | {tm['cpu']:.1f} s | {tp['cpu'] / max(tm['cpu'], 0.01):.1f}× |",
            f"| peak memory (RSS) | {mib(tp['rss'])} | {mib(tm['rss'])} | {tp['rss'] / tm['rss']:.1f}× |",
            f"| API calls (moto's request log) | {calls.get('prowler', '?'):,} | {calls.get('monkey', '?'):,} | "
            f"{calls.get('prowler', 0) / max(calls.get('monkey', 1), 1):.1f}× |",
            f"| findings (FAIL resources / open issues) | {s.get('prowler_findings', '?'):,} on {s.get('prowler_checks_failed', '?')} checks | "
            f"{s.get('monkey_findings', '?'):,} on {s.get('monkey_checks_with_findings', '?')} checks | |",
            f"| Prowler's findings: monkey flags them (same check / another check) / does not | | "
            f"{s.get('both', 0):,} / {s.get('under_another_check', 0):,} / {s.get('only_prowler_findings', 0):,} "
            f"(unexplained: {len(s.get('unexplained', [])) if s else '?'}; reasons in scan/findings.md) | |", ""]
# --- scale
rows = []
for path in sorted(D.glob("scale/scale-*.jsonl"), key=lambda p: int(re.findall(r"\d+", p.name)[0])):
    n = re.findall(r"\d+", path.name)[0]
    passes = lines(f"scale/{path.name}")
    tv = timev(f"scale/scale-{n}.time")
    first = next((p for p in passes if p.get("pass") == 1), None)
    second = next((p for p in passes if p.get("pass") == 2), None)
    store = next((p["store_bytes"] for p in passes if "store_bytes" in p), 0)
    if first and tv:
        per100k = tv["rss"] / first["items"] * 100_000
        again = "—" if not second else "%.1f s (%s/s)" % (second["seconds"], format(round(second["items_per_second"]), ","))
        ok = first["seconds"] < 60 and tv["rss"] < 2 * 2**30 if first["items"] >= 900_000 else None
        rows.append(f"| {first['items']:,} ({first['accounts']} accounts × {first['items'] // first['accounts']:,}) | "
                    f"{first['seconds']:.1f} s | {first['items_per_second']:,.0f} | "
                    f"{again} | "
                    f"{tv['wall']:.1f} s | {mib(tv['rss'])} | {mib(per100k)} | {mib(store)} | "
                    f"{'—' if ok is None else ('yes' if ok else '**no**')} |")
if rows:
    out += ["### Scale: synthetic estate through replay watchers, change detection, every check, redb commits", "",
            "| items | first pass (all new) | items/s | second pass (unchanged) | process wall | peak RSS | RSS per 100k items | store on disk | 1M < 60 s and < 2 GiB |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|:-:|"] + rows + [""]
phases = lines("scale/phases.jsonl")
if phases:
    p = phases[0]
    total = sum(p["phases"].values())
    out += [f"Where the time goes ({p['items']:,} items, one unit at a time, {p['seconds']:.1f} s): "
            + ", ".join(f"{name} {secs / total:.0%}" for name, secs in sorted(p["phases"].items(), key=lambda kv: -kv[1])) + ".", ""]
print("\n".join(out))
