package environment

import "testing"

func TestParseCIDR(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.0/8":          "10.0.0.0/8",
		" 169.254.169.254":    "169.254.169.254/32",
		"fd00:ec2::254":       "fd00:ec2::254/128",
		"::/0":                "::/0",
		"10.0.0.1/8":          "error",
		"::ffff:10.0.0.0/104": "error",
		"10.0.0.0/33":         "error",
		"fe80::1%eth0":        "error",
		"":                    "error",
	} {
		p, err := ParseCIDR(in)
		got := p.String()
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("ParseCIDR(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestPolicyDefaults(t *testing.T) {
	c := &Config{}
	if c.MountClass() != DefaultMountStorageClass || c.DNSNamespace() != "kube-system" || len(c.APIServerPorts()) != 2 || c.AllowPrivileged() || c.IngressControllerConfigured() {
		t.Error("defaults")
	}
	c.Network.ServiceCIDR = "10.43.0.0/16, fd00:43::/112"
	if got := c.ServiceCIDRs(); len(got) != 2 || got[1] != "fd00:43::/112" {
		t.Errorf("ServiceCIDRs %v", got)
	}
	e := InternalEgress{PodSelector: map[string]any{"matchLabels": map[string]any{"a": "b"}}, Ports: []map[string]any{{"port": "http"}, {"port": 80, "endPort": 90}}}
	if sel, err := e.Selector(); err != nil || sel.MatchLabels["a"] != "b" {
		t.Errorf("Selector %v %v", sel, err)
	}
	if ports, err := e.PortList(); err != nil || ports[0].Port.String() != "http" || *ports[1].EndPort != 90 {
		t.Errorf("PortList %v %v", ports, err)
	}
	if _, err := (InternalEgress{Ports: []map[string]any{{"prot": "TCP"}}}).PortList(); err == nil {
		t.Error("unknown port field accepted")
	}
}
