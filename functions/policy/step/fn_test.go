package step

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

const testEnv = `{
 "ingress":{"namespace":"ingress-nginx","domain":"datalab.example.com"},
 "storageClasses":{"allowed":["standard","fast"]},
 "network":{"externalEgressCIDRs":["0.0.0.0/0","::/0"],"podCIDRs":["10.42.0.0/16"],"serviceCIDR":"10.43.0.0/16",
   "blacklistIPs":["169.254.169.254","fd00:ec2::254"]},
 "limits":{"maxSessions":3,"maxMemory":"8Gi","maxStorage":"20Gi","allowPrivileged":false,
   "allowedSecurityPolicies":["restricted","baseline"],"allowedKubernetesRoles":["view","edit"]}}`

// The tenant of every test: Datalab lab in namespace team, session s1.
var tenant = names.Tenant{Namespace: "team", Name: "lab"}

type call struct {
	spec     string
	env      string
	desired  map[string]string
	observed map[string]string
}

func newRequest(t testing.TB, c call) *fnv1.RunFunctionRequest {
	t.Helper()
	if c.env == "" {
		c.env = testEnv
	}
	if c.spec == "" {
		c.spec = `{"users":["alice"],"sessions":[{"name":"s1"}]}`
	}
	if c.desired == nil {
		c.desired = map[string]string{}
	}
	req := fntest.Request{Spec: c.spec, Env: c.env, Observed: c.observed, Desired: c.desired}.Build(t)
	req.Desired.Composite = &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"pkg.internal/v1beta2","kind":"Datalab"}`)}
	return req
}

// fn is the policy step as the tests call it.
var fn = &pipeline.Function{Log: logging.NewNopLogger(), Step: Run}

// fatal joins the messages of all Fatal results.
func fatal(rsp *fnv1.RunFunctionResponse) string {
	return strings.Join(fntest.Results(rsp, fnv1.Severity_SEVERITY_FATAL), "\n")
}

// obj marshals a manifest for a desired or observed resource.
func obj(m map[string]any) string {
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// wrap is a provider-kubernetes Object around a manifest.
func wrap(name string, manifest map[string]any) map[string]any {
	return compose.Object(name, manifest, compose.ObjectOptions{ProviderConfig: environment.ProviderConfigRef{Name: "provider-kubernetes", Kind: "ProviderConfig"}})
}

func pvc(name, namespace, class string) map[string]any {
	spec := map[string]any{"accessModes": []any{"ReadWriteOnce"}, "resources": map[string]any{"requests": map[string]any{"storage": "1Gi"}}}
	if class != "" {
		spec["storageClassName"] = class
	}
	m := map[string]any{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": map[string]any{"name": name}, "spec": spec}
	if namespace != "" {
		m["metadata"].(map[string]any)["namespace"] = namespace
	}
	return m
}

// workshopManifest is a runtime-like Workshop of session s1.
func workshopManifest(vcluster bool, envObjects, sessObjects []any) map[string]any {
	apps := map[string]any{"editor": map[string]any{"enabled": true}}
	if vcluster {
		apps["vcluster"] = map[string]any{"enabled": true, "version": "1.34"}
	}
	spec := map[string]any{
		"session": map[string]any{
			"applications": apps,
			"resources":    map[string]any{"memory": "2Gi"},
			"namespaces":   map[string]any{"budget": "medium", "role": "custom", "security": map[string]any{"policy": "baseline", "token": map[string]any{"enabled": true}}},
		},
		"environment": map[string]any{"secrets": []any{map[string]any{"name": "lab-storage", "namespace": "team"}}},
	}
	if envObjects != nil {
		spec["environment"].(map[string]any)["objects"] = envObjects
	}
	if sessObjects != nil {
		spec["session"].(map[string]any)["objects"] = sessObjects
	}
	return map[string]any{"apiVersion": "training.educates.dev/v1beta1", "kind": "Workshop", "metadata": map[string]any{"name": tenant.Environment("s1")}, "spec": spec}
}

func workshopObject(vcluster bool, envObjects, sessObjects []any) string {
	return obj(wrap(tenant.Environment("s1"), workshopManifest(vcluster, envObjects, sessObjects)))
}

// desiredWorkshop returns the Workshop manifest of the response.
func desiredWorkshop(t *testing.T, rsp *fnv1.RunFunctionResponse) map[string]any {
	t.Helper()
	r, ok := rsp.GetDesired().GetResources()[string(compose.WorkshopKey("s1"))]
	if !ok {
		t.Fatal("no Workshop in the desired state")
	}
	m := r.GetResource().AsMap()
	return manifestOf(m)
}

func policyNames(list any) map[string]string {
	out := map[string]string{}
	items, _ := list.([]any)
	for _, it := range items {
		m := asMap(it)
		if str(m, "kind") == "NetworkPolicy" {
			out[str(m, "metadata", "namespace")+"/"+str(m, "metadata", "name")] = str(m, "kind")
			// A session boundary policy holds flows, named like the
			// per-flow policies of old.
			for _, f := range strings.Split(str(m, "metadata", "annotations", annotationFlows), ",") {
				if f != "" {
					out[str(m, "metadata", "namespace")+"/"+f] = str(m, "kind")
				}
			}
		}
	}
	return out
}

func TestInjectsIntoEveryNamespaceOfASession(t *testing.T) {
	bucket := pvc(names.BucketVolume("lab"), "$(workshop_namespace)", environment.DefaultMountStorageClass)
	data := map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "data-$(session_name)", "namespace": "$(workshop_namespace)"}}
	for _, tc := range []struct {
		name     string
		vcluster bool
		want     []string
		absent   []string
	}{
		{"namespace", false,
			[]string{"$(workshop_namespace)/deny-egress", "$(workshop_namespace)/allow-dns-egress", "$(workshop_namespace)/allow-external-egress", "$(workshop_namespace)/deny-ingress", "$(workshop_namespace)/allow-ingress-controller",
				"$(session_namespace)/deny-egress", "$(session_namespace)/allow-dns-egress", "$(session_namespace)/deny-ingress", "$(session_namespace)/allow-session-ingress"},
			[]string{"$(session_namespace)-vc/deny-egress"}},
		{"vcluster", true,
			[]string{"$(session_namespace)-vc/deny-egress", "$(session_namespace)-vc/allow-dns-egress", "$(session_namespace)-vc/deny-ingress", "$(session_namespace)-vc/allow-session-ingress", "$(session_namespace)/allow-session-egress",
				"$(session_namespace)-vc/allow-ingress-controller"},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rsp := fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{
				string(compose.WorkshopKey("s1")): workshopObject(tc.vcluster, []any{bucket}, []any{data}),
				"other":                           obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x"}, "data": map[string]any{"a": "b"}}),
			}}))
			if f := fatal(rsp); f != "" {
				t.Fatal(f)
			}
			m := desiredWorkshop(t, rsp)
			env, _ := valueAt(m, path{"spec", "environment", "objects"})
			sess, _ := valueAt(m, path{"spec", "session", "objects"})
			got := policyNames(env)
			for k, v := range policyNames(sess) {
				got[k] = v
			}
			for _, w := range tc.want {
				if got[w] == "" {
					t.Errorf("missing NetworkPolicy %s; got %v", w, got)
				}
			}
			for _, a := range tc.absent {
				if got[a] != "" {
					t.Errorf("unexpected NetworkPolicy %s", a)
				}
			}
			// Other steps' objects stay first and untouched.
			if first := asMap(env.([]any)[0]); str(first, "metadata", "name") != names.BucketVolume("lab") {
				t.Errorf("the runtime's bucket volume moved: %v", first)
			}
			if first := asMap(sess.([]any)[0]); str(first, "kind") != "Service" {
				t.Errorf("the runtime's data Service moved: %v", first)
			}
			if _, ok := rsp.GetDesired().GetResources()["other"]; !ok {
				t.Error("another step's resource was dropped")
			}
			for _, k := range []resource.Name{compose.WorkspaceQuotaKey, compose.WorkspaceLimitRangeKey, compose.WorkspaceIngressKey} {
				if _, ok := rsp.GetDesired().GetResources()[string(k)]; !ok {
					t.Errorf("missing %s", k)
				}
			}
		})
	}
}

// A Workshop kept from observed state already carries the policies of an
// earlier reconcile: injecting again replaces them, never duplicates.
func TestInjectionIsIdempotent(t *testing.T) {
	first := fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{string(compose.WorkshopKey("s1")): workshopObject(true, nil, nil)}}))
	ws := first.GetDesired().GetResources()[string(compose.WorkshopKey("s1"))].GetResource().AsMap()
	b, _ := json.Marshal(ws)
	second := fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{string(compose.WorkshopKey("s1")): string(b)}}))
	again, _ := json.Marshal(second.GetDesired().GetResources()[string(compose.WorkshopKey("s1"))].GetResource().AsMap())
	if string(again) != string(b) {
		t.Errorf("second injection differs:\n%s\n%s", b, again)
	}
}

func TestExcludedPolicies(t *testing.T) {
	env := strings.Replace(testEnv, `"network":{`, `"network":{"excludePolicies":["allow-external-egress","deny-ingress","workspace-ingress"],`, 1)
	rsp := fntest.Run(t, fn, newRequest(t, call{env: env, desired: map[string]string{string(compose.WorkshopKey("s1")): workshopObject(false, nil, nil)}}))
	if f := fatal(rsp); f != "" {
		t.Fatal(f)
	}
	m := desiredWorkshop(t, rsp)
	env1, _ := valueAt(m, path{"spec", "environment", "objects"})
	got := policyNames(env1)
	for _, n := range []string{"allow-external-egress", "deny-ingress"} {
		if got["$(workshop_namespace)/"+n] != "" {
			t.Errorf("%s was excluded but rendered", n)
		}
	}
	if got["$(workshop_namespace)/deny-egress"] == "" {
		t.Error("deny-egress was not excluded but is missing")
	}
	if _, ok := rsp.GetDesired().GetResources()[string(compose.WorkspaceIngressKey)]; ok {
		t.Error("workspace-ingress was excluded but rendered")
	}
}

func TestStorageClassesInEveryPlace(t *testing.T) {
	wsKey := string(compose.WorkshopKey("s1"))
	sts := func(class string) map[string]any {
		return map[string]any{"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": map[string]any{"name": "db", "namespace": "$(session_namespace)"},
			"spec": map[string]any{"volumeClaimTemplates": []any{map[string]any{"metadata": map[string]any{"name": "data"}, "spec": map[string]any{"storageClassName": class}}}}}
	}
	cases := []struct {
		name    string
		desired map[string]string
		path    string
	}{
		{"direct PVC", map[string]string{"vol": obj(pvc("v", "", "gold"))}, "composed[vol].spec.storageClassName"},
		{"PVC in an Object", map[string]string{"vol": obj(wrap("v", pvc("v", tenant.Environment("s1"), "gold")))}, "composed[vol].spec.forProvider.manifest.spec.storageClassName"},
		{"StatefulSet in an Object", map[string]string{"db": obj(wrap("db", sts("gold")))}, "composed[db].spec.forProvider.manifest.spec.volumeClaimTemplates[0].spec.storageClassName"},
		{"PostgresCluster data", map[string]string{"pg": obj(map[string]any{"apiVersion": "postgres-operator.crunchydata.com/v1beta1", "kind": "PostgresCluster", "metadata": map[string]any{"name": "pg"},
			"spec": map[string]any{"instances": []any{map[string]any{"dataVolumeClaimSpec": map[string]any{"storageClassName": "gold"}}}}})}, "composed[pg].spec.instances[0].dataVolumeClaimSpec.storageClassName"},
		{"PostgresCluster backups", map[string]string{"pg": obj(map[string]any{"apiVersion": "postgres-operator.crunchydata.com/v1beta1", "kind": "PostgresCluster", "metadata": map[string]any{"name": "pg"},
			"spec": map[string]any{"instances": []any{map[string]any{"dataVolumeClaimSpec": map[string]any{"storageClassName": "standard"}}},
				"backups": map[string]any{"pgbackrest": map[string]any{"repos": []any{map[string]any{"name": "repo1", "volume": map[string]any{"volumeClaimSpec": map[string]any{"storageClassName": "gold"}}}}}}}})},
			"composed[pg].spec.backups.pgbackrest.repos[0].volume.volumeClaimSpec.storageClassName"},
		{"MongoDBCommunity", map[string]string{"mongo": obj(map[string]any{"apiVersion": "mongodbcommunity.mongodb.com/v1", "kind": "MongoDBCommunity", "metadata": map[string]any{"name": "m"},
			"spec": map[string]any{"statefulSet": map[string]any{"spec": map[string]any{"volumeClaimTemplates": []any{map[string]any{"spec": map[string]any{"storageClassName": "gold"}}}}}}})},
			"composed[mongo].spec.statefulSet.spec.volumeClaimTemplates[0].spec.storageClassName"},
		{"Redis", map[string]string{"redis": obj(map[string]any{"apiVersion": "redis.redis.opstreelabs.in/v1beta2", "kind": "Redis", "metadata": map[string]any{"name": "r"},
			"spec": map[string]any{"storage": map[string]any{"volumeClaimTemplate": map[string]any{"spec": map[string]any{"storageClassName": "gold"}}}}})},
			"composed[redis].spec.storage.volumeClaimTemplate.spec.storageClassName"},
		{"QdrantCluster", map[string]string{"qdrant": obj(map[string]any{"apiVersion": "qdrant.io/v1", "kind": "QdrantCluster", "metadata": map[string]any{"name": "q"},
			"spec": map[string]any{"persistence": map[string]any{"size": "1Gi", "storageClassName": "gold"}}})}, "composed[qdrant].spec.persistence.storageClassName"},
		{"CloudNativePG", map[string]string{"cnpg": obj(map[string]any{"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": map[string]any{"name": "c"},
			"spec": map[string]any{"storage": map[string]any{"size": "1Gi", "storageClass": "gold"}}})}, "composed[cnpg].spec.storage.storageClass"},
		{"Workshop environment object", map[string]string{wsKey: workshopObject(false, []any{pvc("extra", "$(workshop_namespace)", "gold")}, nil)},
			"composed[workshop-s1].spec.forProvider.manifest.spec.environment.objects[0].spec.storageClassName"},
		{"Workshop session object", map[string]string{wsKey: workshopObject(false, nil, []any{sts("gold")})},
			"composed[workshop-s1].spec.forProvider.manifest.spec.session.objects[0].spec.volumeClaimTemplates[0].spec.storageClassName"},
		{"object inside a vcluster", map[string]string{wsKey: func() string {
			m := workshopManifest(true, nil, nil)
			m["spec"].(map[string]any)["session"].(map[string]any)["applications"].(map[string]any)["vcluster"].(map[string]any)["objects"] = []any{pvc("inner", "default", "gold")}
			return obj(wrap(tenant.Environment("s1"), m))
		}()}, "composed[workshop-s1].spec.forProvider.manifest.spec.session.applications.vcluster.objects[0].spec.storageClassName"},
		{"no class (cluster default)", map[string]string{"vol": obj(pvc("v", "", ""))}, "composed[vol].spec.storageClassName"},
		{"bucket class on another claim", map[string]string{"vol": obj(pvc("not-the-bucket", "", environment.DefaultMountStorageClass))}, "composed[vol].spec.storageClassName"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rsp := fntest.Run(t, fn, newRequest(t, call{desired: tc.desired}))
			f := fatal(rsp)
			if !strings.Contains(f, tc.path) || !strings.Contains(f, "use one of standard, fast") {
				t.Errorf("want a Fatal naming %s and the allowed classes, got %q", tc.path, f)
			}
		})
	}

	// Claims that name no class get the cluster default, whatever the
	// operator allows.
	for _, tc := range []struct {
		name, kind, apiVersion string
		spec                   map[string]any
		path                   string
	}{
		{"PostgresCluster data without class", "PostgresCluster", "postgres-operator.crunchydata.com/v1beta1",
			map[string]any{"instances": []any{map[string]any{"dataVolumeClaimSpec": map[string]any{"accessModes": []any{"ReadWriteOnce"}}}}}, "spec.instances[0].dataVolumeClaimSpec.storageClassName"},
		{"Redis without class", "Redis", "redis.redis.opstreelabs.in/v1beta2",
			map[string]any{"storage": map[string]any{"volumeClaimTemplate": map[string]any{"spec": map[string]any{}}}}, "spec.storage.volumeClaimTemplate.spec.storageClassName"},
		{"QdrantCluster without class", "QdrantCluster", "qdrant.io/v1",
			map[string]any{"persistence": map[string]any{"size": "1Gi"}}, "spec.persistence.storageClassName"},
		{"CloudNativePG without class", "Cluster", "postgresql.cnpg.io/v1",
			map[string]any{"storage": map[string]any{"size": "1Gi"}}, "spec.storage.storageClass"},
		{"StatefulSet without class", "StatefulSet", "apps/v1",
			map[string]any{"volumeClaimTemplates": []any{map[string]any{"spec": map[string]any{}}}}, "spec.volumeClaimTemplates[0].spec.storageClassName"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fatal(fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{"x": obj(map[string]any{"apiVersion": tc.apiVersion, "kind": tc.kind, "metadata": map[string]any{"name": "x"}, "spec": tc.spec})}})))
			if !strings.Contains(f, "composed[x]."+tc.path) || !strings.Contains(f, "names no storage class") {
				t.Errorf("want a Fatal naming composed[x].%s, got %q", tc.path, f)
			}
		})
	}

	t.Run("allowed and exempt classes pass", func(t *testing.T) {
		rsp := fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{
			"vol":  obj(pvc("v", "", "fast")),
			wsKey:  workshopObject(false, []any{pvc(names.BucketVolume("lab"), "$(workshop_namespace)", environment.DefaultMountStorageClass)}, []any{sts("standard")}),
			"mono": obj(map[string]any{"apiVersion": "qdrant.io/v1", "kind": "QdrantCluster", "metadata": map[string]any{"name": "q"}, "spec": map[string]any{"persistence": map[string]any{"storageClassName": "standard"}}}),
		}}))
		if f := fatal(rsp); f != "" {
			t.Error(f)
		}
	})
	t.Run("an existing claim keeps its class with a warning", func(t *testing.T) {
		vol := obj(wrap("v", pvc("v", tenant.Environment("s1"), "gold")))
		rsp := fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{"vol": vol}, observed: map[string]string{"vol": vol}}))
		if f := fatal(rsp); f != "" {
			t.Fatal(f)
		}
		w := strings.Join(fntest.Results(rsp, fnv1.Severity_SEVERITY_WARNING), "\n")
		if !strings.Contains(w, "existing volume claim kept") {
			t.Errorf("no warning about the kept claim: %q", w)
		}
	})
	t.Run("a changed class of an existing claim is vetoed", func(t *testing.T) {
		rsp := fntest.Run(t, fn, newRequest(t, call{
			desired:  map[string]string{"vol": obj(wrap("v", pvc("v", tenant.Environment("s1"), "gold")))},
			observed: map[string]string{"vol": obj(wrap("v", pvc("v", tenant.Environment("s1"), "silver")))},
		}))
		if fatal(rsp) == "" {
			t.Error("no Fatal")
		}
	})
}

func TestGate(t *testing.T) {
	wsKey := string(compose.WorkshopKey("s1"))
	cm := func(data map[string]any) map[string]any {
		return map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"}, "data": data}
	}
	deploy := func(env ...any) map[string]any {
		return map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "d", "namespace": "$(workshop_namespace)"},
			"spec": map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{"name": "c", "env": env}}}}}}
	}
	withSpec := func(edit func(spec map[string]any)) string {
		m := workshopManifest(false, nil, nil)
		edit(m["spec"].(map[string]any))
		return obj(wrap(tenant.Environment("s1"), m))
	}
	password := "Zq8-generated-password-3Xk"
	secret := map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "lab-services"}, "stringData": map[string]any{
		"POSTGRES_PASSWORD": password, "POSTGRES_HOST": "db.team.svc", "POSTGRES_PORT": "5432"}}
	np := map[string]any{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": map[string]any{"name": "allow-all"}, "spec": map[string]any{"podSelector": map[string]any{}, "egress": []any{map[string]any{}}}}
	cases := []struct {
		name    string
		env     string
		desired map[string]string
		want    string // "" = passes
	}{
		{"cluster-scoped composed directly", "", map[string]string{"crb": obj(map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding", "metadata": map[string]any{"name": "x"}})}, "composed[crb]: Forbidden: rbac.authorization.k8s.io/v1 ClusterRoleBinding is cluster-scoped"},
		{"another namespace composed directly", "", map[string]string{"s": obj(map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "x", "namespace": "other"}})}, `composed[s].metadata.namespace: Forbidden: "other" is not the Datalab's namespace`},
		{"unknown kind", "", map[string]string{"w": obj(map[string]any{"apiVersion": "example.org/v1", "kind": "Widget", "metadata": map[string]any{"name": "x"}})}, "is a kind the policy step does not know"},
		{"unknown kind the operator lists", strings.Replace(testEnv, `"limits":{`, `"limits":{"extraNamespacedKinds":["example.org/Widget"],`, 1),
			map[string]string{"w": obj(map[string]any{"apiVersion": "example.org/v1", "kind": "Widget", "metadata": map[string]any{"name": "x"}})}, ""},
		{"namespaced managed resource", "", map[string]string{"kc": obj(map[string]any{"apiVersion": "openidclient.keycloak.m.crossplane.io/v1alpha1", "kind": "Client", "metadata": map[string]any{"name": "x"}})}, ""},
		{"Object wrapping a Namespace", "", map[string]string{"ns": obj(wrap("ns", map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": "x"}}))}, "Namespace \"x\" is cluster-scoped; a Datalab may not create it"},
		{"Object into a foreign namespace", "", map[string]string{"s": obj(wrap("s", map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "x", "namespace": "kube-system"}}))}, `"kube-system" is not one of the tenant's namespaces`},
		{"Object into the session namespace", "", map[string]string{"s": obj(wrap("s", map[string]any{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "x", "namespace": tenant.SessionNamespace("s1")}}))}, ""},
		{"Workshop outside the runtime's keys", "", map[string]string{"mine": workshopObject(false, nil, nil)}, "an Educates Workshop outside the runtime's keys"},
		{"Workshop key holding something else", "", map[string]string{wsKey: obj(wrap("x", pvc("x", tenant.Environment("s1"), "standard")))}, "is not an Object wrapping an Educates Workshop"},
		{"Workshop named without the tenant ID", "", map[string]string{wsKey: func() string {
			m := workshopManifest(false, nil, nil)
			m["metadata"] = map[string]any{"name": "lab"}
			return obj(wrap("lab", m))
		}()}, "must be named with the tenant ID"},
		{"cluster-scoped session object", "", map[string]string{wsKey: workshopObject(false, nil, []any{map[string]any{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": map[string]any{"name": "x"}}})}, "Educates would create it with its own, cluster-wide rights"},
		{"session object in the session namespace", "", map[string]string{wsKey: workshopObject(false, nil, []any{cm(map[string]any{"a": "b"})})}, ""},
		{"session object in a foreign namespace", "", map[string]string{wsKey: workshopObject(false, nil, []any{func() map[string]any {
			m := cm(map[string]any{"a": "b"})
			m["metadata"].(map[string]any)["namespace"] = "kube-system"
			return m
		}()})}, `"kube-system" is not one of the session's namespaces`},
		{"environment Secret from another namespace", "", map[string]string{wsKey: withSpec(func(s map[string]any) {
			s["environment"].(map[string]any)["secrets"] = []any{map[string]any{"name": "their-storage", "namespace": "other-team"}}
		})}, `Educates would copy a Secret from "other-team"`},
		{"secondary namespaces", "", map[string]string{wsKey: withSpec(func(s map[string]any) {
			s["session"].(map[string]any)["namespaces"].(map[string]any)["secondary"] = []any{map[string]any{"name": "extra"}}
		})}, "secondary session namespaces"},
		{"vcluster importing a foreign service", "", map[string]string{wsKey: withSpec(func(s map[string]any) {
			s["session"].(map[string]any)["applications"].(map[string]any)["vcluster"] = map[string]any{"enabled": true, "services": map[string]any{"fromHost": []any{map[string]any{"from": "other-team/pg-primary", "to": "x/pg"}}}}
		})}, `"other-team/pg-primary" is outside the tenant's namespaces`},
		{"vcluster importing the Datalab's service", "", map[string]string{wsKey: withSpec(func(s map[string]any) {
			s["session"].(map[string]any)["applications"].(map[string]any)["vcluster"] = map[string]any{"enabled": true, "services": map[string]any{"fromHost": []any{map[string]any{"from": "team/pg-primary", "to": "x/pg"}}}}
		})}, ""},
		{"WorkshopSession of another environment", "", map[string]string{"session-s1": obj(wrap(tenant.Session("s1"), map[string]any{"apiVersion": "training.educates.dev/v1beta1", "kind": "WorkshopSession", "metadata": map[string]any{"name": tenant.Session("s1")}, "spec": map[string]any{"environment": map[string]any{"name": "someone-else"}}}))}, `environment "someone-else" is not one of this Datalab's`},
		{"ConfigMap copying a credential", "", map[string]string{"s": obj(secret), "c": obj(cm(map[string]any{"dsn": "postgres://app:" + password + "@db:5432/app"}))},
			"composed[c].data.dsn: Forbidden: carries the credential of Secret lab-services key POSTGRES_PASSWORD"},
		{"Deployment copying a credential", "", map[string]string{"s": obj(secret), wsKey: workshopObject(false, nil, []any{deploy(map[string]any{"name": "DSN", "value": password})})},
			"carries the credential of Secret lab-services key POSTGRES_PASSWORD"},
		{"session login, the documented exception", "", map[string]string{"s": obj(secret), "session-s1": obj(wrap(tenant.Session("s1"), map[string]any{"apiVersion": "training.educates.dev/v1beta1", "kind": "WorkshopSession",
			"metadata": map[string]any{"name": tenant.Session("s1")}, "spec": map[string]any{"environment": map[string]any{"name": tenant.Environment("s1")}, "session": map[string]any{"username": "alice", "password": password}}}))}, ""},
		{"ConfigMap naming a Secret and non-credential values", "", map[string]string{"s": obj(secret), "c": obj(cm(map[string]any{"oauthSecret": "lab-oauth2-client", "host": "db.team.svc", "cidr": "10.43.0.0/16"}))}, ""},
		{"stringData outside a Secret", "", map[string]string{"c": obj(map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"}, "stringData": map[string]any{"a": "b"}})}, "Secret data belongs in a v1 Secret"},
		{"literal credential in a container", "", map[string]string{wsKey: workshopObject(false, nil, []any{deploy(map[string]any{"name": "DB_PASSWORD", "value": "hunter2"})})}, "variable DB_PASSWORD carries a literal credential"},
		{"credential from a Secret", "", map[string]string{wsKey: workshopObject(false, nil, []any{deploy(map[string]any{"name": "DB_PASSWORD", "valueFrom": map[string]any{"secretKeyRef": map[string]any{"name": "s", "key": "k"}}}, map[string]any{"name": "TOKEN_ENABLED", "value": "true"})})}, ""},
		{"another step's NetworkPolicy", "", map[string]string{"np": obj(np)}, "NetworkPolicies are the policy step's alone"},
		{"another step's NetworkPolicy in a Workshop", "", map[string]string{wsKey: workshopObject(false, nil, []any{np})}, "NetworkPolicies are the policy step's alone"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := fatal(fntest.Run(t, fn, newRequest(t, call{env: tc.env, desired: tc.desired})))
			switch {
			case tc.want == "" && f != "":
				t.Errorf("unexpected Fatal: %s", f)
			case tc.want != "" && !strings.Contains(f, tc.want):
				t.Errorf("want a Fatal containing %q, got %q", tc.want, f)
			}
		})
	}
}

func TestEmittedWorkshopCaps(t *testing.T) {
	wsKey := string(compose.WorkshopKey("s1"))
	privileged := func() string {
		m := workshopManifest(false, nil, nil)
		m["spec"].(map[string]any)["session"].(map[string]any)["namespaces"].(map[string]any)["security"].(map[string]any)["policy"] = "privileged"
		m["spec"].(map[string]any)["session"].(map[string]any)["resources"].(map[string]any)["memory"] = "32Gi"
		return obj(wrap(tenant.Environment("s1"), m))
	}()
	rsp := fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{wsKey: privileged}}))
	f := fatal(rsp)
	for _, want := range []string{"session.namespaces.security.policy: Invalid value: \"privileged\"", "session.resources.memory: Invalid value: \"32Gi\": exceeds the operator's cap EnvironmentConfig.data.limits.maxMemory (8Gi)"} {
		if !strings.Contains(f, want) {
			t.Errorf("want %q in %q", want, f)
		}
	}
	// The same Workshop, observed as it is: kept with a warning.
	rsp = fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{wsKey: privileged}, observed: map[string]string{wsKey: privileged}}))
	if f := fatal(rsp); f != "" {
		t.Fatal(f)
	}
	if w := fntest.Results(rsp, fnv1.Severity_SEVERITY_WARNING); len(w) != 2 {
		t.Errorf("want 2 warnings about the kept Workshop, got %q", w)
	}
}

func TestClaimCapsAndEnvironment(t *testing.T) {
	for _, tc := range []struct {
		name, spec, env, want string
	}{
		{"sessions", `{"sessions":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]}`, "", "spec.sessions: Invalid value: 4: 4 sessions exceed the operator's cap EnvironmentConfig.data.limits.maxSessions (3)"},
		{"privileged", `{"sessions":[{"name":"a"}],"security":{"policy":"privileged"}}`, "", "EnvironmentConfig.data.limits.allowPrivileged is false"},
		{"role", `{"sessions":[{"name":"a"}],"security":{"kubernetesRole":"admin"}}`, "", "spec.security.kubernetesRole: Invalid value: \"admin\""},
		{"no ingress controller", "", strings.Replace(testEnv, `"namespace":"ingress-nginx",`, "", 1), "EnvironmentConfig.data.ingress.namespace: Required value"},
		{"bad CIDR", "", strings.Replace(testEnv, `"10.42.0.0/16"`, `"10.42.0.0/33"`, 1), "EnvironmentConfig.data.network.podCIDRs[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fatal(fntest.Run(t, fn, newRequest(t, call{spec: tc.spec, env: tc.env})))
			if !strings.Contains(f, tc.want) {
				t.Errorf("want %q in %q", tc.want, f)
			}
		})
	}
}

