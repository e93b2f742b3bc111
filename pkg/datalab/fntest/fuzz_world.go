package fntest

// The objects a generated request finds: Secrets, observed and desired state.

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// secret is a v1 Secret with data (base64) or stringData.
func secret(namespace, name string, labels map[string]string, stringData bool, kv ...string) map[string]any {
	d := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if stringData {
			d[kv[i]] = kv[i+1]
		} else {
			d[kv[i]] = base64.StdEncoding.EncodeToString([]byte(kv[i+1]))
		}
	}
	meta := map[string]any{"name": name, "namespace": namespace}
	if len(labels) > 0 {
		meta["labels"] = labels
	}
	s := map[string]any{"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": meta}
	if stringData {
		s["stringData"] = d
	} else {
		s["data"] = d
	}
	return s
}

// genWorld puts the Secrets the functions read into the cluster, each
// sometimes missing or unusable, and decoys of the same names elsewhere.
func (g *gen) genWorld() {
	c := g.c
	add := func(o map[string]any) { g.world = append(g.world, toJSON(o)) }

	// The ingress protection of delegated mode: sometimes missing or not
	// ready.
	if !c.odds(sometimes) {
		p := map[string]any{"apiVersion": "kyverno.io/v1", "kind": "ClusterPolicy", "metadata": map[string]any{"name": ProtectionName}}
		if c.odds(sometimes) {
			p["status"] = map[string]any{"conditions": []any{map[string]any{"type": "Ready", "status": c.word("True", "False")}}}
		}
		add(p)
	}

	storageName := strings.TrimSpace(g.secretName)
	if storageName == "" {
		storageName = g.name
	}
	if !c.odds(sometimes) {
		kv := []string{"AWS_ACCESS_KEY_ID", MarkerStorageAccess, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret}
		if c.odds(sometimes) {
			kv = []string{c.word("accessKey", "username", "CONSOLE_ACCESS_KEY", "attribute.access"), MarkerStorageAccess,
				c.word("secretKey", "password", "CONSOLE_SECRET_KEY", "attribute.secret"), MarkerStorageSecret}
		}
		if c.odds(sometimes) {
			kv = append(kv, c.word("AWS_ENDPOINT_URL", "AWS_REGION"), c.word("https://minio.example.com", "us-east-1", "a b"))
		}
		if c.odds(rarely) {
			switch c.n(3) {
			case 0:
				kv = kv[:2] // no secret key
			case 1:
				kv[3] += " " + MarkerStorageSecret // not a single token
			default:
				kv[1] = "" // empty access key
			}
		}
		var labels map[string]string
		if g.secretNamespace != g.namespace {
			if !c.odds(sometimes) {
				labels = map[string]string{compose.LabelNamespace: g.namespace}
				if c.bool() {
					labels[compose.LabelDatalab] = g.name
				}
			} else {
				labels = map[string]string{compose.LabelNamespace: c.word("other", g.namespace), compose.LabelDatalab: c.word("other", g.name)}
			}
		}
		if c.odds(rarely) {
			if labels == nil {
				labels = map[string]string{}
			}
			labels[c.word(compose.LabelComposite, compose.LabelComponent)] = "x"
		}
		s := secret(g.secretNamespace, storageName, labels, c.odds(sometimes), kv...)
		if c.odds(rarely) {
			s["data"] = map[string]any{"AWS_ACCESS_KEY_ID": "!!not base64", "AWS_SECRET_ACCESS_KEY": 7}
		}
		add(s)
	}

	login := names.SessionLoginSecret(g.name)
	if !c.odds(sometimes) {
		user := "alice"
		if len(g.users) > 0 {
			// As the identity step writes it (JSON strings are UTF-8).
			user = strings.ToValidUTF8(g.users[0], "\uFFFD")
		}
		kv := []string{"username", user, "password", MarkerLogin}
		if c.odds(rarely) {
			kv = kv[:2]
		}
		if invalidUTF8Logins && c.odds(rarely) {
			kv[len(kv)-1] += "\xff" // bytes a person may write into the Secret
		}
		// The identity step composed it: Crossplane's and the Datalab's
		// labels; rarely a Secret of the tenant's own under that name.
		labels := compose.TenantLabels(g.namespace, g.name)
		labels[compose.LabelComposite] = g.name
		if c.odds(rarely) {
			labels = nil
		}
		add(secret(g.namespace, login, labels, false, kv...))
	}
	if !c.odds(often) {
		add(secret(g.namespace, names.OAuthClientSecret(g.name), nil, false,
			c.word("attribute.client_secret", "client_secret", "clientSecret"), MarkerOAuth))
	}
	t := g.tenant()
	for _, h := range g.hosts {
		if c.odds(often) {
			continue
		}
		cluster := t.PostgresCluster(h)
		for _, engine := range environment.Engines {
			add(secret(g.namespace, names.PostgresAppSecret(engine, cluster), nil, false, "user", "app", "password", MarkerDatabase))
		}
	}
	// Rarely, objects under names a step derives that belong to another
	// Datalab or to nobody (the steps must not take them over).
	if c.odds(sometimes) {
		other := compose.TenantLabels(g.namespace, "other")
		switch c.n(3) {
		case 0:
			cm := manifest("v1", "ConfigMap", g.namespace, names.IngressAuth(g.name))
			cm["metadata"].(map[string]any)["labels"] = other
			add(cm)
		case 1:
			s := "default"
			if len(g.sessions) > 0 {
				s = g.sessions[0].name
			}
			w := manifest(educates, "Workshop", "", t.Environment(s))
			if c.bool() {
				w["metadata"].(map[string]any)["labels"] = other
			}
			add(w)
		default:
			add(secret(g.namespace, names.ServicesSecret(g.name), nil, false, "x", "y"))
		}
	}
	// The Datalab's Namespace, for a tenancy namespace selector.
	add(map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": g.namespace,
		"labels": map[string]any{"kubernetes.io/metadata.name": g.namespace}}})
	// Decoys: the same names in a namespace no Datalab may read.
	for _, n := range []string{storageName, g.name, login, names.OAuthClientSecret(g.name), "git-creds", "creds"} {
		add(secret(decoyNamespace, n, map[string]string{compose.LabelNamespace: g.namespace, compose.LabelDatalab: g.name}, false,
			"AWS_ACCESS_KEY_ID", MarkerForeign, "AWS_SECRET_ACCESS_KEY", MarkerForeign, "password", MarkerForeign, "username", MarkerForeign,
			"client_secret", MarkerForeign))
	}
}

