package validation

import (
	"fmt"
	"strings"
	"unicode"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

// StorageTypes are the rclone backends the storage step supports: the
// credentials it wires in are S3 access keys.
var StorageTypes = []string{environment.DefaultStorageType}

// Storage validates the inputs of the storage step: the Secret the
// Datalab names and the operator's storage settings, which end up in an
// rclone configuration (one line per value, so no value may break a line).
func Storage(d *api.Datalab, cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	if n := d.Spec.SecretName; n != "" {
		for _, m := range validation.IsDNS1123Subdomain(n) {
			errs = append(errs, field.Invalid(field.NewPath("spec", "secretName"), n, m+"; name a Secret in the Datalab's namespace, or leave it empty for the Datalab's name"))
		}
	}
	s := EnvPath.Child("storage")
	if ns := strings.TrimSpace(cfg.Storage.SecretNamespace); ns != "" {
		for _, m := range validation.IsDNS1123Label(ns) {
			errs = append(errs, field.Invalid(s.Child("secretNamespace"), ns, m+"; name an existing namespace, or leave it empty to read each Datalab's Secret from its own namespace"))
		}
	}
	if t := strings.ToLower(strings.TrimSpace(cfg.Storage.Type)); t != "" {
		errs = append(errs, oneOf(s.Child("type"), t, StorageTypes)...)
	}
	for _, v := range []struct {
		name, value string
	}{{"endpoint", cfg.Storage.Endpoint}, {"region", cfg.Storage.Region}, {"provider", cfg.Storage.Provider}} {
		if !SingleToken(v.value) {
			errs = append(errs, field.Invalid(s.Child(v.name), v.value, "must not contain spaces, line breaks or control characters; write a single value such as https://s3.example.com, eu-central-1 or Other"))
		}
	}
	return errs
}

// SingleToken reports whether v is empty or one token without whitespace
// or control characters, safe to write as one rclone configuration value
// or environment variable.
func SingleToken(v string) bool {
	for _, r := range v {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// StorageBinding decides whether a Datalab may use the storage Secret it
// names. In the Datalab's own namespace any Secret may be used: the tenant
// owns that namespace. In a namespace shared by several tenants
// (storage.secretNamespace) only a Secret bound to the Datalab may: it must
// carry the label datalabs.pkg.internal/namespace=<Datalab namespace>, and
// when it also carries datalabs.pkg.internal/name that must be the
// Datalab's name. Whoever may write Secrets in the shared namespace (the
// operator, or the process that makes the credentials) sets the binding;
// a tenant cannot. The message does not say whom a foreign Secret is bound
// to.
func StorageBinding(d *api.Datalab, secretNamespace string, labels map[string]string) field.ErrorList {
	if secretNamespace == d.Namespace {
		return nil
	}
	ns, hasNS := labels[compose.LabelNamespace]
	name, hasName := labels[compose.LabelDatalab]
	if hasNS && ns == d.Namespace && (!hasName || name == d.Name) {
		return nil
	}
	secret := d.EffectiveSecretName()
	return field.ErrorList{field.Forbidden(field.NewPath("spec", "secretName"), fmt.Sprintf(
		"Secret %s/%s is in the shared storage namespace %q and is not bound to this Datalab; "+
			"a Secret there is usable only with the label %s=%s (and, to bind it to one Datalab, %s=%s): "+
			"ask the operator to bind your credentials Secret, or set spec.secretName to a Secret bound to you",
		secretNamespace, secret, secretNamespace, compose.LabelNamespace, d.Namespace, compose.LabelDatalab, d.Name))}
}