func TestConditionCountsOnly(t *testing.T) {
	rsp := fntest.Run(t, fn, newRequest(t, call{desired: map[string]string{string(compose.WorkshopKey("s1")): workshopObject(true, nil, nil)}}))
	c := fntest.Condition(rsp, ConditionType)
	if c == nil {
		t.Fatal("no PolicyReady condition")
	}
	if c.GetStatus() != fnv1.Status_STATUS_CONDITION_TRUE || c.GetReason() != ReasonEnforced {
		t.Errorf("condition %v", c)
	}
	if !strings.Contains(c.GetMessage(), "(1 workshop, 1 session and 1 vcluster namespaces") {
		t.Errorf("message %q", c.GetMessage())
	}
}

// FuzzRunFunction: generated Datalabs, environments, observed and desired
// states and required Secrets (fntest.Generate) never panic, never give a
// gRPC error, and every response keeps the properties of
// fntest.CheckProperties (and, the policy step being the
// last, fntest.CheckBoundary on everything it passes).
func FuzzRunFunction(f *testing.F) { fntest.Fuzz(f, fn, fntest.CheckBoundary) }

// TestFuzzCorpusRenders: the generator reaches the code: many generated
// inputs render, and all keep the fuzz properties.
func TestFuzzCorpusRenders(t *testing.T) {
	fntest.CorpusRenders(t, fn, 1000, 0.3, fntest.CheckBoundary)
}

