// Writes a multi-document stream of realistic Deployments for the lint benchmark:
// labels, annotations, init containers, env lists, probes, resources, volumes.
// Usage: aegis_gen_corpus COUNT OUT.yaml [all-findings]   (every 4th object violates the policy;
// with all-findings every object does: a report as large as a corpus can make it)
#include <cstdio>
#include <cstdlib>
#include <string>

#include <fmt/format.h>

namespace {

std::string Deployment(int i, bool all_findings) {
  bool conforming = !all_findings && i % 4 != 0;
  std::string init = conforming ? R"(      initContainers:
        - name: verify-and-fetch
          image: registry.example.com/aegis/verify-and-fetch@sha256:4f1c2b8e9d7a6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b
          args: ["s3://models/resnet-{0}/model.tar.gz", "/models"]
          env:
            - name: AWS_REGION
              value: eu-west-1
            - name: AEGIS_LOG_FORMAT
              value: json
          volumeMounts:
            - name: model
              mountPath: /models
            - name: cosign-key
              mountPath: /etc/cosign
              readOnly: true
          securityContext: {{runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}}
)"
                              : R"(      initContainers:
        - name: warmup
          image: busybox:1.36
          command: ["sh", "-c", "echo warming {0}"]
)";
  return fmt::format(R"(---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-server-{0}
  namespace: team-{1}
  labels:
    app.kubernetes.io/name: model-server
    app.kubernetes.io/instance: model-server-{0}
    app.kubernetes.io/version: "1.{2}.0"
    app.kubernetes.io/part-of: inference
    team: team-{1}
  annotations:
    deployment.kubernetes.io/revision: "{2}"
    prometheus.io/scrape: "true"
    prometheus.io/port: "8002"
spec:
  replicas: {3}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/instance: model-server-{0}
  strategy:
    type: RollingUpdate
    rollingUpdate: {{maxSurge: 1, maxUnavailable: 0}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: model-server
        app.kubernetes.io/instance: model-server-{0}
        team: team-{1}
    spec:
      serviceAccountName: model-fetcher
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        fsGroup: 65532
{4}      containers:
        - name: tritonserver
          image: nvcr.io/nvidia/tritonserver:24.08-py3
          args: ["tritonserver", "--model-repository=/models", "--strict-model-config=false", "--log-verbose=0"]
          ports:
            - {{name: http, containerPort: 8000}}
            - {{name: grpc, containerPort: 8001}}
            - {{name: metrics, containerPort: 8002}}
          env:
            - name: MODEL_NAME
              value: resnet-{0}
            - name: OMP_NUM_THREADS
              value: "4"
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          resources:
            requests: {{cpu: "2", memory: 8Gi}}
            limits: {{cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}}
          readinessProbe:
            httpGet: {{path: /v2/health/ready, port: http}}
            initialDelaySeconds: 10
            periodSeconds: 5
          volumeMounts:
            - name: model
              mountPath: /models
              readOnly: true
            - name: cache
              mountPath: /cache
      volumes:
        - name: model
          emptyDir: {{}}
        - name: cache
          emptyDir: {{sizeLimit: 2Gi}}
        - name: cosign-key
          secret:
            secretName: cosign-public-key
            defaultMode: 0444
      tolerations:
        - {{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}}
)",
                     i, i % 17, i % 9, 1 + i % 3, fmt::format(fmt::runtime(init), i));
}

}  // namespace

int main(int argc, char** argv) {
  bool all_findings = argc == 4 && std::string(argv[3]) == "all-findings";
  if (argc != 3 && !all_findings) {
    std::fprintf(stderr, "usage: %s COUNT OUT.yaml [all-findings]\n", argv[0]);
    return 2;
  }
  int count = std::atoi(argv[1]);
  std::FILE* out = std::fopen(argv[2], "wb");
  if (out == nullptr || count <= 0) {
    std::fprintf(stderr, "cannot write %s\n", argv[2]);
    return 2;
  }
  // With all-findings, the teams' namespaces are in the policy's scope (the built-in
  // constraint selects namespaces labelled aegis.dev/model-serving=true): every finding is reported.
  for (int team = 0; all_findings && team < 17; ++team) {
    std::string ns = fmt::format(
        "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-{}\n  labels:\n    aegis.dev/model-serving: "
        "\"true\"\n",
        team);
    std::fwrite(ns.data(), 1, ns.size(), out);
  }
  for (int i = 0; i < count; ++i) {
    std::string doc = Deployment(i, all_findings);
    std::fwrite(doc.data(), 1, doc.size(), out);
  }
  return std::fclose(out) == 0 ? 0 : 2;
}
