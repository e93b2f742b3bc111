package step

import "github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"

// result is what rendering one service yields besides its resources: its
// connection keys, and what its readiness depends on.
type result struct {
	svc      *service
	endpoint string
	// values are the connection keys known now.
	values map[string]string
	// pending are connection keys whose credential is not known now.
	pending []string
	// keepLast makes pending keys keep the value last published: the
	// credential (an operator's Secret) is unreadable now, but the password
	// it held has not changed because of that.
	keepLast bool
	// waiting says which credentials are not known yet.
	waiting []string
	// notes are messages for status.services beyond readiness.
	notes []string
	// readyOn are the resources whose readiness is the service's, with
	// what each one's readiness means.
	readyOn []readyCheck
}

type readyCheck struct {
	key  resource.Name
	what string
}

func newResult(svc *service) *result {
	return &result{svc: svc, values: map[string]string{}}
}

func (r *result) set(key, value string) { r.values[key] = value }

// await records keys that wait for a credential and why.
func (r *result) await(keys []string, why string) {
	r.pending = append(r.pending, keys...)
	if why != "" {
		r.waiting = append(r.waiting, why)
	}
}

// needs makes the service's readiness depend on a resource.
func (r *result) needs(key resource.Name, what string) {
	r.readyOn = append(r.readyOn, readyCheck{key: key, what: what})
}
