package aegissignedpod

# The Aegis signed-model policy (docs/POLICY.md) for the AegisSignedPod ConstraintTemplate;
# `aegis lint` is the same contract in C++, tests/corpus what both must agree on. OPA v0
# syntax (Gatekeeper refuses rego.v1); `violation contains X if` (a partial set: `violation[X]
# if` is an object rule, and Gatekeeper says "missing required rules: [violation]").

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

allow_keyless := param("allowKeylessVerification", false)

root_map := param("trustedRootConfigMap", "sigstore-trusted-root")

# Version 2 (docs/POLICY.md): each absent or false parameter keeps version 1's behaviour.
require_digest := param("requireDigest", false)

require_verified_model := param("requireVerifiedModel", false)

require_model_mount := param("requireModelMount", false)

native_prefixes := param("verifiedStorageUriPrefixes", [])

storage_container := param("storageContainerName", "")

restricts_images if has_param("verifierImages")

# Version 3 (docs/POLICY.md): the platform pins trust; the verifier is locked; only the
# verifier writes the model volume. Absent or false keeps version 2's behaviour.
pins_trust if has_param("trust")

lock_verifier := param("lockVerifier", false)

seal_model := param("sealModelVolume", false)

restricts_images if require_digest == true

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
spec_paths := isvc_paths if is_isvc

isvc_paths[c] := ["spec", c] if {
	some c in ["predictor", "transformer", "explainer"]
	isvc_component(c)
}

# A multi-node predictor's workers: a whole pod spec of their own (KServe's WorkerSpec).
isvc_paths["predictor.workerSpec"] := ["spec", "predictor", "workerSpec"] if obj.spec.predictor.workerSpec != null

# An LLMInferenceService: spec.template (the main workload) is required; the multi-node
# worker and the disaggregated prefill workload are checked when present.
spec_paths := {c: p | some c, p in llm_parts; llm_part_present(c, p)} if {
	group == "serving.kserve.io"
	kind == "LLMInferenceService"
}

# A TrainedModel has no pod spec: its model is loaded into a running server (AEGIS005).
spec_paths := {} if {
	group in {"serving.kserve.io", "serving.kubeflow.org"}
	kind == "TrainedModel"
}

is_isvc if {
	group in {"serving.kserve.io", "serving.kubeflow.org"}
	kind == "InferenceService"
}

llm_parts := {
	"template": ["spec", "template"],
	"worker": ["spec", "worker"],
	"prefill.template": ["spec", "prefill", "template"],
	"prefill.worker": ["spec", "prefill", "worker"],
}

llm_part_present("template", _)

llm_part_present(c, p) if {
	c != "template"
	object.get(obj, p, null) != null
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

named_verifiers(spec) := [c |
	some c in array_at(spec, "initContainers")
	is_string(c.name)
	regex.match(pattern, c.name)
]

# The named verifiers whose image the constraint allows (verifierImages, requireDigest).
verifiers(spec) := named_verifiers(spec) if not restricts_images

verifiers(spec) := [c | some c in named_verifiers(spec); is_string(c.image); image_allowed(c.image)] if restricts_images

image_allowed(image) if {
	digest_ok(image)
	not has_param("verifierImages")
}

image_allowed(image) if {
	digest_ok(image)
	some entry in params.verifierImages
	image_listed(image, entry)
}

digest_ok(_) if require_digest != true

digest_ok(image) if regex.match(`@sha256:[0-9a-f]{64}$`, image)

# `repo` admits the repository with any tag and/or digest, never a longer name; `prefix*`
# admits every image starting with prefix.
image_listed(image, entry) if {
	endswith(entry, "*")
	startswith(image, trim_suffix(entry, "*"))
}

image_listed(image, entry) if {
	not endswith(entry, "*")
	image == entry
}

image_listed(image, entry) if {
	not endswith(entry, "*")
	startswith(image, concat("", [entry, "@"]))
}

image_listed(image, entry) if {
	not endswith(entry, "*")
	startswith(image, concat("", [entry, ":"]))
	not contains(substring(image, count(entry), -1), "/")
}

image_requirement := sprintf("a verifier image%s", [pinned_text]) if not has_param("verifierImages")

image_requirement := sprintf("an allowed verifier image%s (allowed: %s)", [pinned_text, allowed_text]) if has_param("verifierImages")

pinned_text := " pinned by @sha256 digest" if require_digest == true

pinned_text := "" if require_digest != true

allowed_text := "none" if count(params.verifierImages) == 0

allowed_text := concat(", ", params.verifierImages) if count(params.verifierImages) > 0

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
	declares_env(c, {"VAULT_ADDR"})
}

