package names

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

// labels returns every DNS label derived for one (namespace, name, session).
func labels(t Tenant, session, domain string) map[string]string {
	out := map[string]string{
		"id":                t.ID(),
		"environment":       t.Environment(session),
		"session":           t.Session(session),
		"session namespace": t.SessionNamespace(session),
		"vcluster":          t.VClusterNamespace(session),
	}
	for i, h := range t.Hosts(session, domain) {
		out[fmt.Sprintf("host %d", i)] = strings.TrimSuffix(h, "."+domain)
	}
	return out
}

func randomName(r *rand.Rand, max int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789-"
	n := 1 + r.IntN(max)
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	// A DNS label starts and ends alphanumeric.
	b[0], b[n-1] = 'a', 'z'
	return string(b)
}

// TestDerivedNamesAreDNSLabels generates many (namespace, name, session)
// triples at and below the length limits and checks every derived label is
// a valid DNS-1123 label of at most 63 characters.
func TestDerivedNamesAreDNSLabels(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		tn := Tenant{Namespace: randomName(r, 63), Name: randomName(r, 63)}
		session := randomName(r, MaxSessionName)
		for what, l := range labels(tn, session, "datalab.example.com") {
			if errs := validation.IsDNS1123Label(l); len(errs) > 0 {
				t.Fatalf("%s %q for %+v/%s: %v", what, l, tn, session, errs)
			}
		}
		// Object names (PVCs) are DNS subdomains, not labels.
		if errs := validation.IsDNS1123Subdomain(tn.WorkspaceVolume(session)); len(errs) > 0 {
			t.Fatalf("workspace volume %q: %v", tn.WorkspaceVolume(session), errs)
		}
	}
}

// TestNamesAreTenantUnique: Datalabs that differ only in namespace, or whose
// names agree in the first 14 characters, never share a global name.
func TestNamesAreTenantUnique(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	seen := map[string]Tenant{}
	long := strings.Repeat("a", 14)
	var tenants []Tenant
	for i := 0; i < 5000; i++ {
		ns := randomName(r, 20)
		tenants = append(tenants,
			Tenant{Namespace: ns, Name: "team-wonderland"},
			Tenant{Namespace: ns, Name: long + randomName(r, 20)})
	}
	for _, tn := range tenants {
		env := tn.Environment("default")
		if prev, ok := seen[env]; ok && prev != tn {
			t.Fatalf("%+v and %+v share environment %q", prev, tn, env)
		}
		seen[env] = tn
	}
}

func TestIDIsStable(t *testing.T) {
	a := Tenant{Namespace: "default", Name: "team-wonderland"}
	if a.ID() != "team-wonderlan-ab282b6c3ffd5830" {
		t.Fatalf("ID changed: %s (renaming it would recreate every tenant's objects)", a.ID())
	}
	b := Tenant{Namespace: "other", Name: "team-wonderland"}
	if a.ID() == b.ID() {
		t.Fatal("same-named Datalabs in different namespaces share an ID")
	}
}

// birthdayTenants is enough identities with one stem that a hash of 32 bits
// or fewer collides among them (about five expected pairs at 32 bits),
// while 64 bits make a collision as likely as 1 in 10^9.
const birthdayTenants = 200_000

// TestTenantIDsResistChosenCollisions: a tenant choosing its namespace and
// name must not reach another tenant's ID. Every tenant here has the same
// name stem, so only the hash keeps them apart; with a short hash the
// birthday bound finds pairs, as a brute-forcing tenant would.
func TestTenantIDsResistChosenCollisions(t *testing.T) {
	seen := make(map[string]int, birthdayTenants)
	for i := range birthdayTenants {
		id := Tenant{Namespace: fmt.Sprintf("ns-%d", i), Name: "victim"}.ID()
		if j, ok := seen[id]; ok {
			t.Fatalf("namespaces ns-%d and ns-%d give Datalab victim the same tenant ID %s", j, i, id)
		}
		seen[id] = i
	}
}

// TestDerivedNamesDoNotOverlapAcrossTenants: names derived for one tenant
// (environment, session, vcluster namespace, hosts) never equal names of
// another, including tenants whose name embeds the first one's ID.
func TestDerivedNamesDoNotOverlapAcrossTenants(t *testing.T) {
	victim := Tenant{Namespace: "team", Name: "a"}
	all := func(tn Tenant, session string) []string {
		var out []string
		for _, l := range labels(tn, session, "d") {
			out = append(out, l)
		}
		return out
	}
	owner := map[string]string{}
	for _, n := range all(victim, "default") {
		owner[n] = "victim"
	}
	// Attackers embed the victim's ID and suffixes in their name, namespace
	// and session names.
	id := victim.ID()
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 20000 {
		name := strings.Trim(id[:1+r.IntN(len(id))]+"-"+randomName(r, 10), "-")
		if len(name) > 63 {
			name = name[:63]
		}
		at := Tenant{Namespace: randomName(r, 10), Name: name}
		for _, sess := range []string{"default", "default-ws", "ws", randomName(r, MaxSessionName)} {
			for _, n := range all(at, sess) {
				if owner[n] == "victim" {
					t.Fatalf("attacker %d %+v session %q reaches the victim's name %q", i, at, sess, n)
				}
			}
		}
	}
}
