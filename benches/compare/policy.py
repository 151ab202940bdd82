#!/usr/bin/env python3
"""policyuniverse (Security Monkey's policy engine) on the corpus `compare policy-corpus` wrote.

Usage: policy.py CORPUS ANSWERS -> writes policyuniverse's answers, prints one JSON line with
the time per policy. A document given as text is decoded first (json.loads, after URL
decoding when it is URL-encoded), as Security Monkey does before calling policyuniverse.
"""
import json, statistics, sys, timeit, urllib.parse

from policyuniverse.policy import Policy


def decode(document):
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else urllib.parse.unquote(document)
        return json.loads(text)
    return document


def answer(document):
    try:
        policy = Policy(decode(document))
        who = sorted({f"{entry.category}:{entry.value}" for entry in policy.whos_allowed()})
        return {"internet": policy.is_internet_accessible(), "who": who}
    except Exception as error:  # policyuniverse raises whatever the malformed input provokes
        return {"error": f"{type(error).__name__}: {error}"}


def evaluate(corpus):
    for document in corpus:
        try:
            policy = Policy(decode(document))
            policy.is_internet_accessible()
            policy.whos_allowed()
        except Exception:
            pass


def main():
    corpus = json.load(open(sys.argv[1]))
    json.dump([answer(d) for d in corpus], open(sys.argv[2], "w"), indent=1)
    timer = timeit.Timer(lambda: evaluate(corpus))
    number, _ = timer.autorange()
    per_corpus = statistics.median(timer.repeat(repeat=7, number=number)) / number
    print(json.dumps({"policies": len(corpus), "ns_per_policy": per_corpus / len(corpus) * 1e9}))


main()
