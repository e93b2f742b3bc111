package step

import (
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

func TestEducatesWidening(t *testing.T) {
	network := environment.Network{
		ExternalEgressCIDRs: []string{"0.0.0.0/0", "::/0"},
		PodCIDRs:            []string{"10.42.0.0/16"},
		ServiceCIDR:         "10.43.0.0/16",
		BlacklistIPs:        []string{"169.254.169.254", "fd00:ec2::254"},
	}
	for _, tc := range []struct {
		name   string
		egress bool
		blocks []string
		want   []string // "" = no warning
	}{
		{"Educates policy off", true, nil, nil},
		{"blocks cover every exclusion", true, []string{"169.254.169.254/32", "10.42.0.0/16", "10.43.0.0/16", "fd00:ec2::254/128"}, nil},
		{"IPv4 blocks only: Educates opens no IPv6", true, []string{"169.254.169.254/32", "10.42.0.0/16", "10.43.0.0/16"}, nil},
		{"pods and services re-opened", true, []string{"169.254.169.254/32"}, []string{"the excluded ranges 10.42.0.0/16, 10.43.0.0/16"}},
		{"external egress off", false, []string{"169.254.169.254/32", "10.42.0.0/16", "10.43.0.0/16"}, []string{"external addresses, although external egress is off"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := network
			n.EducatesBlockCIDRs = tc.blocks
			in := &pipeline.Input{Datalab: &api.Datalab{Name: "lab", Namespace: "team"}, Env: &environment.Config{Network: n}, Settings: environment.Settings{ExternalEgress: tc.egress}}
			np, err := newNetplan(in)
			if err != nil {
				t.Fatal(err)
			}
			got := educatesWidening(in, np)
			if len(tc.want) == 0 && got != "" {
				t.Errorf("unexpected warning: %s", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("want %q in %q", w, got)
				}
			}
		})
	}
}
