package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xcrd"
	xpv1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"
)

// XRDs are turned into CRDs by the same code Crossplane runs
// (crossplane-runtime's xcrd package), so composite resources are checked
// against exactly the schema Crossplane would install, including the fields
// it adds itself (spec.crossplane, status.conditions, claim fields, ...).

const xrdGroup = "apiextensions.crossplane.io"

// AddXRD registers the composite resource (and, for v1 XRDs with claimNames,
// the claim) defined by the Crossplane CompositeResourceDefinition(s) in the
// YAML file at path (apiextensions.crossplane.io/v2 or v1). When the XRD's
// own CRD is loaded, the XRD is validated first and its defaults (e.g. scope)
// are applied as the API server would. AddXRD must not run concurrently with
// Validate.
func (v *Validator) AddXRD(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(raw)))
	added := 0
	for i := 0; ; i++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: reading document %d: %w", path, i, err)
		}
		var obj map[string]any
		if err := yaml.Unmarshal(doc, &obj); err != nil {
			return fmt.Errorf("%s: document %d: %w", path, i, err)
		}
		apiVersion, _ := obj["apiVersion"].(string)
		if kind, _ := obj["kind"].(string); kind != "CompositeResourceDefinition" || !strings.HasPrefix(apiVersion, xrdGroup+"/") {
			continue
		}
		if err := v.addXRD(obj, path); err != nil {
			return err
		}
		added++
	}
	if added == 0 {
		return fmt.Errorf("%s: no %s CompositeResourceDefinition found", path, xrdGroup)
	}
	return nil
}

func (v *Validator) addXRD(obj map[string]any, path string) error {
	apiVersion := obj["apiVersion"].(string)
	obj = normalize(obj).(map[string]any)

	if k, ok := v.lookup(apiVersion, "CompositeResourceDefinition"); ok {
		if errs := v.Validate(obj); len(errs) > 0 {
			return fmt.Errorf("%s: invalid CompositeResourceDefinition: %w", path, errors.Join(errs...))
		}
		if ck, isCRD := k.(*crdKind); isCRD && ck.build() == nil && ck.structural != nil {
			structuraldefaulting.Default(obj, ck.structural)
		}
	}

	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	// The v1 type is a superset of v2 and is what xcrd consumes; the two
	// versions differ only in the default scope.
	xrd := &xpv1.CompositeResourceDefinition{}
	if err := json.Unmarshal(b, xrd); err != nil {
		return fmt.Errorf("%s: decoding CompositeResourceDefinition: %w", path, err)
	}
	if xrd.Spec.Scope == nil {
		scope := xpv1.CompositeResourceScopeLegacyCluster
		if apiVersion == xrdGroup+"/v2" {
			scope = xpv1.CompositeResourceScopeNamespaced
		}
		xrd.Spec.Scope = &scope
	}

	crd, err := xcrd.ForCompositeResource(xrd)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if *xrd.Spec.Scope != xpv1.CompositeResourceScopeLegacyCluster {
		allowStatusCrossplane(crd)
	}
	if err := v.addCRD(crd, fmt.Sprintf("%s (XRD %s)", path, xrd.Name)); err != nil {
		return err
	}

	if xrd.Spec.ClaimNames != nil {
		claim, err := xcrd.ForCompositeResourceClaim(xrd)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := v.addCRD(claim, fmt.Sprintf("%s (claim of XRD %s)", path, xrd.Name)); err != nil {
			return err
		}
	}
	return nil
}

// allowStatusCrossplane declares status.crossplane as a free-form object.
// Crossplane's machinery keeps its own state there on modern XRs, but the
// generated schema (crossplane-runtime v2.4) does not declare it, so rendered
// XRs that carry it would otherwise be reported as having unknown fields.
func allowStatusCrossplane(crd *apiextensionsv1.CustomResourceDefinition) {
	for i := range crd.Spec.Versions {
		s := crd.Spec.Versions[i].Schema
		if s == nil || s.OpenAPIV3Schema == nil {
			continue
		}
		status, ok := s.OpenAPIV3Schema.Properties["status"]
		if !ok {
			continue
		}
		if _, has := status.Properties["crossplane"]; has {
			continue
		}
		if status.Properties == nil {
			status.Properties = map[string]apiextensionsv1.JSONSchemaProps{}
		}
		status.Properties["crossplane"] = apiextensionsv1.JSONSchemaProps{
			Type:                   "object",
			XPreserveUnknownFields: ptr.To(true),
		}
		s.OpenAPIV3Schema.Properties["status"] = status
	}
}
