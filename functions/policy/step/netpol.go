package step

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// nsRole is what a namespace is to a session.
type nsRole int

const (
	// roleWorkshop: the workshop (environment) namespace, where the session
	// pod, the storage browser and the workspace volume live.
	roleWorkshop nsRole = iota
	// roleSession: the session namespace, where the tenant's own workloads
	// run (kubernetesAccess) and a vcluster's workloads are synced to.
	roleSession
	// roleVCluster: the vcluster host namespace (its control plane).
	roleVCluster
)

// Educates variables naming the namespaces inside Workshop objects.
const (
	varWorkshopNamespace = names.VarWorkshopNamespace
	varSessionNamespace  = names.VarSessionNamespace
	varVClusterNamespace = names.VarVClusterNamespace
)

const (
	apiNetworking      = "networking.k8s.io/v1"
	labelNamespaceName = "kubernetes.io/metadata.name"
	// annotationFlows lists the flows a session boundary policy holds.
	annotationFlows      = "datalabs.pkg.internal/flows"
	dnsPort              = 53
	defaultProtocol      = "TCP"
	policyTypeIngress    = "Ingress"
	policyTypeEgress     = "Egress"
	protocolUDP          = "UDP"
	namespaceSelectorKey = "namespaceSelector"
	// postgresPort is the port of the PostgreSQL Services the backends
	// step composes, and the backend port of its database.gateway TLSRoutes.
	postgresPort = 5432
	// sessionGatewayPort is the only port of an Educates session pod; the
	// session's Ingresses (IDE, editor, storage browser, every
	// session.ingresses entry) all route to it, and its gateway
	// authenticates before proxying.
	sessionGatewayPort = 10080
	// registryPort is the port of a session's Educates registry, which has
	// an Ingress of its own.
	registryPort = 5000
)

// netplan is the operator's network boundary, read once per reconcile.
type netplan struct {
	xrNamespace string
	// external are the ipBlocks of allow-external-egress; empty when the
	// Datalab's externalEgress is off or no CIDR is configured.
	external []ipBlock
	// configured are all external blocks regardless of externalEgress (for
	// the Educates comparison).
	configured []ipBlock
	internal   []any
	dns        map[string]any
	apiServer  map[string]any
	// ingressPeer admits the ingress controller; nil when not configured.
	ingressPeer      map[string]any
	workspaceSources []string
	// gateway admits the database.gateway data plane to PostgreSQL in the
	// Datalab's namespace; nil without databases or gateway.
	gateway map[string]any
	// services: the Datalab requests data services, which its sessions
	// reach in its namespace (allow-services-egress).
	services bool
	// registry: sessions run an Educates registry, reached through its
	// own Ingress.
	registry bool
	// serviceEgress are the ipBlocks the Datalab's service pods may reach
	// besides DNS, each other and the API server (object storage for
	// database backups).
	serviceEgress []any
	exclude       map[string]bool
}

