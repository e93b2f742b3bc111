package environment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Defaults of the keys the policy step reads.
const (
	// DefaultMountStorageClass is the class of the bucket mount: the
	// csi-rclone driver's StorageClass, a platform prerequisite.
	DefaultMountStorageClass = "csi-rclone"
	// DefaultDNSNamespace is where the cluster DNS runs.
	DefaultDNSNamespace = "kube-system"
)

// DefaultAPIServerPorts are the ports of the Kubernetes API server's
// endpoints allowed by network.apiServerCIDRs when none are configured.
var DefaultAPIServerPorts = []int{443, 6443}

// MountClass is the StorageClass of the bucket mount the runtime emits
// (storage.mountStorageClassName, default csi-rclone). It is chosen by the
// operator, not the tenant, so it is exempt from storageClasses.allowed.
func (c *Config) MountClass() string {
	return first(c.Storage.MountStorageClassName, DefaultMountStorageClass)
}

// DNSNamespace is the namespace of the cluster DNS (network.dns.namespace,
// default kube-system).
func (c *Config) DNSNamespace() string {
	return first(c.Network.DNS.Namespace, DefaultDNSNamespace)
}

// APIServerPorts are the ports allowed towards network.apiServerCIDRs.
func (c *Config) APIServerPorts() []int {
	if len(c.Network.APIServerPorts) == 0 {
		return DefaultAPIServerPorts
	}
	return c.Network.APIServerPorts
}

// IngressControllerConfigured reports whether the operator said where the
// ingress controller runs (ingress.namespace or ingress.namespaceSelector).
func (c *Config) IngressControllerConfigured() bool {
	return strings.TrimSpace(c.Ingress.Namespace) != "" || len(c.Ingress.NamespaceSelector) > 0
}

// AllowPrivileged is limits.allowPrivileged; unset means not allowed.
func (c *Config) AllowPrivileged() bool {
	return c.Limits.AllowPrivileged != nil && bool(*c.Limits.AllowPrivileged)
}

// ParseCIDR reads one network of the network.* keys: a CIDR in canonical
// form (no host bits set), or a bare address, meaning the single-address
// network (/32 or /128).
func ParseCIDR(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "/") {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("not an IP address or CIDR")
		}
		if a.Zone() != "" {
			return netip.Prefix{}, fmt.Errorf("must not carry a zone")
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	}
	p, err := netip.ParsePrefix(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("not a CIDR")
	}
	if p.Addr().Is4In6() {
		return netip.Prefix{}, fmt.Errorf("IPv4-mapped IPv6 networks are ambiguous; write the IPv4 CIDR")
	}
	if m := p.Masked(); m != p {
		return netip.Prefix{}, fmt.Errorf("has host bits set; write the network address %s", m)
	}
	return p, nil
}

// ServiceCIDRs splits network.serviceCIDR, which dual-stack clusters write
// as "IPv4-CIDR,IPv6-CIDR".
func (c *Config) ServiceCIDRs() []string {
	var out []string
	for _, s := range strings.Split(c.Network.ServiceCIDR, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// EgressPort is one port of a network.internalEgress item.
type EgressPort struct {
	Port     *intstr.IntOrString `json:"port,omitempty"`
	Protocol string              `json:"protocol,omitempty"`
	EndPort  *int32              `json:"endPort,omitempty"`
}

// Selector decodes the item's podSelector (matchLabels, matchExpressions);
// nil when the item selects every pod of its namespace.
func (e InternalEgress) Selector() (*metav1.LabelSelector, error) {
	if len(e.PodSelector) == 0 {
		return nil, nil
	}
	sel := &metav1.LabelSelector{}
	if err := strictDecode(e.PodSelector, sel); err != nil {
		return nil, err
	}
	return sel, nil
}

// PortList decodes the item's ports.
func (e InternalEgress) PortList() ([]EgressPort, error) {
	out := make([]EgressPort, 0, len(e.Ports))
	for i, p := range e.Ports {
		var ep EgressPort
		if err := strictDecode(p, &ep); err != nil {
			return nil, fmt.Errorf("ports[%d]: %w", i, err)
		}
		out = append(out, ep)
	}
	return out, nil
}

func strictDecode(in any, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(out)
}