# Keyless: the verifier declares a trusted root, an identity and an issuer, and mounts the
# trusted root's ConfigMap.
declares_env(c, names) if {
	some e in array_at(c, "env")
	e.name in names
	declares_value(e)
}

holds_root(v) if v.configMap.name == root_map

holds_root(v) if {
	some s in array_at(v.projected, "sources")
	s.configMap.name == root_map
}

keyless_path(component, spec) if {
	allow_keyless == true
	not native(component, spec)
	some c in verifiers(spec)
	declares_env(c, {"AEGIS_TRUSTED_ROOT"})
	declares_env(c, {"AEGIS_CERTIFICATE_IDENTITY", "AEGIS_CERTIFICATE_IDENTITY_REGEXP"})
	declares_env(c, {"AEGIS_CERTIFICATE_OIDC_ISSUER", "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP"})
	some m in array_at(c, "volumeMounts")
	some v in array_at(spec, "volumes")
	is_object(v)
	is_string(v.name)
	holds_root(v)
	m.name == v.name
}

verifier_mounts_key(spec) if {
	some c in verifiers(spec)
	some m in array_at(c, "volumeMounts")
	some v in key_volumes(spec)
	is_string(v.name)
	m.name == v.name
}

# ---------------------------------------------------------------------------
# KServe model sources (AEGIS005) and serving containers (AEGIS006): a component's places
# are the component itself, its `model` and each framework key.

place_keys := ["model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml", "lightgbm", "paddle", "catboost", "alibi", "art"]

places(comp) := array.concat(array.concat([["", comp]], [[k, comp[k]] | some k in place_keys; is_object(comp[k])]), [[k, v] |
	some k, v in comp
	is_object(v)
	not k in place_keys
	carries_model(v)
])

# A framework the list does not know yet (KServe adds them: `catboost` in its samples).
carries_model(v) if v.storageUri != null

carries_model(v) if v.storage != null

prefixed(k, field) := field if k == ""

prefixed(k, field) := sprintf("%s.%s", [k, field]) if k != ""

described(field, v) := [sprintf("%s %s", [field, v]), v] if is_string(v)

described(field, v) := [field, null] if not is_string(v)

# object.get, not c.name: a function whose body negates an undefined reference is undefined.
container_name(c) := c.name if is_string(c.name)

container_name(c) := "<unnamed>" if not is_string(object.get(c, "name", null))

serving_containers(comp) := array.concat(
	[[sprintf("container %s", [container_name(c)]), c] | some c in array_at(comp, "containers"); is_object(c)],
	[pl | some pl in places(comp); pl[0] != ""],
)

env_value(e) := e.value if is_string(e.value)

env_value(e) := null if not is_string(object.get(e, "value", null))

env_set(e) if e.value != null

env_set(e) if e.valueFrom != null

# Each source: what it is (for messages), its URI (null unless a string), the field, and the
# place holding it with the ClusterStorageContainer that place names (null for env).
kserve_sources(comp) := uri_sources | field_sources | env_sources if {
	uri_sources := {{"what": d[0], "uri": d[1], "field": "storageUri", "place": pl[0], "named": named_container(pl[1])} |
		some pl in places(comp)
		u := pl[1].storageUri
		u != null
		d := described(prefixed(pl[0], "storageUri"), u)
	}
	field_sources := {{"what": prefixed(pl[0], f), "uri": null, "field": f, "place": pl[0], "named": named_container(pl[1])} |
		some pl in places(comp)
		some f in ["storageUris", "storage"]
		pl[1][f] != null
	}
	env_sources := {{"what": sprintf("env STORAGE_URI of %s", [sc[0]]), "uri": env_value(e), "field": "STORAGE_URI", "place": null, "named": null} |
		some sc in serving_containers(comp)
		some e in array_at(sc[1], "env")
		e.name == "STORAGE_URI"
		env_set(e)
	}
}

named_container(place) := place.storageContainerName if is_string(place.storageContainerName)

named_container(place) := null if not is_string(object.get(place, "storageContainerName", null))

