package observed

import (
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/wire"
)

// deferredEntries are the observed resources a State holds in wire form
// (wire.Unmarshal), by name.
func deferredEntries(s *fnv1.State) map[string][]byte {
	entries := wire.Entries(s)
	if len(entries) == 0 {
		return nil
	}
	out := make(map[string][]byte, len(entries))
	for _, e := range entries {
		out[e.Name] = e.Resource
	}
	return out
}

// decodeDeferred decodes one deferred resource, its specs left in wire
// form (observedspec.go). Its bytes are the request's unknown bytes, read
// once: renumbering in them is safe.
func decodeDeferred(key string, b []byte) *fnv1.Resource {
	deferSpecs(b)
	return wire.Decode(key, b)
}