// newNetplan parses the network keys (validated before) into policy rules.
func newNetplan(in *pipeline.Input) (netplan, error) {
	cfg := in.Env
	n := netplan{xrNamespace: in.Datalab.Namespace, services: in.Datalab.Spec.Services() > 0, registry: in.Datalab.Spec.RegistryEnabled(), exclude: map[string]bool{}}
	for _, e := range cfg.Network.ExcludePolicies {
		n.exclude[e] = true
	}
	ext, err := parseAll(cfg.Network.ExternalEgressCIDRs)
	if err != nil {
		return n, err
	}
	excepts, err := parseAll(append(append(append([]string{}, cfg.Network.BlacklistIPs...), cfg.Network.PodCIDRs...), cfg.ServiceCIDRs()...))
	if err != nil {
		return n, err
	}
	n.configured = externalBlocks(ext, excepts)
	if in.Settings.ExternalEgress {
		n.external = n.configured
	}

	for i, item := range cfg.Network.InternalEgress {
		rule, err := internalRule(item)
		if err != nil {
			return n, fmt.Errorf("network.internalEgress[%d]: %w", i, err)
		}
		n.internal = append(n.internal, rule)
	}

	dnsPeer := nsPeer(cfg.DNSNamespace())
	if len(cfg.Network.DNS.PodSelector) > 0 {
		dnsPeer["podSelector"] = map[string]any{"matchLabels": stringMap(cfg.Network.DNS.PodSelector)}
	}
	to := []any{dnsPeer}
	dnsCIDRs, err := parseAll(cfg.Network.DNS.CIDRs)
	if err != nil {
		return n, err
	}
	for _, p := range dedupe(dnsCIDRs) {
		to = append(to, map[string]any{"ipBlock": map[string]any{"cidr": p.String()}})
	}
	n.dns = map[string]any{"to": to, "ports": []any{port(protocolUDP, dnsPort), port(defaultProtocol, dnsPort)}}

	api, err := parseAll(cfg.Network.APIServerCIDRs)
	if err != nil {
		return n, err
	}
	if len(api) > 0 {
		var peers, ports []any
		for _, p := range dedupe(api) {
			peers = append(peers, map[string]any{"ipBlock": map[string]any{"cidr": p.String()}})
		}
		for _, p := range cfg.APIServerPorts() {
			ports = append(ports, port(defaultProtocol, p))
		}
		n.apiServer = map[string]any{"to": peers, "ports": ports}
	}

	switch {
	case len(cfg.Ingress.NamespaceSelector) > 0:
		n.ingressPeer = map[string]any{namespaceSelectorKey: map[string]any{"matchLabels": stringMap(cfg.Ingress.NamespaceSelector)}}
	case strings.TrimSpace(cfg.Ingress.Namespace) != "":
		n.ingressPeer = nsPeer(strings.TrimSpace(cfg.Ingress.Namespace))
	}
	n.workspaceSources = sortedUnique(cfg.Network.WorkspaceIngressNamespaces)
	svcEgress, err := parseAll(cfg.Network.ServiceEgressCIDRs)
	if err != nil {
		return n, err
	}
	for _, p := range dedupe(svcEgress) {
		n.serviceEgress = append(n.serviceEgress, map[string]any{"ipBlock": map[string]any{"cidr": p.String()}})
	}
	// The backends step routes each database host through the operator's
	// Gateway (a TLSRoute to the primary Service on 5432): its data plane
	// connects from the Gateway's namespace.
	if gw := cfg.Database.Gateway; gw.Configured() && len(in.Datalab.Spec.Databases) > 0 {
		n.gateway = map[string]any{
			"from":  []any{nsPeer(strings.TrimSpace(gw.ParentNamespace))},
			"ports": []any{port(defaultProtocol, postgresPort)},
		}
	}
	return n, nil
}

