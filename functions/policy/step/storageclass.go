package step

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// classUse is one place a composed resource asks for a StorageClass.
type classUse struct {
	key   resource.Name
	p     path
	class string
	set   bool // false: the claim names no class (the cluster default)
	obj   objCtx
}

// objCtx is the innermost Kubernetes object around a place in a resource.
type objCtx struct {
	group, kind, name string
	root              path
}

// claim-spec fields of the operators' CRDs that hold a PVC spec.
var claimSpecKeys = map[string]bool{"dataVolumeClaimSpec": true, "walVolumeClaimSpec": true, "volumeClaimSpec": true}

// walkClasses finds every volume claim in a composed resource, at any
// depth: PersistentVolumeClaims (composed directly, wrapped in Objects or
// inside Educates Workshop objects), volumeClaimTemplates (StatefulSets,
// MongoDBCommunity), volumeClaimTemplate (Redis), the PostgresCluster
// claim specs (data, WAL, pgBackRest repositories), QdrantCluster
// persistence and CloudNativePG storage - and any other field named
// storageClassName or storageClass.
func walkClasses(key resource.Name, obj map[string]any) []classUse {
	found := map[string]classUse{}
	var visit func(v any, p path, ctx objCtx)
	// p is a stack shared by the walk: record copies it.
	record := func(p path, v any, ctx objCtx) {
		s, isString := v.(string)
		p = append(path{}, p...)
		ctx.root = append(path{}, ctx.root...)
		u := classUse{key: key, p: p, class: strings.TrimSpace(s), set: isString && strings.TrimSpace(s) != "", obj: ctx}
		found[p.field(key).String()] = u
	}
	visit = func(v any, p path, ctx objCtx) {
		switch t := v.(type) {
		case map[string]any:
			if av, ok := t["apiVersion"].(string); ok {
				if k, ok := t["kind"].(string); ok {
					ctx = objCtx{group: groupOf(av), kind: k, name: str(t, "metadata", "name"), root: p}
				}
			}
			if classKey, ok := claimSpecAt(p, ctx); ok {
				record(append(p, classKey), t[classKey], ctx)
			}
			for k, x := range t {
				if _, isString := x.(string); isString && (k == "storageClassName" || k == "storageClass") {
					record(append(p, k), x, ctx)
					continue
				}
				switch x.(type) {
				case map[string]any, []any:
					visit(x, append(p, k), ctx)
				}
			}
		case []any:
			for i, it := range t {
				switch it.(type) {
				case map[string]any, []any:
					visit(it, append(p, i), ctx)
				}
			}
		}
	}
	visit(obj, make(path, 0, 16), objCtx{})
	out := make([]classUse, 0, len(found))
	for _, k := range slices.Sorted(maps.Keys(found)) {
		out = append(out, found[k])
	}
	return out
}

// claimSpecAt says whether the map at p is a volume claim spec, and the
// key that names its class.
func claimSpecAt(p path, ctx objCtx) (string, bool) {
	n := len(p)
	if n == 0 {
		return "", false
	}
	last, _ := p[n-1].(string)
	rel := len(p) - len(ctx.root)
	switch {
	case ctx.group == "" && ctx.kind == "PersistentVolumeClaim" && rel == 1 && last == "spec":
		return "storageClassName", true
	case last == "spec" && n >= 3 && p[n-3] == "volumeClaimTemplates":
		return "storageClassName", true
	case last == "spec" && n >= 2 && p[n-2] == "volumeClaimTemplate":
		return "storageClassName", true
	case claimSpecKeys[last]:
		return "storageClassName", true
	case ctx.group == "qdrant.io" && ctx.kind == "QdrantCluster" && rel == 2 && p[len(ctx.root)] == "spec" && (last == "persistence" || last == "snapshotPersistence"):
		return "storageClassName", true
	case ctx.group == "postgresql.cnpg.io" && ctx.kind == "Cluster" && rel == 2 && p[len(ctx.root)] == "spec" && (last == "storage" || last == "walStorage"):
		return "storageClass", true
	}
	return "", false
}

// checkClasses vets every volume claim of the desired state against the
// operator's allowlist (storageClasses.allowed). Nothing is substituted: a
// disallowed class is rejected with the allowed list, and so is a claim
// without a class (the cluster default, which the allowlist does not
// vouch for). The bucket mount (names.BucketVolume, class
// storage.mountStorageClassName) is the operator's own choice and exempt.
// A claim that exists as observed keeps its class (classes are immutable):
// it gets a Warning instead.
func checkClasses(in *pipeline.Input, desired map[resource.Name]*resource.DesiredComposed) findings {
	var f findings
	allowed := in.Env.StorageClasses.Allowed
	if len(allowed) == 0 {
		return f
	}
	list := strings.Join(allowed, ", ")
	where := validation.EnvPath.Child("storageClasses", "allowed")
	for _, key := range slices.Sorted(maps.Keys(desired)) {
		for _, u := range walkClasses(key, desired[key].Resource.Object) {
			f.checked++
			if u.set && in.Env.ClassAllowed(u.class) {
				continue
			}
			if u.set && u.class == in.Env.MountClass() && u.obj.kind == "PersistentVolumeClaim" && u.obj.name == names.BucketVolume(in.Datalab.Name) {
				continue
			}
			what := fmt.Sprintf("storage class %q is not allowed", u.class)
			if !u.set {
				what = "names no storage class, so it would get the cluster default, which is not on the allowlist"
			}
			msg := fmt.Sprintf("%s (%s %s); use one of %s (%s)", what, u.obj.kind, u.obj.name, list, where)
			if existing(in.Observed, key, u.p, classValue(desired[key].Resource.Object, u.p)) {
				f.warnings = append(f.warnings, fmt.Sprintf("%s: existing volume claim kept as it is: %s; a StorageClass cannot change once the volume exists", u.p.field(key), msg))
				continue
			}
			f.errs = append(f.errs, field.Invalid(u.p.field(key), u.class, msg))
		}
	}
	return f
}

// classValue is what stands at p (nil when the claim names no class), to
// compare with the observed object.
func classValue(obj map[string]any, p path) any {
	v, ok := valueAt(obj, p)
	if !ok {
		return nil
	}
	return v
}
