package validation

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// Protocols a NetworkPolicy port may name.
var Protocols = []string{"TCP", "UDP", "SCTP"}

// PolicyEnvironment validates the EnvironmentConfig keys the policy step
// turns into NetworkPolicies, quotas and checks. Nothing is skipped
// silently (the predecessor dropped what it could not read): every problem
// names its key and how to fix it.
func PolicyEnvironment(cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	errs = append(errs, network(cfg)...)
	errs = append(errs, ingressController(cfg)...)
	errs = append(errs, limits(cfg)...)
	if c := cfg.Storage.MountStorageClassName; c != "" {
		for _, m := range validation.IsDNS1123Subdomain(c) {
			errs = append(errs, field.Invalid(EnvPath.Child("storage", "mountStorageClassName"), c, m+"; name the StorageClass of the csi-rclone driver"))
		}
	}
	return errs
}

func network(cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	n := EnvPath.Child("network")
	n4 := cfg.Network
	errs = append(errs, cidrs(n.Child("externalEgressCIDRs"), n4.ExternalEgressCIDRs, false)...)
	errs = append(errs, cidrs(n.Child("podCIDRs"), n4.PodCIDRs, false)...)
	errs = append(errs, cidrs(n.Child("blacklistIPs"), n4.BlacklistIPs, true)...)
	errs = append(errs, cidrs(n.Child("apiServerCIDRs"), n4.APIServerCIDRs, true)...)
	errs = append(errs, cidrs(n.Child("educatesBlockCIDRs"), n4.EducatesBlockCIDRs, false)...)
	errs = append(errs, cidrs(n.Child("serviceEgressCIDRs"), n4.ServiceEgressCIDRs, true)...)
	errs = append(errs, cidrs(n.Child("dns", "cidrs"), n4.DNS.CIDRs, true)...)
	for _, s := range cfg.ServiceCIDRs() {
		if _, err := environment.ParseCIDR(s); err != nil {
			errs = append(errs, field.Invalid(n.Child("serviceCIDR"), cfg.Network.ServiceCIDR, err.Error()+"; write the cluster's service CIDR such as 10.43.0.0/16 (dual-stack: 10.43.0.0/16,fd00:43::/112)"))
		}
	}
	for i, p := range n4.APIServerPorts {
		if p < 1 || p > 65535 {
			errs = append(errs, field.Invalid(n.Child("apiServerPorts").Index(i), p, "must be a port between 1 and 65535, such as 6443"))
		}
	}
	if ns := n4.DNS.Namespace; ns != "" {
		errs = append(errs, namespaceName(n.Child("dns", "namespace"), ns)...)
	}
	errs = append(errs, metav1validation.ValidateLabels(n4.DNS.PodSelector, n.Child("dns", "podSelector"))...)
	for i, ns := range n4.WorkspaceIngressNamespaces {
		errs = append(errs, namespaceName(n.Child("workspaceIngressNamespaces").Index(i), ns)...)
	}
	for i, item := range n4.InternalEgress {
		errs = append(errs, internalEgress(n.Child("internalEgress").Index(i), item)...)
	}
	for i, name := range n4.ExcludePolicies {
		errs = append(errs, oneOf(n.Child("excludePolicies").Index(i), name, names.Policies)...)
		if name == "" {
			errs = append(errs, field.Required(n.Child("excludePolicies").Index(i), "name one of "+strings.Join(names.Policies, ", ")))
		}
	}
	return errs
}

func cidrs(p *field.Path, list []string, bareIPs bool) field.ErrorList {
	var errs field.ErrorList
	for i, s := range list {
		if !bareIPs && !strings.Contains(s, "/") {
			errs = append(errs, field.Invalid(p.Index(i), s, "not a CIDR; write it with a prefix length such as 10.0.0.0/8 or 2001:db8::/32"))
			continue
		}
		if _, err := environment.ParseCIDR(s); err != nil {
			errs = append(errs, field.Invalid(p.Index(i), s, err.Error()+"; write a CIDR such as 10.0.0.0/8 or 2001:db8::/32"))
		}
	}
	return errs
}

func namespaceName(p *field.Path, ns string) field.ErrorList {
	var errs field.ErrorList
	for _, m := range validation.IsDNS1123Label(ns) {
		errs = append(errs, field.Invalid(p, ns, m+"; name an existing namespace"))
	}
	return errs
}

