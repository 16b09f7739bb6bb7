"""Gatekeeper's release manifest (deploy/gatekeeper.yaml of the module, as `kubectl create
--dry-run=client -o json` prints it) adapted to the single-node cluster of up.sh, which has no
registry, no kube-proxy and no cluster DNS:
  OBJECTS   as released: the namespace, service accounts, RBAC, CRDs and both Deployments
            (gatekeeper-controller-manager: the webhook; gatekeeper-audit: audit and status),
            changed only where this cluster needs it:
              - image: the locally built one, never pulled
              - hostNetwork: the API server calls the webhook at https://127.0.0.1:PORT (no
                Service routing without kube-proxy); each pod's ports moved off the node's
                well-known ones (webhook, health, metrics)
              - KUBERNETES_SERVICE_HOST/PORT: the API server's own address (the service IP is
                not routed without kube-proxy)
              - one replica; audit every 5 s (the release: 60 s), so the tests need not wait,
                and up to 100 violations listed per constraint (the release: 20)
              - the namespace's Pod Security level: privileged (the release enforces
                restricted, which refuses host networking)
            plus the webhook certificate Secret the release's cert rotation would have written
            (up.sh makes the certificate; --disable-cert-rotation, as the audit pod has already)
  WEBHOOKS  the validating webhook configuration: each webhook's Service reference replaced by
            https://127.0.0.1:PORT + the path it had, and the CA of the certificate
Left out: the Service, PodDisruptionBudget and ResourceQuota (no Service routing; one node), the
mutating webhook (Aegis uses no mutation).
    gatekeeper_objects.py RELEASE_JSON OBJECTS_OUT WEBHOOKS_OUT --image REF --api HOST:PORT
        --ca CA_PEM --cert TLS_CRT --key TLS_KEY --webhook-port N --health-port N --metrics-port N
"""
import argparse
import base64
import json
import sys

KEEP = {"Namespace", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
        "CustomResourceDefinition", "Deployment"}
NAMESPACE = "gatekeeper-system"


def read_objects(path):
    """kubectl prints one JSON object per manifest document, one after the other."""
    with open(path) as f:
        text = f.read()
    decoder, objects, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return objects
        obj, at = decoder.raw_decode(text, at)
        objects.extend(obj["items"] if obj.get("kind") == "List" else [obj])


def b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def set_flag(args, name, value):
    """Replaces --name=… in a container's args, or appends it."""
    kept = [a for a in args if not a.startswith(f"--{name}=") and a != f"--{name}"]
    return kept + [f"--{name}={value}" if value is not None else f"--{name}"]


def adapt(deployment, opts, ports):
    """ports: the webhook, health and metrics ports of this Deployment's pod (webhook may be None)."""
    webhook, health, metrics = ports
    spec = deployment["spec"]
    spec["replicas"] = 1
    pod = spec["template"]["spec"]
    pod["hostNetwork"] = True
    pod["dnsPolicy"] = "ClusterFirstWithHostNet"
    api_host, api_port = opts.api.rsplit(":", 1)
    for c in pod["containers"]:
        if c["name"] != "manager":
            continue
        c["image"] = opts.image
        c["imagePullPolicy"] = "Never"
        args = c.get("args", [])
        args = set_flag(args, "health-addr", f"{api_host}:{health}")
        args = set_flag(args, "prometheus-port", metrics)
        if webhook is not None:
            args = set_flag(args, "port", webhook)
            args = set_flag(args, "host", "127.0.0.1")
            args = set_flag(args, "disable-cert-rotation", None)
            args = set_flag(args, "shutdown-delay", 0)
        else:
            args = set_flag(args, "audit-interval", 5)
            args = set_flag(args, "constraint-violations-limit", 100)
        c["args"] = args
        c["env"] = c.get("env", []) + [
            {"name": "KUBERNETES_SERVICE_HOST", "value": api_host},
            {"name": "KUBERNETES_SERVICE_PORT", "value": api_port},
        ]
        renumber = {8443: webhook, 9090: health, 8888: metrics}
        for p in c.get("ports", []):
            p["containerPort"] = renumber.get(p["containerPort"], p["containerPort"])
            if p["containerPort"] is None:
                sys.exit(f"{deployment['metadata']['name']}: a webhook port in a pod without a webhook")
        for probe in ("livenessProbe", "readinessProbe"):
            if probe in c and "httpGet" in c[probe]:
                c[probe]["httpGet"]["port"] = health
        return
    sys.exit(f"{deployment['metadata']['name']}: no container named manager")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for positional in ("release", "objects_out", "webhooks_out"):
        parser.add_argument(positional)
    for flag in ("image", "api", "ca", "cert", "key"):
        parser.add_argument("--" + flag, required=True)
    for flag in ("webhook-port", "health-port", "metrics-port"):
        parser.add_argument("--" + flag, type=int, required=True)
    opts = parser.parse_args()

    objects, webhooks, deployments = [], [], {}
    for item in read_objects(opts.release):
        kind = item["kind"]
        if kind in KEEP:
            objects.append(item)
            if kind == "Namespace" and item["metadata"]["name"] == NAMESPACE:
                labels = item["metadata"].setdefault("labels", {})
                for mode in ("enforce", "audit", "warn"):
                    labels[f"pod-security.kubernetes.io/{mode}"] = "privileged"
            if kind == "Deployment":
                deployments[item["metadata"]["name"]] = item
        elif kind == "ValidatingWebhookConfiguration":
            for hook in item["webhooks"]:
                path = hook["clientConfig"]["service"].get("path", "/")
                hook["clientConfig"] = {"url": f"https://127.0.0.1:{opts.webhook_port}{path}",
                                        "caBundle": b64(opts.ca)}
            webhooks.append(item)
    expected = {"gatekeeper-controller-manager", "gatekeeper-audit"}
    if not webhooks or set(deployments) != expected:
        sys.exit(f"{opts.release}: not Gatekeeper's release manifest (no webhook configuration, or "
                 f"Deployments {sorted(deployments)} instead of {sorted(expected)})")
    adapt(deployments["gatekeeper-controller-manager"], opts,
          (opts.webhook_port, opts.health_port, opts.metrics_port))
    adapt(deployments["gatekeeper-audit"], opts, (None, opts.health_port + 1, opts.metrics_port + 1))
    objects.append({
        "apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/tls",
        "metadata": {"name": "gatekeeper-webhook-server-cert", "namespace": NAMESPACE},
        "data": {"tls.crt": b64(opts.cert), "tls.key": b64(opts.key), "ca.crt": b64(opts.ca)},
    })
    for out, chosen in ((opts.objects_out, objects), (opts.webhooks_out, webhooks)):
        with open(out, "w") as f:
            json.dump({"apiVersion": "v1", "kind": "List", "items": chosen}, f)


if __name__ == "__main__":
    main()
