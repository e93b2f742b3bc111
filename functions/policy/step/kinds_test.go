package step

import "testing"

func TestScopes(t *testing.T) {
	s := newScopes([]string{"example.org/Widget"})
	for _, tc := range []struct {
		apiVersion, kind  string
		namespaced, known bool
	}{
		{"v1", "Secret", true, true},
		{"v1", "Namespace", false, true},
		{"v1", "PersistentVolume", false, true},
		{"apps/v1", "StatefulSet", true, true},
		{"rbac.authorization.k8s.io/v1", "ClusterRole", false, true},
		{"rbac.authorization.k8s.io/v1", "RoleBinding", true, true},
		{"networking.k8s.io/v1", "IngressClass", false, true},
		{"kubernetes.m.crossplane.io/v1alpha1", "Object", true, true},
		{"kubernetes.m.crossplane.io/v1alpha1", "ClusterProviderConfig", false, true},
		{"kubernetes.crossplane.io/v1alpha2", "Object", false, true},
		{"openidclient.keycloak.m.crossplane.io/v1alpha1", "Client", true, true},
		{"training.educates.dev/v1beta1", "Workshop", false, true},
		{"postgres-operator.crunchydata.com/v1beta1", "PostgresCluster", true, true},
		{"postgresql.cnpg.io/v1", "ClusterImageCatalog", false, true},
		{"gateway.networking.k8s.io/v1", "GatewayClass", false, true},
		{"gateway.networking.k8s.io/v1alpha2", "TLSRoute", true, true},
		{"kyverno.io/v1", "ClusterPolicy", false, true},
		{"example.org/v1", "Widget", true, true},
		{"example.org/v1", "Gadget", false, false},
	} {
		ns, known := s.namespaced(tc.apiVersion, tc.kind)
		if ns != tc.namespaced || known != tc.known {
			t.Errorf("%s %s: namespaced=%v known=%v, want %v %v", tc.apiVersion, tc.kind, ns, known, tc.namespaced, tc.known)
		}
	}
}