delivered(s) if {
	is_string(s.uri)
	some prefix in native_prefixes
	startswith(s.uri, prefix)
}

# With storageContainerName required, a storage spec whose place names that container: its
# placeholder URI matches no container by URI, only the name selects one.
delivered(s) if {
	s.field == "storage"
	storage_container != ""
	s.named == storage_container
}

# KServe-native: every model source of the component is a URI the Aegis
# ClusterStorageContainer serves, so KServe's storage initializer is verify-and-fetch; the
# Pod KServe creates is checked for the verifier instead of the component.
kserve_native(spec) if {
	is_isvc
	count(native_prefixes) > 0
	sources := kserve_sources(spec)
	count(sources) > 0
	count({s | some s in sources; not delivered(s)}) == 0
}

native_vault(component, spec) if {
	allow_vault == true
	native(component, spec)
}

# A component served by the Aegis ClusterStorageContainer; a multi-node predictor's workers
# (predictor.workerSpec) get the predictor's storage initializer.
native(component, spec) if {
	component != "predictor.workerSpec"
	kserve_native(spec)
}

native("predictor.workerSpec", _) if kserve_native(obj.spec.predictor)

key_names(spec) := {v.name | some v in key_volumes(spec); is_string(v.name)}

# The volumes the allowed verifiers write: their mounts that are not read-only or the key.
written(spec) := {m.name |
	some c in verifiers(spec)
	some m in array_at(c, "volumeMounts")
	is_string(m.name)
	object.get(m, "readOnly", null) != true
	not m.name in key_names(spec)
}

consumers(spec) := serving_containers(spec) if is_isvc

consumers(spec) := [[sprintf("container %s", [container_name(c)]), c] | some c in array_at(spec, "containers"); is_object(c)] if not is_isvc

consumed(spec) if {
	w := written(spec)
	some sc in consumers(spec)
	some m in array_at(sc[1], "volumeMounts")
	m.name in w
	m.readOnly == true
}

at_or_under(p, d) if trim_right(p, "/") == trim_right(d, "/")

at_or_under(p, d) if startswith(trim_right(p, "/"), concat("", [trim_right(d, "/"), "/"]))

unverified := "is downloaded by KServe's storage initializer, unverified"

llm_downloads if not obj.spec.storageInitializer.enabled == false

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
	not native(component, spec)
	count(named_verifiers(spec)) == 0
	not local_model_cache
	msg := sprintf("%s: no initContainer whose name matches /%s/", [subject(component), pattern])
	d := details("AEGIS001", component)
}

violation contains {"msg": msg, "details": d} if {
	in_scope
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	count(named_verifiers(spec)) == 0
	msg := sprintf("%s: served from %s, a copy no verifier checks: annotate the InferenceService serving.kserve.io/disable-localmodel: \"true\"", [subject(component), local_model_cache])
	d := details("AEGIS001", component)
}

# KServe's LocalModelCache: a Pod labelled internal.serving.kserve.io/localmodel is given the
# cached copy from a PVC and no storage initializer (storage_initializer_injector.go).
local_model_cache := sprintf("KServe's LocalModelCache %s (PVC %s)", [name, pvc]) if {
	obj.kind == "Pod"
	object.get(obj, "apiVersion", "") == "v1"
	name := obj.metadata.labels["internal.serving.kserve.io/localmodel"]
	is_string(name)
	pvc := local_model_pvc
}

local_model_pvc := obj.metadata.annotations["internal.serving.kserve.io/localmodel-pvc-name"] if {
	is_string(obj.metadata.annotations["internal.serving.kserve.io/localmodel-pvc-name"])
} else := "<unknown>"

# AEGIS002 key-volume: no volume sources the key secret (unless the Vault path applies).
violation contains {"msg": msg, "details": d} if {
	in_scope
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	count(key_volumes(spec)) == 0
	not vault_path(spec)
	not keyless_path(component, spec)
	not native_vault(component, spec)
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
	not native(component, spec)
	count(verifiers(spec)) > 0
	count(key_volumes(spec)) > 0
	not vault_path(spec)
	not keyless_path(component, spec)
	not verifier_mounts_key(spec)
	msg := sprintf("%s: no initContainer matching /%s/ mounts a volume from secret %s", [subject(component), pattern, secret_name])
	d := details("AEGIS003", component)
}

