"""Checks that `aegis canary`'s JSON report says what kubectl shows for the same pods.
    agree.py REPORT_JSON PODS_JSON CONSTRAINT_JSON DESCRIBE_TXT
PODS_JSON: `kubectl get pods -o json` of the namespace; CONSTRAINT_JSON: `kubectl get
aegissignedpod NAME -o json`; DESCRIBE_TXT: `kubectl describe pod` of the tampered canary.
Prints each comparison; exits 1 on the first disagreement.
"""
import json
import re
import sys

VERIFIER = re.compile(r"verify")  # the policy's initContainerPattern (the shipped default)


def verifier_status(pod):
    for s in pod.get("status", {}).get("initContainerStatuses", []):
        if VERIFIER.search(s["name"]):
            return s
    return None


def terminated(status):
    """The verifier's last termination (state, else lastState), or None."""
    for key in ("state", "lastState"):
        t = status.get(key, {}).get("terminated")
        if t:
            return t
    return None


def ready(pod):
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod.get("status", {}).get("conditions", []))


def main(report_path, pods_path, constraint_path, describe_path):
    report = json.load(open(report_path))
    pods = {p["metadata"]["labels"].get("aegis/canary"): p for p in json.load(open(pods_path))["items"]}
    violations = json.load(open(constraint_path)).get("status", {}).get("violations", [])
    describe = open(describe_path).read()
    criteria = {c["role"]: c for c in report["criteria"]}
    problems = []

    def check(ok, what):
        print(("agree: " if ok else "DISAGREE: ") + what)
        if not ok:
            problems.append(what)

    check(report["exitCode"] == 0 and all(c["verdict"] == "PASS" for c in criteria.values()) and len(criteria) == 3,
          f"aegis canary: exit {report['exitCode']}, verdicts {[(r, c['verdict']) for r, c in criteria.items()]}")

    pod = pods["positive"]
    name, status = pod["metadata"]["name"], verifier_status(pod)
    t = terminated(status) if status else None
    evidence = " ".join(criteria["positive"]["evidence"])
    check(t is not None and t["exitCode"] == 0 and ready(pod),
          f"kubectl: {name}: verifier exit {t and t['exitCode']}, Ready {ready(pod)}")
    check(name in evidence and "exit 0" in evidence and "Ready" in evidence, f"canary: {evidence}")

    pod = pods["tampered"]
    name, status = pod["metadata"]["name"], verifier_status(pod)
    t = terminated(status) if status else None
    message = (t or {}).get("message", "").strip()
    evidence = " ".join(criteria["tampered"]["evidence"])
    check(t is not None and t["exitCode"] == 5 and message and not ready(pod),
          f"kubectl: {name}: verifier exit {t and t['exitCode']}, Ready {ready(pod)}, message {message!r}")
    check(name in evidence and "exited 5" in evidence and message.splitlines()[0] in evidence if message else False,
          f"canary: {evidence}")
    check(re.search(r"Exit Code:\s+5\b", describe) is not None and message.splitlines()[0] in describe if message else False,
          "kubectl describe pod shows exit code 5 and the same termination message")

    name = pods["violating"]["metadata"]["name"]
    recorded = [v for v in violations if v["name"] == name and v["namespace"] == pods["violating"]["metadata"]["namespace"]]
    evidence = " ".join(criteria["violating"]["evidence"])
    check(bool(recorded), f"kubectl: the audit records {name}: {[v['message'] for v in recorded]}")
    check(name in evidence and all(v["message"] in evidence for v in recorded), f"canary: {evidence}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
