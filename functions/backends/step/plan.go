package step

import (
	"maps"
	"slices"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// service is one declared service.
type service struct {
	kind string // names.Kind*
	name string // host or store name
	id   string // names.ServiceID
	cr   string // name of the operator's custom resource

	// PostgreSQL only.
	db     api.Database
	engine string
	// Store kinds only.
	store api.Store
}

// plan lists what the spec declares and what the retention policy keeps.
type plan struct {
	services []*service
	// retained are service IDs removed from the spec whose stateful
	// objects stay (Retain); each maps to its observed keys.
	retained map[string][]resource.Name
}

// planServices reads the declared services in a stable order (databases,
// document, cache and vector stores; each by name) and the removed ones
// the retention policy keeps.
func planServices(in *pipeline.Input) plan {
	spec := in.Datalab.Spec
	t := in.Tenant
	var p plan
	for _, h := range slices.Sorted(maps.Keys(spec.Databases)) {
		p.services = append(p.services, &service{
			kind: names.KindPostgreSQL, name: h, id: names.ServiceID(names.KindPostgreSQL, h),
			cr: t.PostgresCluster(h), db: spec.Databases[h], engine: postgresEngine(in, h),
		})
	}
	for _, s := range []struct {
		kind   string
		stores map[string]api.Store
		cr     func(string) string
	}{
		{names.KindMongoDB, spec.DocumentStores, t.MongoDB},
		{names.KindRedis, spec.CacheStores, t.Redis},
		{names.KindQdrant, spec.VectorStores, t.Qdrant},
	} {
		for _, name := range slices.Sorted(maps.Keys(s.stores)) {
			p.services = append(p.services, &service{
				kind: s.kind, name: name, id: names.ServiceID(s.kind, name), cr: s.cr(name), store: s.stores[name],
			})
		}
	}
	if in.Settings.Retention != environment.RetentionDelete {
		p.retained = retainedServices(in, p.declared())
	}
	return p
}

// declared is the set of declared service IDs.
func (p plan) declared() map[string]bool {
	out := make(map[string]bool, len(p.services))
	for _, s := range p.services {
		out[s.id] = true
	}
	return out
}

// has reports whether a kind is declared or retained.
func (p plan) has(kind string) bool {
	for _, s := range p.services {
		if s.kind == kind {
			return true
		}
	}
	for id := range p.retained {
		if kindOf(id) == kind {
			return true
		}
	}
	return false
}

// retainedServices finds services removed from the spec whose stateful
// objects (data and credentials) are still observed. Under the Delete
// policy there are none: removed services leave the desired state.
func retainedServices(in *pipeline.Input, declared map[string]bool) map[string][]resource.Name {
	out := map[string][]resource.Name{}
	for _, key := range in.Observed.Keys() {
		if !compose.IsBackendsKey(key) {
			continue
		}
		l := in.Observed.Labels(key)
		id := l[compose.LabelService]
		if id == "" || declared[id] || l[compose.LabelComponent] != compose.ComponentBackends || l[compose.LabelStateful] != "true" {
			continue
		}
		out[id] = append(out[id], key)
	}
	return out
}

// kindOf returns the kind of a service ID.
func kindOf(id string) string {
	for _, k := range []string{names.KindPostgreSQL, names.KindMongoDB, names.KindRedis, names.KindQdrant} {
		if strings.HasPrefix(id, k+"-") {
			return k
		}
	}
	return ""
}