# AEGIS004 verifier-image: initContainers named like the verifier, none running an allowed image.
violation contains {"msg": msg, "details": d} if {
	in_scope
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	count(named_verifiers(spec)) > 0
	count(verifiers(spec)) == 0
	msg := sprintf("%s: no initContainer matching /%s/ runs %s", [subject(component), pattern, image_requirement])
	d := details("AEGIS004", component)
}

# AEGIS005 unverified-source (requireVerifiedModel): a storage-initializer that is not an
# allowed verifier, in any pod spec.
violation contains {"msg": msg, "details": d} if {
	in_scope
	require_verified_model == true
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	some c in array_at(spec, "initContainers")
	c.name == "storage-initializer"
	not c in verifiers(spec)
	msg := sprintf("%s: initContainer storage-initializer is not an allowed verifier: it downloads the model unverified", [subject(component)])
	d := details("AEGIS005", component)
}

# … a KServe component's model source that the verifier does not deliver.
violation contains {"msg": msg, "details": d} if {
	in_scope
	require_verified_model == true
	is_isvc
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	some s in kserve_sources(spec)
	not delivered(s)
	msg := sprintf("%s: %s %s", [subject(component), s.what, unverified])
	d := details("AEGIS005", component)
}

# … a source of a KServe-native component that does not name the ClusterStorageContainer
# (storageContainerName): KServe otherwise takes whichever matching one its cache lists first.
violation contains {"msg": msg, "details": d} if {
	in_scope
	require_verified_model == true
	storage_container != ""
	is_isvc
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	native(component, spec)
	some s in kserve_sources(spec)
	s.named != storage_container
	msg := sprintf("%s: %s is served by whichever ClusterStorageContainer KServe lists first for it: set %s: %s (KServe >= 0.20)", [subject(component), s.what, naming_field(s), storage_container])
	d := details("AEGIS005", component)
}

naming_field(s) := prefixed(s.place, "storageContainerName") if is_string(s.place)

naming_field(s) := "a model spec's storageContainerName (a container's STORAGE_URI names none)" if s.place == null

# … a TrainedModel, which KServe's model agent loads into a running server.
violation contains {"msg": msg, "details": d} if {
	in_scope
	require_verified_model == true
	group in {"serving.kserve.io", "serving.kubeflow.org"}
	kind == "TrainedModel"
	u := obj.spec.model.storageUri
	u != null
	msg := sprintf("%s: %s is loaded into a running server by KServe's model agent, unverified", [subject(""), described("spec.model.storageUri", u)[0]])
	d := details("AEGIS005", "")
}

# … an LLMInferenceService whose storage initializer downloads the model or its adapters.
violation contains {"msg": msg, "details": d} if {
	in_scope
	require_verified_model == true
	group == "serving.kserve.io"
	kind == "LLMInferenceService"
	llm_downloads
	some source in llm_sources
	msg := sprintf("%s: %s %s", [subject("template"), described(source[0], source[1])[0], unverified])
	d := details("AEGIS005", "template")
}

# (Comprehensions, not `contains` rules: `violation` stays the only partial set rule.)
llm_sources := model_uri | adapter_uris if {
	model_uri := {["spec.model.uri", u] | u := obj.spec.model.uri; u != null}
	adapter_uris := {["spec.model.lora.adapters[].uri", u] |
		some a in array_at(obj.spec.model.lora, "adapters")
		u := a.uri
		u != null
	}
}

# AEGIS006 model-not-consumed (requireModelMount): the server reads what the verifier wrote.
violation contains {"msg": msg, "details": d} if {
	in_scope
	require_model_mount == true
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	count(verifiers(spec)) > 0
	count(written(spec)) == 0
	msg := sprintf("%s: the verifier writes no volume (its mounts are read-only or hold the key)", [subject(component)])
	d := details("AEGIS006", component)
}

violation contains {"msg": msg, "details": d} if {
	in_scope
	require_model_mount == true
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	count(verifiers(spec)) > 0
	count(written(spec)) > 0
	not consumed(spec)
	msg := sprintf("%s: no container mounts a volume the verifier writes (%s) read-only", [subject(component), concat(", ", sort(written(spec)))])
	d := details("AEGIS006", component)
}

