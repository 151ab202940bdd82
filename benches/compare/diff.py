#!/usr/bin/env python3
"""Times the Python diff tools a team would script on the inputs `compare diff-inputs` wrote.

Usage: diff.py DIR  -> one JSON line per input: {"input", "<tool>_ns", ...}
Inputs are parsed before timing; each figure is the median of 7 timeit runs (autoranged).
"""
import json, pathlib, statistics, sys, timeit

import jsonpatch
from deepdiff import DeepDiff
from jsondiff import diff as jsondiff_diff

TOOLS = {
    "deepdiff": lambda old, new: DeepDiff(old, new),
    # Our diff pairs list elements regardless of order; DeepDiff's equivalent:
    "deepdiff_ignore_order": lambda old, new: DeepDiff(old, new, ignore_order=True),
    "jsondiff": lambda old, new: jsondiff_diff(old, new),
    "jsonpatch": lambda old, new: jsonpatch.make_patch(old, new),
}


def median_ns(fn):
    timer = timeit.Timer(fn)
    once = timer.timeit(number=1)
    if once > 5.0:  # very slow (jsondiff on 1,000 statements): that one call
        return once * 1e9
    if once > 0.5:  # slow: three single calls
        return statistics.median([once] + timer.repeat(repeat=2, number=1)) * 1e9
    number, _ = timer.autorange()  # enough calls for >= 0.2 s
    runs = timer.repeat(repeat=7, number=number)
    return statistics.median(runs) / number * 1e9


def main():
    for path in sorted(pathlib.Path(sys.argv[1]).glob("*.json")):
        pair = json.loads(path.read_text())
        old, new = pair["old"], pair["new"]
        row = {"input": pair["name"], "what": pair["what"]}
        for name, tool in TOOLS.items():
            if not tool(old, new):
                raise SystemExit(f"{name} found no change in {path}")
            row[f"{name}_ns"] = median_ns(lambda: tool(old, new))
        print(json.dumps(row), flush=True)


main()