// object wraps a manifest in a provider-kubernetes Object.
func object(name string, manifest map[string]any) map[string]any {
	return compose.Object(name, manifest, compose.ObjectOptions{ProviderConfig: environment.ProviderConfigRef{Name: environment.DefaultProviderConfig, Kind: "ProviderConfig"}})
}

func manifest(apiVersion, kind, namespace, name string) map[string]any {
	return compose.Manifest(apiVersion, kind, namespace, name, nil)
}

const educates = "training.educates.dev/v1beta1"

// genObserved adds composed resources an earlier reconcile left: kept
// credentials, retained volumes and services.
func (g *gen) genObserved() {
	c := g.c
	t := g.tenant()
	put := func(key string, o map[string]any) {
		meta := o["metadata"].(map[string]any)
		meta["namespace"] = g.namespace
		meta["uid"] = "uid-" + key
		meta["annotations"] = map[string]any{"crossplane.io/composition-resource-name": key}
		g.observed[key] = toJSON(o)
	}
	if c.odds(often) {
		s := secret(g.namespace, names.StorageSecret(g.name), compose.TenantLabels(g.namespace, g.name), false,
			"AWS_ACCESS_KEY_ID", MarkerStorageAccess, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret)
		put(string(compose.StorageCredentialsKey), s)
	}
	if c.odds(often) {
		put(string(compose.LoginSecretKey), secret(g.namespace, names.SessionLoginSecret(g.name), nil, false, "username", "alice", "password", MarkerLogin))
	}
	if c.odds(sometimes) {
		put(string(compose.OAuthSecretKey), secret(g.namespace, names.OAuthSecret(g.name), nil, false, "client_id", t.ID(), "client_secret", MarkerOAuth))
	}
	if c.odds(sometimes) {
		// A session removed from the spec whose volume is retained.
		old := c.word("old", "default", "s1")
		pvc := manifest("v1", "PersistentVolumeClaim", t.Environment(old), t.WorkspaceVolume(old))
		put(string(compose.WorkspaceKey(old)), object("vol-"+t.WorkspaceVolume(old), pvc))
		if c.bool() {
			ws := manifest(educates, "Workshop", "", t.Environment(old))
			put(string(compose.WorkshopKey(old)), object(t.Environment(old), ws))
		}
	}
	if c.odds(sometimes) {
		// A service removed from the spec, kept by the retention policy.
		host := c.word("old", "pg")
		cr := t.PostgresCluster(host)
		o := object(cr, manifest("postgres-operator.crunchydata.com/v1beta1", "PostgresCluster", g.namespace, cr))
		o["metadata"].(map[string]any)["labels"] = map[string]any{compose.LabelComponent: compose.ComponentBackends,
			compose.LabelService: names.ServiceID(names.KindPostgreSQL, host), compose.LabelStateful: "true"}
		put(string(compose.PostgresKey(host)), o)
	}
	if c.odds(sometimes) {
		put(string(compose.ServicesSecretKey), secret(g.namespace, names.ServicesSecret(g.name), nil, false,
			"PG_PASSWORD", MarkerDatabase, "PG_HOST", "pg"))
	}
}

