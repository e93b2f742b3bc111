package test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/test/inprocess"
	"github.com/versioneer-tech/provider-datalab/test/schema"
)

// coreResources are the plural resources of the Kubernetes kinds the
// pipeline composes (CRD kinds come from ../shared/crds). A new core kind
// fails the install test until it is listed here and granted in rbac.yaml.
var coreResources = map[string]string{
	"/ConfigMap": "configmaps", "/LimitRange": "limitranges", "/Namespace": "namespaces",
	"/PersistentVolume": "persistentvolumes", "/PersistentVolumeClaim": "persistentvolumeclaims", "/ResourceQuota": "resourcequotas",
	"/Secret": "secrets", "/Service": "services", "/ServiceAccount": "serviceaccounts",
	"apps/StatefulSet": "statefulsets", "networking.k8s.io/NetworkPolicy": "networkpolicies",
	"rbac.authorization.k8s.io/Role": "roles", "rbac.authorization.k8s.io/RoleBinding": "rolebindings",
	"rbac.authorization.k8s.io/ClusterRole": "clusterroles",
}

var (
	readVerbs  = []string{"get", "list", "watch"}
	writeVerbs = []string{"create", "delete", "get", "list", "patch", "update", "watch"}
	// updateVerbs: an Object that only updates a target it did not create.
	updateVerbs = []string{"get", "list", "patch", "update", "watch"}
)

// grants is a set of (group/resource, verb).
type grants map[string]map[string]bool

func (g grants) add(resource string, verbs ...string) {
	if g[resource] == nil {
		g[resource] = map[string]bool{}
	}
	for _, v := range verbs {
		g[resource][v] = true
	}
}

func (g grants) String() string {
	var out []string
	for _, r := range slices.Sorted(maps.Keys(g)) {
		out = append(out, r+":"+strings.Join(slices.Sorted(maps.Keys(g[r])), ","))
	}
	return strings.Join(out, " ")
}

// fromRules flattens RBAC rules into grants.
func fromRules(rules []any) grants {
	g := grants{}
	for _, r := range rules {
		m, _ := r.(map[string]any)
		for _, group := range strs(m["apiGroups"]) {
			for _, res := range strs(m["resources"]) {
				names := strs(m["resourceNames"])
				if len(names) == 0 {
					g.add(group+"/"+res, strs(m["verbs"])...)
				}
				for _, n := range names {
					g.add(group+"/"+res+"#"+n, strs(m["verbs"])...)
				}
			}
		}
	}
	return g
}