violation contains {"msg": msg, "details": d} if {
	in_scope
	require_model_mount == true
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	count(verifiers(spec)) > 0
	w := written(spec)
	some sc in consumers(spec)
	mounts := array_at(sc[1], "volumeMounts")
	some m in mounts
	is_string(m.name)
	m.name in w
	is_string(m.mountPath)
	some o in mounts
	is_string(o.name)
	not o.name in w
	is_string(o.mountPath)
	at_or_under(o.mountPath, m.mountPath)
	msg := sprintf("%s: %s mounts volume %s at %s, at or under the verified model at %s: the verified copy is shadowed", [subject(component), sc[0], o.name, o.mountPath, m.mountPath])
	d := details("AEGIS006", component)
}

# ---------------------------------------------------------------------------
# AEGIS007 trust-pinned (parameter `trust`): every allowed verifier declares the constraint's
# trust, by value, in env AEGIS_TRUST_POLICY (all entries of that name: the last one wins in
# the kubelet); verify-and-fetch then trusts nothing else (docs/VERIFIER.md, "Pinned trust").
trust_env := "AEGIS_TRUST_POLICY"

declares_pins(e) if {
	is_string(e.value)
	object.get(e, "valueFrom", null) == null
	json.is_valid(e.value)
	json.unmarshal(e.value) == params.trust
}

declares_trust(c) if {
	entries := [e | some e in array_at(c, "env"); is_object(e); e.name == trust_env]
	count(entries) > 0
	count([e | some e in entries; not declares_pins(e)]) == 0
}

pinned_vaults := {v.address | some v in array_at(params.trust, "vault"); is_string(v.address)}

vault_env := {"VAULT_ADDR", "AEGIS_VAULT_ADDR"}

violation contains {"msg": msg, "details": d} if {
	in_scope
	pins_trust
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	some c in verifiers(spec)
	not declares_trust(c)
	msg := sprintf("%s: initContainer %s does not declare the constraint's trust: env %s must hold parameters.trust as JSON, by value", [subject(component), c.name, trust_env])
	d := details("AEGIS007", component)
}

violation contains {"msg": msg, "details": d} if {
	in_scope
	pins_trust
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	some c in verifiers(spec)
	some e in array_at(c, "env")
	e.name in vault_env
	not env_value(e) in pinned_vaults
	msg := sprintf("%s: initContainer %s: env %s is not a Vault address the constraint pins", [subject(component), c.name, e.name])
	d := details("AEGIS007", component)
}

# A keyless identity the verifier declares must be one the constraint pins (field by field;
# verify-and-fetch checks the pairs).
identity_env := {
	"AEGIS_CERTIFICATE_IDENTITY": "subject",
	"AEGIS_CERTIFICATE_IDENTITY_REGEXP": "subjectRegExp",
	"AEGIS_CERTIFICATE_OIDC_ISSUER": "issuer",
	"AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP": "issuerRegExp",
}

pinned_identity_values(field) := {id[field] | some id in array_at(params.trust, "keyless"); is_string(id[field])}

violation contains {"msg": msg, "details": d} if {
	in_scope
	pins_trust
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	some c in verifiers(spec)
	some e in array_at(c, "env")
	field := identity_env[e.name]
	not env_value(e) in pinned_identity_values(field)
	msg := sprintf("%s: initContainer %s: env %s is not a keyless identity the constraint pins", [subject(component), c.name, e.name])
	d := details("AEGIS007", component)
}

# ---------------------------------------------------------------------------
# AEGIS008 verifier-locked (lockVerifier): the image's own command, the artifact and the
# model directory as its only arguments, flags that do not choose trust or loosen transport.
bare_flags := {"--anonymous", "--allow-unpinned-revision"}

valued_flags := {
	"--key", "--signature", "--expected-sha256", "--expected-name", "--ignore-paths", "--artifact-type",
	"--log-format", "--retries", "--parallel", "--connect-timeout", "--stall-timeout", "--timeout",
	"--progress-interval", "--max-total-bytes", "--max-file-bytes", "--max-entries", "--max-ratio",
	"--max-path-bytes", "--max-artifact-bytes", "--ca-bundle", "--termination-log", "--trusted-root",
	"--certificate-chain",
}

# Loosen transport, move the work elsewhere, or accept other statements as approval.
refused_env := {"AEGIS_ALLOW_INSECURE_HTTP", "AEGIS_INSECURE_SKIP_TLS_VERIFY", "AEGIS_ARTIFACT", "AEGIS_DEST", "AEGIS_PREDICATE_TYPES"}