func parseAll(list []string) ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(list))
	for _, s := range list {
		p, err := environment.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", s, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// internalRule is one egress rule to an operator-listed in-cluster backend.
func internalRule(item environment.InternalEgress) (map[string]any, error) {
	peer := nsPeer(item.Namespace)
	sel, err := item.Selector()
	if err != nil {
		return nil, err
	}
	if sel != nil {
		m, err := selectorMap(sel)
		if err != nil {
			return nil, err
		}
		peer["podSelector"] = m
	}
	rule := map[string]any{"to": []any{peer}}
	ports, err := item.PortList()
	if err != nil {
		return nil, err
	}
	if len(ports) > 0 {
		out := make([]any, 0, len(ports))
		for _, p := range ports {
			proto := p.Protocol
			if proto == "" {
				proto = defaultProtocol
			}
			m := map[string]any{"protocol": proto}
			if p.Port != nil {
				if p.Port.Type == intstr.Int {
					m["port"] = p.Port.IntValue()
				} else {
					m["port"] = p.Port.String()
				}
			}
			if p.EndPort != nil {
				m["endPort"] = int(*p.EndPort)
			}
			out = append(out, m)
		}
		rule["ports"] = out
	}
	return rule, nil
}

func selectorMap(sel *metav1.LabelSelector) (map[string]any, error) {
	b, err := json.Marshal(sel)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	return m, json.Unmarshal(b, &m)
}

// sessionPolicy is the one NetworkPolicy (names.SessionBoundaryPolicy) of
// one namespace of session s, in namespace (an Educates variable inside a
// Workshop, the namespace's name in an Object). Everything is denied in
// both directions; each allow names one flow of the contract, and the
// operator's network.excludePolicies leaves flows out by name: without
// any flow of a direction the policy no longer isolates that direction.
// One policy per namespace, not one per flow: NetworkPolicies add up, so
// a flow the operator removes must disappear from the namespaces that
// already run, which replacing one object does; and every namespace
// costs one object to keep current instead of a dozen. nil when every
// flow is excluded.
func (n netplan) sessionPolicy(in *pipeline.Input, s string, role nsRole, vcluster bool, namespace string) map[string]any {
	t := in.Tenant
	labels := compose.SessionLabels(in.Datalab.Namespace, in.Datalab.Name, s)
	labels[compose.LabelComponent] = compose.ComponentPolicy

	// policy is one flow: its exclusion name, direction and rules (none
	// for the default deny).
	type policy struct {
		name  string
		dir   string
		rules []any
	}
	egress := func(name string, rules ...any) policy { return policy{name: name, dir: policyTypeEgress, rules: rules} }
	ingress := func(name string, rules ...any) policy {
		return policy{name: name, dir: policyTypeIngress, rules: rules}
	}
	sameNamespace := map[string]any{"podSelector": map[string]any{}}

	list := []policy{
		egress(names.PolicyDenyEgress),
		egress(names.PolicyNamespaceEgress, map[string]any{"to": []any{sameNamespace}}),
		egress(names.PolicyDNSEgress, n.dns),
	}
	if len(n.external) > 0 {
		to := make([]any, 0, len(n.external))
		for _, b := range n.external {
			blk := map[string]any{"cidr": b.cidr.String()}
			if len(b.except) > 0 {
				ex := make([]any, 0, len(b.except))
				for _, e := range b.except {
					ex = append(ex, e.String())
				}
				blk["except"] = ex
			}
			to = append(to, map[string]any{"ipBlock": blk})
		}
		list = append(list, egress(names.PolicyExternalEgress, map[string]any{"to": to}))
	}
	if len(n.internal) > 0 {
		list = append(list, egress(names.PolicyInternalEgress, n.internal...))
	}
	// The Datalab's data services run in its own namespace; without
	// services the sessions have nothing to reach there.
	if n.services {
		list = append(list, egress(names.PolicyServicesEgress, map[string]any{"to": []any{nsPeer(n.xrNamespace)}}))
	}
	// The session pod reaches its own workloads and its vcluster's API;
	// workloads synced from a vcluster reach its DNS and API.
	var sessionTo []any
	switch role {
	case roleWorkshop:
		sessionTo = append(sessionTo, nsPeer(t.SessionNamespace(s)))
		if vcluster {
			sessionTo = append(sessionTo, nsPeer(t.VClusterNamespace(s)))
		}
	case roleSession:
		if vcluster {
			sessionTo = append(sessionTo, nsPeer(t.VClusterNamespace(s)))
		}
	}
	if len(sessionTo) > 0 {
		list = append(list, egress(names.PolicySessionEgress, map[string]any{"to": sessionTo}))
	}
	if n.apiServer != nil {
		list = append(list, egress(names.PolicyAPIServerEgress, n.apiServer))
	}

	list = append(list,
		ingress(names.PolicyDenyIngress),
		ingress(names.PolicyNamespaceIngress, map[string]any{"from": []any{sameNamespace}}),
	)
	// In the workshop namespace the ingress controller reaches only what
	// the session's Ingresses route to: the session pod's gateway (which
	// authenticates before it proxies to the IDE or the storage browser)
	// and the registry. In the session namespace it reaches the tenant's
	// own Ingress backends, and Educates syncs a vcluster's Ingresses into
	// the vcluster host namespace, so it connects there too.
	if n.ingressPeer != nil {
		rule := map[string]any{"from": []any{n.ingressPeer}}
		if role == roleWorkshop {
			ports := []any{port(defaultProtocol, sessionGatewayPort)}
			if n.registry {
				ports = append(ports, port(defaultProtocol, registryPort))
			}
			rule["ports"] = ports
		}
		list = append(list, ingress(names.PolicyIngressController, rule))
	}
	var sessionFrom []any
	switch role {
	case roleSession:
		sessionFrom = append(sessionFrom, nsPeer(t.Environment(s)))
	case roleVCluster:
		sessionFrom = append(sessionFrom, nsPeer(t.Environment(s)), nsPeer(t.SessionNamespace(s)))
	}
	if len(sessionFrom) > 0 {
		list = append(list, ingress(names.PolicySessionIngress, map[string]any{"from": sessionFrom}))
	}

	spec := map[string]any{"podSelector": map[string]any{}}
	var types []any
	var flows []string
	for _, dir := range []string{policyTypeIngress, policyTypeEgress} {
		rules, isolated := []any{}, false
		for _, p := range list {
			if p.dir == dir && !n.exclude[p.name] {
				isolated = true
				rules = append(rules, p.rules...)
				flows = append(flows, p.name)
			}
		}
		if isolated {
			types = append(types, dir)
			spec[strings.ToLower(dir)] = rules
		}
	}
	if len(types) == 0 {
		return nil
	}
	spec["policyTypes"] = types
	m := compose.Manifest(apiNetworking, "NetworkPolicy", namespace, names.SessionBoundaryPolicy, labels)
	// Which flows the rules are, by their network.excludePolicies names.
	m["metadata"].(map[string]any)["annotations"] = map[string]any{annotationFlows: strings.Join(flows, ",")}
	m["spec"] = spec
	return m
}

// workspaceSelector selects the pods of the Datalab's data services in
// its namespace (the backends step labels every service pod with the
// Datalab's labels), never other workloads that share the namespace.
func workspaceSelector(in *pipeline.Input) map[string]any {
	return map[string]any{"matchLabels": stringMap(compose.TenantLabels(in.Datalab.Namespace, in.Datalab.Name))}
}

// workspaceIngress isolates the Datalab's data services in its own
// namespace: only the Datalab's own service pods, its session namespaces,
// the namespaces the operator lists (data-service operators, monitoring)
// and, with databases, the database.gateway's namespace on the PostgreSQL
// port may connect. Other Datalabs' sessions in a shared namespace are not
// admitted.
func (n netplan) workspaceIngress(in *pipeline.Input, tenantNamespaces []string) map[string]any {
	if n.exclude[names.PolicyWorkspaceIngress] {
		return nil
	}
	own := workspaceSelector(in)
	rules := []any{map[string]any{"from": []any{map[string]any{"podSelector": own}}}}
	if len(tenantNamespaces) > 0 {
		rules = append(rules, map[string]any{"from": []any{nsInPeer(tenantNamespaces)}})
	}
	if len(n.workspaceSources) > 0 {
		rules = append(rules, map[string]any{"from": []any{nsInPeer(n.workspaceSources)}})
	}
	if n.gateway != nil {
		rules = append(rules, n.gateway)
	}
	m := compose.Manifest(apiNetworking, "NetworkPolicy", "", names.WorkspaceIngressPolicy(in.Datalab.Name), workspaceLabels(in))
	m["spec"] = map[string]any{"podSelector": own, "policyTypes": []any{policyTypeIngress}, "ingress": rules}
	return m
}

// workspaceEgress confines the Datalab's data services, which tenant code
// drives (queries, scripts, extensions): DNS, each other, the API server
// (PostgreSQL operators' instance managers and Patroni use it) and the
// operator's network.serviceEgressCIDRs (object storage for backups);
// nothing else, so a database pod reaches no metadata address, no other
// tenant and no internet.
func (n netplan) workspaceEgress(in *pipeline.Input) map[string]any {
	if n.exclude[names.PolicyWorkspaceEgress] {
		return nil
	}
	own := workspaceSelector(in)
	rules := []any{n.dns, map[string]any{"to": []any{map[string]any{"podSelector": own}}}}
	if n.apiServer != nil {
		rules = append(rules, n.apiServer)
	}
	if len(n.serviceEgress) > 0 {
		rules = append(rules, map[string]any{"to": n.serviceEgress})
	}
	m := compose.Manifest(apiNetworking, "NetworkPolicy", "", names.WorkspaceEgressPolicy(in.Datalab.Name), workspaceLabels(in))
	m["spec"] = map[string]any{"podSelector": own, "policyTypes": []any{policyTypeEgress}, "egress": rules}
	return m
}

// servicesAPIServerWarning says when databases cannot reach the API server
// their operators' in-pod agents use (leader election, instance manager).
func servicesAPIServerWarning(in *pipeline.Input, n netplan) string {
	if n.apiServer != nil || n.exclude[names.PolicyWorkspaceEgress] || len(in.Datalab.Spec.Databases) == 0 {
		return ""
	}
	return "EnvironmentConfig.data.network.apiServerCIDRs is empty, so the Datalab's PostgreSQL pods (Patroni, CloudNativePG's instance manager) cannot reach the Kubernetes API server through " +
		names.WorkspaceEgressPolicy(in.Datalab.Name) + "; list its endpoint addresses in network.apiServerCIDRs"
}

func workspaceLabels(in *pipeline.Input) map[string]string {
	labels := compose.TenantLabels(in.Datalab.Namespace, in.Datalab.Name)
	labels[compose.LabelComponent] = compose.ComponentPolicy
	return labels
}

func nsPeer(name string) map[string]any {
	return map[string]any{namespaceSelectorKey: map[string]any{"matchLabels": map[string]any{labelNamespaceName: name}}}
}

func nsInPeer(namespaces []string) map[string]any {
	values := make([]any, 0, len(namespaces))
	for _, ns := range namespaces {
		values = append(values, ns)
	}
	return map[string]any{namespaceSelectorKey: map[string]any{"matchExpressions": []any{
		map[string]any{"key": labelNamespaceName, "operator": "In", "values": values},
	}}}
}

func port(protocol string, number int) map[string]any {
	return map[string]any{"protocol": protocol, "port": number}
}

func stringMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedUnique(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}
