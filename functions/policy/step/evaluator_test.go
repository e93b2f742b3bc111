package step

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// A small evaluator of networking.k8s.io/v1 NetworkPolicy semantics, to
// check what the rendered policies allow on a dataplane:
//   - a pod is isolated for a direction when a policy of its namespace
//     selects it (podSelector) and lists that direction in policyTypes;
//     an isolated pod admits only what some selecting policy's rule allows
//     (policies add up), a non-isolated pod admits everything;
//   - a connection needs the source's egress and the destination's ingress;
//   - a rule matches when one of its peers and one of its ports match (no
//     peers or no ports: all); a peer is a podSelector (the policy's
//     namespace), a namespaceSelector with an optional podSelector, or an
//     ipBlock (cidr minus except), which also matches pod addresses;
//   - ports match by protocol (default TCP), number, range (endPort) or the
//     destination's named container port.

// endpoint is a pod or an address outside the cluster's pods.
type endpoint struct {
	name      string
	namespace string // "" for an address outside any pod
	labels    map[string]string
	ip        netip.Addr
	ports     map[string]int32 // named container ports
}

func (e endpoint) pod() bool { return e.namespace != "" }

// world is the namespaces (with labels) and the policies in force.
type world struct {
	namespaces map[string]map[string]string
	policies   []networkingv1.NetworkPolicy
}

func (w *world) addNamespace(name string) {
	if w.namespaces == nil {
		w.namespaces = map[string]map[string]string{}
	}
	w.namespaces[name] = map[string]string{"kubernetes.io/metadata.name": name}
}

// allowed evaluates one connection.
func (w world) allowed(src, dst endpoint, protocol string, port int32) bool {
	return w.egress(src, dst, protocol, port) && w.ingress(src, dst, protocol, port)
}

func (w world) egress(src, dst endpoint, protocol string, port int32) bool {
	if !src.pod() {
		return true
	}
	isolated := false
	for _, p := range w.selecting(src, networkingv1.PolicyTypeEgress) {
		isolated = true
		for _, r := range p.Spec.Egress {
			if w.peersMatch(p.Namespace, r.To, dst) && portsMatch(r.Ports, dst, protocol, port) {
				return true
			}
		}
	}
	return !isolated
}

func (w world) ingress(src, dst endpoint, protocol string, port int32) bool {
	if !dst.pod() {
		return true
	}
	isolated := false
	for _, p := range w.selecting(dst, networkingv1.PolicyTypeIngress) {
		isolated = true
		for _, r := range p.Spec.Ingress {
			if w.peersMatch(p.Namespace, r.From, src) && portsMatch(r.Ports, dst, protocol, port) {
				return true
			}
		}
	}
	return !isolated
}

func (w world) selecting(e endpoint, t networkingv1.PolicyType) []networkingv1.NetworkPolicy {
	var out []networkingv1.NetworkPolicy
	for _, p := range w.policies {
		if p.Namespace != e.namespace || !selects(&p.Spec.PodSelector, e.labels) {
			continue
		}
		for _, pt := range policyTypes(p) {
			if pt == t {
				out = append(out, p)
				break
			}
		}
	}
	return out
}

// policyTypes applies the API's default: Ingress, plus Egress when the
// policy has egress rules.
func policyTypes(p networkingv1.NetworkPolicy) []networkingv1.PolicyType {
	if len(p.Spec.PolicyTypes) > 0 {
		return p.Spec.PolicyTypes
	}
	out := []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
	if len(p.Spec.Egress) > 0 {
		out = append(out, networkingv1.PolicyTypeEgress)
	}
	return out
}

func (w world) peersMatch(policyNS string, peers []networkingv1.NetworkPolicyPeer, e endpoint) bool {
	if len(peers) == 0 {
		return true
	}
	for _, peer := range peers {
		switch {
		case peer.IPBlock != nil:
			if ipBlockMatches(peer.IPBlock, e.ip) {
				return true
			}
		case peer.NamespaceSelector != nil:
			if e.pod() && selects(peer.NamespaceSelector, w.namespaces[e.namespace]) && (peer.PodSelector == nil || selects(peer.PodSelector, e.labels)) {
				return true
			}
		case peer.PodSelector != nil:
			if e.namespace == policyNS && selects(peer.PodSelector, e.labels) {
				return true
			}
		}
	}
	return false
}

func ipBlockMatches(b *networkingv1.IPBlock, ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	c, err := netip.ParsePrefix(b.CIDR)
	if err != nil || !c.Contains(ip) {
		return false
	}
	for _, e := range b.Except {
		if x, err := netip.ParsePrefix(e); err == nil && x.Contains(ip) {
			return false
		}
	}
	return true
}

func portsMatch(ports []networkingv1.NetworkPolicyPort, dst endpoint, protocol string, port int32) bool {
	if len(ports) == 0 {
		return true
	}
	for _, p := range ports {
		proto := "TCP"
		if p.Protocol != nil {
			proto = string(*p.Protocol)
		}
		if proto != protocol {
			continue
		}
		if p.Port == nil {
			return true
		}
		want := p.Port.IntVal
		if p.Port.StrVal != "" {
			n, ok := dst.ports[p.Port.StrVal]
			if !ok {
				continue
			}
			want = n
		}
		if port == want || (p.EndPort != nil && port >= want && port <= *p.EndPort) {
			return true
		}
	}
	return false
}

