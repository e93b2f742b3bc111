package validation

import (
	"slices"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

// agents checks spec.agents: unique DNS-label names of at most
// MaxSessionName characters (they become Keycloak client IDs and Secret
// names), a known role, and sessions the Datalab declares.
func agents(spec api.Spec, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	declared := map[string]bool{}
	for _, s := range spec.Sessions {
		declared[s.Name] = true
	}
	seen := map[string]bool{}
	for i, a := range spec.Agents {
		ip := p.Index(i)
		if a.Name == "" {
			errs = append(errs, field.Required(ip.Child("name"), "give every agent a name such as crawler"))
			continue
		}
		errs = append(errs, shortName(ip.Child("name"), a.Name, seen, "it becomes part of a Keycloak client ID and a Secret name")...)
		if a.Role != "" && !slices.Contains(api.AgentRoles, a.Role) {
			errs = append(errs, field.NotSupported(ip.Child("role"), a.Role, api.AgentRoles))
		}
		for j, s := range a.Sessions {
			if !declared[s] {
				errs = append(errs, field.Invalid(ip.Child("sessions").Index(j), s, "is not a session of this Datalab; list sessions from spec.sessions"))
			}
		}
	}
	return errs
}

// agentsNeedKeycloak: an agent's client credentials come from Keycloak.
func agentsNeedKeycloak(d *api.Datalab, cfg *environment.Config) field.ErrorList {
	if len(d.Spec.Agents) == 0 || cfg.KeycloakManaged() {
		return nil
	}
	return field.ErrorList{field.Forbidden(field.NewPath("spec", "agents"),
		"agents get Keycloak client credentials, but the operator's EnvironmentConfig has no Keycloak-managed identity (iam.realm); remove spec.agents, or ask the operator how machine callers authenticate at the ingress layer")}
}
