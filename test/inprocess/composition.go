package inprocess

import (
	"fmt"
	"os"
	"path/filepath"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/test/render"
)

// maxRequirementsIterations is how often Crossplane v2.4 calls a step
// again for changed requirements before it gives up.
const maxRequirementsIterations = 5

// Bootstrap holds each step's requirements in the default Composition
// (package/composition.yaml), which Crossplane fetches before the step's
// first call.
var Bootstrap = mustBootstrap()

// composition is the part of a Composition the model reads.
type composition struct {
	Spec struct {
		Pipeline []struct {
			Step         string `json:"step"`
			Requirements struct {
				RequiredResources []struct {
					RequirementName string            `json:"requirementName"`
					APIVersion      string            `json:"apiVersion"`
					Kind            string            `json:"kind"`
					Name            string            `json:"name"`
					Namespace       string            `json:"namespace"`
					MatchLabels     map[string]string `json:"matchLabels"`
				} `json:"requiredResources"`
			} `json:"requirements"`
		} `json:"pipeline"`
	} `json:"spec"`
}

func mustBootstrap() map[string]map[string]*fnv1.ResourceSelector {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	root, err := render.Root(wd)
	if err != nil {
		panic(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "package", "composition.yaml"))
	if err != nil {
		panic(err)
	}
	var c composition
	if err := yaml.Unmarshal(b, &c); err != nil {
		panic(fmt.Errorf("package/composition.yaml: %w", err))
	}
	out := map[string]map[string]*fnv1.ResourceSelector{}
	for _, st := range c.Spec.Pipeline {
		for _, r := range st.Requirements.RequiredResources {
			sel := &fnv1.ResourceSelector{ApiVersion: r.APIVersion, Kind: r.Kind}
			if r.MatchLabels != nil {
				sel.Match = &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{Labels: r.MatchLabels}}
			} else {
				sel.Match = &fnv1.ResourceSelector_MatchName{MatchName: r.Name}
			}
			if r.Namespace != "" {
				sel.Namespace = &r.Namespace
			}
			if out[st.Step] == nil {
				out[st.Step] = map[string]*fnv1.ResourceSelector{}
			}
			out[st.Step][r.RequirementName] = sel
		}
	}
	return out
}
