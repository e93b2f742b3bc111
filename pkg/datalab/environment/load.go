package environment

import (
	"encoding/json"
	"fmt"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/request"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/required"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/response"
)

// Well-known names of the environment contract.
const (
	// ContextKey is where Crossplane functions exchange the environment.
	ContextKey = "apiextensions.crossplane.io/environment"
	// SelectorKey is the annotation (then label) naming the EnvironmentConfig.
	SelectorKey = "datalabs.pkg.internal/environment"
	// DefaultName is the EnvironmentConfig used when a Datalab names none.
	DefaultName = "datalab"
	// RequirementName keys the EnvironmentConfig in required resources.
	RequirementName = "datalab-environment"
	// BootstrapRequirementName keys the EnvironmentConfig DefaultName when
	// the Composition's runtime step requires it up front
	// (package/composition.yaml): a Datalab that selects no other
	// environment then needs no requirement of its own, so render calls
	// the step once. Under a key of its own, a Datalab that selects
	// another environment keeps its own requirement, which Crossplane
	// would otherwise replace with the bootstrap one on every reconcile.
	BootstrapRequirementName = "datalab-environment-default"
	// NamespaceRequirement keys the Datalab's Namespace, whose labels an
	// EnvironmentConfig's tenancy.namespaceSelector is matched against.
	NamespaceRequirement = "datalab-namespace"

	envConfigAPIVersion = "apiextensions.crossplane.io/v1beta1"
	envConfigKind       = "EnvironmentConfig"
)

// SelectName picks the EnvironmentConfig for a Datalab: the annotation,
// then the label of the same name, then "datalab".
func SelectName(annotations, labels map[string]string) string {
	if v := strings.TrimSpace(annotations[SelectorKey]); v != "" {
		return v
	}
	if v := strings.TrimSpace(labels[SelectorKey]); v != "" {
		return v
	}
	return DefaultName
}

// Loaded is the outcome of looking the environment up.
type Loaded struct {
	Config *Config
	// Name of the EnvironmentConfig, or "context" when an earlier step (for
	// example function-environment-configs) supplied it.
	Name string
	// Pending is true while Crossplane has not yet resolved the requirement:
	// the function must return its requirements and nothing else.
	Pending bool
	// Raw is the EnvironmentConfig's data as the request carried it, for
	// Publish; nil when the environment came from the context.
	Raw map[string]any
}

// Load finds the environment for a Datalab in namespace, in this order:
//   - the named EnvironmentConfig, when the step required it before and
//     the request carries it;
//   - an environment already in the pipeline context (an earlier step of
//     the operator's pipeline chose it, for example
//     function-environment-configs);
//   - the EnvironmentConfig DefaultName, when the Datalab names no other
//     and the Composition required it up front (BootstrapRequirementName);
//   - else the named EnvironmentConfig is required.
//
// A config is used only when its tenancy admits the namespace. A
// requirement that resolved to nothing is an error: without the
// operator's boundary nothing may be rendered.
//
// A step keeps requiring what it was given: Crossplane passes a step's
// own context to its next call, and a requirement that disappeared there
// would make Crossplane call the step again on every reconcile.
func Load(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, name, namespace string) (Loaded, error) {
	found, resolved := required.Given(req, RequirementName, envConfigAPIVersion, envConfigKind, "", name)
	if resolved {
		required.Require(rsp, RequirementName, envConfigAPIVersion, envConfigKind, "", name)
	}
	if !resolved {
		if v, ok := request.GetContextKey(req, ContextKey); ok {
			if s := v.GetStructValue(); s != nil && len(s.GetFields()) > 0 {
				cfg, err := decode(s.AsMap())
				if err != nil {
					return Loaded{}, fmt.Errorf("environment in context %q: %w", ContextKey, err)
				}
				return Loaded{Config: cfg, Name: "context"}, nil
			}
		}
		found, resolved = bootstrapped(req, name)
	}
	if !resolved {
		found, resolved = required.Object(req, rsp, RequirementName, envConfigAPIVersion, envConfigKind, "", name)
	}
	if !resolved {
		return Loaded{Pending: true, Name: name}, nil
	}
	if found == nil {
		return Loaded{}, fmt.Errorf("EnvironmentConfig %q not found: create it (see examples/environment.yaml) or set the annotation %s on the Datalab to an existing one", name, SelectorKey)
	}
	data, _ := found.Object["data"].(map[string]any)
	cfg, err := decode(data)
	if err != nil {
		return Loaded{}, fmt.Errorf("EnvironmentConfig %q: %w", name, err)
	}
	var nsLabels map[string]string
	if cfg.Tenancy.NeedsNamespaceLabels(namespace) {
		ns, resolved := required.Object(req, rsp, NamespaceRequirement, "v1", "Namespace", "", namespace)
		if !resolved {
			return Loaded{Pending: true, Name: name}, nil
		}
		if ns != nil {
			nsLabels = ns.GetLabels()
		}
	}
	if err := cfg.Tenancy.Admit(name, namespace, nsLabels); err != nil {
		return Loaded{}, err
	}
	return Loaded{Config: cfg, Name: name, Raw: data}, nil
}

// bootstrapped is the EnvironmentConfig DefaultName as the Composition
// required it up front (BootstrapRequirementName), when the Datalab
// selects that one and the Composition declares it.
func bootstrapped(req *fnv1.RunFunctionRequest, name string) (*unstructured.Unstructured, bool) {
	if name != DefaultName {
		return nil, false
	}
	return required.Given(req, BootstrapRequirementName, envConfigAPIVersion, envConfigKind, "", name)
}

// Publish puts the environment into the pipeline context so later steps
// (and steps operators add) read the same data without looking it up again.
func Publish(rsp *fnv1.RunFunctionResponse, cfg map[string]any) error {
	s, err := structpb.NewStruct(cfg)
	if err != nil {
		return err
	}
	response.SetContextKey(rsp, ContextKey, structpb.NewStructValue(s))
	return nil
}

func decode(data map[string]any) (*Config, error) {
	cfg := &Config{}
	if data == nil {
		return cfg, nil
	}
	b, err := json.Marshal(data)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if err := dec.Decode(cfg); err != nil {
		return nil, fmt.Errorf("data does not match the Datalab environment schema: %w", err)
	}
	return cfg, nil
}
