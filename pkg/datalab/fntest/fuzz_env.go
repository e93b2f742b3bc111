package fntest

// The generated EnvironmentConfig and the Datalab's metadata.

import (
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

func (g *gen) metadata() {
	c := g.c
	g.namespace = c.word("team", "default", "research", "team-a")
	if c.odds(rarely) {
		g.namespace = c.word("shared", "kube-system", "ingress-nginx", strings.Repeat("n", 63), "x", "lab")
	}
	g.name = c.word("lab", "team-wonderland", "alice", "ml-lab", "p1")
	if c.odds(sometimes) {
		other := names.Tenant{Namespace: "other", Name: g.name}.ID()
		g.name = c.word(other, other+"-ws", g.name+"-storage", g.name+"-session-login", g.name+"-services",
			strings.Repeat("a", 63), strings.Repeat("b", 64), "Lab", "data-lab", "editor-lab", "a.b", "lab_1",
			"-lab", "lab-", "pg-x-0123456789abcdef-auth", rawWord)
	}
	if g.name == "" {
		g.name = "lab" // Build's default
	}
	g.envName = environment.DefaultName
	if c.odds(sometimes) {
		sel := c.word("datalab", "sandbox", "gpu", " sandbox ", "", rawWord)
		switch c.n(3) {
		case 0:
			g.annots = map[string]string{environment.SelectorKey: sel}
		case 1:
			g.labels = map[string]string{environment.SelectorKey: sel}
		default:
			g.annots = map[string]string{environment.SelectorKey: sel}
			g.labels = map[string]string{environment.SelectorKey: c.word("datalab", "other")}
		}
		g.envName = environment.SelectName(g.annots, g.labels)
	}
	if c.odds(sometimes) {
		if g.labels == nil {
			g.labels = map[string]string{}
		}
		g.labels[c.word("app.kubernetes.io/name", compose.LabelDatalab, compose.LabelNamespace, compose.LabelComposite)] = c.word("lab", "other", "")
	}
	if c.odds(sometimes) {
		if g.annots == nil {
			g.annots = map[string]string{}
		}
		g.annots[c.word("crossplane.io/external-name", "note", compose.AnnotationCredentials)] = c.word("x", "", rawWord)
	}
}

func (g *gen) genEnv() {
	c := g.c
	e := map[string]any{}
	auth := c.word("delegated", "credentials")
	if c.odds(rarely) {
		auth = c.word("", "CREDENTIALS", " delegated ", "oidc", "none")
	}
	a := map[string]any{"type": auth}
	if !c.odds(rarely) {
		a["protection"] = map[string]any{"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "name": ProtectionName}
	}
	e["auth"] = a
	g.auth = strings.ToLower(strings.TrimSpace(auth))
	if g.auth == "" {
		g.auth = environment.AuthCredentials
	}

	ing := map[string]any{"domain": c.word("datalab.example.com", "example.org", "labs.internal"), "namespace": "ingress-nginx"}
	if c.bool() {
		ing["class"] = "nginx"
	}
	if c.odds(rarely) {
		switch c.n(4) {
		case 0:
			ing["domain"] = c.word("Bad_Domain", "-x.example.com", "a..b", rawWord)
		case 1:
			delete(ing, "namespace")
		case 2:
			ing["namespace"] = c.word("Bad_NS", "")
		default:
			ing["secret"] = c.word("tls", "Bad_Secret")
		}
	}
	e["ingress"] = ing

	st := map[string]any{"endpoint": "https://s3.example.com", "region": "eu-central-1", "provider": "Other"}
	if c.odds(often) {
		delete(st, c.word("endpoint", "region", "provider"))
	}
	g.secretNamespace = g.namespace
	if c.odds(sometimes) {
		st["secretNamespace"] = "shared"
		g.secretNamespace = "shared"
	}
	if c.odds(rarely) {
		switch c.n(4) {
		case 0:
			st["endpoint"] = "https://s3.example.com/ x"
		case 1:
			st["secretNamespace"] = c.word("Bad NS", g.namespace)
			g.secretNamespace = strings.TrimSpace(st["secretNamespace"].(string))
		case 2:
			st["type"] = c.word("gcs", "S3")
		default:
			st["force_path_style"] = c.word("maybe", "false", "1")
		}
	}
	e["storage"] = st

	switch c.n(3) {
	case 0:
		g.classes = []string{"standard", "fast"}
	case 1:
		g.classes = []string{"standard"}
	}
	if g.classes != nil {
		e["storageClasses"] = map[string]any{"allowed": g.classes}
	}

	ret := c.word("Retain", "Delete", "")
	if c.odds(rarely) {
		ret = "Keep"
	}
	e["retention"] = map[string]any{"policy": ret}

	if c.odds(often) {
		roles := []any{"view", "edit"}
		if c.bool() {
			roles = append(roles, "admin")
		}
		lim := map[string]any{"maxSessions": []int{5, 3, 1}[c.n(3)], "maxMemory": "8Gi", "maxStorage": "20Gi",
			"allowPrivileged": c.bool(), "allowedKubernetesRoles": roles, "maxServices": 5}
		if c.odds(sometimes) {
			lim["allowedSecurityPolicies"] = []any{"restricted", "baseline"}
		}
		if c.odds(rarely) {
			switch c.n(3) {
			case 0:
				lim["maxSessions"] = -1
			case 1:
				lim["maxMemory"] = c.word("x", "0")
			default:
				lim["allowedKubernetesRoles"] = []any{"root"}
			}
		}
		e["limits"] = lim
	}

	if c.odds(mostly) {
		n := map[string]any{"externalEgressCIDRs": []any{"0.0.0.0/0", "::/0"}, "podCIDRs": []any{"10.42.0.0/16"},
			"serviceCIDR": "10.43.0.0/16", "blacklistIPs": []any{"169.254.169.254", "fd00:ec2::254"}}
		if c.odds(sometimes) {
			n["apiServerCIDRs"] = []any{"10.0.0.1"}
		}
		if c.odds(rarely) {
			n[c.word("externalEgressCIDRs", "podCIDRs", "blacklistIPs")] = []any{c.word("x", "10.0.0.1/8", "10.0.0.0")}
		}
		e["network"] = n
	}

	engine := c.word("crunchy", "", "cloudnative-pg")
	if c.odds(rarely) {
		engine = c.word("mysql", "CloudNative-PG")
	}
	db := map[string]any{"engine": engine}
	if strings.EqualFold(engine, environment.EngineCloudNativePG) != c.odds(sometimes) {
		db["backup"] = map[string]any{"s3": map[string]any{"bucket": "datalab-backups", "endpoint": "https://s3.example.com",
			"region": "eu-central-1", "secretName": "datalab-backup-s3"}}
	}
	e["database"] = db

	if c.odds(often) {
		iam := map[string]any{"realm": "datalab", "extraAudiences": []any{"workspace-api"}}
		g.keycloak = true
		if c.odds(sometimes) {
			iam["enabled"] = "false"
			g.keycloak = false
		}
		if c.odds(rarely) {
			iam["extraAudiences"] = []any{c.word("!!", "", "Workspace API")}
		}
		e["iam"] = iam
	}

	if c.odds(sometimes) {
		d := map[string]any{"quota": map[string]any{"memory": "1Gi", "budget": "small"}, "security": map[string]any{"policy": "restricted"}}
		if c.odds(rarely) {
			d["quota"] = map[string]any{"memory": c.word("x", "-1Gi", "1Ki")}
		}
		e["defaults"] = d
	}

	if c.odds(sometimes) {
		e["providerConfigRef"] = map[string]any{"name": "provider-kubernetes", "kind": c.word("ClusterProviderConfig", "ProviderConfig", "Foo")}
	}

	switch {
	case g.envName != environment.DefaultName && !c.odds(sometimes):
		e["tenancy"] = map[string]any{"namespaces": []any{g.namespace}}
	case c.odds(rarely):
		e["tenancy"] = map[string]any{"namespaces": []any{c.word("other", g.namespace)}}
	}
	g.env = e
}

// pick n distinct words of vocab, starting at a chosen one.
func (g *gen) distinct(n int, vocab ...string) []string {
	start := g.c.n(len(vocab))
	out := make([]string, 0, n)
	for i := 0; i < n && i < len(vocab); i++ {
		out = append(out, vocab[(start+i)%len(vocab)])
	}
	return out
}
