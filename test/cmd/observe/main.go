// Command observe turns a render's output into the observed state of the
// next reconcile, as Crossplane and the providers would report it once
// everything was applied: every composed resource with Ready and Synced
// conditions, and every Object with its manifest in status.atProvider;
// new Educates environments and sessions report phase Running (sessions
// with their URL) and new claims phase Bound. What the previous observed
// state reported about a resource (its conditions, its target's status) is
// kept, so a golden case advances one reconcile at a time; edit the result
// by hand for other states:
//
//	go run ./test/cmd/observe -rendered CASE/expected.yaml [-observed CASE/observed.yaml] > NEXT/observed.yaml
package main

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

const keyAnnotation = "crossplane.io/composition-resource-name"

func main() {
	rendered := flag.String("rendered", "", "the render output (a golden's expected.yaml)")
	observed := flag.String("observed", "", "the observed state it was rendered from, optional")
	only := flag.String("only", "", "advance only the resources whose composition-resource-name starts with this; keep the others as observed")
	flag.Parse()
	out, err := run(*rendered, *observed, *only)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
}

func run(rendered, observed, only string) ([]byte, error) {
	desired, err := composed(rendered)
	if err != nil {
		return nil, err
	}
	previous := map[string]map[string]any{}
	if observed != "" {
		if previous, err = composed(observed); err != nil {
			return nil, err
		}
	}
	next := map[string]map[string]any{}
	for key, o := range desired {
		if strings.HasPrefix(key, only) {
			o["status"] = statusOf(o, previous[key])
			next[key] = o
		}
	}
	for key, o := range previous {
		if !strings.HasPrefix(key, only) {
			next[key] = o
		}
	}
	var b bytes.Buffer
	for i, key := range slices.Sorted(maps.Keys(next)) {
		o := next[key]
		y, err := yaml.Marshal(o)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteString("---\n")
		}
		b.Write(y)
	}
	return b.Bytes(), nil
}

// statusOf is what the next reconcile observes of a resource.
func statusOf(o, prev map[string]any) map[string]any {
	st, _ := prev["status"].(map[string]any)
	if st == nil {
		st = map[string]any{"conditions": []any{
			map[string]any{"type": "Ready", "status": "True", "reason": "Available", "lastTransitionTime": "2024-01-01T00:00:00Z"},
			map[string]any{"type": "Synced", "status": "True", "reason": "ReconcileSuccess", "lastTransitionTime": "2024-01-01T00:00:00Z"},
		}}
	}
	if o["kind"] != "Object" {
		return st
	}
	spec, _ := o["spec"].(map[string]any)
	fp, _ := spec["forProvider"].(map[string]any)
	manifest, _ := fp["manifest"].(map[string]any)
	at := copyOf(manifest)
	// The target's own status stays what it was.
	if pat, ok := st["atProvider"].(map[string]any); ok {
		if pm, ok := pat["manifest"].(map[string]any); ok && pm["status"] != nil {
			at["status"] = pm["status"]
		}
	}
	if _, ok := at["status"]; !ok {
		if ts := targetStatus(at); ts != nil {
			at["status"] = ts
		}
	}
	st["atProvider"] = map[string]any{"manifest": at}
	return st
}

// targetStatus is what a new target reports once it works.
func targetStatus(m map[string]any) any {
	switch m["kind"] {
	case "WorkshopEnvironment":
		return map[string]any{"educates": map[string]any{"phase": "Running"}}
	case "WorkshopSession":
		meta, _ := m["metadata"].(map[string]any)
		spec, _ := m["spec"].(map[string]any)
		session, _ := spec["session"].(map[string]any)
		ingress, _ := session["ingress"].(map[string]any)
		return map[string]any{"educates": map[string]any{"phase": "Running", "message": "Session is running",
			"url": fmt.Sprintf("https://%s.%s", meta["name"], ingress["domain"])}}
	case "PersistentVolumeClaim":
		return map[string]any{"phase": "Bound"}
	}
	return nil
}

// composed reads the composed resources of a render output or observed
// file by composition-resource-name.
func composed(path string) (map[string]map[string]any, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]any{}
	for _, doc := range strings.Split(string(b), "\n---\n") {
		var o map[string]any
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		meta, _ := o["metadata"].(map[string]any)
		ann, _ := meta["annotations"].(map[string]any)
		if key, ok := ann[keyAnnotation].(string); ok {
			out[key] = o
		}
	}
	return out, nil
}

func copyOf(m map[string]any) map[string]any {
	b, _ := yaml.Marshal(m)
	var out map[string]any
	_ = yaml.Unmarshal(b, &out)
	if out == nil {
		out = map[string]any{}
	}
	return out
}
