package step

import (
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// ingressAuth describes a delegated-auth Datalab to the operator's ingress
// policies: the ConfigMap <datalab>-ingress-auth in the Datalab's namespace.
// Educates creates each session's Ingress in the workshop namespace with
// the label training.educates.dev/environment.name = <environment>; the
// runtime labels that WorkshopEnvironment with the Datalab's name and
// namespace, which lead a policy here. It carries no secret: the client
// secret is in the OAuth Secret it names.
func ingressAuth(in *pipeline.Input, keycloak bool) map[string]any {
	var envs, hosts []string
	domain := in.Settings.Ingress.Domain
	for _, s := range in.Datalab.Spec.Sessions {
		envs = append(envs, in.Tenant.Environment(s.Name))
		hosts = append(hosts, in.Tenant.Hosts(s.Name, domain)...)
	}
	data := map[string]any{
		"authType":     environment.AuthDelegated,
		"tenantID":     in.Tenant.ID(),
		"environments": lines(envs),
		"hosts":        lines(hosts),
		"users":        lines(in.Datalab.Spec.Users),
		"admins":       lines(admins(in.Datalab.Spec)),
	}
	if keycloak {
		data["keycloakRealm"] = in.Env.KeycloakRealm()
		data["keycloakClientID"] = in.Tenant.KeycloakClientID()
		data["keycloakUserGroup"] = in.Tenant.KeycloakUserGroup()
		data["keycloakAdminGroup"] = in.Tenant.KeycloakAdminGroup()
		data["oauthSecret"] = names.OAuthSecret(in.Datalab.Name)
	}
	m := compose.Manifest("v1", "ConfigMap", "", names.IngressAuth(in.Datalab.Name), labels(in))
	m["data"] = data
	return m
}

// lines joins sorted distinct values one per line ("" for none).
func lines(vals []string) string {
	u := sortedUnique(vals)
	s := make([]string, len(u))
	for i, v := range u {
		s[i] = v.(string)
	}
	return strings.Join(s, "\n")
}
