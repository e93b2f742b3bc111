package validation

import (
	"fmt"
	"regexp"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// Keycloak's default user profile: user names of 3 to 255 characters, which
// Keycloak stores in lower case.
const (
	KeycloakUsernameMin = 3
	KeycloakUsernameMax = 255
)

// usernamePattern is the XRD's rule for spec.users items. It is narrower
// than Keycloak's prohibited-characters rule, so a name matching it only
// fails Keycloak on length or case.
var usernamePattern = regexp.MustCompile(`^[a-zA-Z0-9._@-]+$`)

// Identity validates what the identity step relies on beyond Datalab (which
// already rejects duplicate users and overrides for unknown users): user
// names Keycloak would reject, and the operator's Keycloak settings. The
// Keycloak rules apply only when access is Keycloak-managed.
func Identity(d *api.Datalab, cfg *environment.Config) field.ErrorList {
	errs := agentsNeedKeycloak(d, cfg)
	keycloak := cfg.KeycloakManaged()
	up := field.NewPath("spec", "users")
	for i, u := range d.Spec.Users {
		if strings.TrimSpace(u) == "" {
			continue // reported by Datalab
		}
		p := up.Index(i)
		if len(u) > KeycloakUsernameMax || !usernamePattern.MatchString(u) {
			errs = append(errs, field.Invalid(p, u, "use at most 255 letters, digits, '.', '_', '@' and '-' (the identity provider's user name, e.g. alice or alice@example.com)"))
			continue
		}
		if !keycloak {
			continue
		}
		if len(u) < KeycloakUsernameMin {
			errs = append(errs, field.Invalid(p, u, fmt.Sprintf("Keycloak user names have at least %d characters; write the user's Keycloak user name", KeycloakUsernameMin)))
		}
		if l := strings.ToLower(u); l != u {
			errs = append(errs, field.Invalid(p, u, fmt.Sprintf("Keycloak stores user names in lower case, so group memberships would never match; write %q", l)))
		}
	}
	if keycloak {
		errs = append(errs, iam(cfg)...)
	}
	return errs
}

// iam checks the operator's Keycloak settings.
func iam(cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	p := EnvPath.Child("iam")
	if r := cfg.IAM.ProviderConfigRef; r != nil && r.Kind != "" {
		errs = append(errs, oneOf(p.Child("providerConfigRef", "kind"), r.Kind, []string{"ProviderConfig", "ClusterProviderConfig"})...)
	}
	seen := map[string]int{}
	for i, a := range cfg.ExtraAudiences() {
		ap := p.Child("extraAudiences").Index(i)
		if a == "" {
			errs = append(errs, field.Required(ap, "give the client ID of the audience, or remove the empty entry"))
			continue
		}
		s := names.Audience(a)
		if s == "" {
			errs = append(errs, field.Invalid(ap, a, "has no letters or digits to name its Keycloak mapper after; use the audience's client ID, e.g. workspace-api"))
			continue
		}
		if j, dup := seen[s]; dup {
			errs = append(errs, field.Invalid(ap, a, fmt.Sprintf("names the same Keycloak mapper (%q) as extraAudiences[%d] (%q); remove the duplicate or tell the audiences apart by letters or digits", s, j, cfg.ExtraAudiences()[j])))
			continue
		}
		seen[s] = i
	}
	return errs
}

// protection: in delegated mode Educates' own login is off, so the
// operator must name what protects session ingresses instead.
func protection(cfg *environment.Config) field.ErrorList {
	p := EnvPath.Child("auth", "protection")
	if !strings.EqualFold(strings.TrimSpace(cfg.Auth.Type), environment.AuthDelegated) {
		return nil
	}
	pr := cfg.Auth.Protection
	if pr == nil || pr.APIVersion == "" || pr.Kind == "" || pr.Name == "" {
		return field.ErrorList{field.Required(p, "auth.type delegated turns Educates' own login off: name the object that makes the ingress layer authenticate session hosts (apiVersion, kind, name, and namespace for a namespaced kind), for example the Kyverno ClusterPolicy of a recipe in functions/identity/recipes")}
	}
	var errs field.ErrorList
	for _, m := range validation.IsDNS1123Subdomain(pr.Name) {
		errs = append(errs, field.Invalid(p.Child("name"), pr.Name, m))
	}
	if pr.Namespace != "" {
		for _, m := range validation.IsDNS1123Label(pr.Namespace) {
			errs = append(errs, field.Invalid(p.Child("namespace"), pr.Namespace, m))
		}
	}
	return errs
}
