package step

import (
	"encoding/json"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

// TestSessionRoleIsABindingObjectOnly: a session's Kubernetes role is one
// RoleBinding Object to the session ClusterRole of the environment's role,
// never a Workshop template (Educates would bring a template's role back
// into every restarted session); a lowered role replaces the binding (the
// former one leaves the desired state, so it is deleted), although the
// former is observed.
func TestSessionRoleIsABindingObjectOnly(t *testing.T) {
	spec := `{"sessions":[{"name":"s1"}]}`
	withRole := func(role string) string {
		return strings.Replace(testEnv, `"retention"`, `"defaults":{"security":{"kubernetesRole":"`+role+`"}},"retention"`, 1)
	}
	rsp := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: withRole("edit")}.Build(t))
	desired := rsp.GetDesired().GetResources()
	edit := desired[string(compose.SessionRoleBindingKey("edit", "s1"))].GetResource().AsMap()
	manifest := func(o map[string]any) map[string]any {
		m, _, _ := unstructured.NestedMap(o, "spec", "forProvider", "manifest")
		return m
	}
	m := manifest(edit)
	if kind, ref := str(m, "kind"), m["roleRef"].(map[string]any); kind != "RoleBinding" || ref["kind"] != "ClusterRole" || ref["name"] != "datalab-session-edit" {
		t.Fatalf("the session's binding is %s to %v", kind, ref)
	}
	subject := m["subjects"].([]any)[0].(map[string]any)
	if ns := str(m, "metadata", "namespace"); subject["name"] != ns || ns == "" {
		t.Errorf("the binding in %q binds %v, not the session's service account", ns, subject)
	}
	w := manifest(desired[string(compose.WorkshopKey("s1"))].GetResource().AsMap())
	objects, _ := w["spec"].(map[string]any)["session"].(map[string]any)["objects"].([]any)
	for _, o := range objects {
		if k := str(o.(map[string]any), "kind"); strings.HasPrefix(k, "Role") || strings.HasPrefix(k, "ClusterRole") {
			t.Errorf("the Workshop carries a %s template", k)
		}
	}

	b, _ := json.Marshal(edit)
	observed := map[string]string{string(compose.SessionRoleBindingKey("edit", "s1")): string(b)}
	rsp = fntest.Run(t, fn, fntest.Request{Spec: spec, Env: withRole("view"), Observed: observed}.Build(t))
	desired = rsp.GetDesired().GetResources()
	if _, ok := desired[string(compose.SessionRoleBindingKey("edit", "s1"))]; ok {
		t.Error("the binding of the former role stays in the desired state")
	}
	view := manifest(desired[string(compose.SessionRoleBindingKey("view", "s1"))].GetResource().AsMap())
	if ref := view["roleRef"].(map[string]any); ref["name"] != "datalab-session-view" {
		t.Errorf("the lowered role binds %v", ref)
	}
}

// TestMissingSessionRoleIsReported: when the Composition fetched the
// session ClusterRole and it does not exist, the claim gets a warning
// naming it and the install file; nothing when it exists, when the
// Composition does not ask, or when no session runs.
func TestMissingSessionRoleIsReported(t *testing.T) {
	key := compose.SessionRoleRequirement("edit")
	role := `{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"datalab-session-edit"}}`
	warned := func(spec string, req map[string][]string) bool {
		rsp := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: testEnv, Required: req}.Build(t))
		for _, r := range rsp.GetResults() {
			if r.GetSeverity() == fnv1.Severity_SEVERITY_WARNING && strings.Contains(r.GetMessage(), "ClusterRole datalab-session-edit does not exist") && strings.Contains(r.GetMessage(), "install/session-roles.yaml") {
				return true
			}
		}
		return false
	}
	running := `{"sessions":[{"name":"s1"}]}`
	if !warned(running, map[string][]string{key: {}}) {
		t.Error("a missing session ClusterRole is not reported")
	}
	if warned(running, map[string][]string{key: {role}}) {
		t.Error("an existing session ClusterRole is reported missing")
	}
	if warned(running, nil) {
		t.Error("reported although the Composition did not fetch it")
	}
	if warned(`{"sessions":[{"name":"s1","state":"stopped"}]}`, map[string][]string{key: {}}) {
		t.Error("reported although no session runs")
	}
}
