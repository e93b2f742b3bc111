package step

import (
	"sort"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// component labels everything this step composes.
const component = "identity"

// labels are the tenant labels plus this step's component.
func labels(in *pipeline.Input) map[string]string {
	l := compose.TenantLabels(in.Datalab.Namespace, in.Datalab.Name)
	l[compose.LabelComponent] = component
	return l
}

func desiredOf(obj map[string]any) *resource.DesiredComposed {
	return &resource.DesiredComposed{Resource: &unstructured.Unstructured{Object: obj}}
}

// sortedUnique returns the distinct values in ascending order.
func sortedUnique(vals []string) []any {
	seen := map[string]bool{}
	var keep []string
	for _, v := range vals {
		if !seen[v] {
			seen[v] = true
			keep = append(keep, v)
		}
	}
	sort.Strings(keep)
	out := make([]any, len(keep))
	for i, v := range keep {
		out[i] = v
	}
	return out
}
