package validation

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// Sources are what a tenant points the pipeline at: the storage Secret,
// the Secrets Educates reads to fetch files, and where files land. Each
// is a way to make the platform act on the tenant's behalf, so each stays
// inside the tenant's namespace and away from what the pipeline composes.

// files checks every file source: exactly one kind, a URL, a relative
// path without "..", and every Secret reference at any depth (secretRef,
// secretRefs, verification.publicKeysSecretRef, ...) inside the Datalab's
// namespace and not a Secret the pipeline composes.
func files(d *api.Datalab, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, f := range d.Spec.Files {
		ip := p.Index(i)
		set := 0
		for _, src := range []struct {
			name string
			s    *api.FileSource
		}{{"image", f.Image}, {"git", f.Git}, {"http", f.HTTP}} {
			if src.s == nil {
				continue
			}
			set++
			if strings.TrimSpace(src.s.URL) == "" {
				errs = append(errs, field.Required(ip.Child(src.name, "url"), "give the URL to fetch the files from"))
			}
		}
		if set != 1 {
			errs = append(errs, field.Invalid(ip, fmt.Sprintf("%d sources", set), "set exactly one of image, git or http"))
		}
		raw := f.Fields()
		if v, ok := raw["path"]; ok {
			errs = append(errs, relativePath(ip.Child("path"), v)...)
		}
		errs = append(errs, secretRefsIn(raw, ip, d)...)
	}
	return errs
}

// relativePath keeps files inside the workshop content directory.
func relativePath(p *field.Path, v any) field.ErrorList {
	s, ok := v.(string)
	if !ok {
		return field.ErrorList{field.Invalid(p, v, "must be a relative directory such as . or data")}
	}
	if strings.HasPrefix(s, "/") || slices.Contains(strings.Split(s, "/"), "..") {
		return field.ErrorList{field.Invalid(p, s, "must be relative and must not contain '..'; name a directory inside the workshop content such as . or data")}
	}
	return nil
}

// secretRefsIn walks a file source as written and checks every Secret
// reference in it, whatever the field is called, so a reference the
// typed model does not know cannot slip through.
func secretRefsIn(v any, p *field.Path, d *api.Datalab) field.ErrorList {
	var errs field.ErrorList
	switch t := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(t)) {
			kp := p.Child(k)
			lk := strings.ToLower(k)
			switch {
			case strings.HasSuffix(lk, "secretref"):
				if ref, ok := t[k].(map[string]any); ok {
					errs = append(errs, secretRef(kp, ref, d)...)
					continue
				}
			case strings.HasSuffix(lk, "secretrefs"):
				if list, ok := t[k].([]any); ok {
					for i, it := range list {
						if ref, ok := it.(map[string]any); ok {
							errs = append(errs, secretRef(kp.Index(i), ref, d)...)
						}
					}
					continue
				}
			}
			errs = append(errs, secretRefsIn(t[k], kp, d)...)
		}
	case []any:
		for i, it := range t {
			errs = append(errs, secretRefsIn(it, p.Index(i), d)...)
		}
	}
	return errs
}

// secretRef keeps a reference inside the tenant's namespace (Educates
// would otherwise read any namespace's Secret on the tenant's behalf) and
// off the Secrets the pipeline composes.
func secretRef(p *field.Path, ref map[string]any, d *api.Datalab) field.ErrorList {
	var errs field.ErrorList
	if ns, _ := ref["namespace"].(string); ns != "" && ns != d.Namespace {
		errs = append(errs, field.Forbidden(p.Child("namespace"),
			fmt.Sprintf("a Datalab may only use Secrets in its own namespace %q; remove namespace %q or copy the Secret into %q", d.Namespace, ns, d.Namespace)))
	}
	if name, _ := ref["name"].(string); name != "" {
		errs = append(errs, notComposed(p.Child("name"), name)...)
	}
	return errs
}

// notComposed refuses a source Secret that is, or could be, one the
// pipeline composes in a namespace: the step that composes it would take
// the tenant's Secret over (and delete it with the Datalab), or the login
// or a database password would be handed out as something else.
func notComposed(p *field.Path, name string) field.ErrorList {
	if what := names.ComposedSecret(name); what != "" {
		return field.ErrorList{field.Forbidden(p, fmt.Sprintf(
			"%q is named like the %s a Datalab composes; a source must be a Secret you created: rename your Secret (and this reference)", name, what))}
	}
	return nil
}

// storageSource checks the storage Secret reference before it is read.
func storageSource(d *api.Datalab) field.ErrorList {
	return notComposed(field.NewPath("spec", "secretName"), d.EffectiveSecretName())
}

// ComposedSource refuses a source Secret that carries the marks of a
// composed object (Crossplane's composite label or a Datalab component
// label): whatever its name, it is another step's or another Datalab's
// output, not credentials the tenant was given.
func ComposedSource(p *field.Path, namespace, name string, labels map[string]string) field.ErrorList {
	for _, l := range []string{compose.LabelComposite, compose.LabelComponent} {
		if _, ok := labels[l]; ok {
			return field.ErrorList{field.Forbidden(p, fmt.Sprintf(
				"Secret %s/%s is composed by a Datalab (label %s), not credentials you were given; point it at the Secret your storage provider created", namespace, name, l))}
		}
	}
	return nil
}
