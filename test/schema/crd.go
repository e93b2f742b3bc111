package schema

import (
	"context"
	"fmt"
	"sync"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structurallisttype "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// crdKind is one served version of a CustomResourceDefinition. The expensive
// parts (structural schema, OpenAPI validator, compiled CEL rules) are built
// on first use, so loading ~200 CRDs stays fast.
type crdKind struct {
	scoped bool
	source string
	props  *apiextensions.JSONSchemaProps // nil: the version has no schema

	once       sync.Once
	buildErr   error
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
}

// addCRD registers every served version of crd.
func (v *Validator) addCRD(crd *apiextensionsv1.CustomResourceDefinition, source string) error {
	for i := range crd.Spec.Versions {
		ver := &crd.Spec.Versions[i]
		if !ver.Served {
			continue // the API server rejects objects of unserved versions
		}
		k := &crdKind{
			scoped: crd.Spec.Scope == apiextensionsv1.NamespaceScoped,
			source: source,
		}
		if ver.Schema != nil && ver.Schema.OpenAPIV3Schema != nil {
			k.props = &apiextensions.JSONSchemaProps{}
			if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(ver.Schema.OpenAPIV3Schema, k.props, nil); err != nil {
				return fmt.Errorf("%s: version %s: converting schema: %w", source, ver.Name, err)
			}
		}
		gvk := schema.GroupVersionKind{Group: crd.Spec.Group, Version: ver.Name, Kind: crd.Spec.Names.Kind}
		if err := v.register(gvk, k, source); err != nil {
			return err
		}
	}
	return nil
}

func (k *crdKind) namespaced() bool { return k.scoped }

// build compiles the schema the way the API server's CRD handler does:
// structural schema with pruned defaults, OpenAPI validator, CEL rules.
func (k *crdKind) build() error {
	k.once.Do(func() {
		if k.props == nil {
			return
		}
		s, err := structuralschema.NewStructural(k.props)
		if err != nil {
			k.buildErr = fmt.Errorf("schema of %s is not structural: %w", k.source, err)
			return
		}
		s = s.DeepCopy()
		if err := structuraldefaulting.PruneDefaults(s); err != nil {
			k.buildErr = fmt.Errorf("schema of %s: pruning defaults: %w", k.source, err)
			return
		}
		validator, _, err := apiservervalidation.NewSchemaValidator(k.props)
		if err != nil {
			k.buildErr = fmt.Errorf("schema of %s: %w", k.source, err)
			return
		}
		k.structural = s
		k.validator = validator
		k.cel = cel.NewValidator(s, true, celconfig.PerCallLimit)
	})
	return k.buildErr
}

// check mirrors the API server's create path for custom resources: prune
// (recording unknown fields), drop non-nullable nulls, apply defaults, then
// validate schema, embedded metadata, list types and CEL rules.
func (k *crdKind) check(obj map[string]any) []problem {
	if err := k.build(); err != nil {
		return []problem{{detail: err.Error()}}
	}
	if k.structural == nil {
		return nil // no schema: the server accepts anything
	}
	s := k.structural
	unknown := structuralpruning.PruneWithOptions(obj, s, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, s)
	structuraldefaulting.Default(obj, s)

	var errs field.ErrorList
	errs = append(errs, apiservervalidation.ValidateCustomResource(nil, obj, k.validator)...)
	errs = append(errs, schemaobjectmeta.Validate(nil, obj, s, false)...)
	errs = append(errs, structurallisttype.ValidateListSetsAndMaps(nil, s, obj)...)
	ps := append(fieldProblems(errs), unknownProblems(unknown)...)
	if k.cel != nil {
		if hasBlockingErr(errs) {
			ps = append(ps, problem{detail: "x-kubernetes-validations (CEL) rules not evaluated because of the other errors in this object, as in the API server"})
		} else {
			celErrs, _ := k.cel.Validate(context.Background(), nil, s, obj, nil, celconfig.RuntimeCELCostBudget)
			ps = append(ps, fieldProblems(celErrs)...)
		}
	}
	return ps
}

// hasBlockingErr copies the API server's rule (registry/customresource) for
// skipping CEL: rules may assume types and required fields hold.
func hasBlockingErr(errs field.ErrorList) bool {
	for _, err := range errs {
		switch err.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong, field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true
		}
	}
	return false
}
