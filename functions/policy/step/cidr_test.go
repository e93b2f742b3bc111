package step

import (
	"net/netip"
	"strings"
	"testing"
)

func prefixes(s ...string) []netip.Prefix {
	out := make([]netip.Prefix, 0, len(s))
	for _, x := range s {
		out = append(out, netip.MustParsePrefix(x))
	}
	return out
}

func render(blocks []ipBlock) string {
	var out []string
	for _, b := range blocks {
		s := b.cidr.String()
		if len(b.except) > 0 {
			var ex []string
			for _, e := range b.except {
				ex = append(ex, e.String())
			}
			s += " except " + strings.Join(ex, ",")
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func TestExternalBlocks(t *testing.T) {
	for _, tc := range []struct {
		name           string
		cidrs, excepts []netip.Prefix
		want           string
	}{
		{"the predecessor's golden",
			prefixes("0.0.0.0/0", "::/0"),
			prefixes("169.254.169.254/32", "169.254.42.42/32", "10.42.0.0/16", "10.43.0.0/16", "fd00:ec2::254/128", "fd00:42::42/128"),
			"0.0.0.0/0 except 10.42.0.0/16,10.43.0.0/16,169.254.42.42/32,169.254.169.254/32; ::/0 except fd00:42::42/128,fd00:ec2::254/128"},
		{"exceptions only inside their CIDR and family",
			prefixes("10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32"),
			prefixes("10.42.0.0/16", "172.16.0.0/12", "fd00:ec2::254/128", "2001:db8:1::/48"),
			"10.0.0.0/8 except 10.42.0.0/16; 192.168.0.0/16; 2001:db8::/32 except 2001:db8:1::/48"},
		{"an exception covering a CIDR removes it",
			prefixes("10.42.1.0/24", "169.254.42.42/32", "1.0.0.0/8"),
			prefixes("10.42.0.0/16", "169.254.42.42/32"),
			"1.0.0.0/8"},
		{"duplicates and nested exceptions collapse",
			prefixes("0.0.0.0/0", "0.0.0.0/0"),
			prefixes("10.42.0.0/16", "10.42.7.0/24", "10.42.0.0/16"),
			"0.0.0.0/0 except 10.42.0.0/16"},
		{"nothing configured", nil, prefixes("10.42.0.0/16"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(externalBlocks(tc.cidrs, tc.excepts)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestSpans(t *testing.T) {
	s := spanOf(netip.MustParsePrefix("10.0.0.0/8"))
	if s.lo.String() != "10.0.0.0" || s.hi.String() != "10.255.255.255" {
		t.Errorf("span of 10.0.0.0/8: %v", s)
	}
	s6 := spanOf(netip.MustParsePrefix("2001:db8::/32"))
	if s6.hi.String() != "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff" {
		t.Errorf("span of 2001:db8::/32: %v", s6)
	}
	whole := universe(true)
	rest := subtract([]span{whole}, []span{spanOf(netip.MustParsePrefix("10.0.0.0/8")), spanOf(netip.MustParsePrefix("8.0.0.0/7")), spanOf(netip.MustParsePrefix("0.0.0.0/5"))})
	if len(rest) != 1 || rest[0].lo.String() != "11.0.0.0" || rest[0].hi.String() != "255.255.255.255" {
		t.Errorf("subtract: %v", rest)
	}
	if u := union([]span{spanOf(netip.MustParsePrefix("10.0.0.0/9")), spanOf(netip.MustParsePrefix("10.128.0.0/9"))}); len(u) != 1 || u[0] != s {
		t.Errorf("union of adjacent halves: %v", u)
	}
	blocks := externalBlocks(prefixes("0.0.0.0/0"), prefixes("10.0.0.0/8"))
	if got := subtract([]span{whole}, blocksSpans(blocks, true)); len(got) != 1 || got[0] != s {
		t.Errorf("what 0.0.0.0/0 except 10.0.0.0/8 leaves out: %v", got)
	}
	if got := blocksSpans(blocks, false); len(got) != 0 {
		t.Errorf("IPv6 of an IPv4-only block: %v", got)
	}
}
