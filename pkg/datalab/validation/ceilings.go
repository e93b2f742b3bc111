package validation

import (
	"fmt"

	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
)

// Hard ceilings of a claim, the same as the XRD's maxItems and
// maxProperties. They hold whatever the operator sets (its limits can only
// be lower) and whichever way the claim was written: the XRD alone can be
// bypassed by a version without its schema or a direct write to storage.
const (
	MaxUsers          = 256
	MaxSessions       = 50
	MaxFiles          = 20
	MaxServicesOfKind = 20
	MaxDatabaseNames  = 20
)

// Bounds of every size a claim or the operator gives (memory, volumes):
// a positive but absurd value (0.0000001 memory, 99999Ei storage) would
// reach Kubernetes or an operator and fail there, far from its cause.
var (
	MinSize = resource.MustParse("1Mi")
	MaxSize = resource.MustParse("1Pi")
)

// ceilings rejects claims larger than the XRD allows.
func ceilings(spec api.Spec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	tooMany := func(fp *field.Path, n, max int, what string) {
		if n > max {
			errs = append(errs, field.TooMany(fp, n, max))
			errs[len(errs)-1].Detail += fmt.Sprintf("; a Datalab has at most %d %s: split it into several Datalabs", max, what)
		}
	}
	tooMany(p.Child("users"), len(spec.Users), MaxUsers, "users")
	tooMany(p.Child("userOverrides"), len(spec.UserOverrides), MaxUsers, "user overrides")
	tooMany(p.Child("sessions"), len(spec.Sessions), MaxSessions, "sessions")
	tooMany(p.Child("files"), len(spec.Files), MaxFiles, "file sources")
	tooMany(p.Child("databases"), len(spec.Databases), MaxServicesOfKind, "database hosts")
	tooMany(p.Child("documentStores"), len(spec.DocumentStores), MaxServicesOfKind, "document stores")
	tooMany(p.Child("cacheStores"), len(spec.CacheStores), MaxServicesOfKind, "cache stores")
	tooMany(p.Child("vectorStores"), len(spec.VectorStores), MaxServicesOfKind, "vector stores")
	for _, h := range keysOf(spec.Databases) {
		tooMany(p.Child("databases").Key(h).Child("names"), len(spec.Databases[h].Names), MaxDatabaseNames, "databases per host")
	}
	return errs
}

// size checks a quantity of bytes: it parses, is positive and lies
// within MinSize and MaxSize.
func size(p *field.Path, v string) field.ErrorList {
	if v == "" {
		return nil
	}
	q, err := resource.ParseQuantity(v)
	if err != nil {
		return field.ErrorList{field.Invalid(p, v, "not a Kubernetes quantity; write it like 512Mi or 2Gi")}
	}
	switch {
	case q.Sign() <= 0:
		return field.ErrorList{field.Invalid(p, v, "must be greater than zero; write it like 512Mi or 2Gi")}
	case q.Cmp(MinSize) < 0:
		return field.ErrorList{field.Invalid(p, v, fmt.Sprintf("is smaller than %s; write a size like 512Mi or 2Gi", MinSize.String()))}
	case q.Cmp(MaxSize) > 0:
		return field.ErrorList{field.Invalid(p, v, fmt.Sprintf("is larger than %s; write a size like 512Mi or 2Gi", MaxSize.String()))}
	}
	return nil
}
