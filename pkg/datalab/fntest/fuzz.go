package fntest

import (
	"encoding/json"
	"slices"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

// ProtectionName is the ingress protection (a Kyverno ClusterPolicy) a
// generated delegated-mode environment names.
const ProtectionName = "datalab-session-nginx-external-auth"

// Secret markers: the credential values of the Secrets a generated request
// offers. Each is distinctive and none is a prefix of another, so a copy
// anywhere in a response is easy to find (CheckProperties).
const (
	// MarkerStorageAccess and MarkerStorageSecret are the tenant's object
	// storage keys (the storage Secret).
	MarkerStorageAccess = "FUZZ-SECRET-VALUE-1-STORAGE-ACCESS"
	MarkerStorageSecret = "FUZZ-SECRET-VALUE-2-STORAGE-SECRET"
	// MarkerLogin is the session login password (the <name>-session-login
	// Secret); a WorkshopSession carries it in spec.session.password.
	MarkerLogin = "FUZZ-SECRET-VALUE-3-SESSION-LOGIN"
	// MarkerDatabase is a database operator's application password.
	MarkerDatabase = "FUZZ-SECRET-VALUE-4-DATABASE"
	// MarkerOAuth is the Keycloak client secret.
	MarkerOAuth = "FUZZ-SECRET-VALUE-5-OAUTH-CLIENT"
	// MarkerForeign is in decoy Secrets of another namespace, which no
	// Datalab may read: it must not appear in a response at all.
	MarkerForeign = "FUZZ-SECRET-VALUE-9-FOREIGN"
)

// Markers are the credential values a generated request offers, for
// CheckProperties.
var Markers = []string{MarkerStorageAccess, MarkerStorageSecret, MarkerLogin, MarkerDatabase, MarkerOAuth}

// decoyNamespace holds the decoy Secrets; no generated Datalab lives there
// and no generated environment points there.
const decoyNamespace = "decoy-ns"

// Generated is a request generated from fuzz bytes, with the objects
// Crossplane finds when a function requires them.
type Generated struct {
	Request
	// World are the objects (JSON) of the cluster that Run resolves new
	// requirements from: Secrets, decoys in another namespace, the
	// Datalab's Namespace.
	World []string
	// Pending: Run returns the first response without resolving new
	// requirements (the first call of a reconcile).
	Pending bool
	// Replay: Run calls the function again with what it rendered as the
	// observed state (altered by the bytes in alter), as the next
	// reconcile would.
	Replay bool
	alter  []byte
	// world is World decoded.
	world []map[string]any
}

// invalidUTF8Logins lets the session login Secret carry invalid UTF-8.
// Off: the runtime step then fails with a Fatal result that quotes the
// value (the password) and names no field; turn it on once it reports
// such a Secret like any other unusable one.
const invalidUTF8Logins = true

// Likelihoods, out of 256, of a choice the bytes make. Exhausted bytes
// read as 0: every odds() is then false, so short inputs are typical ones.
const (
	rarely    = 6
	sometimes = 26
	often     = 77
	half      = 128
	mostly    = 200
)

// chooser reads fuzz bytes as a stream of choices. Past the end it reads
// zeros: the first (most typical) entry of every vocabulary.
type chooser struct {
	data []byte
	pos  int
}

func (c *chooser) byte() byte {
	if c.pos >= len(c.data) {
		return 0
	}
	b := c.data[c.pos]
	c.pos++
	return b
}

// n is a choice in [0, k).
func (c *chooser) n(k int) int {
	if k <= 1 {
		return 0
	}
	return int(c.byte()) % k
}

// odds is true with likelihood p/256.
func (c *chooser) odds(p int) bool { return int(c.byte()) >= 256-p }

func (c *chooser) bool() bool { return c.byte()&1 == 1 }

// rawWord in a vocabulary stands for a string taken from the bytes.
const rawWord = "\x00raw"

// word picks from a vocabulary.
func (c *chooser) word(vs ...string) string {
	v := vs[c.n(len(vs))]
	if v == rawWord {
		return c.raw(40)
	}
	return v
}

// raw is up to max bytes of the input as a string.
func (c *chooser) raw(max int) string {
	n := c.n(max + 1)
	end := min(c.pos+n, len(c.data))
	s := string(c.data[c.pos:end])
	c.pos = end
	return s
}

// take returns the next n bytes (fewer at the end).
func (c *chooser) take(n int) []byte {
	end := min(c.pos+n, len(c.data))
	b := slices.Clone(c.data[c.pos:end])
	c.pos = end
	return b
}

type session struct {
	name, state string
	vcluster    bool
}

// gen is the state of one generation.
type gen struct {
	c                 *chooser
	name, namespace   string
	labels, annots    map[string]string
	envName           string
	env, spec         map[string]any
	auth              string // effective auth type, lower case
	keycloak          bool
	secretName        string
	secretNamespace   string
	users             []string
	sessions          []session
	hosts             []string
	classes           []string
	memory, budget    string
	role, policy      string
	observed, desired map[string]string
	world             []string
}

// Generate turns fuzz bytes into a mostly valid request for one Datalab:
// its metadata, spec and EnvironmentConfig, observed and desired composed
// resources, and the Secrets Crossplane finds for it. The same bytes give
// the same request.
func Generate(data []byte) Generated {
	g := &gen{c: &chooser{data: data}, observed: map[string]string{}, desired: map[string]string{}}
	g.metadata()
	g.genEnv()
	g.genSpec()
	g.genWorld()
	g.genObserved()
	g.genDesired()
	out := Generated{
		Request: Request{
			Name: g.name, Namespace: g.namespace, Labels: g.labels, Annotations: g.annots,
			Spec: toJSON(g.spec), Env: toJSON(g.env), Observed: g.observed, Desired: g.desired,
		},
		World: g.world,
	}
	for _, js := range g.world {
		var o map[string]any
		if json.Unmarshal([]byte(js), &o) == nil {
			out.world = append(out.world, o)
		}
	}
	out.Pending = g.c.odds(rarely)
	out.Replay = g.c.odds(often)
	out.alter = g.c.take(8)
	return out
}

func (g *gen) tenant() names.Tenant { return names.Tenant{Namespace: g.namespace, Name: g.name} }
