package step

import (
	"maps"
	"slices"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// kept is a session whose namespaces this step keeps: it has a Workshop or
// an environment in the desired state. The runtime composes a Workshop only
// until its environment is ready (Educates then creates every session from
// its own copy), so the vcluster choice is the Workshop's while there is
// one, and afterwards the record on the environment's Object
// (compose.AnnotationVCluster).
type kept struct {
	session  string
	vcluster bool
}

// keptSessions lists them, sorted by session.
func keptSessions(desired map[resource.Name]*resource.DesiredComposed, ws []*workshop) []kept {
	vcluster := map[string]bool{}
	for _, w := range ws {
		vcluster[w.session] = w.vcluster
	}
	for key, dc := range desired {
		s, ok := compose.SessionOf(key, compose.EnvironmentKey)
		if _, seen := vcluster[s]; !ok || seen {
			continue
		}
		vcluster[s] = dc.Resource.GetAnnotations()[compose.AnnotationVCluster] == "true"
	}
	out := make([]kept, 0, len(vcluster))
	for _, s := range slices.Sorted(maps.Keys(vcluster)) {
		out = append(out, kept{session: s, vcluster: vcluster[s]})
	}
	return out
}