flag_allowed(a) if {
	not contains(a, "=")
	a in bare_flags
}

flag_allowed(a) if {
	contains(a, "=")
	split(a, "=")[0] in valued_flags
}

positionals(c) := [a | some a in array_at(c, "args"); is_string(a); not startswith(a, "-")]

own_written(spec, c) := [m |
	some m in array_at(c, "volumeMounts")
	is_string(m.name)
	object.get(m, "readOnly", null) != true
	not m.name in key_names(spec)
]

key_mount_paths(spec, c) := {m.mountPath |
	some m in array_at(c, "volumeMounts")
	is_string(m.name)
	m.name in key_names(spec)
	is_string(m.mountPath)
}

# Where the verifier reads keys: each --key=, each AEGIS_KEY value, else its default.
key_paths(c) := paths if {
	given := {substring(a, 6, -1) | some a in array_at(c, "args"); is_string(a); startswith(a, "--key=")} | {e.value |
		some e in array_at(c, "env")
		e.name == "AEGIS_KEY"
		is_string(e.value)
	}
	paths := default_key_path(given)
}

default_key_path(given) := given if count(given) > 0

default_key_path(given) := {"/etc/cosign"} if count(given) == 0

under_key_mount(spec, c, p) if {
	some mp in key_mount_paths(spec, c)
	at_or_under(p, mp)
}

overlaps(a, b) if at_or_under(a, b)

overlaps(a, b) if at_or_under(b, a)

lock_findings(spec, c) := {sprintf("initContainer %s overrides the image's command", [c.name]) | object.get(c, "command", null) != null} | {sprintf("initContainer %s has restartPolicy: a sidecar does not finish before the server starts", [c.name]) | object.get(c, "restartPolicy", null) != null} | {sprintf("initContainer %s has an argument that is not a string", [c.name]) | some a in array_at(c, "args"); not is_string(a)} | {sprintf("initContainer %s: argument %s expands a variable; a locked verifier's arguments are literal", [c.name, a]) | some a in array_at(c, "args"); is_string(a); contains(a, "$(")} | {sprintf("initContainer %s: argument %s is not allowed on a locked verifier", [c.name, a]) | some a in array_at(c, "args"); is_string(a); startswith(a, "-"); not flag_allowed(a)} | {sprintf("initContainer %s takes the artifact and the model directory as its only arguments (it has %d)", [c.name, n]) | n := count(positionals(c)); n != 2} | {sprintf("initContainer %s: --key %s is not under the key volume's mount", [c.name, p]) | some a in array_at(c, "args"); is_string(a); startswith(a, "--key="); p := substring(a, 6, -1); not under_key_mount(spec, c, p)} | {sprintf("initContainer %s: env %s is not allowed on a locked verifier", [c.name, e.name]) | some e in array_at(c, "env"); e.name in refused_env} | {sprintf("initContainer %s: env %s comes from valueFrom; what the verifier is told must be written in the pod spec", [c.name, e.name]) | some e in array_at(c, "env"); is_string(e.name); locked_env_name(e.name); object.get(e, "valueFrom", null) != null} | {sprintf("initContainer %s: env AEGIS_KEY %s is not under the key volume's mount", [c.name, e.value]) | some e in array_at(c, "env"); e.name == "AEGIS_KEY"; is_string(e.value); not under_key_mount(spec, c, e.value)} | {sprintf("initContainer %s mounts volume %s at %s, where it reads its keys (%s)", [c.name, m.name, m.mountPath, k]) | some m in array_at(c, "volumeMounts"); is_string(m.name); not m.name in key_names(spec); is_string(m.mountPath); some k in key_paths(c); overlaps(m.mountPath, k)} | dest_findings(spec, c) | trust_findings(c)

# Trust the constraint does not allow: keyless or Vault inputs, and a keyless pattern that
# admits every signer (the empty string, or both strangers verify-and-fetch tries).
keyless_inputs := {
	"AEGIS_TRUSTED_ROOT", "AEGIS_CERTIFICATE_IDENTITY", "AEGIS_CERTIFICATE_IDENTITY_REGEXP",
	"AEGIS_CERTIFICATE_OIDC_ISSUER", "AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP",
}

