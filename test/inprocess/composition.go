package inprocess

import (
	"fmt"
	"os"
	"path/filepath"

	xpv1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/utils/ptr"
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
	var c xpv1.Composition
	if err := yaml.Unmarshal(b, &c); err != nil {
		panic(fmt.Errorf("package/composition.yaml: %w", err))
	}
	out := map[string]map[string]*fnv1.ResourceSelector{}
	for _, st := range c.Spec.Pipeline {
		if st.Requirements == nil {
			continue
		}
		for _, r := range st.Requirements.RequiredResources {
			sel := &fnv1.ResourceSelector{ApiVersion: r.APIVersion, Kind: r.Kind, Namespace: r.Namespace}
			if r.MatchLabels != nil {
				sel.Match = &fnv1.ResourceSelector_MatchLabels{MatchLabels: &fnv1.MatchLabels{Labels: r.MatchLabels}}
			} else {
				sel.Match = &fnv1.ResourceSelector_MatchName{MatchName: ptr.Deref(r.Name, "")}
			}
			if out[st.Step] == nil {
				out[st.Step] = map[string]*fnv1.ResourceSelector{}
			}
			out[st.Step][r.RequirementName] = sel
		}
	}
	return out
}