func selects(sel *metav1.LabelSelector, l map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		return false
	}
	return s.Matches(labels.Set(l))
}

// rendered is a golden's output as the dataplane would see it.
type rendered struct {
	tenant   names.Tenant
	sessions map[string]bool // session -> vcluster
	world    world
	// roles and bindings are the Roles and RoleBindings among each
	// session's objects, and educatesRoles the Educates role each Workshop
	// asks for.
	roles, bindings map[string][]map[string]any
	educatesRoles   map[string]string
}

// loadRendered reads a golden's expected.yaml: the NetworkPolicies
// composed directly, and those inside each Workshop, in the namespaces
// Educates creates them in (its variables resolved).
func loadRendered(t *testing.T, file string) rendered {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	if strings.Contains(text, "# render error:") {
		t.Fatalf("%s is a failed render", file)
	}
	r := rendered{sessions: map[string]bool{}, roles: map[string][]map[string]any{}, bindings: map[string][]map[string]any{}, educatesRoles: map[string]string{}}
	var nps, objects []map[string]any
	for _, doc := range strings.Split(text, "\n---\n") {
		var m map[string]any
		if err := yaml.Unmarshal([]byte(doc), &m); err != nil {
			t.Fatal(err)
		}
		switch str(m, "kind") {
		case "Datalab":
			r.tenant = names.Tenant{Namespace: str(m, "metadata", "namespace"), Name: str(m, "metadata", "name")}
		case "NetworkPolicy":
			nps = append(nps, m)
		case compose.ObjectKind:
			ws := manifestOf(m)
			switch str(ws, "kind") {
			case "NetworkPolicy":
				// A boundary Object: what a running namespace has.
				objects = append(objects, ws)
				continue
			case "Role":
				s := str(ws, "metadata", "labels", compose.LabelSession)
				r.roles[s] = append(r.roles[s], ws)
				continue
			case "RoleBinding":
				s := str(ws, "metadata", "labels", compose.LabelSession)
				r.bindings[s] = append(r.bindings[s], ws)
				continue
			case "Workshop":
			default:
				continue
			}
			s := str(ws, "metadata", "labels", compose.LabelSession)
			vc, _ := valueAt(ws, path{"spec", "session", "applications", "vcluster", "enabled"})
			r.sessions[s] = vc == true
			r.educatesRoles[s] = str(ws, "spec", "session", "namespaces", "role")
			for _, list := range []path{{"spec", "environment", "objects"}, {"spec", "session", "objects"}} {
				v, _ := valueAt(ws, list)
				items, _ := v.([]any)
				for _, it := range items {
					switch o := asMap(it); str(o, "kind") {
					case "NetworkPolicy":
						nps = append(nps, o)
					case "Role", "ClusterRole":
						r.roles[s] = append(r.roles[s], o)
					case "RoleBinding":
						r.bindings[s] = append(r.bindings[s], o)
					}
				}
			}
		}
	}
	if r.tenant.Name == "" {
		t.Fatalf("%s has no Datalab", file)
	}
	// A namespace's boundary Object and the template it starts from are
	// one NetworkPolicy: the same policy once the namespace runs.
	policies := map[string]networkingv1.NetworkPolicy{}
	for i, m := range append(nps, objects...) {
		np := r.decode(t, m)
		id := np.Namespace + "/" + np.Name
		if prev, ok := policies[id]; ok && i >= len(nps) && !reflect.DeepEqual(prev.Spec, np.Spec) {
			t.Errorf("NetworkPolicy %s: the boundary Object differs from the Workshop's template", id)
		}
		policies[id] = np
	}
	for _, id := range slices.Sorted(maps.Keys(policies)) {
		r.world.policies = append(r.world.policies, policies[id])
	}
	return r
}

// decode reads a NetworkPolicy of the render, with its Educates namespace
// variable resolved.
func (r rendered) decode(t *testing.T, m map[string]any) networkingv1.NetworkPolicy {
	t.Helper()
	s := str(m, "metadata", "labels", compose.LabelSession)
	js, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	ns := str(m, "metadata", "namespace")
	ns = strings.NewReplacer(varVClusterNamespace, r.tenant.VClusterNamespace(s), varSessionNamespace, r.tenant.SessionNamespace(s), varWorkshopNamespace, r.tenant.Environment(s)).Replace(ns)
	js = bytes.ReplaceAll(js, []byte(`"namespace":"`+str(m, "metadata", "namespace")+`"`), []byte(`"namespace":"`+ns+`"`))
	var np networkingv1.NetworkPolicy
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&np); err != nil {
		t.Fatalf("NetworkPolicy %s does not decode as networking.k8s.io/v1: %v", str(m, "metadata", "name"), err)
	}
	if strings.Contains(np.Namespace, "$(") {
		t.Fatalf("NetworkPolicy %s keeps an unresolved namespace %q", np.Name, np.Namespace)
	}
	return np
}

// verdict formats a connection for failure messages.
func verdict(src, dst endpoint, protocol string, port int32) string {
	return fmt.Sprintf("%s -> %s %s/%d", src.name, dst.name, protocol, port)
}
