package compose

// Injection points of the runtime's Workshop that later steps add objects
// to (the policy step's NetworkPolicies).
var workshopObjectLists = [][2]string{{"environment", "objects"}, {"session", "objects"}}

// WithoutComponent returns a copy of a Workshop manifest without the
// objects a later step injected into spec.environment.objects and
// spec.session.objects, recognised by their LabelComponent label (for the
// policy step: ComponentPolicy). A list left empty is removed, as the
// runtime renders no empty list. The runtime compares what it renders with
// the applied Workshop through this, so that injected objects do not read
// as drift; a change of the injected objects still raises the Workshop's
// generation, which the runtime's generation check reports.
func WithoutComponent(manifest map[string]any, component string) map[string]any {
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
			if m, ok := it.(map[string]any); ok && labelOf(m, LabelComponent) == component {
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
