package step

import (
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// The predecessor's dataplane contract, evaluated on the NetworkPolicies of
// the render goldens (steps runtime and policy): in every namespace where
// tenant code runs, same-namespace traffic is allowed, other namespaces are
// blocked both ways, metadata addresses are blocked, external addresses are
// reachable only when externalEgress is on, and DNS always works. Plus the
// flows this implementation adds: ingress isolation, the Datalab's data
// services reachable from its sessions only, the ingress controller in,
// and a vcluster's control plane reachable from its session.

// lab is a dataplane with the golden's policies and one pod per role.
type lab struct {
	rendered
	ep map[string]endpoint
}

func pod(name, namespace, ip string, l map[string]string) endpoint {
	if l == nil {
		l = map[string]string{}
	}
	l["pod"] = name
	return endpoint{name: name, namespace: namespace, labels: l, ip: netip.MustParseAddr(ip)}
}

func address(name, ip string) endpoint {
	return endpoint{name: name, ip: netip.MustParseAddr(ip)}
}

func newLab(t *testing.T, golden string) lab {
	t.Helper()
	r := loadRendered(t, filepath.Join("..", "testdata", golden, "expected.yaml"))
	l := lab{rendered: r, ep: map[string]endpoint{}}
	add := func(e endpoint) {
		l.ep[e.name] = e
		if e.pod() {
			l.world.addNamespace(e.namespace)
		}
	}
	other := names.Tenant{Namespace: "other-team", Name: "lab"}
	t0 := r.tenant
	s := "default"
	session := pod("session", t0.Environment(s), "10.42.1.10", map[string]string{"app": "workshop"})
	session.ports = map[string]int32{"10080-tcp": 10080}
	add(session)
	data := pod("data", t0.Environment(s), "10.42.1.11", map[string]string{"app.kubernetes.io/name": "data"})
	data.ports = map[string]int32{"http": 8888}
	add(data)
	add(pod("workload", t0.SessionNamespace(s), "10.42.2.10", nil))
	add(pod("workload2", t0.SessionNamespace(s), "10.42.2.11", nil))
	add(pod("vcluster", t0.VClusterNamespace(s), "10.42.3.10", map[string]string{"app": "vcluster"}))
	add(pod("vcluster2", t0.VClusterNamespace(s), "10.42.3.11", nil))
	// The Datalab's service pods carry its labels (the backends step asks
	// each operator for them); other pods share the namespace.
	own := func(extra string) map[string]string {
		return map[string]string{"app": extra, "datalabs.pkg.internal/name": t0.Name, "datalabs.pkg.internal/namespace": t0.Namespace}
	}
	add(pod("db", t0.Namespace, "10.42.4.10", own("db")))
	add(pod("db2", t0.Namespace, "10.42.4.11", own("db2")))
	add(pod("neighbour", t0.Namespace, "10.42.4.20", map[string]string{"app": "unrelated"}))
	add(pod("other-db", t0.Namespace, "10.42.4.21", map[string]string{"app": "db", "datalabs.pkg.internal/name": "other-lab", "datalabs.pkg.internal/namespace": t0.Namespace}))
	add(pod("dns", "kube-system", "10.42.0.10", map[string]string{"k8s-app": "kube-dns"}))
	add(pod("metrics-server", "kube-system", "10.42.0.11", map[string]string{"k8s-app": "metrics-server"}))
	add(pod("ingress", "ingress-nginx", "10.42.0.20", map[string]string{"app.kubernetes.io/name": "ingress-nginx"}))
	add(pod("gateway", "gateway-system", "10.42.0.30", map[string]string{"app.kubernetes.io/name": "envoy"}))
	add(pod("stranger", other.Environment(s), "10.42.9.9", nil))
	add(pod("stranger-workload", other.SessionNamespace(s), "10.42.9.10", nil))
	add(pod("minio", "shared-minio", "10.42.5.10", map[string]string{"app": "minio"}))
	add(pod("not-minio", "shared-minio", "10.42.5.11", map[string]string{"app": "other"}))
	add(pod("vllm", "gpu-inference", "10.42.6.10", map[string]string{"app.kubernetes.io/name": "vllm"}))
	mirror := pod("mirror", "registry-mirror", "10.42.7.10", nil)
	mirror.ports = map[string]int32{"http": 5000}
	add(mirror)
	for name, ip := range map[string]string{
		"internet": "1.1.1.1", "internet6": "2606:4700::1111", "metadata": "169.254.169.254", "metadata6": "fd00:ec2::254",
		"metadata-alt": "169.254.42.42", "service-ip": "10.43.0.10", "pod-ip": "10.42.9.9",
		"apiserver": "192.168.1.10",
		"private":   "10.1.2.3", "private192": "192.168.1.1", "doc6": "2001:db8::1", "podnet6": "fd00:42::1",
	} {
		add(address(name, ip))
	}
	return l
}

// flow is one expectation.
type flow struct {
	src, dst string
	protocol string
	port     int32
	allowed  bool
}

// violations lists the flows the lab's policies decide otherwise.
func (l lab) violations(flows []flow) []string {
	var out []string
	for _, f := range flows {
		src, dst := l.ep[f.src], l.ep[f.dst]
		proto := f.protocol
		if proto == "" {
			proto = "TCP"
		}
		if got := l.world.allowed(src, dst, proto, f.port); got != f.allowed {
			want := "blocked"
			if f.allowed {
				want = "allowed"
			}
			out = append(out, verdict(src, dst, proto, f.port)+": want "+want)
		}
	}
	return out
}

// contract is the table every golden must satisfy. services: the Datalab
// requests data services; gateway: it has databases and database.gateway
// is configured (Gateway in gateway-system).
func contract(externalEgress, vcluster, ingressController, workspaceIngress, services, gateway bool) []flow {
	tenantPods := []string{"session", "workload"}
	peers := map[string]string{"session": "data", "workload": "workload2"}
	if vcluster {
		tenantPods = append(tenantPods, "vcluster")
		peers["vcluster"] = "vcluster2"
	}
	var fs []flow
	for _, p := range tenantPods {
		fs = append(fs,
			// same namespace
			flow{p, peers[p], "", 8080, true},
			flow{p, peers[p], "UDP", 9999, true},
			// other namespaces, both ways
			flow{p, "stranger", "", 8080, false},
			flow{p, "stranger-workload", "", 443, false},
			flow{"stranger", p, "", 8080, false},
			flow{"stranger-workload", p, "", 22, false},
			flow{p, "pod-ip", "", 8080, false},
			flow{p, "service-ip", "", 443, false},
			flow{p, "metrics-server", "", 443, false},
			// metadata
			flow{p, "metadata", "", 80, false},
			flow{p, "metadata6", "", 80, false},
			flow{p, "metadata-alt", "", 80, false},
			// external
			flow{p, "internet", "", 443, externalEgress},
			flow{p, "internet6", "", 443, externalEgress},
			// DNS, always
			flow{p, "dns", "UDP", 53, true},
			flow{p, "dns", "TCP", 53, true},
			flow{p, "dns", "TCP", 8080, false},
			flow{p, "metrics-server", "UDP", 53, false},
			// the Datalab's data services, only when it has some
			flow{p, "db", "", 5432, services},
		)
	}
	fs = append(fs,
		// the data services, which tenant code drives, reach DNS and each
		// other, nothing else: no metadata, no internet, no other tenant
		flow{"db", "dns", "UDP", 53, true},
		flow{"db", "db2", "", 5432, true},
		flow{"db", "metadata", "", 80, false},
		flow{"db", "metadata6", "", 80, false},
		flow{"db", "internet", "", 443, false},
		flow{"db", "internet6", "", 443, false},
		flow{"db", "stranger", "", 8080, false},
		flow{"db", "metrics-server", "", 443, false},
		flow{"db", "session", "", 10080, false},
		flow{"db", "neighbour", "", 8080, false},
		// other workloads of the namespace are not the Datalab's: its
		// policies neither restrict them nor admit them to its services
		flow{"neighbour", "internet", "", 443, true},
		flow{"stranger", "neighbour", "", 8080, true},
		flow{"neighbour", "db", "", 5432, !workspaceIngress},
		flow{"other-db", "db", "", 5432, !workspaceIngress},
		flow{"stranger", "db", "", 5432, !workspaceIngress},
		flow{"ingress", "db", "", 5432, !workspaceIngress},
		flow{"db", "db", "", 5432, true},
		// the database gateway's data plane reaches PostgreSQL, nothing else
		flow{"gateway", "db", "", 5432, gateway || !workspaceIngress},
		flow{"gateway", "db", "", 27017, !workspaceIngress},
		flow{"gateway", "db", "UDP", 5432, !workspaceIngress},
		flow{"gateway", "session", "", 5432, false},
		// the ingress controller reaches the session's gateway only, never
		// the storage browser behind it, which trusts the gateway's login
		flow{"ingress", "session", "", 10080, ingressController},
		flow{"ingress", "session", "", 8080, false},
		flow{"ingress", "data", "", 8888, false},
		flow{"session", "data", "", 8888, true},
		flow{"workload", "data", "", 8888, false},
		// and the tenant's own Ingress backends in the session namespace
		flow{"ingress", "workload", "", 8080, ingressController},
		// the session pod reaches its workloads, not the other way round
		flow{"session", "workload", "", 8080, true},
		flow{"workload", "session", "", 8080, false},
	)
	if vcluster {
		fs = append(fs,
			flow{"session", "vcluster", "", 8443, true},
			flow{"workload", "vcluster", "UDP", 53, true},
			flow{"workload", "vcluster", "", 8443, true},
			flow{"vcluster", "session", "", 8080, false},
			// Ingresses synced from the vcluster land in its host namespace
			flow{"ingress", "vcluster", "", 8080, ingressController},
			flow{"stranger", "vcluster", "", 8443, false},
		)
	}
	return fs
}

func TestDataplaneContract(t *testing.T) {
	for _, tc := range []struct {
		golden            string
		externalEgress    bool
		vcluster          bool
		ingressController bool
		// openServices: workspace-ingress excluded.
		openServices bool
		// services: the claim requests data services; gateway: databases
		// with database.gateway configured.
		services, gateway bool
		extra             []flow
	}{
		{golden: "egress-on", externalEgress: true, ingressController: true},
		{golden: "egress-off-dns-allowed", ingressController: true},
		{golden: "vcluster-session", externalEgress: true, vcluster: true, ingressController: true},
		{golden: "cidrs-ipv4-ipv6-exceptions", externalEgress: true, ingressController: true, extra: []flow{
			{"session", "private", "", 443, true},
			{"session", "private192", "", 443, true},
			{"workload", "doc6", "", 443, true},
			{"workload", "podnet6", "", 443, false},
		}},
		{golden: "internal-egress", ingressController: true, extra: []flow{
			{"session", "minio", "", 9000, true},
			{"workload", "minio", "", 9001, true},
			{"session", "minio", "", 9002, false},
			{"session", "minio", "UDP", 9000, false},
			{"session", "not-minio", "", 9000, false},
			{"session", "vllm", "", 8005, true},
			{"session", "vllm", "", 8011, false},
			{"session", "mirror", "", 5000, true},
			{"session", "mirror", "", 5001, false},
		}},
		{golden: "vcluster-egress-off-apiserver", vcluster: true, ingressController: true, extra: []flow{
			{"vcluster", "apiserver", "", 6443, true},
			{"session", "apiserver", "", 443, true},
			{"workload", "apiserver", "", 6443, true},
			{"vcluster", "apiserver", "", 22, false},
		}},
		// allow-external-egress, allow-ingress-controller and
		// workspace-ingress excluded.
		{golden: "excluded-policies", ingressController: false, openServices: true},
		// databases and stores, database.gateway configured, vcluster.
		{golden: "with-backends", externalEgress: true, vcluster: true, ingressController: true, services: true, gateway: true},
		{golden: "full-pipeline", externalEgress: true, vcluster: true, ingressController: true, services: true, gateway: true},
	} {
		t.Run(tc.golden, func(t *testing.T) {
			l := newLab(t, tc.golden)
			if got := l.sessions["default"]; got != tc.vcluster {
				t.Fatalf("golden has vcluster=%v, the table expects %v", got, tc.vcluster)
			}
			for _, v := range l.violations(append(contract(tc.externalEgress, tc.vcluster, tc.ingressController, !tc.openServices, tc.services, tc.gateway), tc.extra...)) {
				t.Error(v)
			}
		})
	}
}

// The evaluator and the contract can fail: the predecessor's policies
// (workshop namespace only, no DNS without external egress, no ingress
// isolation) violate it, and so does a lab without the DNS policy.
func TestDataplaneContractCatchesThePredecessorsLeaks(t *testing.T) {
	l := newLab(t, "egress-off-dns-allowed")
	ws := l.tenant.Environment("default")
	all := metav1.LabelSelector{}
	egress := []networkingv1.PolicyType{networkingv1.PolicyTypeEgress}
	l.world.policies = []networkingv1.NetworkPolicy{
		{ObjectMeta: metav1.ObjectMeta{Name: "deny-egress", Namespace: ws}, Spec: networkingv1.NetworkPolicySpec{PodSelector: all, PolicyTypes: egress}},
		{ObjectMeta: metav1.ObjectMeta{Name: "allow-namespace-egress", Namespace: ws}, Spec: networkingv1.NetworkPolicySpec{PodSelector: all, PolicyTypes: egress,
			Egress: []networkingv1.NetworkPolicyEgressRule{{To: []networkingv1.NetworkPolicyPeer{{PodSelector: &all}}}}}},
	}
	got := strings.Join(l.violations(contract(false, false, true, true, false, false)), "\n")
	for _, leak := range []string{
		"session -> dns UDP/53: want allowed",         // DNS blocked with external egress off
		"workload -> metadata TCP/80: want blocked",   // session namespace has no policies
		"stranger -> session TCP/8080: want blocked",  // no ingress isolation
		"workload -> stranger TCP/8080: want blocked", // session namespace reaches other tenants
		"stranger -> db TCP/5432: want blocked",       // data services open to everyone
	} {
		if !strings.Contains(got, leak) {
			t.Errorf("the contract misses the predecessor's leak %q; violations:\n%s", leak, got)
		}
	}

	// The same lab without the DNS flow (its rules name port 53) in any
	// namespace's boundary policy.
	l = newLab(t, "egress-on")
	for i, p := range l.world.policies {
		var kept []networkingv1.NetworkPolicyEgressRule
		for _, r := range p.Spec.Egress {
			if len(r.Ports) == 0 || r.Ports[0].Port == nil || r.Ports[0].Port.IntValue() != 53 {
				kept = append(kept, r)
			}
		}
		l.world.policies[i].Spec.Egress = kept
	}
	if v := l.violations([]flow{{"session", "dns", "UDP", 53, true}}); len(v) != 1 {
		t.Errorf("without allow-dns-egress DNS should be blocked, got %v", v)
	}
}

// TestTenantCannotWidenTheBoundary: NetworkPolicies add up, so one
// allow-all policy written by session code would undo the contract (shown
// on the lab). Every golden therefore gives session code no way to write
// one: Educates' own role binding is not used (its ClusterRoles are the
// Educates installation's), and each session's service account is bound
// only to session ClusterRoles (as install/session-roles.yaml holds them)
// or Roles of its own that grant no write on NetworkPolicies,
// ResourceQuotas or LimitRanges.
func TestTenantCannotWidenTheBoundary(t *testing.T) {
	l := newLab(t, "egress-off-dns-allowed")
	all := metav1.LabelSelector{}
	l.world.policies = append(l.world.policies, networkingv1.NetworkPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "tenant-allow-all", Namespace: l.tenant.SessionNamespace("default")},
		Spec: networkingv1.NetworkPolicySpec{PodSelector: all, PolicyTypes: []networkingv1.PolicyType{networkingv1.PolicyTypeEgress},
			Egress: []networkingv1.NetworkPolicyEgressRule{{}}},
	})
	if v := l.violations([]flow{{"workload", "metadata", "", 80, false}}); len(v) != 1 {
		t.Fatalf("a tenant-written allow-all policy should open the metadata address (that is why it must be unwritable), got %v", v)
	}

	for _, golden := range []string{"egress-on", "egress-off-dns-allowed", "vcluster-session", "with-backends", "full-pipeline", "session-role-admin"} {
		t.Run(golden, func(t *testing.T) {
			r := loadRendered(t, filepath.Join("..", "testdata", golden, "expected.yaml"))
			for s := range r.sessions {
				if got := r.educatesRoles[s]; got != compose.EducatesCustomRole {
					t.Errorf("session %s: Educates binds its own %q role", s, got)
				}
				if len(r.bindings[s]) == 0 {
					t.Errorf("session %s: no session RoleBinding", s)
				}
				for _, b := range r.bindings[s] {
					ref := str(b, "roleRef", "name")
					for _, rule := range boundRules(r.roles[s], str(b, "roleRef", "kind"), ref) {
						if compose.WritesBoundary(rule) {
							t.Errorf("session %s: %s binds %s, which lets session code write %v", s, str(b, "metadata", "name"), ref, rule["resources"])
						}
					}
				}
			}
		})
	}
}

// boundRules are the rules a RoleBinding's roleRef grants: a session
// ClusterRole's, or a Role's among the session's objects. Anything else
// fails the test, as the policy step would veto it.
func boundRules(roles []map[string]any, kind, name string) []map[string]any {
	var found []any
	switch kind {
	case "ClusterRole":
		for _, cr := range compose.SessionClusterRoles() {
			if str(cr, "metadata", "name") == name {
				found = cr["rules"].([]any)
			}
		}
	case "Role":
		for _, r := range roles {
			if str(r, "metadata", "name") == name {
				found, _ = r["rules"].([]any)
			}
		}
	}
	if found == nil {
		return []map[string]any{{"apiGroups": []any{"*"}, "resources": []any{"*"}, "verbs": []any{"*"}}}
	}
	out := make([]map[string]any, 0, len(found))
	for _, r := range found {
		out = append(out, asMap(r))
	}
	return out
}