// BenchmarkRunFunction measures one call with a realistic request: three
// sessions, one with a vcluster, and the runtime's Workshops, environments,
// sessions and volumes in the desired state.
func BenchmarkRunFunction(b *testing.B) {
	desired := map[string]string{}
	for _, s := range []string{"s1", "s2", "s3"} {
		m := workshopManifest(s == "s1", []any{pvc(names.BucketVolume("lab"), "$(workshop_namespace)", environment.DefaultMountStorageClass)},
			[]any{map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "data-$(session_name)", "namespace": "$(workshop_namespace)"}}})
		m["metadata"] = map[string]any{"name": tenant.Environment(s)}
		desired[string(compose.WorkshopKey(s))] = obj(wrap(tenant.Environment(s), m))
		desired[string(compose.EnvironmentKey(s))] = obj(wrap("env-"+tenant.Environment(s), map[string]any{"apiVersion": "training.educates.dev/v1beta1", "kind": "WorkshopEnvironment",
			"metadata": map[string]any{"name": tenant.Environment(s)}, "spec": map[string]any{"workshop": map[string]any{"name": tenant.Environment(s)}}}))
		desired[string(compose.WorkspaceKey(s))] = obj(wrap("vol-"+tenant.WorkspaceVolume(s), pvc(tenant.WorkspaceVolume(s), tenant.Environment(s), "standard")))
	}
	fntest.Benchmark(b, fn, newRequest(b, call{spec: `{"users":["alice"],"sessions":[{"name":"s1","vcluster":true},{"name":"s2"},{"name":"s3"}]}`, desired: desired}))
}
