package step

import (
	"net/netip"
	"slices"
)

// ipBlock is one NetworkPolicy ipBlock: a CIDR and the ranges cut out of it.
type ipBlock struct {
	cidr   netip.Prefix
	except []netip.Prefix
}

// externalBlocks turns the operator's external egress CIDRs into ipBlocks.
// Each exception (blacklisted addresses, pod and service CIDRs) applies
// only to a CIDR of the same IP family that strictly contains it, because
// the API server rejects an except outside its cidr. An exception that
// covers a whole CIDR removes that CIDR: nothing of it stays reachable.
// Duplicates and exceptions inside other exceptions are dropped, and every
// list is sorted, so the output is stable.
func externalBlocks(cidrs, excepts []netip.Prefix) []ipBlock {
	cidrs = dedupe(cidrs)
	excepts = minimal(dedupe(excepts))
	var out []ipBlock
	for _, c := range cidrs {
		b := ipBlock{cidr: c}
		covered := false
		for _, e := range excepts {
			switch {
			case e.Addr().Is4() != c.Addr().Is4():
			case e.Bits() <= c.Bits() && e.Contains(c.Addr()):
				covered = true
			case e.Bits() > c.Bits() && c.Contains(e.Addr()):
				b.except = append(b.except, e)
			}
		}
		if !covered {
			out = append(out, b)
		}
	}
	return out
}

// dedupe returns the prefixes sorted (IPv4 first, then by address and
// length) without duplicates.
func dedupe(in []netip.Prefix) []netip.Prefix {
	out := slices.Clone(in)
	slices.SortFunc(out, comparePrefix)
	return slices.Compact(out)
}

func comparePrefix(a, b netip.Prefix) int {
	if c := a.Addr().Compare(b.Addr()); c != 0 {
		return c
	}
	return a.Bits() - b.Bits()
}

// minimal drops prefixes contained in another prefix of the list.
func minimal(sorted []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range sorted {
		inside := false
		for _, q := range sorted {
			if q != p && q.Bits() <= p.Bits() && q.Contains(p.Addr()) {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, p)
		}
	}
	return out
}

// span is an inclusive address range of one IP family.
type span struct{ lo, hi netip.Addr }

func spanOf(p netip.Prefix) span {
	p = p.Masked()
	lo := p.Addr()
	b := lo.As16()
	start := 128 - lo.BitLen() + p.Bits()
	for i := start; i < 128; i++ {
		b[i/8] |= 1 << (7 - uint(i%8))
	}
	hi := netip.AddrFrom16(b)
	if lo.Is4() {
		hi = hi.Unmap()
	}
	return span{lo, hi}
}

// universe is every address of a family.
func universe(v4 bool) span {
	if v4 {
		return spanOf(netip.MustParsePrefix("0.0.0.0/0"))
	}
	return spanOf(netip.MustParsePrefix("::/0"))
}

// union merges spans of one family into sorted, disjoint spans.
func union(in []span) []span {
	s := slices.Clone(in)
	slices.SortFunc(s, func(a, b span) int { return a.lo.Compare(b.lo) })
	var out []span
	for _, x := range s {
		if n := len(out); n > 0 {
			last := &out[n-1]
			if next := last.hi.Next(); !next.IsValid() || x.lo.Compare(next) <= 0 {
				if x.hi.Compare(last.hi) > 0 {
					last.hi = x.hi
				}
				continue
			}
		}
		out = append(out, x)
	}
	return out
}

// subtract returns a minus b (both unions of spans of one family).
func subtract(a, b []span) []span {
	a, b = union(a), union(b)
	var out []span
	for _, x := range a {
		cur := []span{x}
		for _, y := range b {
			var next []span
			for _, c := range cur {
				if y.hi.Compare(c.lo) < 0 || y.lo.Compare(c.hi) > 0 {
					next = append(next, c)
					continue
				}
				if y.lo.Compare(c.lo) > 0 {
					next = append(next, span{c.lo, y.lo.Prev()})
				}
				if y.hi.Compare(c.hi) < 0 {
					next = append(next, span{y.hi.Next(), c.hi})
				}
			}
			cur = next
		}
		out = append(out, cur...)
	}
	return out
}

// blocksSpans is the set of addresses a list of ipBlocks admits, for one
// family.
func blocksSpans(blocks []ipBlock, v4 bool) []span {
	var out []span
	for _, b := range blocks {
		if b.cidr.Addr().Is4() != v4 {
			continue
		}
		var ex []span
		for _, e := range b.except {
			ex = append(ex, spanOf(e))
		}
		out = append(out, subtract([]span{spanOf(b.cidr)}, ex)...)
	}
	return union(out)
}
