package step

import (
	"fmt"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// educatesWidening compares Educates' own egress policy with the
// Datalab's. When Educates' cluster configuration sets
// clusterNetwork.blockCIDRs, Educates adds the NetworkPolicy
// educates-network-policy to every workshop and session namespace, allowing
// egress to all addresses of each family it lists blocks for, except those
// blocks. NetworkPolicies add up, so that policy re-opens whatever the
// Datalab's policies deny. The policy step cannot read Educates'
// configuration; the operator mirrors it in network.educatesBlockCIDRs.
// The warning names what would be re-opened; "" when nothing is.
func educatesWidening(in *pipeline.Input, n netplan) string {
	blocks, err := parseAll(in.Env.Network.EducatesBlockCIDRs)
	if err != nil || len(blocks) == 0 {
		return ""
	}
	excepts, err := parseAll(append(append(append([]string{}, in.Env.Network.BlacklistIPs...), in.Env.Network.PodCIDRs...), in.Env.ServiceCIDRs()...))
	if err != nil {
		return ""
	}
	var reopened []string
	external := false
	for _, v4 := range []bool{true, false} {
		var bs []span
		for _, b := range blocks {
			if b.Addr().Is4() == v4 {
				bs = append(bs, spanOf(b))
			}
		}
		if len(bs) == 0 {
			continue // Educates adds no rule for a family without blocks
		}
		widened := subtract(subtract([]span{universe(v4)}, bs), blocksSpans(n.external, v4))
		if len(widened) == 0 {
			continue
		}
		// The ranges the Datalab excludes on purpose (metadata addresses,
		// pods and services of other tenants), then everything else.
		var ex []span
		for _, e := range minimal(dedupe(excepts)) {
			if e.Addr().Is4() != v4 {
				continue
			}
			ex = append(ex, spanOf(e))
			if len(intersect(widened, spanOf(e))) > 0 {
				reopened = append(reopened, e.String())
			}
		}
		if len(subtract(widened, ex)) > 0 {
			external = true
		}
	}
	if len(reopened) == 0 && !external {
		return ""
	}
	var what []string
	if len(reopened) > 0 {
		what = append(what, "the excluded ranges "+strings.Join(reopened, ", "))
	}
	if external {
		if in.Settings.ExternalEgress {
			what = append(what, "external addresses outside network.externalEgressCIDRs")
		} else {
			what = append(what, "external addresses, although external egress is off for this Datalab")
		}
	}
	return fmt.Sprintf("Educates' clusterNetwork.blockCIDRs is set (EnvironmentConfig.data.network.educatesBlockCIDRs), so Educates adds its own NetworkPolicy educates-network-policy to the workshop and session namespaces, allowing egress everywhere except those CIDRs; NetworkPolicies add up, so sessions can reach %s. Clear clusterNetwork.blockCIDRs in the Educates configuration and then this key (the Datalab policies block addresses through network.blacklistIPs), or block these ranges there too", strings.Join(what, " and "))
}

// intersect returns the parts of spans inside s.
func intersect(spans []span, s span) []span {
	return subtract(spans, subtract(spans, []span{s}))
}

// apiServerWarning says when sessions or vclusters cannot reach the
// Kubernetes API server: its endpoints are addresses outside the pod and
// service CIDRs, reached through external egress unless the operator lists
// them in network.apiServerCIDRs.
func apiServerWarning(in *pipeline.Input, sessions []kept, n netplan) string {
	if n.apiServer != nil || n.exclude[names.PolicyDenyEgress] || len(n.external) > 0 {
		return ""
	}
	vclusters := 0
	for _, k := range sessions {
		if k.vcluster {
			vclusters++
		}
	}
	if vclusters == 0 && !in.Settings.KubernetesAccess {
		return ""
	}
	who := "sessions with Kubernetes access"
	switch {
	case vclusters > 0 && in.Settings.KubernetesAccess:
		who = fmt.Sprintf("sessions with Kubernetes access and %d vcluster control planes", vclusters)
	case vclusters > 0:
		who = fmt.Sprintf("%d vcluster control planes", vclusters)
	}
	return fmt.Sprintf("external egress is off and EnvironmentConfig.data.network.apiServerCIDRs is empty, so %s cannot reach the Kubernetes API server; list its endpoint addresses (kubectl get endpointslices -l kubernetes.io/service-name=kubernetes) in network.apiServerCIDRs", who)
}
