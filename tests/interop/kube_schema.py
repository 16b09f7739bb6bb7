"""Every object `aegis render` and `aegis render --template` produce for a core kind validates
against the real Kubernetes OpenAPI schemas (kubernetes-validate, strict: unknown fields are
errors), for each Kubernetes version given.

Inputs: every document of tests/corpus, tests/golden/render, manifests/ and the public
manifests of tests/realworld of a core kind
that render must not refuse (`aegis.dev/render-error`; the golden cases of refusals). Each is
rendered on its own. An input that validates must give an output that validates. The corpus
keeps its objects small (a Deployment without `selector`, say), so an input that does not
validate as a whole is checked through its pod spec: when the pod spec is valid in a Pod, the
rendered pod spec must be too. A negative control checks that the validator does reject a
broken pod spec.

usage: python kube_schema.py AEGIS_BIN SOURCE_DIR VERSION… (run with the venv's python)
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import kubernetes_validate
import yaml

CORE = {("v1", "Pod"), ("v1", "PodTemplate"), ("v1", "ReplicationController"), ("apps/v1", "Deployment"),
        ("apps/v1", "StatefulSet"), ("apps/v1", "DaemonSet"), ("apps/v1", "ReplicaSet"), ("batch/v1", "Job"),
        ("batch/v1", "CronJob")}


def errors(doc, version):
    try:
        kubernetes_validate.validate(doc, version, strict=True)
        return None
    except kubernetes_validate.ValidationError as e:
        return f"{'.'.join(str(p) for p in e.path)}: {e.message}"
    except kubernetes_validate.utils.SchemaNotFoundError as e:
        return f"no schema: {e}"


SPEC_PATHS = {"Pod": ["spec"], "PodTemplate": ["template", "spec"], "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"]}


def pod_spec(doc):
    node = doc
    for key in SPEC_PATHS.get(doc.get("kind"), ["spec", "template", "spec"]):
        node = node.get(key) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def as_pod(doc):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "spec-of-" + str(doc["metadata"].get("name"))},
            "spec": pod_spec(doc)}


def documents(source):
    pattern = ["tests/corpus/**/*.yaml", "tests/corpus/**/*.json", "tests/golden/render/**/*.yaml", "manifests/**/*.yaml",
               "tests/realworld/**/*.yaml"]
    for p in pattern:
        for path in sorted(glob.glob(os.path.join(source, p), recursive=True)):
            if os.path.basename(path) in ("cmd", "stdout", "exit"):
                continue
            try:
                docs = list(yaml.safe_load_all(open(path, encoding="utf-8-sig")))
            except yaml.YAMLError:
                continue
            for d in docs:
                items = d.get("items", []) if isinstance(d, dict) and d.get("kind") == "List" else [d]
                for item in items:
                    if isinstance(item, dict):
                        yield os.path.relpath(path, source), item


def main():
    aegis, source, versions = sys.argv[1], sys.argv[2], sys.argv[3:]
    checked = skipped = failures = 0
    rendered_all = []
    input_kinds = {"Pod (--template pod)", "Deployment (--template triton)"}
    with tempfile.TemporaryDirectory() as tmp:
        for where, doc in documents(source):
            if (doc.get("apiVersion"), doc.get("kind")) not in CORE:
                continue
            annotations = (doc.get("metadata") or {}).get("annotations") or {}
            if "aegis.dev/render-error" in annotations:
                skipped += 1
                continue
            whole = not any(errors(doc, v) for v in versions)
            if not whole and (pod_spec(doc) is None or any(errors(as_pod(doc), v) for v in versions)):
                skipped += 1
                continue
            path = os.path.join(tmp, "in.yaml")
            with open(path, "w") as f:
                json.dump(doc, f)
            # A corpus object is rendered under its suite's constraint; anything else under the
            # built-in policy.
            policy = []
            if where.startswith("tests/corpus/"):
                policy = ["--policy", os.path.join(source, os.path.dirname(where), "constraint.yaml")]
            p = subprocess.run([aegis, "render", *policy, "--artifact", "s3://models/resnet/model.tar.gz", path],
                               capture_output=True, text=True)
            if p.returncode == 2 and where.startswith(("tests/golden/render/", "tests/realworld/")):
                # A golden case of a refusal (conflicting volume, mount path, …), or a public
                # manifest render refuses (tests/render/realworld_test.cc checks each reason).
                skipped += 1
                continue
            if p.returncode != 0:
                print(f"FAIL {where} {doc['kind']}/{doc['metadata'].get('name')}: render exit {p.returncode}: {p.stderr.strip()}")
                failures += 1
                continue
            input_kinds.add(doc["kind"] + ("" if whole else " (pod spec)"))
            for d in yaml.safe_load_all(p.stdout):
                if d:
                    rendered_all.append((where, d if whole else as_pod(d)))
        for name in ("pod", "triton"):
            p = subprocess.run([aegis, "render", "--template", name, "--artifact", "s3://models/resnet/model.tar.gz"],
                               capture_output=True, text=True, check=True)
            rendered_all.extend((f"--template {name}", d) for d in yaml.safe_load_all(p.stdout) if d)
    for where, out in rendered_all:
        for v in versions:
            e = errors(out, v)
            checked += 1
            if e:
                failures += 1
                print(f"FAIL {where}: {out['kind']}/{out['metadata'].get('name')} is not valid Kubernetes {v}: {e}")
    # Negative control: the validator must reject a broken pod spec.
    broken = copy.deepcopy(rendered_all[-1][1])
    spec = broken["spec"]["template"]["spec"] if "template" in broken.get("spec", {}) else broken["spec"]
    spec["initContainers"][0]["volumeMounts"] = "not-a-list"
    if not all(errors(broken, v) for v in versions):
        print("FAIL negative control: a broken volumeMounts was accepted")
        failures += 1
    kinds = sorted(input_kinds)
    print(f"{len(rendered_all)} rendered objects ({', '.join(kinds)}) x {len(versions)} versions: "
          f"{checked} validations, {failures} failures; {skipped} input objects skipped (invalid on purpose or refused)")
    if len(rendered_all) < 20:
        print("FAIL too few objects were rendered")
        failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