// genDesired adds what the earlier pipeline steps rendered: the runtime's
// Workshops, environments, sessions and volumes, the storage and login
// Secrets, and rarely something a hostile step composed.
func (g *gen) genDesired() {
	c := g.c
	t := g.tenant()
	put := func(key string, o map[string]any) { g.desired[key] = toJSON(o) }
	if len(g.sessions) > 0 && c.odds(mostly) {
		for _, s := range g.sessions {
			we := manifest(educates, "WorkshopEnvironment", "", t.Environment(s.name))
			we["spec"] = map[string]any{"workshop": map[string]any{"name": t.Environment(s.name)}}
			env := object("env-"+t.Environment(s.name), we)
			if c.odds(half) {
				// Ready: Educates has its copy, the Workshop is gone and the
				// environment's Object records the vcluster choice.
				env["metadata"].(map[string]any)["annotations"] = map[string]any{compose.AnnotationVCluster: strconv.FormatBool(s.vcluster)}
			} else {
				put(string(compose.WorkshopKey(s.name)), object(t.Environment(s.name), g.workshop(s)))
			}
			put(string(compose.EnvironmentKey(s.name)), env)
			pvc := manifest("v1", "PersistentVolumeClaim", t.Environment(s.name), t.WorkspaceVolume(s.name))
			pvc["spec"] = g.claimSpec("1Gi")
			put(string(compose.WorkspaceKey(s.name)), object("vol-"+t.WorkspaceVolume(s.name), pvc))
			if s.state == "stopped" || s.state == "paused" {
				continue
			}
			user, password := "*", ""
			if g.auth == environment.AuthCredentials {
				user, password = "alice", MarkerLogin
			}
			if c.odds(rarely) {
				user, password = "*", "" // a runtime that ignores the login
			}
			ws := manifest(educates, "WorkshopSession", "", t.Session(s.name))
			ws["spec"] = map[string]any{"environment": map[string]any{"name": t.Environment(s.name)},
				"session": map[string]any{"id": "ws", "username": user, "password": password}}
			put(string(compose.SessionKey(s.name)), object(t.Session(s.name), ws))
		}
	}
	if c.odds(half) {
		s := secret(g.namespace, names.StorageSecret(g.name), compose.TenantLabels(g.namespace, g.name), false,
			"AWS_ACCESS_KEY_ID", MarkerStorageAccess, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret)
		put(string(compose.StorageCredentialsKey), s)
	}
	if g.auth == environment.AuthCredentials && c.odds(half) {
		s := secret("", names.SessionLoginSecret(g.name), compose.TenantLabels(g.namespace, g.name), false, "username", "alice", "password", MarkerLogin)
		delete(s["metadata"].(map[string]any), "namespace")
		put(string(compose.LoginSecretKey), s)
	}
	if c.odds(sometimes) {
		g.hostileDesired()
	}
}

func (g *gen) claimSpec(size string) map[string]any {
	spec := map[string]any{"accessModes": []any{"ReadWriteOnce"}, "resources": map[string]any{"requests": map[string]any{"storage": size}}}
	if len(g.classes) > 0 {
		spec["storageClassName"] = g.classes[0]
	}
	return spec
}

