"""The bypasses in manifests/known-bad are refused by real Gatekeeper with the shipped
template and constraint, with exactly the findings their `aegis.dev/expect` annotation lists
(the same annotation `aegis lint` is tested against in tests/corpus/corpus_test.cc).

usage: known_bad.py GATOR SOURCE_DIR    exit 0 when every object matches, 1 otherwise
"""
import collections
import glob
import json
import os
import subprocess
import sys

import yaml  # run with the kubernetes-validate venv's python

gator, source = sys.argv[1], sys.argv[2]
failures = 0
for path in sorted(glob.glob(os.path.join(source, "manifests/known-bad/*.yaml"))):
    doc = yaml.safe_load(open(path))
    want = collections.Counter(doc["metadata"]["annotations"]["aegis.dev/expect"].split())
    p = subprocess.run([gator, "test", "-o", "json", "-f", os.path.join(source, "policies/constrainttemplate.yaml"),
                        "-f", os.path.join(source, "policies/constraint-enforce.yaml"),
                        # the namespace the examples use, labelled as serving models (the shipped scope)
                        "-f", os.path.join(source, "manifests/namespace.yaml"), "-f", path],
                       capture_output=True, text=True)
    got = collections.Counter()
    for r in json.loads(p.stdout or "null") or []:
        if "metadata" not in r:  # gator could not evaluate the object: a failure, with its reason
            got[r.get("msg", "error")] += 1
            continue
        d = r["metadata"]["details"]
        got[(d["component"] + ":" if d["component"] else "") + d["id"]] += 1
    name = os.path.basename(path)
    if got == want:
        print(f"ok   {name}: {' '.join(sorted(got.elements()))}")
    else:
        failures += 1
        print(f"FAIL {name}: gator found {dict(got)}, the annotation lists {dict(want)}")
sys.exit(1 if failures else 0)
