// knative-validate runs Knative Serving's own admission checks on Knative Services: the
// defaulting and validation its webhook (validation.webhook.serving.knative.dev) applies on
// create, with the feature flags of a config-features ConfigMap. It is the Serverless stage of
// tests/interop/kserve_native_test.sh: KServe turns an InferenceService's predictor into such a
// Service (reconcilers/knative/ksvc_reconciler.go, createKnativeService) before any Pod exists.
//
//	knative-validate [--feature NAME=VALUE]... FILE...
//
// Each FILE holds one Service (YAML or JSON). Prints "FILE: valid" or "FILE: invalid: REASON"
// per file (and "FILE: warning: …" for what the webhook returns as warnings); exits 1 when any
// is invalid, 2 on unreadable input.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"knative.dev/pkg/apis"
	"knative.dev/serving/pkg/apis/config"
	v1 "knative.dev/serving/pkg/apis/serving/v1"
	autoscaler "knative.dev/serving/pkg/autoscaler/config"
	"sigs.k8s.io/yaml"
)

type featureFlags map[string]string

func (f featureFlags) String() string { return fmt.Sprint(map[string]string(f)) }

func (f featureFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	f[name] = value
	return nil
}

// admissionContext is what the webhook's config store puts in the context: the three
// ConfigMaps Serving's validation reads, each from its defaults but for the given features.
func admissionContext(features map[string]string) (context.Context, error) {
	f, err := config.NewFeaturesConfigFromMap(features)
	if err != nil {
		return nil, err
	}
	d, err := config.NewDefaultsConfigFromMap(nil)
	if err != nil {
		return nil, err
	}
	a, err := autoscaler.NewConfigFromMap(nil)
	if err != nil {
		return nil, err
	}
	ctx := config.ToContext(context.Background(), &config.Config{Features: f, Defaults: d, Autoscaler: a})
	return apis.WithinCreate(ctx), nil
}

func main() {
	features := featureFlags{}
	flag.Var(features, "feature", "a config-features flag, e.g. kubernetes.podspec-init-containers=enabled (repeatable)")
	flag.Parse()
	ctx, err := admissionContext(features)
	if err != nil {
		fmt.Fprintln(os.Stderr, "knative-validate:", err)
		os.Exit(2)
	}
	invalid := false
	for _, file := range flag.Args() {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, "knative-validate:", err)
			os.Exit(2)
		}
		var svc v1.Service
		if err := yaml.UnmarshalStrict(data, &svc); err != nil {
			fmt.Printf("%s: invalid: not a Knative Service: %v\n", file, err)
			invalid = true
			continue
		}
		svc.SetDefaults(ctx)
		// The webhook refuses on error-level findings; warning-level ones are returned to the
		// client as warnings (knative.dev/pkg webhook/resourcesemantics/validation).
		fe := svc.Validate(ctx)
		if w := fe.Filter(apis.WarningLevel); w != nil {
			fmt.Printf("%s: warning: %s\n", file, strings.ReplaceAll(w.Error(), "\n", "; "))
		}
		if e := fe.Filter(apis.ErrorLevel); e != nil {
			fmt.Printf("%s: invalid: %s\n", file, strings.ReplaceAll(e.Error(), "\n", "; "))
			invalid = true
			continue
		}
		fmt.Printf("%s: valid\n", file)
	}
	if invalid {
		os.Exit(1)
	}
}
