package aegissignedpod

# Unit tests for aegis_signed.rego: exact messages and details, parameter defaults, the
# admission request's namespace, names. Every kind/parameter/scope case of the shared
# corpus is in corpus_test.rego (generated). Run: opa test rego/

import future.keywords.if
import future.keywords.in

bare_pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "models"}, "spec": {"containers": [{"name": "s"}]}}

pod_kind := {"group": "", "version": "v1", "kind": "Pod"}

good_spec := {
	"initContainers": [{"name": "verify-and-fetch", "volumeMounts": [{"name": "key", "mountPath": "/etc/cosign"}]}],
	"volumes": [{"name": "key", "secret": {"secretName": "cosign-public-key"}}],
}

review(o, k) := {"review": {"object": o, "kind": k}}

msgs(inp) := {v.msg | some v in found} if {
	found := violation with input as inp
}

ids(inp) := {v.details.id | some v in found} if {
	found := violation with input as inp
}

test_messages_name_object_and_what_is_missing if {
	msgs(review(bare_pod, pod_kind)) == {
		"Pod models/p: no initContainer whose name matches /verify/",
		"Pod models/p: no volume from secret cosign-public-key",
	}
}

test_details_carry_id_and_identity if {
	check_input := review(bare_pod, pod_kind)
	vs := violation with input as check_input
	some v in vs
	v.details.id == "AEGIS001"
	v.details == {"id": "AEGIS001", "component": "", "kind": "Pod", "namespace": "models", "name": "p"}
}

test_conforming_pod_has_no_violation if {
	check_input := review(object.union(bare_pod, {"spec": good_spec}), pod_kind)
	count(violation) == 0 with input as check_input
}

test_missing_pod_spec_message if {
	dep := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d", "namespace": "m"}, "spec": null}
	msgs(review(dep, {"group": "apps", "version": "v1", "kind": "Deployment"})) == {"Deployment m/d: no pod spec at spec.template.spec"}
}

test_unmounted_key_message if {
	spec := {"initContainers": [{"name": "verify"}], "volumes": good_spec.volumes}
	msgs(review(object.union(bare_pod, {"spec": spec}), pod_kind)) == {"Pod models/p: no initContainer matching /verify/ mounts a volume from secret cosign-public-key"}
}

test_component_in_message_and_details if {
	isvc := {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService", "metadata": {"name": "r", "namespace": "m"}, "spec": {"predictor": good_spec, "explainer": {"containers": []}}}
	inp := review(isvc, {"group": "serving.kserve.io", "version": "v1beta1", "kind": "InferenceService"})
	msgs(inp) == {
		"InferenceService m/r (explainer): no initContainer whose name matches /verify/",
		"InferenceService m/r (explainer): no volume from secret cosign-public-key",
	}
	vs := violation with input as inp
	{v.details.component | some v in vs} == {"explainer"}
}

test_parameters_absent_null_or_empty_mean_defaults if {
	ids(review(bare_pod, pod_kind)) == {"AEGIS001", "AEGIS002"}
	ids({"review": {"object": bare_pod, "kind": pod_kind}, "parameters": null}) == {"AEGIS001", "AEGIS002"}
	ids({"review": {"object": bare_pod, "kind": pod_kind}, "parameters": {}}) == {"AEGIS001", "AEGIS002"}
	ids({"review": {"object": bare_pod, "kind": pod_kind}, "parameters": {"namespaces": null}}) == {"AEGIS001", "AEGIS002"}
}

test_parameters_change_messages if {
	inp := {"review": {"object": bare_pod, "kind": pod_kind}, "parameters": {"initContainerPattern": "^fetch", "secretName": "k"}}
	msgs(inp) == {"Pod models/p: no initContainer whose name matches /^fetch/", "Pod models/p: no volume from secret k"}
}

test_require_mount_false_skips_aegis003 if {
	spec := {"initContainers": [{"name": "verify"}], "volumes": good_spec.volumes}
	inp := {"review": {"object": object.union(bare_pod, {"spec": spec}), "kind": pod_kind}, "parameters": {"requireMount": false}}
	count(violation) == 0 with input as inp
}

test_object_namespace_wins_over_request if {
	inp := {"review": {"object": bare_pod, "kind": pod_kind, "namespace": "other"}, "parameters": {"namespaces": ["models"]}}
	ids(inp) == {"AEGIS001", "AEGIS002"}
}

test_request_namespace_for_objects_without_one if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}
	inp := {"review": {"object": pod, "kind": pod_kind, "namespace": "models"}, "parameters": {"namespaces": ["models"]}}
	msgs(inp) == {"Pod models/p: no initContainer whose name matches /verify/", "Pod models/p: no volume from secret cosign-public-key"}
	check_input := {"review": {"object": pod, "kind": pod_kind, "namespace": "web"}, "parameters": {"namespaces": ["models"]}}
	count(violation) == 0 with input as check_input
}

test_no_namespace_anywhere_is_default if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {}}
	ids({"review": {"object": pod, "kind": pod_kind}, "parameters": {"namespaces": ["default"]}}) == {"AEGIS001", "AEGIS002"}
}

test_generate_name_and_unnamed if {
	gen := {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "job-", "namespace": "m"}}
	msgs(review(gen, pod_kind)) == {"Pod m/job-: no pod spec at spec"}
	anon := {"apiVersion": "v1", "kind": "Pod", "metadata": {"namespace": "m"}}
	msgs(review(anon, pod_kind)) == {"Pod m/<unnamed>: no pod spec at spec"}
}

test_unchecked_kinds_and_delegating_rollouts_are_silent if {
	input_1 := review({"kind": "ConfigMap", "metadata": {"name": "c"}}, {"group": "", "version": "v1", "kind": "ConfigMap"})
	count(violation) == 0 with input as input_1
	input_2 := review({"kind": "Service", "metadata": {"name": "s"}, "spec": {}}, {"group": "", "version": "v1", "kind": "Service"})
	count(violation) == 0 with input as input_2
	rollout := {"kind": "Rollout", "metadata": {"name": "r"}, "spec": {"workloadRef": {"kind": "Deployment", "name": "d"}}}
	input_3 := review(rollout, {"group": "argoproj.io", "version": "v1alpha1", "kind": "Rollout"})
	count(violation) == 0 with input as input_3
}

test_wrong_types_count_as_absent if {
	spec := {"initContainers": {"verify": {"name": "verify"}}, "volumes": "cosign-public-key"}
	ids(review(object.union(bare_pod, {"spec": spec}), pod_kind)) == {"AEGIS001", "AEGIS002"}
}

test_vault_path_needs_the_parameter if {
	spec := {"initContainers": [{"name": "verify", "env": [{"name": "VAULT_ADDR", "value": "https://vault:8200"}]}]}
	pod := object.union(bare_pod, {"spec": spec})
	ids(review(pod, pod_kind)) == {"AEGIS002"}
	check_input := {"review": {"object": pod, "kind": pod_kind}, "parameters": {"allowVaultVerification": true}}
	count(violation) == 0 with input as check_input
}