func internalEgress(p *field.Path, item environment.InternalEgress) field.ErrorList {
	var errs field.ErrorList
	if item.Namespace == "" {
		errs = append(errs, field.Required(p.Child("namespace"), "name the namespace of the backend sessions may reach"))
	} else {
		errs = append(errs, namespaceName(p.Child("namespace"), item.Namespace)...)
	}
	sel, err := item.Selector()
	if err != nil {
		errs = append(errs, field.Invalid(p.Child("podSelector"), "", "not a label selector ("+err.Error()+"); write matchLabels and/or matchExpressions"))
	} else if sel != nil {
		errs = append(errs, metav1validation.ValidateLabelSelector(sel, metav1validation.LabelSelectorValidationOptions{}, p.Child("podSelector"))...)
	}
	ports, err := item.PortList()
	if err != nil {
		errs = append(errs, field.Invalid(p.Child("ports"), "", err.Error()+"; write each port as {port, protocol, endPort}"))
		return errs
	}
	for j, port := range ports {
		pp := p.Child("ports").Index(j)
		if port.Protocol != "" {
			errs = append(errs, oneOf(pp.Child("protocol"), port.Protocol, Protocols)...)
		}
		if port.Port == nil {
			errs = append(errs, field.Required(pp.Child("port"), "give a port number or name (only a range needs endPort)"))
			continue
		}
		if port.Port.Type == intstr.Int {
			if v := port.Port.IntValue(); v < 1 || v > 65535 {
				errs = append(errs, field.Invalid(pp.Child("port"), v, "must be between 1 and 65535"))
			}
		} else {
			for _, m := range validation.IsValidPortName(port.Port.String()) {
				errs = append(errs, field.Invalid(pp.Child("port"), port.Port.String(), m))
			}
		}
		if port.EndPort != nil {
			if port.Port.Type != intstr.Int {
				errs = append(errs, field.Invalid(pp.Child("endPort"), *port.EndPort, "a port range needs a numeric port; write port as a number"))
			} else if int(*port.EndPort) < port.Port.IntValue() || *port.EndPort > 65535 {
				errs = append(errs, field.Invalid(pp.Child("endPort"), *port.EndPort, fmt.Sprintf("must be between port (%d) and 65535", port.Port.IntValue())))
			}
		}
	}
	return errs
}

func ingressController(cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	ing := EnvPath.Child("ingress")
	if ns := strings.TrimSpace(cfg.Ingress.Namespace); ns != "" {
		errs = append(errs, namespaceName(ing.Child("namespace"), ns)...)
	}
	errs = append(errs, metav1validation.ValidateLabels(cfg.Ingress.NamespaceSelector, ing.Child("namespaceSelector"))...)
	excluded := false
	for _, n := range cfg.Network.ExcludePolicies {
		excluded = excluded || n == names.PolicyIngressController
	}
	if !cfg.IngressControllerConfigured() && !excluded {
		errs = append(errs, field.Required(ing.Child("namespace"),
			"sessions are reachable only from the ingress controller's namespace; set ingress.namespace (or ingress.namespaceSelector), or list "+names.PolicyIngressController+" in network.excludePolicies to manage session ingress yourself"))
	}
	return errs
}

func limits(cfg *environment.Config) field.ErrorList {
	var errs field.ErrorList
	l := EnvPath.Child("limits")
	lim := cfg.Limits
	errs = append(errs, size(l.Child("maxMemory"), lim.MaxMemory)...)
	errs = append(errs, size(l.Child("maxStorage"), lim.MaxStorage)...)
	for _, c := range []struct {
		name string
		v    *int
	}{{"maxSessions", lim.MaxSessions}, {"maxServices", lim.MaxServices}} {
		if c.v != nil && *c.v < 0 {
			errs = append(errs, field.Invalid(l.Child(c.name), *c.v, "must not be negative; 0 allows none"))
		}
	}
	for _, c := range []struct {
		name    string
		list    []string
		allowed []string
	}{
		{"allowedSecurityPolicies", lim.AllowedSecurityPolicies, SecurityPolicies},
		{"allowedKubernetesRoles", lim.AllowedKubernetesRoles, KubernetesRoles},
		{"allowedBudgets", lim.AllowedBudgets, Budgets},
	} {
		for i, v := range c.list {
			errs = append(errs, oneOf(l.Child(c.name).Index(i), v, c.allowed)...)
		}
	}
	w := l.Child("workspace")
	errs = append(errs, resourceList(w.Child("quota"), lim.Workspace.Quota, true)...)
	lr := lim.Workspace.LimitRange
	errs = append(errs, resourceList(w.Child("limitRange", "default"), lr.Default, false)...)
	errs = append(errs, resourceList(w.Child("limitRange", "defaultRequest"), lr.DefaultRequest, false)...)
	errs = append(errs, resourceList(w.Child("limitRange", "max"), lr.Max, false)...)
	errs = append(errs, resourceList(w.Child("limitRange", "min"), lr.Min, false)...)
	for i, k := range lim.ExtraNamespacedKinds {
		group, kind, ok := strings.Cut(k, "/")
		if !ok || kind == "" || strings.Contains(kind, "/") || (group != "" && len(validation.IsDNS1123Subdomain(group)) > 0) {
			errs = append(errs, field.Invalid(l.Child("extraNamespacedKinds").Index(i), k, "write group/Kind of a namespaced kind, such as example.org/Widget (core kinds: /Kind)"))
		}
	}
	return errs
}

