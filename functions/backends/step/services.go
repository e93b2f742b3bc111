package step

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// render builds every declared service, keeps the retained ones, and
// composes the services Secret.
func render(o *output, p plan, secrets map[string]operatorSecret) ([]*result, error) {
	var results []*result
	for _, svc := range p.services {
		var (
			r   *result
			err error
		)
		switch svc.kind {
		case names.KindPostgreSQL:
			r = postgres(o, svc, secrets[svc.name])
		case names.KindMongoDB:
			r, err = mongodb(o, svc)
		case names.KindRedis:
			r, err = redis(o, svc)
		case names.KindQdrant:
			r, err = qdrant(o, svc)
		}
		if err != nil {
			return nil, err
		}
		results = append(results, r)
	}
	for _, id := range slices.Sorted(maps.Keys(p.retained)) {
		for _, key := range p.retained[id] {
			o.keep(key)
		}
	}
	if p.has(names.KindMongoDB) {
		mongoPrerequisites(o)
	}
	servicesSecret(o, results)
	return results, nil
}

// servicesSecret composes the Secret every session imports: the connection
// keys of every declared service. A key is published only when its value
// is known. When a database operator's Secret is unreadable, its keys keep
// the value last published (the password did not change because the
// Secret could not be read), so a transient miss never takes a working
// connection away from new sessions. Keys of regenerated store credentials
// wait until the new Secret exists.
func servicesSecret(o *output, results []*result) {
	values := map[string]string{}
	for _, r := range results {
		for k, v := range r.values {
			values[k] = v
		}
	}
	data := credentials.Encode(values)
	var last map[string]any
	if oc, ok := o.in.Observed.Get(compose.ServicesSecretKey); ok && oc.Resource != nil {
		last, _ = oc.Resource.Object["data"].(map[string]any)
	}
	for _, r := range results {
		if !r.keepLast {
			continue
		}
		kept := 0
		for _, k := range r.pending {
			if v, ok := last[k].(string); ok && credentials.Decode(last, k) != "" {
				data[k] = v
				kept++
			}
		}
		if kept > 0 {
			r.notes = append(r.notes, fmt.Sprintf("%d connection keys keep their last published values until the credentials are readable again", kept))
		}
	}
	m := o.manifest("v1", "Secret", names.ServicesSecret(o.in.Datalab.Name), nil)
	m["type"] = "Opaque"
	m["data"] = data
	o.put(compose.ServicesSecretKey, nil, m, false, healthExists)
}

// serviceStatus is status.services: per service its kind, in-cluster
// endpoint, readiness and a message. It never carries credentials.
func serviceStatus(o *output, p plan, results []*result) (out map[string]any, unready []string, failed string) {
	out = map[string]any{}
	for _, r := range results {
		ready := len(r.waiting) == 0
		var waits []string
		for _, c := range r.readyOn {
			if !o.ready(c.key) {
				ready = false
				waits = append(waits, c.what)
			}
		}
		waits = append(waits, r.waiting...)
		var msg []string
		if len(waits) > 0 {
			msg = append(msg, "waiting for "+strings.Join(waits, ", "))
		}
		msg = append(msg, r.notes...)
		if f, ok := o.failure(r.svc.id); ok {
			// What failed comes first: it is what the tenant acts on.
			ready = false
			msg = append([]string{f.Reason + ": " + f.Message}, msg...)
			if failed == "" {
				failed = f.Reason
			}
		}
		st := map[string]any{"kind": r.svc.kind, "endpoint": r.endpoint, "ready": ready}
		if len(msg) > 0 {
			st["message"] = strings.Join(msg, "; ")
		}
		out[r.svc.id] = st
		if !ready {
			unready = append(unready, r.svc.id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(p.retained)) {
		ready := true
		for _, k := range p.retained[id] {
			if _, ok := o.desired[k]; ok && !o.ready(k) {
				ready = false
			}
		}
		out[id] = map[string]any{
			"kind":  kindOf(id),
			"ready": ready,
			"message": fmt.Sprintf("removed from the spec; kept with its data and credentials by the operator's retention policy %s and no longer published to sessions (add it back to use it again; an operator deletes its objects to free it)",
				o.in.Settings.Retention),
		}
	}
	sort.Strings(unready)
	return out, unready, failed
}
