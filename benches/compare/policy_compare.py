#!/usr/bin/env python3
"""Compares monkey's policy answers with policyuniverse's, policy by policy, and gives the
reason for every disagreement.

Usage: policy_compare.py CORPUS OURS THEIRS OUT.md -> writes the list, prints a JSON summary.

Who-is-allowed answers are compared as sets of values (the principal or condition value):
the two tools name the categories differently (policyuniverse says `principal:` for every
principal and `arn:` / `organization:` for condition values; monkey says `account:`,
`service:`, `federated:`, `canonical:`, `orgid:` ...). A disagreement no rule below explains
is listed as UNEXPLAINED: that is a bug of one tool to look at.
"""
import json, re, sys, urllib.parse

corpus = json.load(open(sys.argv[1]))
ours = json.load(open(sys.argv[2]))
theirs = json.load(open(sys.argv[3]))


def decode(document):
    if isinstance(document, str):
        try:
            text = document if document.lstrip().startswith("{") else urllib.parse.unquote(document)
            return json.loads(text)
        except ValueError:
            return document
    return document


def statements(document):
    if not isinstance(document, dict):
        return []
    s = document.get("Statement", [])
    return [x for x in (s if isinstance(s, list) else [s]) if isinstance(x, dict)]


def listed(value):
    return value if isinstance(value, list) else [value]


def conditions(statement):
    """(operator, key, value) of every condition value."""
    out = []
    block = statement.get("Condition")
    if isinstance(block, dict):
        for operator, keys in block.items():
            if isinstance(keys, dict):
                for key, values in keys.items():
                    for value in listed(values):
                        out.append((operator, key.lower(), str(value)))
    return out


def values(answer):
    return {w if w == "*" else w.split(":", 1)[1] for w in answer.get("who", [])}


OPEN = re.compile(r"^(vpce?-|o-)?\*$")


def is_open(key, value):
    if key == "aws:sourceip":
        return value.endswith("/0")
    if value.startswith("arn:"):
        parts = value.split(":", 5)
        if len(parts) < 6:
            return True
        account, resource = parts[4], parts[5]
        return ("*" in account) if account else set(resource) <= set("*?:/")
    return bool(OPEN.match(value)) or set(value) <= set("*?")


def why_value(document, value, side):
    """Why `value` is in `side`'s who-is-allowed answer and not the other's."""
    for statement in statements(document):
        if statement.get("Effect") != "Allow":
            continue
        for operator, key, v in conditions(statement):
            if v != value:
                continue
            if side == "theirs" and operator.lower().endswith("ifexists"):
                return ("if-exists", "an `...IfExists` condition holds for callers without the key, so it restricts no one: "
                        "monkey lists only conditions that narrow who is allowed (ours right)")
            if side == "theirs" and is_open(key, v):
                return ("open-value", f"`{key}` = `{v}` matches (almost) anyone: monkey lists only values that name "
                        "callers; policyuniverse lists every value (ours right: the statement is open either way)")
        principal = statement.get("Principal")
        if isinstance(principal, dict) and side == "ours" and value in listed(principal.get("CanonicalUser", [])):
            return ("canonical-user", "a `CanonicalUser` principal (S3 ACL grantee ids, CloudFront origin access "
                    "identities): policyuniverse ignores the CanonicalUser key (ours right)")
        if "NotPrincipal" in statement and side == "ours" and value == "*":
            return ("not-principal", "an Allow with `NotPrincipal` lets in everyone but the named: monkey says `*`, "
                    "policyuniverse lists nobody for it, though its is_internet_accessible counts NotPrincipal as everyone (ours right)")
    return ("UNEXPLAINED", "")


