{{/* The suffix `aegis policy export` gives a constraint's name for its enforcement action. */}}
{{- define "aegis.action" -}}
{{- $a := .Values.enforcementAction -}}
{{- if eq $a "deny" }}enforce{{ else if eq $a "warn" }}warn{{ else if eq $a "dryrun" }}audit{{ else }}{{ fail (printf "enforcementAction: deny, warn or dryrun, not %q" $a) }}{{ end -}}
{{- end -}}

{{- define "aegis.labels" -}}
app.kubernetes.io/name: aegis
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* KEY[=VALUE] as a matchLabels entry (VALUE defaults to "true"). */}}
{{- define "aegis.matchLabels" -}}
{{- $kv := splitn "=" 2 . -}}
{{ $kv._0 | quote }}: {{ default "true" $kv._1 | quote }}
{{- end -}}

{{- define "aegis.kserveKinds" -}}
- apiGroups: ["serving.kserve.io", "serving.kubeflow.org"]
  kinds: ["InferenceService", "LLMInferenceService", "TrainedModel"]
- apiGroups: ["serving.kserve.io"]
  kinds: ["ServingRuntime", "ClusterServingRuntime"]
{{- end -}}

{{- define "aegis.workloadKinds" -}}
- apiGroups: [""]
  kinds: ["Pod", "PodTemplate", "ReplicationController"]
- apiGroups: ["apps"]
  kinds: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]
- apiGroups: ["batch"]
  kinds: ["Job", "CronJob"]
- apiGroups: ["argoproj.io"]
  kinds: ["Rollout"]
- apiGroups: ["serving.knative.dev"]
  kinds: ["Service"]
{{- end -}}

{{/* One AegisSignedPod: dict "root" $ "name" NAME "match" MATCH-YAML. */}}
{{- define "aegis.constraint" -}}
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: AegisSignedPod
metadata:
  name: {{ .name }}
  labels:
    {{- include "aegis.labels" .root | nindent 4 }}
spec:
  enforcementAction: {{ .root.Values.enforcementAction }}
  match:
    {{- .match | nindent 4 }}
  parameters:
    {{- toYaml .root.Values.parameters | nindent 4 }}
{{- end -}}

{{/* The constraints of the chosen scope, as `aegis policy export --only constraint` writes them. */}}
{{- define "aegis.constraints" -}}
{{- $action := include "aegis.action" . -}}
{{- $excluded := "excludedNamespaces: [\"kube-*\", \"gatekeeper-system\"]" -}}
{{- if eq .Values.scope "namespaces" -}}
{{- if not .Values.namespaces }}{{ fail "scope namespaces needs `namespaces`" }}{{ end -}}
{{- $match := printf "kinds:\n%s\n%s\nnamespaces: %s\n%s" (include "aegis.workloadKinds" .) (include "aegis.kserveKinds" .) (toJson .Values.namespaces) $excluded -}}
{{ include "aegis.constraint" (dict "root" . "name" (printf "aegis-signed-pod-%s" $action) "match" $match) }}
{{- else if eq .Values.scope "allNamespaces" -}}
{{- $match := printf "kinds:\n%s\n%s\n%s" (include "aegis.workloadKinds" .) (include "aegis.kserveKinds" .) $excluded -}}
{{ include "aegis.constraint" (dict "root" . "name" (printf "aegis-signed-pod-%s" $action) "match" $match) }}
{{- else if or (eq .Values.scope "namespaceLabel") (eq .Values.scope "workloadLabel") -}}
{{- $kserve := printf "kinds:\n%s\n%s" (include "aegis.kserveKinds" .) $excluded -}}
{{ include "aegis.constraint" (dict "root" . "name" (printf "aegis-kserve-%s" $action) "match" $kserve) }}
---
{{- $selector := "" -}}
{{- if eq .Values.scope "namespaceLabel" -}}
{{- $selector = printf "namespaceSelector:\n  matchLabels:\n    %s" (include "aegis.matchLabels" .Values.namespaceLabel) -}}
{{- else -}}
{{- if not .Values.workloadLabel }}{{ fail "scope workloadLabel needs `workloadLabel`" }}{{ end -}}
{{- $selector = printf "labelSelector:\n  matchLabels:\n    %s" (include "aegis.matchLabels" .Values.workloadLabel) -}}
{{- end -}}
{{- $workloads := printf "kinds:\n%s\n%s\n%s" (include "aegis.workloadKinds" .) $selector $excluded }}
{{ include "aegis.constraint" (dict "root" . "name" (printf "aegis-signed-pod-%s" $action) "match" $workloads) }}
{{- else -}}
{{ fail (printf "scope: namespaceLabel, workloadLabel, namespaces or allNamespaces, not %q" .Values.scope) }}
{{- end -}}
{{- end -}}

{{/* The constraints Job's environment: kubectl's HOME on the writable /tmp, and extraEnv. */}}
{{- define "aegis.jobEnv" -}}
- {name: HOME, value: /tmp}
{{- with .Values.constraintsJob.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}
