package inprocess

import (
	"context"
	"fmt"
	"maps"
	"slices"

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
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// Steps are the default Composition's pipeline, in order.
var Steps = []struct {
	Name string
	Fn   *pipeline.Function
}{
	{"runtime", &pipeline.Function{Log: logging.NewNopLogger(), Step: runtime.Run}},
	{"storage", &pipeline.Function{Log: logging.NewNopLogger(), Step: storage.Run}},
	{"identity", &pipeline.Function{Log: logging.NewNopLogger(), Step: identity.Run}},
	{"backends", &pipeline.Function{Log: logging.NewNopLogger(), Step: backends.Run}},
	{"policy", &pipeline.Function{Log: logging.NewNopLogger(), Step: policy.Run}},
}

// outcome is one reconcile: the final desired composed resources, or the
// Fatal result that stopped the pipeline (then nothing is applied).
type Outcome struct {
	Desired map[string]*fnv1.Resource
	Fatal   string
	Step    string
	Calls   int
}

// Reconcile runs every step as Crossplane v2.4 does (the composer and its
// FetchingFunctionRunner): a step's first call carries the Composition's
// requirements of that step (Bootstrap) and what its requirements of the
// previous reconcile (in asked; nil or empty for `crossplane render`,
// which remembers nothing) select now; it returns at once when its
// requirements resolve to what it was sent, and is called again, with the
// context it returned, while its requirements change. Each step hands
// its desired state and context to the next.
// check, when not nil, sees every step call; record, when not nil, gets a
// copy of each step's last request.
func Reconcile(xr *structpb.Struct, observed map[string]*fnv1.Resource, w World, asked map[string]map[string]*fnv1.ResourceSelector,
	check func(step string, given []string, rsp *fnv1.RunFunctionResponse), record map[string]*fnv1.RunFunctionRequest) (Outcome, error) {
	desired := &fnv1.State{}
	var fctx *structpb.Struct
	out := Outcome{}
	for _, s := range Steps {
		req := &fnv1.RunFunctionRequest{
			Observed:          &fnv1.State{Composite: &fnv1.Resource{Resource: xr}, Resources: observed},
			Context:           fctx,
			RequiredResources: map[string]*fnv1.Resources{},
		}
		for key, sel := range Bootstrap[s.Name] {
			req.RequiredResources[key] = w.Find(sel)
		}
		for key, sel := range asked[s.Name] {
			if _, bootstrapped := req.RequiredResources[key]; !bootstrapped {
				req.RequiredResources[key] = w.Find(sel)
			}
		}
		given := maps.Clone(req.RequiredResources)
		var rsp *fnv1.RunFunctionResponse
		var previous *fnv1.Requirements
		for attempt := 0; ; attempt++ {
			// A step's response starts from the request's desired state
			// (response.To) and adds to its map, so every call gets a map
			// of its own (the resources themselves are replaced, not
			// changed).
			req.Desired = &fnv1.State{Composite: desired.GetComposite(), Resources: maps.Clone(desired.GetResources())}
			composed := slices.Sorted(maps.Keys(desired.GetResources()))
			if record != nil {
				record[s.Name] = proto.Clone(req).(*fnv1.RunFunctionRequest)
			}
			var err error
			rsp, err = call(s.Fn, req)
			out.Calls++
			if err != nil {
				return out, fmt.Errorf("%s: gRPC error instead of a result: %w", s.Name, err)
			}
			if check != nil {
				check(s.Name, composed, rsp)
			}
			if fntest.Fatal(rsp) != "" {
				break
			}
			reqs := rsp.GetRequirements()
			if proto.Equal(reqs, previous) {
				break
			}
			next := maps.Clone(given)
			for key, sel := range reqs.GetResources() {
				next[key] = w.Find(sel)
			}
			if attempt == 0 && maps.EqualFunc(req.RequiredResources, next, func(a, b *fnv1.Resources) bool { return proto.Equal(a, b) }) {
				break
			}
			if attempt == maxRequirementsIterations {
				return out, fmt.Errorf("%s: requirements did not settle after %d calls", s.Name, attempt+1)
			}
			previous = reqs
			req.RequiredResources = next
			req.Context = rsp.GetContext()
		}
		// What Crossplane remembers of the step for the next reconcile
		// (its tracker): the requirements of its last response.
		asked[s.Name] = rsp.GetRequirements().GetResources()
		if f := fntest.Fatal(rsp); f != "" {
			out.Fatal, out.Step = f, s.Name
			return out, nil
		}
		desired = rsp.GetDesired()
		if desired == nil {
			desired = &fnv1.State{}
		}
		fctx = rsp.GetContext()
	}
	out.Desired = desired.GetResources()
	if out.Desired == nil {
		out.Desired = map[string]*fnv1.Resource{}
	}
	return out, nil
}

// OverTheWire sends each request as Crossplane does: encoded, and decoded
// by the functions' codec with the composed resources deferred
// (wire.Unmarshal); and the response back, encoded and decoded. Encoding
// costs more than most steps, so the property test does it for some
// sequences only.
var OverTheWire = true

// call runs a step on the request as its function receives it.
func call(fn *pipeline.Function, req *fnv1.RunFunctionRequest) (*fnv1.RunFunctionResponse, error) {
	if !OverTheWire {
		return fn.RunFunction(context.Background(), req)
	}
	received, err := wire.AsReceived(req)
	if err != nil {
		return nil, err
	}
	rsp, err := fn.RunFunction(context.Background(), received)
	if err != nil {
		return nil, err
	}
	// Back over the wire: the desired resources the step passed on as
	// received are in the response's wire form only.
	b, err := proto.Marshal(rsp)
	if err != nil {
		return nil, err
	}
	var sent fnv1.RunFunctionResponse
	return &sent, proto.Unmarshal(b, &sent)
}

// Apply is what Crossplane and the providers leave after a successful
// reconcile: every desired resource observed as ready (fntest.Observe), in
// the world (with an Object's target), and the observed state of the next
// reconcile. The reconcile's desired resources are not used again: they
// become the observed ones in place.
func Apply(desired map[string]*fnv1.Resource, w World, namespace, name string) State {
	// What the pipeline no longer composes is deleted (or orphaned: no
	// longer the pipeline's either way).
	for id, o := range w {
		labels := observed.Path(o, "metadata", "labels").GetFields()
		if labels[compose.LabelComposite].GetStringValue() == name || labels[compose.LabelDatalab].GetStringValue() == name {
			delete(w, id)
		}
	}
	fntest.Observe(desired, namespace, name, nil)
	state := NewState()
	for key, r := range desired {
		o := r.GetResource()
		if m := observed.Path(o, "status", "atProvider", "manifest"); m != nil {
			w.Put(m)
		}
		w.Put(o)
		state.Resources[key] = r
	}
	return state
}

// State is the observed composed resources, as the functions get them;
// maps converts one for the checks, once.
type State struct {
	Resources map[string]*fnv1.Resource
	maps      map[string]map[string]any
}

func (s State) Get(key string) map[string]any {
	if m, ok := s.maps[key]; ok {
		return m
	}
	r, ok := s.Resources[key]
	if !ok {
		return nil
	}
	m := r.GetResource().AsMap()
	s.maps[key] = m
	return m
}

func (s State) Put(key string, r *fnv1.Resource) {
	s.Resources[key] = r
	delete(s.maps, key)
}

// NewState is an empty observed state.
func NewState() State {
	return State{Resources: map[string]*fnv1.Resource{}, maps: map[string]map[string]any{}}
}

func (s State) Drop(key string) {
	delete(s.Resources, key)
	delete(s.maps, key)
}