def why_internet(document, ours_open):
    sts = statements(document)
    if not ours_open:
        denies = [s for s in sts if s.get("Effect") == "Deny" and s.get("Principal") == "*"]
        if any(k for s in denies for (op, k, _) in conditions(s) if op.lower().startswith(("stringnot", "arnnot", "notip"))):
            return ("deny-neutralises", "a Deny for `*` covering the Allow's actions and resources unless the caller is a named "
                    "one (`StringNotEquals aws:SourceVpce`, `NotIpAddress` ...) takes the open Allow back; "
                    "policyuniverse looks at each Allow alone (ours right)")
        for s in sts:
            for p in listed((s.get("Principal") or {}).get("AWS", []) if isinstance(s.get("Principal"), dict) else []):
                if isinstance(p, str) and p.startswith("arn:") and "*" in p:
                    return ("wildcard-principal-arn", "a principal ARN with a wildcard (`arn:aws:iam::*:root`): IAM "
                            "rejects such a policy (\"Invalid principal\"; only `*` may be a wildcard principal), so "
                            "it cannot be on a resource; policyuniverse calls it open, monkey takes the ARN literally "
                            "(disputable; see the report)")
    else:
        for s in sts:
            for op, k, v in conditions(s):
                if op.lower().endswith("ifexists"):
                    return ("if-exists", "the only narrowing condition is `...IfExists`, true for callers without the key "
                            "(anonymous internet callers have no aws:SourceVpce): still open (ours right)")
                if k == "aws:sourcearn" and v.startswith("arn:aws:s3:::") and is_open(k, v):
                    return ("s3-arn-wildcard", f"`aws:SourceArn` `{v}` matches any bucket of any account, and anyone can "
                            "create a bucket: policyuniverse skips S3 ARNs as account-less (ours right)")
    return ("UNEXPLAINED", "")


def why_error(document, ours_answer, their_answer):
    if "error" in ours_answer and "error" not in their_answer:
        return ("ours-rejects", f"monkey rejects the document ({ours_answer['error']}); policyuniverse answers "
                f"{json.dumps(their_answer)} from what it can read. A policy AWS would not accept: no finding either way")
    return ("theirs-fails", f"policyuniverse raises ({their_answer['error']}); monkey answers {json.dumps(ours_answer)}")


EFFECT_CASE = ("effect-case", "`\"Effect\": \"allow\"` in lower case: monkey reads other casings of Allow/Deny as "
               "written (documented in Policy::parse: a false alarm is cheaper than a missed one); policyuniverse "
               "compares with \"Allow\" exactly and ignores the statement. IAM's validator refuses the lower-case "
               "spelling, so such a policy cannot be attached (ours conservative)")


def odd_effect(document):
    return any(s.get("Effect") not in ("Allow", "Deny") and str(s.get("Effect")).lower() in ("allow", "deny")
               for s in statements(document))


rows, summary = [], {"policies": len(corpus), "agree": 0, "disagree": 0, "reasons": {}}
for index, (document, o, t) in enumerate(zip(corpus, ours, theirs)):
    doc = decode(document)
    problems = []
    if ("error" in o) != ("error" in t):
        problems.append(("error",) + why_error(doc, o, t))
    elif "error" not in o:
        if o["internet"] != t["internet"]:
            problems.append((f"internet: monkey {o['internet']}, policyuniverse {t['internet']}",)
                            + (EFFECT_CASE if odd_effect(doc) else why_internet(doc, o["internet"])))
        ov, tv = values(o), values(t)
        for v in sorted(tv - ov):
            problems.append((f"who: only policyuniverse lists `{v}`",) + why_value(doc, v, "theirs"))
        for v in sorted(ov - tv):
            problems.append((f"who: only monkey lists `{v}`",) + (EFFECT_CASE if odd_effect(doc) else why_value(doc, v, "ours")))
    if problems:
        summary["disagree"] += 1
        for what, code, reason in problems:
            summary["reasons"][code] = summary["reasons"].get(code, 0) + 1
        rows.append((index, document, o, t, problems))
    else:
        summary["agree"] += 1

with open(sys.argv[4], "w") as out:
    out.write(f"# monkey vs policyuniverse: {summary['agree']} of {len(corpus)} policies agree\n\n")
    out.write("Every disagreement, with its reason (codes counted in the summary).\n\n")
    for index, document, o, t, problems in rows:
        out.write(f"## policy {index}\n\n```json\n{json.dumps(document)}\n```\n\n")
        out.write(f"- monkey: `{json.dumps(o)}`\n- policyuniverse: `{json.dumps(t)}`\n")
        for what, code, reason in problems:
            out.write(f"- **{what}** [{code}] {reason}\n")
        out.write("\n")
print(json.dumps(summary))