func strs(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// TestInstallSet validates every manifest of install/ against the real
// schemas, and checks what it grants and activates against what the render
// goldens actually compose: the ManagedResourceActivationPolicy activates
// exactly the managed resources they emit; provider-kubernetes may do
// exactly what their Objects need (create, change and delete their targets,
// read observe-only ones, and hold what the Roles it creates grant); and
// Crossplane may manage the kinds composed directly and look up every
// object the pipeline checks before creating it (and Namespaces, for
// EnvironmentConfig tenancy).
func TestInstallSet(t *testing.T) {
	root, dir := rootAndCRDs(t, "the install set is")
	v, err := schema.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(root, "install", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no install set")
	}
	objects := map[string]map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range yamlDocs(t, b) {
			for _, e := range v.Validate(m) {
				t.Errorf("%s: %v", filepath.Base(f), e)
			}
			objects[str(m, "kind")+"/"+str(m, "metadata", "name")] = m
		}
	}

	// CRDs by group/kind: plural and CRD name.
	plural, crdName := map[string]string{}, map[string]string{}
	crdFiles, _ := filepath.Glob(filepath.Join(dir, "*", "*.yaml"))
	for _, f := range crdFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var crd struct {
			Kind     string
			Metadata struct{ Name string }
			Spec     struct {
				Group string
				Names struct{ Kind, Plural string }
			}
		}
		if yaml.Unmarshal(b, &crd) != nil || crd.Kind != "CustomResourceDefinition" {
			continue
		}
		plural[crd.Spec.Group+"/"+crd.Spec.Names.Kind] = crd.Spec.Group + "/" + crd.Spec.Names.Plural
		crdName[crd.Spec.Group+"/"+crd.Spec.Names.Kind] = crd.Metadata.Name
	}
	resourceOf := func(apiVersion, kind string) string {
		group, _, found := strings.Cut(apiVersion, "/")
		if !found {
			group = ""
		}
		if r, ok := coreResources[group+"/"+kind]; ok {
			return group + "/" + r
		}
		if r, ok := plural[group+"/"+kind]; ok {
			return r
		}
		t.Errorf("%s %s: no CRD and not in coreResources", apiVersion, kind)
		return group + "/" + kind
	}

	mrs := map[string]bool{}
	provider, crossplane := grants{}, grants{}
	crossplane.add("/namespaces", readVerbs...)
	// The runtime requires the ingress protection the example environment
	// names (delegated mode).
	envYAML, err := os.ReadFile(filepath.Join(root, "examples", "environment.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	envDocs := yamlDocs(t, envYAML)
	if p, ok := envDocs[0]["data"].(map[string]any)["auth"].(map[string]any)["protection"].(map[string]any); ok {
		crossplane.add(resourceOf(str(p, "apiVersion"), str(p, "kind")), readVerbs...)
	}
	// What the Composition's steps require up front (besides Crossplane's
	// own EnvironmentConfigs): the session ClusterRoles.
	for _, reqs := range inprocess.Bootstrap {
		for _, sel := range reqs {
			if !strings.HasPrefix(sel.GetApiVersion(), "apiextensions.crossplane.io/") {
				crossplane.add(resourceOf(sel.GetApiVersion(), sel.GetKind()), readVerbs...)
			}
		}
	}
	goldens, _ := filepath.Glob(filepath.Join(root, "functions", "*", "testdata", "*", "expected.yaml"))
	more, _ := filepath.Glob(filepath.Join(root, "package", "testdata", "*", "expected.yaml"))
	for _, g := range append(goldens, more...) {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "# render error:") {
			continue
		}
		for _, m := range yamlDocs(t, b) {
			av, kind := str(m, "apiVersion"), str(m, "kind")
			if kind == "Datalab" || strings.HasPrefix(av, "render.crossplane.io") {
				continue
			}
			group, _, _ := strings.Cut(av, "/")
			if strings.HasSuffix(group, ".m.crossplane.io") {
				mrs[crdName[group+"/"+kind]] = true
			} else {
				crossplane.add(resourceOf(av, kind), writeVerbs...)
			}
			if kind != "Object" {
				continue
			}
			spec, _ := m["spec"].(map[string]any)
			fp, _ := spec["forProvider"].(map[string]any)
			target, _ := fp["manifest"].(map[string]any)
			res := resourceOf(str(target, "apiVersion"), str(target, "kind"))
			switch policies := strs(spec["managementPolicies"]); {
			case slices.Equal(policies, []string{"Observe"}):
				provider.add(res, readVerbs...)
				continue
			case slices.Equal(policies, []string{"Observe", "Update"}):
				provider.add(res, updateVerbs...)
				crossplane.add(res, readVerbs...)
				continue
			}
			provider.add(res, writeVerbs...)
			crossplane.add(res, readVerbs...)
			switch {
			case str(target, "kind") == "RoleBinding" && str(target, "roleRef", "kind") == "ClusterRole":
				// A session ClusterRole (the policy step refuses any
				// other): provider-kubernetes may bind every one by name,
				// instead of holding their rules; the environment picks
				// which.
				for _, name := range compose.SessionClusterRoleNames() {
					provider.add("rbac.authorization.k8s.io/clusterroles#"+name, "bind")
				}
			case str(target, "kind") == "Role":
				// provider-kubernetes may create any other Role only with
				// what it holds.
				for r, verbs := range fromRules(asList(target["rules"])) {
					provider.add(r, slices.Collect(maps.Keys(verbs))...)
				}
			}
		}
	}

	policy := objects["ManagedResourceActivationPolicy/datalab"]
	pspec, _ := policy["spec"].(map[string]any)
	activated := map[string]bool{}
	for _, a := range strs(pspec["activate"]) {
		activated[a] = true
	}
	delete(mrs, "")
	if got, want := slices.Sorted(maps.Keys(activated)), slices.Sorted(maps.Keys(mrs)); !slices.Equal(got, want) {
		t.Errorf("activation.yaml activates %v; the goldens emit the managed resources %v", got, want)
	}
	for name, want := range map[string]grants{"datalab:provider-kubernetes": provider, "datalab:crossplane": crossplane} {
		role := objects["ClusterRole/"+name]
		if role == nil {
			t.Errorf("rbac.yaml has no ClusterRole %s", name)
			continue
		}
		if got := fromRules(asList(role["rules"])); got.String() != want.String() {
			t.Errorf("ClusterRole %s grants\n  %s\nthe goldens need\n  %s", name, got, want)
		}
	}
}

// TestSessionClusterRoles: install/session-roles.yaml holds exactly the
// session ClusterRoles that compose.SessionClusterRoles renders, which the
// runtime's RoleBindings name (make update rewrites it).
func TestSessionClusterRoles(t *testing.T) {
	path := filepath.Join(rootDir(t), "install", "session-roles.yaml")
	want := []byte(sessionRolesHeader)
	for _, r := range compose.SessionClusterRoles() {
		b, err := yaml.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		want = append(append(want, "---\n"...), b...)
	}
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is not what compose.SessionClusterRoles renders; run make update and review the diff", path)
	}
}

const sessionRolesHeader = `# The Kubernetes roles a session may hold in its own namespace: the runtime binds the session's
# service account to datalab-session-<role> (the EnvironmentConfig's security.kubernetesRole,
# within limits.allowedKubernetesRoles). The rules of Kubernetes' view, edit and admin roles
# without write access to NetworkPolicies, ResourceQuotas and LimitRanges, the operator's
# boundary. Generated from pkg/datalab/compose (make update). A change applied to the cluster
# reaches every running session at once; the policy step cannot see these rules.
`

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
