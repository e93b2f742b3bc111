package compose

// Injection points of the runtime's Workshop that later steps add objects
// to (the policy step's NetworkPolicies).
var workshopObjectLists = [][2]string{{"environment", "objects"}, {"session", "objects"}}

// WithoutKeptCurrent returns a copy of a Workshop manifest without the
// objects in spec.environment.objects and spec.session.objects that
// Objects of their own keep current in running namespaces: what the policy
// step injected (its LabelComponent). A list left empty is removed, as the
// runtime renders no empty list. The runtime compares the Workshop an
// environment was created from with what it renders now through this:
// those objects are not drift.
func WithoutKeptCurrent(manifest map[string]any) map[string]any {
	if manifest == nil {
		return nil
	}
	out := shallowCopy(manifest)
	spec, ok := manifest["spec"].(map[string]any)
	if !ok {
		return out
	}
	spec = shallowCopy(spec)
	out["spec"] = spec
	for _, l := range workshopObjectLists {
		sec, ok := spec[l[0]].(map[string]any)
		if !ok {
			continue
		}
		items, ok := sec[l[1]].([]any)
		if !ok {
			continue
		}
		kept := make([]any, 0, len(items))
		for _, it := range items {
			if m, ok := it.(map[string]any); ok && labelOf(m, LabelComponent) == ComponentPolicy {
				continue
			}
			kept = append(kept, it)
		}
		sec = shallowCopy(sec)
		if len(kept) == 0 {
			delete(sec, l[1])
		} else {
			sec[l[1]] = kept
		}
		spec[l[0]] = sec
	}
	return out
}

func shallowCopy(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func labelOf(m map[string]any, key string) string {
	meta, _ := m["metadata"].(map[string]any)
	labels, _ := meta["labels"].(map[string]any)
	v, _ := labels[key].(string)
	return v
}