// workshop is a Workshop as the runtime renders it, in short.
func (g *gen) workshop(s session) map[string]any {
	t := g.tenant()
	apps := map[string]any{"editor": map[string]any{"enabled": true}, "terminal": map[string]any{"enabled": true}}
	if s.vcluster {
		apps["vcluster"] = map[string]any{"enabled": true, "version": "1.34"}
	}
	bucket := manifest("v1", "PersistentVolumeClaim", "$(workshop_namespace)", names.BucketVolume(g.name))
	bucket["spec"] = map[string]any{"accessModes": []any{"ReadWriteMany"}, "storageClassName": environment.DefaultMountStorageClass,
		"resources": map[string]any{"requests": map[string]any{"storage": "1Mi"}}}
	deploy := manifest("apps/v1", "Deployment", "$(workshop_namespace)", "data-$(session_name)")
	deploy["spec"] = map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{
		"name": "data", "image": "ghcr.io/x/data:v1",
		"env": []any{map[string]any{"name": "AWS_SECRET_ACCESS_KEY", "valueFrom": map[string]any{"secretKeyRef": map[string]any{
			"name": names.StorageSecret(g.name), "key": "AWS_SECRET_ACCESS_KEY", "optional": true}}}},
	}}}}}
	m := compose.Manifest(educates, "Workshop", "", t.Environment(s.name), compose.SessionLabels(g.namespace, g.name, s.name))
	m["spec"] = map[string]any{
		"session": map[string]any{
			"applications": apps,
			"resources":    map[string]any{"memory": g.memory, "volume": map[string]any{"name": names.VarWorkspaceVolume}},
			// The runtime binds no Educates role ("custom"); its own
			// RoleBinding is an Object of its own, never a template.
			"namespaces": map[string]any{"budget": g.budget, "role": "custom",
				"security": map[string]any{"policy": g.policy, "token": map[string]any{"enabled": true}}},
			"envFrom": []any{map[string]any{"secretRef": map[string]any{"name": names.StorageSecret(g.name), "optional": true}}},
			"objects": []any{deploy},
		},
		"environment": map[string]any{
			"secrets": []any{map[string]any{"name": names.StorageSecret(g.name), "namespace": g.namespace}},
			"objects": []any{bucket},
		},
	}
	return m
}

// hostileDesired adds what a compromised or buggy earlier step might
// compose: the policy step must reject each (Fatal), and no other step
// may make it worse.
func (g *gen) hostileDesired() {
	c := g.c
	t := g.tenant()
	other := names.Tenant{Namespace: "other", Name: g.name}
	put := func(key string, o map[string]any) { g.desired[key] = toJSON(o) }
	s := "default"
	if len(g.sessions) > 0 {
		s = g.sessions[0].name
	}
	switch c.n(10) {
	case 0: // another tenant's Workshop under this Datalab's key
		sess := session{name: s}
		w := g.workshop(sess)
		w["metadata"].(map[string]any)["name"] = other.Environment(s)
		put(string(compose.WorkshopKey(s)), object(other.Environment(s), w))
	case 1: // a cluster-scoped kind composed directly
		put("extra-namespace", map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": t.ID() + "-x"}})
	case 2: // a namespaced kind in another namespace
		put("extra-configmap", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x", "namespace": "other"}})
	case 3: // Educates copying another namespace's Secret
		w := g.workshop(session{name: s})
		w["spec"].(map[string]any)["environment"].(map[string]any)["secrets"] = []any{map[string]any{"name": "creds", "namespace": decoyNamespace}}
		put(string(compose.WorkshopKey(s)), object(t.Environment(s), w))
	case 4: // a session object in a system namespace
		w := g.workshop(session{name: s})
		obj := manifest("v1", "ConfigMap", "kube-system", "x")
		w["spec"].(map[string]any)["session"].(map[string]any)["objects"] = []any{obj}
		put(string(compose.WorkshopKey(s)), object(t.Environment(s), w))
	case 5: // a cluster role binding, wrapped
		put("extra-crb", object(t.ID()+"-crb", manifest("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", t.ID()+"-crb")))
	case 6: // the storage secret key copied into a ConfigMap
		s := secret(g.namespace, names.StorageSecret(g.name), nil, false, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret)
		put(string(compose.StorageCredentialsKey), s)
		cm := manifest("v1", "ConfigMap", g.namespace, "leak")
		cm["data"] = map[string]any{"key": MarkerStorageSecret}
		put("extra-leak", cm)
	case 7: // a literal password in a session's environment
		w := g.workshop(session{name: s})
		w["spec"].(map[string]any)["session"].(map[string]any)["env"] = []any{map[string]any{"name": "DB_PASSWORD", "value": "hunter2-literal"}}
		put(string(compose.WorkshopKey(s)), object(t.Environment(s), w))
	case 8: // the session's service account bound to cluster-admin, wrapped
		put(string(compose.SessionRoleBindingKey("edit", s)), object(t.ID()+"-admin", roleBinding(t.SessionNamespace(s), "cluster-admin")))
	default: // a legacy cluster-scoped Object
		o := object(t.ID()+"-legacy", manifest("v1", "ConfigMap", g.namespace, "legacy"))
		o["apiVersion"] = "kubernetes.crossplane.io/v1alpha2"
		put("extra-legacy", o)
	}
}

// roleBinding binds a ClusterRole in a namespace.
func roleBinding(namespace, clusterRole string) map[string]any {
	b := manifest("rbac.authorization.k8s.io/v1", "RoleBinding", namespace, clusterRole)
	b["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": clusterRole}
	return b
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
