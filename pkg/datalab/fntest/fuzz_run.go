package fntest

// Running a generated request as Crossplane would, and the corpus check.

import (
	"context"
	"encoding/base64"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
)

// Run calls fn with req like Crossplane does: while the function asks for
// resources the request does not carry yet, it resolves them from the
// generated world (an empty list when nothing matches) and calls again.
// With Replay it then feeds what the function rendered back as observed
// state, sometimes altered, and calls once more. req is updated in place,
// so it is the request of the returned response. Intermediate responses
// are checked with CheckProperties.
func (g Generated) Run(t testing.TB, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp := g.resolve(t, fn, req)
	if !g.Replay || g.Pending || Fatal(rsp) != "" || len(rsp.GetDesired().GetResources()) == 0 {
		return rsp
	}
	CheckProperties(t, req, rsp, Markers)
	c := &chooser{data: g.alter}
	if req.Observed.Resources == nil {
		req.Observed.Resources = map[string]*fnv1.Resource{}
	}
	ns := req.GetObserved().GetComposite().GetResource().GetFields()["metadata"].GetStructValue().GetFields()["namespace"].GetStringValue()
	for _, key := range slices.Sorted(maps.Keys(rsp.GetDesired().GetResources())) {
		if o := observedOf(key, rsp.GetDesired().GetResources()[key], ns, c); o != nil {
			req.Observed.Resources[key] = o
		}
	}
	return g.resolve(t, fn, req)
}

// call runs fn once on a copy of req (Run would resolve some requirements
// on its own; resolve answers them all from the world).
func call(t testing.TB, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := fn.RunFunction(context.Background(), proto.Clone(req).(*fnv1.RunFunctionRequest))
	if err != nil {
		t.Fatalf("gRPC error instead of a result: %v", err)
	}
	return rsp
}

func (g Generated) resolve(t testing.TB, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp := call(t, fn, req)
	for range 5 {
		if g.Pending {
			return rsp
		}
		added := false
		for key, sel := range rsp.GetRequirements().GetResources() {
			if have, ok := req.RequiredResources[key]; ok && answers(have, sel) {
				continue
			}
			// Like Crossplane: a new requirement, or one whose selector
			// changed since it was answered, is looked up (again).
			req.RequiredResources[key] = g.find(sel)
			added = true
		}
		if !added {
			return rsp
		}
		CheckProperties(t, req, rsp, Markers)
		rsp = call(t, fn, req)
	}
	return rsp
}

// find resolves a selector against the world.
func (g Generated) find(sel *fnv1.ResourceSelector) *fnv1.Resources {
	out := &fnv1.Resources{}
	for _, o := range g.world {
		meta, _ := o["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		ns, _ := meta["namespace"].(string)
		if o["apiVersion"] != sel.GetApiVersion() || o["kind"] != sel.GetKind() {
			continue
		}
		if sel.Namespace != nil && ns != sel.GetNamespace() {
			continue
		}
		if m := sel.GetMatchName(); m != "" && m != name {
			continue
		}
		if ml := sel.GetMatchLabels(); ml != nil {
			labels, _ := meta["labels"].(map[string]any)
			match := true
			for k, v := range ml.GetLabels() {
				if labels[k] != v {
					match = false
				}
			}
			if !match {
				continue
			}
		}
		if s, err := structpb.NewStruct(o); err == nil {
			out.Items = append(out.Items, &fnv1.Resource{Resource: s})
		}
	}
	return out
}

// observedOf is a desired composed resource as Crossplane observes it
// after applying it, sometimes altered (another name, another kind, as an
// older version of a function or a person may have left it).
func observedOf(key string, r *fnv1.Resource, namespace string, c *chooser) *fnv1.Resource {
	o := r.GetResource().AsMap()
	meta, _ := o["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		o["metadata"] = meta
	}
	meta["namespace"] = namespace
	meta["uid"] = "uid-" + key
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
	}
	ann["crossplane.io/composition-resource-name"] = key
	meta["annotations"] = ann
	m, _ := o["spec"].(map[string]any)
	fp, _ := m["forProvider"].(map[string]any)
	mf, _ := fp["manifest"].(map[string]any)
	if o["kind"] == compose.ObjectKind && mf != nil {
		at, _ := structpb.NewStruct(mf)
		atm := at.AsMap()
		if atm["kind"] == "WorkshopSession" {
			atm["status"] = map[string]any{"educates": map[string]any{"phase": c.word("Running", "Starting", "Failed"), "url": "https://session.example.com",
				"message": c.word("", "pulling image")}}
		}
		if c.odds(sometimes) {
			// Applied from an older spec: drift, and a rotated login.
			if spec, ok := atm["spec"].(map[string]any); ok {
				spec["drifted"] = true
				if sess, ok := spec["session"].(map[string]any); ok && atm["kind"] == "WorkshopSession" {
					sess["password"] = MarkerLogin + "-OLD"
				}
			}
			meta, _ := atm["metadata"].(map[string]any)
			if meta != nil {
				meta["generation"] = 3
			}
		}
		o["status"] = map[string]any{"atProvider": map[string]any{"manifest": atm},
			"conditions": []any{map[string]any{"type": "Ready", "status": "True"}, map[string]any{"type": "Synced", "status": "True"}}}
	}
	if c.odds(sometimes) {
		switch c.n(4) {
		case 0:
			meta["name"] = "old-" + truncate(meta["name"], 200)
		case 1:
			if mf != nil {
				if mm, ok := mf["metadata"].(map[string]any); ok {
					mm["name"] = c.word("old-", "x-") + truncate(mm["name"], 50)
				}
			}
		case 2:
			if mf != nil && !carriesMarker(mf) {
				mf["kind"] = c.word("Namespace", "ConfigMap", "Workshop")
			}
		default:
			if !carriesMarker(o) {
				o["kind"] = c.word("ConfigMap", "Secret", compose.ObjectKind)
			}
		}
	}
	s, err := structpb.NewStruct(o)
	if err != nil {
		return nil
	}
	return &fnv1.Resource{Resource: s}
}