// resourceList checks a map of resource names to quantities. A quota may
// also count objects ("count/deployments.apps", "services.nodeports"),
// whose values are plain numbers, which are quantities too.
func resourceList(p *field.Path, m map[string]string, quota bool) field.ErrorList {
	var errs field.ErrorList
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		kp := p.Key(k)
		for _, msg := range validation.IsQualifiedName(strings.TrimPrefix(k, "count/")) {
			errs = append(errs, field.Invalid(kp, k, msg+"; use a resource name such as requests.storage or memory"))
		}
		if !quota && k != "cpu" && k != "memory" && k != "ephemeral-storage" {
			errs = append(errs, field.NotSupported(kp, k, []string{"cpu", "memory", "ephemeral-storage"}))
		}
		q, err := resource.ParseQuantity(m[k])
		if err != nil {
			errs = append(errs, field.Invalid(kp, m[k], "not a Kubernetes quantity; write it like 10Gi, 500m or 4"))
			continue
		}
		if q.Sign() < 0 {
			errs = append(errs, field.Invalid(kp, m[k], "must not be negative"))
		}
	}
	return errs
}

// Caps checks a Datalab's effective settings and requests against the
// operator's limits and allowlists (EnvironmentConfig.data.limits). A value
// over a cap is rejected, never clamped: each error names the field the
// value came from (the spec, or the operator's defaults) and the cap.
func Caps(d *api.Datalab, cfg *environment.Config, st environment.Settings) field.ErrorList {
	var errs field.ErrorList
	spec := field.NewPath("spec")
	lim := cfg.Limits
	l := EnvPath.Child("limits")
	q, sec := api.Quota{}, api.Security{}
	if d.Spec.Quota != nil {
		q = *d.Spec.Quota
	}
	if d.Spec.Security != nil {
		sec = *d.Spec.Security
	}
	def := EnvPath.Child("defaults")
	from := func(specVal string, specPath *field.Path, envVal string, envPath *field.Path) *field.Path {
		switch {
		case strings.TrimSpace(specVal) != "":
			return specPath
		case strings.TrimSpace(envVal) != "":
			return envPath
		}
		return specPath
	}

	if lim.MaxSessions != nil && len(d.Spec.Sessions) > *lim.MaxSessions {
		errs = append(errs, field.Invalid(spec.Child("sessions"), len(d.Spec.Sessions),
			fmt.Sprintf("%d sessions exceed the operator's cap %s (%d); remove sessions", len(d.Spec.Sessions), l.Child("maxSessions"), *lim.MaxSessions)))
	}
	if lim.MaxServices != nil {
		if n := len(d.Spec.Databases) + len(d.Spec.DocumentStores) + len(d.Spec.CacheStores) + len(d.Spec.VectorStores); n > *lim.MaxServices {
			errs = append(errs, field.Invalid(spec, n,
				fmt.Sprintf("%d data services (databases, documentStores, cacheStores, vectorStores) exceed the operator's cap %s (%d); remove services", n, l.Child("maxServices"), *lim.MaxServices)))
		}
	}
	if lim.MaxMemory != "" {
		errs = append(errs, atMost(from(q.Memory, spec.Child("quota", "memory"), cfg.Defaults.Quota.Memory, def.Child("quota", "memory")), st.Memory, lim.MaxMemory, l.Child("maxMemory"))...)
	}
	if lim.MaxStorage != "" {
		max, mp := lim.MaxStorage, l.Child("maxStorage")
		errs = append(errs, atMost(from(q.Storage, spec.Child("quota", "storage"), cfg.Defaults.Quota.Storage, def.Child("quota", "storage")), st.Storage, max, mp)...)
		if d.Spec.RegistryEnabled() {
			errs = append(errs, atMost(spec.Child("registry", "storage"), st.RegistryStorage, max, mp)...)
		}
		for _, h := range slices.Sorted(maps.Keys(d.Spec.Databases)) {
			db := d.Spec.Databases[h]
			errs = append(errs, atMost(spec.Child("databases").Key(h).Child("storage"), db.Storage, max, mp)...)
			errs = append(errs, atMost(spec.Child("databases").Key(h).Child("backupStorage"), db.BackupStorage, max, mp)...)
		}
		for _, stores := range []struct {
			name string
			m    map[string]api.Store
		}{{"documentStores", d.Spec.DocumentStores}, {"cacheStores", d.Spec.CacheStores}, {"vectorStores", d.Spec.VectorStores}} {
			for _, s := range slices.Sorted(maps.Keys(stores.m)) {
				errs = append(errs, atMost(spec.Child(stores.name).Key(s).Child("storage"), stores.m[s].Storage, max, mp)...)
			}
		}
		if st.Docker && cfg.AllowPrivileged() {
			if exceeds(environment.DefaultDockerStorage, max) {
				errs = append(errs, field.Invalid(from(sec.Policy, spec.Child("security", "policy"), cfg.Defaults.Security.Policy, def.Child("security", "policy")), st.Policy,
					fmt.Sprintf("privileged sessions run Docker with %s of storage, above the operator's cap %s (%s); use restricted or baseline", environment.DefaultDockerStorage, mp, max)))
			}
		}
	}

	policyPath := from(sec.Policy, spec.Child("security", "policy"), cfg.Defaults.Security.Policy, def.Child("security", "policy"))
	if st.Policy == "privileged" && !cfg.AllowPrivileged() {
		errs = append(errs, field.Invalid(policyPath, st.Policy,
			fmt.Sprintf("privileged sessions (which also run Docker) are not allowed: the operator's %s is false; use restricted or baseline", l.Child("allowPrivileged"))))
	} else {
		errs = append(errs, allowed(policyPath, st.Policy, lim.AllowedSecurityPolicies, l.Child("allowedSecurityPolicies"))...)
	}
	errs = append(errs, allowed(from(sec.KubernetesRole, spec.Child("security", "kubernetesRole"), cfg.Defaults.Security.KubernetesRole, def.Child("security", "kubernetesRole")),
		st.KubernetesRole, lim.AllowedKubernetesRoles, l.Child("allowedKubernetesRoles"))...)
	errs = append(errs, allowed(from(q.Budget, spec.Child("quota", "budget"), cfg.Defaults.Quota.Budget, def.Child("quota", "budget")),
		st.Budget, lim.AllowedBudgets, l.Child("allowedBudgets"))...)
	errs = append(errs, lifetimeCap(d, cfg)...)
	return errs
}