anyone_probes := {
	"AEGIS_CERTIFICATE_IDENTITY_REGEXP": ["https://github.com/someone-else/unrelated/.github/workflows/x.yml@refs/heads/main", "someone-else@unrelated.invalid"],
	"AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP": ["https://issuer.unrelated.invalid", "https://accounts.unrelated.invalid/x"],
}

admits_anyone(p, _) if regex.match(p, "")

admits_anyone(p, probes) if {
	regex.match(p, probes[0])
	regex.match(p, probes[1])
}

trust_findings(c) := {sprintf("initContainer %s: env %s, but the constraint does not allow keyless verification", [c.name, e.name]) | allow_keyless != true; some e in array_at(c, "env"); e.name in keyless_inputs} | {sprintf("initContainer %s: argument %s, but the constraint does not allow keyless verification", [c.name, a]) | allow_keyless != true; some a in array_at(c, "args"); is_string(a); startswith(a, "--trusted-root=")} | {sprintf("initContainer %s: env %s, but the constraint does not allow Vault verification", [c.name, e.name]) | allow_vault != true; some e in array_at(c, "env"); e.name in vault_env} | {sprintf("initContainer %s: env %s %s admits every signer", [c.name, e.name, e.value]) | some e in array_at(c, "env"); probes := anyone_probes[e.name]; is_string(e.value); admits_anyone(e.value, probes)}

locked_env_name(n) if startswith(n, "AEGIS_")

locked_env_name("VAULT_ADDR")

dest_findings(spec, c) := {sprintf("initContainer %s writes its model to %s, which is not the mount path of a volume it writes", [c.name, dest]) | not dest_mounted(spec, c, dest)} | {sprintf("initContainer %s mounts volume %s writable at %s, besides its model directory %s", [c.name, m.name, m.mountPath, dest]) | some m in own_written(spec, c); is_string(m.mountPath); trim_right(m.mountPath, "/") != trim_right(dest, "/")} if {
	count(positionals(c)) == 2
	dest := positionals(c)[1]
}

dest_findings(_, c) := set() if count(positionals(c)) != 2

dest_mounted(spec, c, dest) if {
	some m in own_written(spec, c)
	is_string(m.mountPath)
	trim_right(m.mountPath, "/") == trim_right(dest, "/")
}

violation contains {"msg": msg, "details": d} if {
	in_scope
	lock_verifier == true
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	not native(component, spec)
	some c in verifiers(spec)
	some f in lock_findings(spec, c)
	msg := sprintf("%s: %s", [subject(component), f])
	d := details("AEGIS008", component)
}

# ---------------------------------------------------------------------------
# AEGIS009 model-sealed (sealModelVolume): the volumes the verifier writes are emptyDir or
# ephemeral, every other container mounts them read-only and whole, and a known server's
# model flag points into them.
sealed_source(v) if v.emptyDir != null

sealed_source(v) if v.ephemeral != null

volume_sealed(spec, name) if {
	some v in array_at(spec, "volumes")
	is_object(v)
	v.name == name
	sealed_source(v)
}

# KServe's model volume: the storage initializer writes it, the server reads it.
provision := "kserve-provision-location"

sealed_names(spec) := written(spec) | {provision} if is_isvc

sealed_names(spec) := written(spec) if not is_isvc

other_containers(spec) := array.concat(
	array.concat(
		[[sprintf("initContainer %s", [container_name(c)]), c] |
			some c in array_at(spec, "initContainers")
			is_object(c)
			not c in verifiers(spec)
		],
		consumers(spec),
	),
	[[sprintf("ephemeralContainer %s", [container_name(c)]), c] | some c in array_at(spec, "ephemeralContainers"); is_object(c)],
)

has_sub_path(m) if {
	is_string(m.subPath)
	m.subPath != ""
}

has_sub_path(m) if {
	is_string(m.subPathExpr)
	m.subPathExpr != ""
}

model_flags := {
	"--model-repository", "--model-store", "--model_base_path", "--model-dir", "--model_dir",
	"--model-path", "--model", "--model-id",
}

# [flag, value] pairs of a command or args list: `--flag=value` or `--flag value`.
flag_values(list) := {[f, v] |
	some i, a in list
	a in model_flags
	f := a
	v := list[i + 1]
	is_string(v)
} | {[f, v] |
	some a in list
	is_string(a)
	some f in model_flags
	startswith(a, concat("", [f, "="]))
	v := substring(a, count(f) + 1, -1)
}

