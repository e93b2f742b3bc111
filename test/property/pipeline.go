package property

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	backends "github.com/versioneer-tech/provider-datalab/functions/backends/step"
	identity "github.com/versioneer-tech/provider-datalab/functions/identity/step"
	policy "github.com/versioneer-tech/provider-datalab/functions/policy/step"
	runtime "github.com/versioneer-tech/provider-datalab/functions/runtime/step"
	storage "github.com/versioneer-tech/provider-datalab/functions/storage/step"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// steps are the default Composition's pipeline, in order.
var steps = []struct {
	name string
	fn   *pipeline.Function
}{
	{"runtime", &pipeline.Function{Log: logging.NewNopLogger(), Step: runtime.Run}},
	{"storage", &pipeline.Function{Log: logging.NewNopLogger(), Step: storage.Run}},
	{"identity", &pipeline.Function{Log: logging.NewNopLogger(), Step: identity.Run}},
	{"backends", &pipeline.Function{Log: logging.NewNopLogger(), Step: backends.Run}},
	{"policy", &pipeline.Function{Log: logging.NewNopLogger(), Step: policy.Run}},
}

// outcome is one reconcile: the final desired composed resources, or the
// Fatal result that stopped the pipeline (then nothing is applied).
type outcome struct {
	desired map[string]*fnv1.Resource
	fatal   string
	step    string
	calls   int
}

// reconcile runs every step like Crossplane: each step is called again
// while it asks for required resources it has not been given (answered
// from the world), and hands its desired state and context to the next.
// check sees every step call.
// Like Crossplane v2.4, each step's first call carries what its
// requirements of the previous reconcile (in asked) select now, and a step
// is called again only while its requirements change.
func reconcile(t *testing.T, xr *structpb.Struct, observed map[string]*fnv1.Resource, w world, asked map[string]map[string]*fnv1.ResourceSelector, check func(step string, given []string, rsp *fnv1.RunFunctionResponse)) outcome {
	t.Helper()
	desired := &fnv1.State{}
	var fctx *structpb.Struct
	out := outcome{}
	for _, s := range steps {
		req := &fnv1.RunFunctionRequest{
			Observed:          &fnv1.State{Composite: &fnv1.Resource{Resource: xr}, Resources: observed},
			Context:           fctx,
			RequiredResources: map[string]*fnv1.Resources{},
		}
		for key, sel := range asked[s.name] {
			req.RequiredResources[key] = w.find(sel)
		}
		var rsp *fnv1.RunFunctionResponse
		for attempt := 0; ; attempt++ {
			// The SDK's response starts from the request's desired state
			// (response.To) and adds to its map, so every call gets a map
			// of its own (the resources themselves are replaced, not
			// changed).
			req.Desired = &fnv1.State{Composite: desired.GetComposite(), Resources: maps.Clone(desired.GetResources())}
			given := slices.Sorted(maps.Keys(desired.GetResources()))
			var err error
			rsp, err = s.fn.RunFunction(context.Background(), req)
			out.calls++
			if err != nil {
				t.Fatalf("%s: gRPC error instead of a result: %v", s.name, err)
			}
			check(s.name, given, rsp)
			now := rsp.GetRequirements().GetResources()
			changed := len(now) != len(asked[s.name])
			for key, sel := range now {
				if !proto.Equal(sel, asked[s.name][key]) {
					changed = true
				}
			}
			asked[s.name] = now
			if !changed {
				break
			}
			req.RequiredResources = map[string]*fnv1.Resources{}
			for key, sel := range now {
				req.RequiredResources[key] = w.find(sel)
			}
			if attempt == 5 {
				t.Fatalf("%s: requirements did not settle after %d calls", s.name, attempt+1)
			}
		}
		if f := fntest.Fatal(rsp); f != "" {
			out.fatal, out.step = f, s.name
			return out
		}
		desired = rsp.GetDesired()
		if desired == nil {
			desired = &fnv1.State{}
		}
		fctx = rsp.GetContext()
	}
	out.desired = desired.GetResources()
	if out.desired == nil {
		out.desired = map[string]*fnv1.Resource{}
	}
	return out
}

// apply is what Crossplane and the providers leave after a successful
// reconcile: every desired resource observed as ready, in the world (with
// an Object's target), and the observed state of the next reconcile.
func apply(desired map[string]*fnv1.Resource, w world, namespace string) state {
	// What the pipeline no longer composes is deleted (or orphaned: no
	// longer the pipeline's either way).
	for id, o := range w {
		labels := o.GetFields()["metadata"].GetStructValue().GetFields()["labels"].GetStructValue().GetFields()
		if labels["crossplane.io/composite"].GetStringValue() == name || labels[compose.LabelDatalab].GetStringValue() == name {
			delete(w, id)
		}
	}
	ready := structpb.NewListValue(&structpb.ListValue{Values: []*structpb.Value{
		structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"type": structpb.NewStringValue("Ready"), "status": structpb.NewStringValue("True")}}),
		structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"type": structpb.NewStringValue("Synced"), "status": structpb.NewStringValue("True")}}),
	}})
	observed := state{resources: map[string]*fnv1.Resource{}, maps: map[string]map[string]any{}}
	// The reconcile's desired resources are not used again: they become the
	// observed ones in place.
	for key, r := range desired {
		o := r.GetResource()
		meta := sub(o, "metadata")
		meta.Fields["namespace"] = structpb.NewStringValue(namespace)
		sub(meta, "labels").Fields["crossplane.io/composite"] = structpb.NewStringValue(name)
		sub(meta, "annotations").Fields["crossplane.io/composition-resource-name"] = structpb.NewStringValue(key)
		status := &structpb.Struct{Fields: map[string]*structpb.Value{"conditions": ready}}
		if field(o, "kind") == compose.ObjectKind {
			if m := o.GetFields()["spec"].GetStructValue().GetFields()["forProvider"].GetStructValue().GetFields()["manifest"].GetStructValue(); m != nil {
				status.Fields["atProvider"] = structpb.NewStructValue(&structpb.Struct{Fields: map[string]*structpb.Value{"manifest": structpb.NewStructValue(m)}})
				w.put(m)
			}
		}
		o.Fields["status"] = structpb.NewStructValue(status)
		w.put(o)
		observed.resources[key] = &fnv1.Resource{Resource: o}
	}
	return observed
}

// sub returns a struct field, made when missing.
func sub(s *structpb.Struct, key string) *structpb.Struct {
	if v := s.GetFields()[key].GetStructValue(); v != nil {
		return v
	}
	v := &structpb.Struct{Fields: map[string]*structpb.Value{}}
	if s.Fields == nil {
		s.Fields = map[string]*structpb.Value{}
	}
	s.Fields[key] = structpb.NewStructValue(v)
	return v
}

// state is the observed composed resources, as the functions get them;
// maps converts one for the checks, once.
type state struct {
	resources map[string]*fnv1.Resource
	maps      map[string]map[string]any
}

func (s state) get(key string) map[string]any {
	if m, ok := s.maps[key]; ok {
		return m
	}
	r, ok := s.resources[key]
	if !ok {
		return nil
	}
	m := r.GetResource().AsMap()
	s.maps[key] = m
	return m
}

func (s state) put(key string, r *fnv1.Resource) {
	s.resources[key] = r
	delete(s.maps, key)
}

func (s state) drop(key string) {
	delete(s.resources, key)
	delete(s.maps, key)
}