func truncate(v any, n int) string {
	s, _ := v.(string)
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "-.")
}

func carriesMarker(v any) bool {
	s := toJSON(v)
	for _, m := range append(slices.Clone(Markers), MarkerForeign) {
		if strings.Contains(s, m) || strings.Contains(s, base64.StdEncoding.EncodeToString([]byte(m))) {
			return true
		}
	}
	return false
}

// Renders reports whether fn rendered something: no Fatal result, and a
// desired composed resource the request did not carry as it is now.
func Renders(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) bool {
	return Fatal(rsp) == "" && len(changedKeys(req, rsp)) > 0
}

// Check is a property of a response, like CheckProperties.
type Check func(t testing.TB, req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, secrets []string)

// CorpusRenders runs n pseudo-random inputs (a fixed seed) through
// Generate, fn, CheckProperties and the extra checks, and fails unless at
// least floor of them render. It logs the most frequent other outcomes
// and returns the fraction that rendered.
func CorpusRenders(t *testing.T, fn fnv1.FunctionRunnerServiceServer, n int, floor float64, extra ...Check) float64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	rendered := 0
	outcomes := map[string]int{}
	example := map[string][]byte{}
	for i := range n {
		data := make([]byte, 32+rng.IntN(224))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		req, rsp := runGenerated(t, fn, data, extra)
		outcome := ""
		switch f := Fatal(rsp); {
		case Renders(req, rsp):
			rendered++
		case f != "":
			outcome = "Fatal: " + truncate(f, 100)
		case len(rsp.GetRequirements().GetResources()) > len(req.GetRequiredResources()):
			outcome = "requirements pending"
		default:
			outcome = "nothing rendered"
		}
		if outcome != "" {
			outcomes[outcome]++
			if example[outcome] == nil {
				example[outcome] = data
			}
		}
		if t.Failed() {
			t.Fatalf("input %d: %x", i, data)
		}
	}
	frac := float64(rendered) / float64(n)
	top := slices.SortedFunc(maps.Keys(outcomes), func(a, b string) int { return outcomes[b] - outcomes[a] })
	for _, o := range top[:min(len(top), 6)] {
		t.Logf("%5d× %s (e.g. %x)", outcomes[o], o, example[o])
	}
	t.Logf("%d of %d generated inputs (%.1f%%) rendered resources", rendered, n, 100*frac)
	if frac < floor {
		t.Errorf("only %.1f%% of generated inputs rendered, want at least %.0f%%", 100*frac, 100*floor)
	}
	return frac
}

// answers reports whether resolved resources answer a selector by name:
// nothing found, or the named object.
func answers(have *fnv1.Resources, sel *fnv1.ResourceSelector) bool {
	m := sel.GetMatchName()
	if m == "" || len(have.GetItems()) == 0 {
		return true
	}
	meta := have.GetItems()[0].GetResource().GetFields()["metadata"].GetStructValue().GetFields()
	return meta["name"].GetStringValue() == m
}