model_paths(c) := {fv | some fv in flag_values(array_at(c, "args")); startswith(fv[1], "/")} | {fv | some fv in flag_values(array_at(c, "command")); startswith(fv[1], "/")}

reads_sealed(spec, c, p) if {
	some m in array_at(c, "volumeMounts")
	m.name in written(spec)
	is_string(m.mountPath)
	at_or_under(p, m.mountPath)
}

seal_findings(spec) := {sprintf("the verifier writes volume %s, which is not an emptyDir or ephemeral volume: something else may write it", [w]) | some w in written(spec); not volume_sealed(spec, w)} | {sprintf("%s mounts the model volume %s writable: only the verifier may write it", [oc[0], m.name]) | some oc in other_containers(spec); some m in array_at(oc[1], "volumeMounts"); m.name in sealed_names(spec); object.get(m, "readOnly", null) != true} | {sprintf("%s mounts the model volume %s with a subPath: mount it whole", [oc[0], m.name]) | some oc in other_containers(spec); some m in array_at(oc[1], "volumeMounts"); m.name in sealed_names(spec); has_sub_path(m)} | {sprintf("%s reads its model from %s (%s), not from the volume the verifier writes", [sc[0], fv[1], fv[0]]) | count(written(spec)) > 0; some sc in consumers(spec); some fv in model_paths(sc[1]); not reads_sealed(spec, sc[1], fv[1])}

violation contains {"msg": msg, "details": d} if {
	in_scope
	seal_model == true
	some component, path in spec_paths
	spec := object.get(obj, path, null)
	is_object(spec)
	some f in seal_findings(spec)
	msg := sprintf("%s: %s", [subject(component), f])
	d := details("AEGIS009", component)
}

# A ServingRuntime's containers and volumes merge into the predictor's pods: nothing of it may
# write or shadow KServe's model directory, and its model flags point into it.
is_runtime if {
	group == "serving.kserve.io"
	kind in {"ServingRuntime", "ClusterServingRuntime"}
}

spec_paths := {} if is_runtime

kserve_model_dir := "/mnt/models"

runtime_parts := {"": ["spec"], "workerSpec": ["spec", "workerSpec"]}

runtime_subject(component) := subject(component) if kind == "ServingRuntime"

runtime_subject("") := sprintf("%s %s", [obj.kind, obj_name]) if kind == "ClusterServingRuntime"

runtime_subject(component) := sprintf("%s %s (%s)", [obj.kind, obj_name, component]) if {
	kind == "ClusterServingRuntime"
	component != ""
}

runtime_containers(spec) := array.concat(
	[[sprintf("container %s", [container_name(c)]), c] | some c in array_at(spec, "containers"); is_object(c)],
	[[sprintf("initContainer %s", [container_name(c)]), c] | some c in array_at(spec, "initContainers"); is_object(c)],
)

runtime_findings(spec) := {sprintf("%s mounts volume %s at %s, at or under KServe's model directory %s: it would shadow the verified model", [rc[0], m.name, m.mountPath, kserve_model_dir]) | some rc in runtime_containers(spec); some m in array_at(rc[1], "volumeMounts"); is_string(m.name); m.name != provision; is_string(m.mountPath); at_or_under(m.mountPath, kserve_model_dir)} | {sprintf("%s mounts %s writable: only the verifier may write it", [rc[0], provision]) | some rc in runtime_containers(spec); some m in array_at(rc[1], "volumeMounts"); m.name == provision; object.get(m, "readOnly", null) != true} | {sprintf("%s mounts %s with a subPath: mount it whole", [rc[0], provision]) | some rc in runtime_containers(spec); some m in array_at(rc[1], "volumeMounts"); m.name == provision; has_sub_path(m)} | {sprintf("%s reads its model from %s (%s), outside KServe's model directory %s", [rc[0], fv[1], fv[0], kserve_model_dir]) | some rc in runtime_containers(spec); some fv in model_paths(rc[1]); not at_or_under(fv[1], kserve_model_dir)}

violation contains {"msg": msg, "details": d} if {
	in_scope
	seal_model == true
	is_runtime
	some component, path in runtime_parts
	spec := object.get(obj, path, null)
	is_object(spec)
	some f in runtime_findings(spec)
	msg := sprintf("%s: %s", [runtime_subject(component), f])
	d := details("AEGIS009", component)
}
