package aegissignedpod

# The Aegis signed-model policy (docs/POLICY.md), for Gatekeeper's AegisSignedPod
# ConstraintTemplate. `aegis lint` implements the same contract in C++; tests/corpus holds
# the manifests both engines must agree on. OPA v0 syntax (Gatekeeper refuses rego.v1).
# `violation` must be a partial set rule: `violation contains X if`, which needs the
# `contains` keyword. Under `if` alone, `violation[X] if` is a single-value object rule and
# Gatekeeper refuses the template ("missing required rules: [violation]").

import future.keywords.contains
import future.keywords.if
import future.keywords.in

# ---------------------------------------------------------------------------
# Parameters, with docs/POLICY.md's defaults.

default params := {}

params := input.parameters if is_object(input.parameters)

# A null parameter counts as absent: the API server prunes nulls from structural schemas.
has_param(name) if params[name] != null

param(name, _) := params[name] if has_param(name)

param(name, fallback) := fallback if not has_param(name)

pattern := param("initContainerPattern", "verify")

secret_name := param("secretName", "cosign-public-key")

require_mount := param("requireMount", true)

allow_vault := param("allowVaultVerification", false)

# ---------------------------------------------------------------------------
# The object: kind, name, namespace (an object without one is in the request's namespace,
# else "default", as `kubectl apply -n` / `aegis lint --namespace` place it).

obj := input.review.object

group := input.review.kind.group

kind := input.review.kind.kind

has_own_namespace if {
	is_string(obj.metadata.namespace)
	obj.metadata.namespace != ""
}

has_review_namespace if {
	is_string(input.review.namespace)
	input.review.namespace != ""
}

default obj_namespace := "default"

obj_namespace := obj.metadata.namespace if has_own_namespace

obj_namespace := input.review.namespace if {
	not has_own_namespace
	has_review_namespace
}

has_name if {
	is_string(obj.metadata.name)
	obj.metadata.name != ""
}

default obj_name := "<unnamed>"

obj_name := obj.metadata.name if has_name

obj_name := obj.metadata.generateName if {
	not has_name
	is_string(obj.metadata.generateName)
	obj.metadata.generateName != ""
}

# The `namespaces` parameter: absent means every namespace; exact names otherwise.
in_scope if not has_param("namespaces")

in_scope if obj_namespace in params.namespaces

# ---------------------------------------------------------------------------
# Where the pod specs live: component name ("" for a plain workload) -> path.

template_spec := ["spec", "template", "spec"]

spec_paths := {"": ["spec"]} if {
	group == ""
	kind == "Pod"
}

spec_paths := {"": ["template", "spec"]} if {
	group == ""
	kind == "PodTemplate"
}

spec_paths := {"": template_spec} if {
	group == ""
	kind == "ReplicationController"
}

spec_paths := {"": template_spec} if {
	group == "apps"
	kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"}
}

spec_paths := {"": template_spec} if {
	group == "batch"
	kind == "Job"
}

spec_paths := {"": ["spec", "jobTemplate", "spec", "template", "spec"]} if {
	group == "batch"
	kind == "CronJob"
}

# A Rollout with spec.workloadRef has no pod spec of its own: its Deployment is checked.
spec_paths := {"": template_spec} if {
	group == "argoproj.io"
	kind == "Rollout"
	not uses_workload_ref
}

spec_paths := {"": template_spec} if {
	group == "serving.knative.dev"
	kind == "Service"
}

# KServe inlines PodSpec fields in each component; the predictor is required, the
# transformer and explainer are checked when present.
spec_paths := {c: ["spec", c] | some c in ["predictor", "transformer", "explainer"]; isvc_component(c)} if {
	group in {"serving.kserve.io", "serving.kubeflow.org"}
	kind == "InferenceService"
}

uses_workload_ref if {
	ref := obj.spec.workloadRef
	ref != null
}

isvc_component(c) if c == "predictor"

isvc_component(c) if {
	c != "predictor"
	obj.spec[c] != null
}

# ---------------------------------------------------------------------------
# Helpers over a pod spec. Values of the wrong type count as absent.

array_at(o, key) := o[key] if is_array(o[key])

array_at(o, key) := [] if not is_array(o[key])

verifiers(spec) := [c |
	some c in array_at(spec, "initContainers")
	is_string(c.name)
	regex.match(pattern, c.name)
]

volume_has_key(v) if v.secret.secretName == secret_name

volume_has_key(v) if {
	some s in array_at(v.projected, "sources")
	s.secret.name == secret_name
}

key_volumes(spec) := [v |
	some v in array_at(spec, "volumes")
	is_object(v)
	volume_has_key(v)
]

declares_value(e) if _ = e.value

declares_value(e) if _ = e.valueFrom

vault_path(spec) if {
	allow_vault == true
	some c in verifiers(spec)
	some e in array_at(c, "env")
	e.name == "VAULT_ADDR"
	declares_value(e)
}

verifier_mounts_key(spec) if {
	some c in verifiers(spec)
	some m in array_at(c, "volumeMounts")
	some v in key_volumes(spec)
	is_string(v.name)
	m.name == v.name
}

subject(component) := sprintf("%s %s/%s", [obj.kind, obj_namespace, obj_name]) if component == ""

subject(component) := sprintf("%s %s/%s (%s)", [obj.kind, obj_namespace, obj_name, component]) if component != ""

details(id, component) := {
	"id": id,
	"component": component,
	"kind": obj.kind,
	"namespace": obj_namespace,
	"name": obj_name,
}

# ---------------------------------------------------------------------------
# AEGIS001 verify-init: no pod spec at all, or no initContainer matching the pattern.

violation contains {"msg": msg, "details": d} if {
	in_scope
	some component, path in spec_paths
	not is_object(object.get(obj, path, null))
	msg := sprintf("%s: no pod spec at %s", [subject(component), concat(".", path)])
	d := details("AEGIS001", component)
}

violation contains {"msg": msg, "details": d} if {
	in_scope
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	count(verifiers(spec)) == 0
	msg := sprintf("%s: no initContainer whose name matches /%s/", [subject(component), pattern])
	d := details("AEGIS001", component)
}

# AEGIS002 key-volume: no volume sources the key secret (unless the Vault path applies).
violation contains {"msg": msg, "details": d} if {
	in_scope
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	count(key_volumes(spec)) == 0
	not vault_path(spec)
	msg := sprintf("%s: no volume from secret %s", [subject(component), secret_name])
	d := details("AEGIS002", component)
}

# AEGIS003 key-mounted: the verifier must mount the key volume (when requireMount).
violation contains {"msg": msg, "details": d} if {
	in_scope
	require_mount == true
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	count(verifiers(spec)) > 0
	count(key_volumes(spec)) > 0
	not vault_path(spec)
	not verifier_mounts_key(spec)
	msg := sprintf("%s: no initContainer matching /%s/ mounts a volume from secret %s", [subject(component), pattern, secret_name])
	d := details("AEGIS003", component)
}