// atMost rejects a quantity above max. Unparseable values are reported by
// Datalab/Environment validation, not here.
func atMost(p *field.Path, v, max string, capPath *field.Path) field.ErrorList {
	if v == "" || !exceeds(v, max) {
		return nil
	}
	return field.ErrorList{field.Invalid(p, v, fmt.Sprintf("exceeds the operator's cap %s (%s); request at most %s", capPath, max, max))}
}

func exceeds(v, max string) bool {
	q, err1 := resource.ParseQuantity(v)
	m, err2 := resource.ParseQuantity(max)
	return err1 == nil && err2 == nil && q.Cmp(m) > 0
}

// allowed rejects a value outside a non-empty allowlist.
func allowed(p *field.Path, v string, list []string, listPath *field.Path) field.ErrorList {
	if len(list) == 0 {
		return nil
	}
	for _, a := range list {
		if a == v {
			return nil
		}
	}
	return field.ErrorList{field.Invalid(p, v, fmt.Sprintf("is not in the operator's allowlist %s; use one of %s", listPath, strings.Join(list, ", ")))}
}

// Veto renders what the policy step rejects as one Fatal message, one
// problem per clause, sorted.
func Veto(errs field.ErrorList) string {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	sort.Strings(msgs)
	return "rejected by the operator's policy: " + strings.Join(msgs, "; ")
}
