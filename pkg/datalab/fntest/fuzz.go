package fntest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

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

func (g *gen) metadata() {
	c := g.c
	g.namespace = c.word("team", "default", "research", "team-a")
	if c.odds(rarely) {
		g.namespace = c.word("shared", "kube-system", "ingress-nginx", strings.Repeat("n", 63), "x", "lab")
	}
	g.name = c.word("lab", "team-wonderland", "alice", "ml-lab", "p1")
	if c.odds(sometimes) {
		other := names.Tenant{Namespace: "other", Name: g.name}.ID()
		g.name = c.word(other, other+"-ws", g.name+"-storage", g.name+"-session-login", g.name+"-services",
			strings.Repeat("a", 63), strings.Repeat("b", 64), "Lab", "data-lab", "editor-lab", "a.b", "lab_1",
			"-lab", "lab-", "pg-x-0123456789abcdef-auth", rawWord)
	}
	if g.name == "" {
		g.name = "lab" // Build's default
	}
	g.envName = environment.DefaultName
	if c.odds(sometimes) {
		sel := c.word("datalab", "sandbox", "gpu", " sandbox ", "", rawWord)
		switch c.n(3) {
		case 0:
			g.annots = map[string]string{environment.SelectorKey: sel}
		case 1:
			g.labels = map[string]string{environment.SelectorKey: sel}
		default:
			g.annots = map[string]string{environment.SelectorKey: sel}
			g.labels = map[string]string{environment.SelectorKey: c.word("datalab", "other")}
		}
		g.envName = environment.SelectName(g.annots, g.labels)
	}
	if c.odds(sometimes) {
		if g.labels == nil {
			g.labels = map[string]string{}
		}
		g.labels[c.word("app.kubernetes.io/name", compose.LabelDatalab, compose.LabelNamespace, "crossplane.io/composite")] = c.word("lab", "other", "")
	}
	if c.odds(sometimes) {
		if g.annots == nil {
			g.annots = map[string]string{}
		}
		g.annots[c.word("crossplane.io/external-name", "note", compose.AnnotationCredentials)] = c.word("x", "", rawWord)
	}
}

func (g *gen) genEnv() {
	c := g.c
	e := map[string]any{}
	auth := c.word("delegated", "credentials")
	if c.odds(rarely) {
		auth = c.word("", "CREDENTIALS", " delegated ", "oidc", "none")
	}
	e["auth"] = map[string]any{"type": auth}
	g.auth = strings.ToLower(strings.TrimSpace(auth))
	if g.auth == "" {
		g.auth = environment.AuthCredentials
	}

	ing := map[string]any{"domain": c.word("datalab.example.com", "example.org", "labs.internal"), "namespace": "ingress-nginx"}
	if c.bool() {
		ing["class"] = "nginx"
	}
	if c.odds(rarely) {
		switch c.n(4) {
		case 0:
			ing["domain"] = c.word("Bad_Domain", "-x.example.com", "a..b", rawWord)
		case 1:
			delete(ing, "namespace")
		case 2:
			ing["namespace"] = c.word("Bad_NS", "")
		default:
			ing["secret"] = c.word("tls", "Bad_Secret")
		}
	}
	e["ingress"] = ing

	st := map[string]any{"endpoint": "https://s3.example.com", "region": "eu-central-1", "provider": "Other"}
	if c.odds(often) {
		delete(st, c.word("endpoint", "region", "provider"))
	}
	g.secretNamespace = g.namespace
	if c.odds(sometimes) {
		st["secretNamespace"] = "shared"
		g.secretNamespace = "shared"
	}
	if c.odds(rarely) {
		switch c.n(4) {
		case 0:
			st["endpoint"] = "https://s3.example.com/ x"
		case 1:
			st["secretNamespace"] = c.word("Bad NS", g.namespace)
			g.secretNamespace = strings.TrimSpace(st["secretNamespace"].(string))
		case 2:
			st["type"] = c.word("gcs", "S3")
		default:
			st["force_path_style"] = c.word("maybe", "false", "1")
		}
	}
	e["storage"] = st

	switch c.n(3) {
	case 0:
		g.classes = []string{"standard", "fast"}
	case 1:
		g.classes = []string{"standard"}
	}
	if g.classes != nil {
		e["storageClasses"] = map[string]any{"allowed": g.classes}
	}

	ret := c.word("Retain", "Delete", "")
	if c.odds(rarely) {
		ret = "Keep"
	}
	e["retention"] = map[string]any{"policy": ret}

	if c.odds(often) {
		roles := []any{"view", "edit"}
		if c.bool() {
			roles = append(roles, "admin")
		}
		lim := map[string]any{"maxSessions": []int{5, 3, 1}[c.n(3)], "maxMemory": "8Gi", "maxStorage": "20Gi",
			"allowPrivileged": c.bool(), "allowedKubernetesRoles": roles, "maxServices": 5}
		if c.odds(sometimes) {
			lim["allowedSecurityPolicies"] = []any{"restricted", "baseline"}
		}
		if c.odds(rarely) {
			switch c.n(3) {
			case 0:
				lim["maxSessions"] = -1
			case 1:
				lim["maxMemory"] = c.word("x", "0")
			default:
				lim["allowedKubernetesRoles"] = []any{"root"}
			}
		}
		e["limits"] = lim
	}

	if c.odds(mostly) {
		n := map[string]any{"externalEgressCIDRs": []any{"0.0.0.0/0", "::/0"}, "podCIDRs": []any{"10.42.0.0/16"},
			"serviceCIDR": "10.43.0.0/16", "blacklistIPs": []any{"169.254.169.254", "fd00:ec2::254"}}
		if c.odds(sometimes) {
			n["apiServerCIDRs"] = []any{"10.0.0.1"}
		}
		if c.odds(rarely) {
			n[c.word("externalEgressCIDRs", "podCIDRs", "blacklistIPs")] = []any{c.word("x", "10.0.0.1/8", "10.0.0.0")}
		}
		e["network"] = n
	}

	engine := c.word("crunchy", "", "cloudnative-pg")
	if c.odds(rarely) {
		engine = c.word("mysql", "CloudNative-PG")
	}
	db := map[string]any{"engine": engine}
	if strings.EqualFold(engine, environment.EngineCloudNativePG) != c.odds(sometimes) {
		db["backup"] = map[string]any{"s3": map[string]any{"bucket": "datalab-backups", "endpoint": "https://s3.example.com",
			"region": "eu-central-1", "secretName": "datalab-backup-s3"}}
	}
	e["database"] = db

	if c.odds(often) {
		iam := map[string]any{"realm": "datalab", "extraAudiences": []any{"workspace-api"}}
		g.keycloak = true
		if c.odds(sometimes) {
			iam["enabled"] = "false"
			g.keycloak = false
		}
		if c.odds(rarely) {
			iam["extraAudiences"] = []any{c.word("!!", "", "Workspace API")}
		}
		e["iam"] = iam
	}

	if c.odds(sometimes) {
		d := map[string]any{"quota": map[string]any{"memory": "1Gi", "budget": "small"}, "security": map[string]any{"policy": "restricted"}}
		if c.odds(rarely) {
			d["quota"] = map[string]any{"memory": c.word("x", "-1Gi", "1Ki")}
		}
		e["defaults"] = d
	}

	if c.odds(sometimes) {
		e["providerConfigRef"] = map[string]any{"name": "provider-kubernetes", "kind": c.word("ClusterProviderConfig", "ProviderConfig", "Foo")}
	}

	switch {
	case g.envName != environment.DefaultName && !c.odds(sometimes):
		e["tenancy"] = map[string]any{"namespaces": []any{g.namespace}}
	case c.odds(rarely):
		e["tenancy"] = map[string]any{"namespaces": []any{c.word("other", g.namespace)}}
	}
	g.env = e
}

// pick n distinct words of vocab, starting at a chosen one.
func (g *gen) distinct(n int, vocab ...string) []string {
	start := g.c.n(len(vocab))
	out := make([]string, 0, n)
	for i := 0; i < n && i < len(vocab); i++ {
		out = append(out, vocab[(start+i)%len(vocab)])
	}
	return out
}

func (g *gen) genSpec() {
	c := g.c
	s := map[string]any{}

	g.users = g.distinct([]int{1, 2, 0, 3}[c.n(4)], "alice", "bob", "carol", "dave-1")
	if c.odds(sometimes) && len(g.users) > 0 {
		g.users[c.n(len(g.users))] = c.word("", " alice", "Alice", "al", "a:b", "postgres", "pg_x", "*", "carol@example.com", "alice", rawWord)
	}
	if len(g.users) > 0 || c.odds(rarely) {
		s["users"] = g.users
	}
	if len(g.users) > 0 && c.odds(often) {
		u := g.users[c.n(len(g.users))]
		role := c.word("admin", "user")
		if c.odds(rarely) {
			u = c.word("mallory", "")
			role = c.word("admin", "god")
		}
		s["userOverrides"] = map[string]any{u: map[string]any{"role": role}}
	}

	for _, name := range g.distinct([]int{1, 2, 0, 3}[c.n(4)], "default", "s1", "dev", "analysis", "x") {
		if c.odds(rarely) {
			name = c.word("Bad_Name", "", strings.Repeat("s", 21), "default-ws", "s1-vc", "dev", "a.b", rawWord)
		}
		st := c.word("", "started", "stopped", "")
		if c.odds(rarely) {
			st = c.word("running", "paused", "Started", "bogus")
		}
		g.sessions = append(g.sessions, session{name: name, state: st, vcluster: c.odds(sometimes)})
	}
	if len(g.sessions) > 0 {
		legacy := c.odds(rarely)
		var list []any
		for _, ss := range g.sessions {
			if legacy {
				list = append(list, ss.name)
				continue
			}
			item := map[string]any{"name": ss.name}
			if ss.state != "" {
				item["state"] = ss.state
			}
			if ss.vcluster {
				item["vcluster"] = true
			}
			list = append(list, item)
		}
		s["sessions"] = list
	}
	if c.odds(sometimes) {
		s["vcluster"] = true
	}

	if n := []int{0, 1, 0, 2}[c.n(4)]; n > 0 {
		var files []any
		for range n {
			files = append(files, g.file())
		}
		s["files"] = files
	}

	if c.odds(often) {
		g.secretName = c.word("creds", "s3-credentials", "team-bucket")
		if c.odds(sometimes) {
			g.secretName = c.word(names.StorageSecret(g.name), names.SessionLoginSecret(g.name), "other-services", "Bad_Name",
				strings.Repeat("c", 254), "pg-a-0123456789abcdef-auth", " creds ", rawWord)
		}
		s["secretName"] = g.secretName
	}

	g.memory, g.budget, g.role, g.policy = "2Gi", "medium", "edit", "baseline"
	if c.odds(often) {
		q := map[string]any{}
		if c.bool() {
			g.memory = c.word("2Gi", "512Mi", "4Gi", "1Gi")
			if c.odds(sometimes) {
				g.memory = c.word("0", "-1Gi", "1Ki", "2Ei", "x", "64Gi", "0.5")
			}
			q["memory"] = g.memory
		}
		if c.bool() {
			q["storage"] = c.word("1Gi", "10Gi", "30Gi")
		}
		if c.bool() {
			g.budget = c.word("small", "medium", "large", "x-large")
			if c.odds(sometimes) {
				g.budget = "huge"
			}
			q["budget"] = g.budget
		}
		s["quota"] = q
	}
	if c.odds(often) {
		sec := map[string]any{}
		if c.bool() {
			g.policy = c.word("baseline", "restricted", "baseline", "privileged")
			sec["policy"] = g.policy
		}
		if c.bool() {
			g.role = c.word("edit", "view", "admin")
			if c.odds(rarely) {
				g.role = "root"
			}
			sec["kubernetesRole"] = g.role
		}
		if c.bool() {
			sec["kubernetesAccess"] = c.bool()
		}
		if c.bool() {
			sec["externalEgress"] = c.bool()
		}
		s["security"] = sec
	}
	if c.odds(sometimes) {
		r := map[string]any{"enabled": !c.odds(sometimes), "storage": c.word("5Gi", "1Gi")}
		if c.odds(rarely) {
			r["storage"] = c.word("1Ti", "x")
		}
		s["registry"] = r
	}
	if c.odds(sometimes) {
		s["data"] = map[string]any{"enabled": c.bool(), "readOnlyMount": c.bool()}
	}
	if c.odds(sometimes) {
		class := "standard"
		if c.odds(sometimes) {
			class = c.word("gold", "fast")
		}
		s["persistence"] = map[string]any{"storageClassName": class}
	}

	if n := []int{0, 1, 0, 2}[c.n(4)]; n > 0 {
		dbs := map[string]any{}
		for _, h := range g.distinct(n, "pg", "main", "pg0") {
			dbNames := []any{}
			for _, d := range g.distinct(1+c.n(2), "app_db", "analytics", "raw_events") {
				dbNames = append(dbNames, d)
			}
			db := map[string]any{"names": dbNames, "storage": "1Gi", "backupStorage": "3Gi"}
			if c.odds(rarely) {
				switch c.n(5) {
				case 0:
					db["names"] = []any{c.word(" ", "postgres", "Bad-Name", "app_db")}
					dbNames = append(dbNames, "app_db")
				case 1:
					db["storage"] = c.word("", "-1Gi", "x")
				case 2:
					h = c.word("Bad_Host", strings.Repeat("h", 31), "1pg")
				case 3:
					db["storageClassName"] = c.word("gold", "fast")
				default:
					delete(db, "backupStorage")
				}
			}
			g.hosts = append(g.hosts, h)
			dbs[h] = db
		}
		s["databases"] = dbs
	}
	for _, kind := range []string{"documentStores", "cacheStores", "vectorStores"} {
		if !c.odds(often) {
			continue
		}
		name := c.word("prod", "cache", "vec")
		store := map[string]any{"storage": c.word("1Gi", "2Gi")}
		if c.odds(rarely) {
			switch c.n(3) {
			case 0:
				store["storage"] = "x"
			case 1:
				name = c.word("Prod", "", strings.Repeat("p", 31))
			default:
				store["storageClassName"] = "gold"
			}
		}
		s[kind] = map[string]any{name: store}
	}

	if c.odds(rarely) {
		// Type confusion: a field of the wrong JSON type.
		switch c.n(4) {
		case 0:
			s["users"] = "alice"
		case 1:
			s["sessions"] = map[string]any{"name": "x"}
		case 2:
			s["quota"] = []any{1}
		default:
			s["databases"] = "pg"
		}
	}
	g.spec = s
}

func (g *gen) file() map[string]any {
	c := g.c
	kinds := []string{"git", "http", "image"}
	urls := map[string]string{"git": "https://github.com/org/repo.git", "http": "https://example.com/x.tar.gz", "image": "ghcr.io/org/content:v1"}
	k := kinds[c.n(3)]
	src := map[string]any{"url": urls[k]}
	f := map[string]any{k: src}
	if c.odds(often) {
		src["secretRef"] = g.secretRef()
	}
	if c.odds(sometimes) {
		src["secretRefs"] = []any{g.secretRef(), g.secretRef()}
	}
	if c.odds(sometimes) {
		src["verification"] = map[string]any{"publicKeysSecretRef": g.secretRef()}
	}
	if c.odds(half) {
		f["path"] = c.word(".", "data", "workshop/content")
		if c.odds(sometimes) {
			f["path"] = c.word("../x", "/abs", "a/../../b", "..", "data/..", rawWord)
		}
	}
	if c.odds(rarely) {
		switch c.n(4) {
		case 0:
			src["url"] = ""
		case 1:
			f[kinds[(c.n(2)+1+slices.Index(kinds, k))%3]] = map[string]any{"url": "https://example.com/y"}
		case 2:
			delete(f, k)
		default:
			f["path"] = 5
		}
	}
	return f
}

func (g *gen) secretRef() map[string]any {
	c := g.c
	ref := map[string]any{"name": c.word("git-creds", "registry-creds", "keys")}
	if c.odds(half) {
		ref["namespace"] = g.namespace
	}
	if c.odds(sometimes) {
		switch c.n(2) {
		case 0:
			ref["name"] = c.word(names.StorageSecret(g.name), names.SessionLoginSecret(g.name), "other-oauth-client",
				"pg-x-0123456789abcdef-app", "x-oauth2-client", "y-services")
		default:
			ref["namespace"] = c.word("other", "kube-system", decoyNamespace)
		}
	}
	return ref
}

// secret is a v1 Secret with data (base64) or stringData.
func secret(namespace, name string, labels map[string]string, stringData bool, kv ...string) map[string]any {
	d := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		if stringData {
			d[kv[i]] = kv[i+1]
		} else {
			d[kv[i]] = base64.StdEncoding.EncodeToString([]byte(kv[i+1]))
		}
	}
	meta := map[string]any{"name": name, "namespace": namespace}
	if len(labels) > 0 {
		meta["labels"] = labels
	}
	s := map[string]any{"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": meta}
	if stringData {
		s["stringData"] = d
	} else {
		s["data"] = d
	}
	return s
}

// genWorld puts the Secrets the functions read into the cluster, each
// sometimes missing or unusable, and decoys of the same names elsewhere.
func (g *gen) genWorld() {
	c := g.c
	add := func(o map[string]any) { g.world = append(g.world, toJSON(o)) }

	storageName := strings.TrimSpace(g.secretName)
	if storageName == "" {
		storageName = g.name
	}
	if !c.odds(sometimes) {
		kv := []string{"AWS_ACCESS_KEY_ID", MarkerStorageAccess, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret}
		if c.odds(sometimes) {
			kv = []string{c.word("accessKey", "username", "CONSOLE_ACCESS_KEY", "attribute.access"), MarkerStorageAccess,
				c.word("secretKey", "password", "CONSOLE_SECRET_KEY", "attribute.secret"), MarkerStorageSecret}
		}
		if c.odds(sometimes) {
			kv = append(kv, c.word("AWS_ENDPOINT_URL", "AWS_REGION"), c.word("https://minio.example.com", "us-east-1", "a b"))
		}
		if c.odds(rarely) {
			switch c.n(3) {
			case 0:
				kv = kv[:2] // no secret key
			case 1:
				kv[3] += " " + MarkerStorageSecret // not a single token
			default:
				kv[1] = "" // empty access key
			}
		}
		var labels map[string]string
		if g.secretNamespace != g.namespace {
			if !c.odds(sometimes) {
				labels = map[string]string{compose.LabelNamespace: g.namespace}
				if c.bool() {
					labels[compose.LabelDatalab] = g.name
				}
			} else {
				labels = map[string]string{compose.LabelNamespace: c.word("other", g.namespace), compose.LabelDatalab: c.word("other", g.name)}
			}
		}
		if c.odds(rarely) {
			if labels == nil {
				labels = map[string]string{}
			}
			labels[c.word("crossplane.io/composite", compose.LabelComponent)] = "x"
		}
		s := secret(g.secretNamespace, storageName, labels, c.odds(sometimes), kv...)
		if c.odds(rarely) {
			s["data"] = map[string]any{"AWS_ACCESS_KEY_ID": "!!not base64", "AWS_SECRET_ACCESS_KEY": 7}
		}
		add(s)
	}

	login := names.SessionLoginSecret(g.name)
	if !c.odds(sometimes) {
		user := "alice"
		if len(g.users) > 0 {
			// As the identity step writes it (JSON strings are UTF-8).
			user = strings.ToValidUTF8(g.users[0], "\uFFFD")
		}
		kv := []string{"username", user, "password", MarkerLogin}
		if c.odds(rarely) {
			kv = kv[:2]
		}
		if invalidUTF8Logins && c.odds(rarely) {
			kv[len(kv)-1] += "\xff" // bytes a person may write into the Secret
		}
		// The identity step composed it: Crossplane's and the Datalab's
		// labels; rarely a Secret of the tenant's own under that name.
		labels := compose.TenantLabels(g.namespace, g.name)
		labels["crossplane.io/composite"] = g.name
		if c.odds(rarely) {
			labels = nil
		}
		add(secret(g.namespace, login, labels, false, kv...))
	}
	if !c.odds(often) {
		add(secret(g.namespace, names.OAuthClientSecret(g.name), nil, false,
			c.word("attribute.client_secret", "client_secret", "clientSecret"), MarkerOAuth))
	}
	t := g.tenant()
	for _, h := range g.hosts {
		if c.odds(often) {
			continue
		}
		cluster := t.PostgresCluster(h)
		for _, engine := range environment.Engines {
			add(secret(g.namespace, names.PostgresAppSecret(engine, cluster), nil, false, "user", "app", "password", MarkerDatabase))
		}
	}
	// Rarely, objects under names a step derives that belong to another
	// Datalab or to nobody (the steps must not take them over).
	if c.odds(sometimes) {
		other := compose.TenantLabels(g.namespace, "other")
		switch c.n(3) {
		case 0:
			cm := manifest("v1", "ConfigMap", g.namespace, names.IngressAuth(g.name))
			cm["metadata"].(map[string]any)["labels"] = other
			add(cm)
		case 1:
			s := "default"
			if len(g.sessions) > 0 {
				s = g.sessions[0].name
			}
			w := manifest(educates, "Workshop", "", t.Environment(s))
			if c.bool() {
				w["metadata"].(map[string]any)["labels"] = other
			}
			add(w)
		default:
			add(secret(g.namespace, names.ServicesSecret(g.name), nil, false, "x", "y"))
		}
	}
	// The Datalab's Namespace, for a tenancy namespace selector.
	add(map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": g.namespace,
		"labels": map[string]any{"kubernetes.io/metadata.name": g.namespace}}})
	// Decoys: the same names in a namespace no Datalab may read.
	for _, n := range []string{storageName, g.name, login, names.OAuthClientSecret(g.name), "git-creds", "creds"} {
		add(secret(decoyNamespace, n, map[string]string{compose.LabelNamespace: g.namespace, compose.LabelDatalab: g.name}, false,
			"AWS_ACCESS_KEY_ID", MarkerForeign, "AWS_SECRET_ACCESS_KEY", MarkerForeign, "password", MarkerForeign, "username", MarkerForeign,
			"client_secret", MarkerForeign))
	}
}

// object wraps a manifest in a provider-kubernetes Object.
func object(name string, manifest map[string]any) map[string]any {
	return compose.Object(name, manifest, compose.ObjectOptions{ProviderConfig: environment.ProviderConfigRef{Name: environment.DefaultProviderConfig, Kind: "ProviderConfig"}})
}

func manifest(apiVersion, kind, namespace, name string) map[string]any {
	return compose.Manifest(apiVersion, kind, namespace, name, nil)
}

const educates = "training.educates.dev/v1beta1"

// genObserved adds composed resources an earlier reconcile left: kept
// credentials, retained volumes and services.
func (g *gen) genObserved() {
	c := g.c
	t := g.tenant()
	put := func(key string, o map[string]any) {
		meta := o["metadata"].(map[string]any)
		meta["namespace"] = g.namespace
		meta["uid"] = "uid-" + key
		meta["annotations"] = map[string]any{"crossplane.io/composition-resource-name": key}
		g.observed[key] = toJSON(o)
	}
	if c.odds(often) {
		s := secret(g.namespace, names.StorageSecret(g.name), compose.TenantLabels(g.namespace, g.name), false,
			"AWS_ACCESS_KEY_ID", MarkerStorageAccess, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret)
		put(string(compose.StorageCredentialsKey), s)
	}
	if c.odds(often) {
		put(string(compose.LoginSecretKey), secret(g.namespace, names.SessionLoginSecret(g.name), nil, false, "username", "alice", "password", MarkerLogin))
	}
	if c.odds(sometimes) {
		put(string(compose.OAuthSecretKey), secret(g.namespace, names.OAuthSecret(g.name), nil, false, "client_id", t.ID(), "client_secret", MarkerOAuth))
	}
	if c.odds(sometimes) {
		// A session removed from the spec whose volume is retained.
		old := c.word("old", "default", "s1")
		pvc := manifest("v1", "PersistentVolumeClaim", t.Environment(old), t.WorkspaceVolume(old))
		put(string(compose.WorkspaceKey(old)), object("vol-"+t.WorkspaceVolume(old), pvc))
		if c.bool() {
			ws := manifest(educates, "Workshop", "", t.Environment(old))
			put(string(compose.WorkshopKey(old)), object(t.Environment(old), ws))
		}
	}
	if c.odds(sometimes) {
		// A service removed from the spec, kept by the retention policy.
		host := c.word("old", "pg")
		cr := t.PostgresCluster(host)
		o := object(cr, manifest("postgres-operator.crunchydata.com/v1beta1", "PostgresCluster", g.namespace, cr))
		o["metadata"].(map[string]any)["labels"] = map[string]any{compose.LabelComponent: compose.ComponentBackends,
			compose.LabelService: names.ServiceID(names.KindPostgreSQL, host), compose.LabelStateful: "true"}
		put(string(compose.PostgresKey(host)), o)
	}
	if c.odds(sometimes) {
		put(string(compose.ServicesSecretKey), secret(g.namespace, names.ServicesSecret(g.name), nil, false,
			"PG_PASSWORD", MarkerDatabase, "PG_HOST", "pg"))
	}
}

// genDesired adds what the earlier pipeline steps rendered: the runtime's
// Workshops, environments, sessions and volumes, the storage and login
// Secrets, and rarely something a hostile step composed.
func (g *gen) genDesired() {
	c := g.c
	t := g.tenant()
	put := func(key string, o map[string]any) { g.desired[key] = toJSON(o) }
	if len(g.sessions) > 0 && c.odds(mostly) {
		for _, s := range g.sessions {
			put(string(compose.WorkshopKey(s.name)), object(t.Environment(s.name), g.workshop(s)))
			we := manifest(educates, "WorkshopEnvironment", "", t.Environment(s.name))
			we["spec"] = map[string]any{"workshop": map[string]any{"name": t.Environment(s.name)}}
			put(string(compose.EnvironmentKey(s.name)), object("env-"+t.Environment(s.name), we))
			pvc := manifest("v1", "PersistentVolumeClaim", t.Environment(s.name), t.WorkspaceVolume(s.name))
			pvc["spec"] = g.claimSpec("1Gi")
			put(string(compose.WorkspaceKey(s.name)), object("vol-"+t.WorkspaceVolume(s.name), pvc))
			if s.state == "stopped" || s.state == "paused" {
				continue
			}
			user, password := "*", ""
			if g.auth == environment.AuthCredentials {
				user, password = "alice", MarkerLogin
			}
			if c.odds(rarely) {
				user, password = "*", "" // a runtime that ignores the login
			}
			ws := manifest(educates, "WorkshopSession", "", t.Session(s.name))
			ws["spec"] = map[string]any{"environment": map[string]any{"name": t.Environment(s.name)},
				"session": map[string]any{"id": "ws", "username": user, "password": password}}
			put(string(compose.SessionKey(s.name)), object(t.Session(s.name), ws))
		}
	}
	if c.odds(half) {
		s := secret(g.namespace, names.StorageSecret(g.name), compose.TenantLabels(g.namespace, g.name), false,
			"AWS_ACCESS_KEY_ID", MarkerStorageAccess, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret)
		put(string(compose.StorageCredentialsKey), s)
	}
	if g.auth == environment.AuthCredentials && c.odds(half) {
		s := secret("", names.SessionLoginSecret(g.name), compose.TenantLabels(g.namespace, g.name), false, "username", "alice", "password", MarkerLogin)
		delete(s["metadata"].(map[string]any), "namespace")
		put(string(compose.LoginSecretKey), s)
	}
	if c.odds(sometimes) {
		g.hostileDesired()
	}
}

func (g *gen) claimSpec(size string) map[string]any {
	spec := map[string]any{"accessModes": []any{"ReadWriteOnce"}, "resources": map[string]any{"requests": map[string]any{"storage": size}}}
	if len(g.classes) > 0 {
		spec["storageClassName"] = g.classes[0]
	}
	return spec
}

// workshop is a Workshop as the runtime renders it, in short.
func (g *gen) workshop(s session) map[string]any {
	t := g.tenant()
	apps := map[string]any{"editor": map[string]any{"enabled": true}, "terminal": map[string]any{"enabled": true}}
	if s.vcluster {
		apps["vcluster"] = map[string]any{"enabled": true, "version": "1.34"}
	}
	bucket := manifest("v1", "PersistentVolumeClaim", "$(workshop_namespace)", names.BucketVolume(g.name))
	bucket["spec"] = map[string]any{"accessModes": []any{"ReadWriteMany"}, "storageClassName": environment.DefaultMountStorageClass,
		"resources": map[string]any{"requests": map[string]any{"storage": "1Mi"}}}
	deploy := manifest("apps/v1", "Deployment", "$(workshop_namespace)", "data-$(session_name)")
	deploy["spec"] = map[string]any{"template": map[string]any{"spec": map[string]any{"containers": []any{map[string]any{
		"name": "data", "image": "ghcr.io/x/data:v1",
		"env": []any{map[string]any{"name": "AWS_SECRET_ACCESS_KEY", "valueFrom": map[string]any{"secretKeyRef": map[string]any{
			"name": names.StorageSecret(g.name), "key": "AWS_SECRET_ACCESS_KEY", "optional": true}}}},
	}}}}}
	role := manifest("rbac.authorization.k8s.io/v1", "Role", "$(session_namespace)", "datalab-session")
	role["rules"] = []any{map[string]any{"apiGroups": []any{""}, "resources": []any{"pods", "services"}, "verbs": []any{"get", "list", "watch"}}}
	m := compose.Manifest(educates, "Workshop", "", t.Environment(s.name), compose.SessionLabels(g.namespace, g.name, s.name))
	m["spec"] = map[string]any{
		"session": map[string]any{
			"applications": apps,
			"resources":    map[string]any{"memory": g.memory, "volume": map[string]any{"name": names.VarWorkspaceVolume}},
			// The runtime binds no Educates role ("custom") but a Role of
			// its own in the session namespace.
			"namespaces": map[string]any{"budget": g.budget, "role": "custom",
				"security": map[string]any{"policy": g.policy, "token": map[string]any{"enabled": true}}},
			"envFrom": []any{map[string]any{"secretRef": map[string]any{"name": names.StorageSecret(g.name), "optional": true}}},
			"objects": []any{deploy, role},
		},
		"environment": map[string]any{
			"secrets": []any{map[string]any{"name": names.StorageSecret(g.name), "namespace": g.namespace}},
			"objects": []any{bucket},
		},
	}
	return m
}

// hostileDesired adds what a compromised or buggy earlier step might
// compose: the policy step must reject each (Fatal), and no other step
// may make it worse.
func (g *gen) hostileDesired() {
	c := g.c
	t := g.tenant()
	other := names.Tenant{Namespace: "other", Name: g.name}
	put := func(key string, o map[string]any) { g.desired[key] = toJSON(o) }
	s := "default"
	if len(g.sessions) > 0 {
		s = g.sessions[0].name
	}
	switch c.n(9) {
	case 0: // another tenant's Workshop under this Datalab's key
		sess := session{name: s}
		w := g.workshop(sess)
		w["metadata"].(map[string]any)["name"] = other.Environment(s)
		put(string(compose.WorkshopKey(s)), object(other.Environment(s), w))
	case 1: // a cluster-scoped kind composed directly
		put("extra-namespace", map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": t.ID() + "-x"}})
	case 2: // a namespaced kind in another namespace
		put("extra-configmap", map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "x", "namespace": "other"}})
	case 3: // Educates copying another namespace's Secret
		w := g.workshop(session{name: s})
		w["spec"].(map[string]any)["environment"].(map[string]any)["secrets"] = []any{map[string]any{"name": "creds", "namespace": decoyNamespace}}
		put(string(compose.WorkshopKey(s)), object(t.Environment(s), w))
	case 4: // a session object in a system namespace
		w := g.workshop(session{name: s})
		obj := manifest("v1", "ConfigMap", "kube-system", "x")
		w["spec"].(map[string]any)["session"].(map[string]any)["objects"] = []any{obj}
		put(string(compose.WorkshopKey(s)), object(t.Environment(s), w))
	case 5: // a cluster role binding, wrapped
		put("extra-crb", object(t.ID()+"-crb", manifest("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "", t.ID()+"-crb")))
	case 6: // the storage secret key copied into a ConfigMap
		s := secret(g.namespace, names.StorageSecret(g.name), nil, false, "AWS_SECRET_ACCESS_KEY", MarkerStorageSecret)
		put(string(compose.StorageCredentialsKey), s)
		cm := manifest("v1", "ConfigMap", g.namespace, "leak")
		cm["data"] = map[string]any{"key": MarkerStorageSecret}
		put("extra-leak", cm)
	case 7: // a literal password in a session's environment
		w := g.workshop(session{name: s})
		w["spec"].(map[string]any)["session"].(map[string]any)["env"] = []any{map[string]any{"name": "DB_PASSWORD", "value": "hunter2-literal"}}
		put(string(compose.WorkshopKey(s)), object(t.Environment(s), w))
	default: // a legacy cluster-scoped Object
		o := object(t.ID()+"-legacy", manifest("v1", "ConfigMap", g.namespace, "legacy"))
		o["apiVersion"] = "kubernetes.crossplane.io/v1alpha2"
		put("extra-legacy", o)
	}
}

func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Run calls fn with req like Crossplane does: while the function asks for
// resources the request does not carry yet, it resolves them from the
// generated world (an empty list when nothing matches) and calls again.
// With Replay it then feeds what the function rendered back as observed
// state, sometimes altered, and calls once more. req is updated in place,
// so it is the request of the returned response. Intermediate responses
// are checked with CheckProperties.
func (g Generated) Run(t testing.TB, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp := g.resolve(t, fn, req)
	if !g.Replay || g.Pending || Fatal(rsp) != "" || len(rsp.GetDesired().GetResources()) == 0 {
		return rsp
	}
	CheckProperties(t, req, rsp, Markers)
	c := &chooser{data: g.alter}
	if req.Observed.Resources == nil {
		req.Observed.Resources = map[string]*fnv1.Resource{}
	}
	ns := req.GetObserved().GetComposite().GetResource().GetFields()["metadata"].GetStructValue().GetFields()["namespace"].GetStringValue()
	for _, key := range slices.Sorted(maps.Keys(rsp.GetDesired().GetResources())) {
		if o := observedOf(key, rsp.GetDesired().GetResources()[key], ns, c); o != nil {
			req.Observed.Resources[key] = o
		}
	}
	return g.resolve(t, fn, req)
}

// call runs fn once on a copy of req (Run would resolve some requirements
// on its own; resolve answers them all from the world).
func call(t testing.TB, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp, err := fn.RunFunction(context.Background(), proto.Clone(req).(*fnv1.RunFunctionRequest))
	if err != nil {
		t.Fatalf("gRPC error instead of a result: %v", err)
	}
	return rsp
}

func (g Generated) resolve(t testing.TB, fn fnv1.FunctionRunnerServiceServer, req *fnv1.RunFunctionRequest) *fnv1.RunFunctionResponse {
	t.Helper()
	rsp := call(t, fn, req)
	for range 5 {
		if g.Pending {
			return rsp
		}
		added := false
		for key, sel := range rsp.GetRequirements().GetResources() {
			if have, ok := req.RequiredResources[key]; ok && answers(have, sel) {
				continue
			}
			// Like Crossplane: a new requirement, or one whose selector
			// changed since it was answered, is looked up (again).
			req.RequiredResources[key] = g.find(sel)
			added = true
		}
		if !added {
			return rsp
		}
		CheckProperties(t, req, rsp, Markers)
		rsp = call(t, fn, req)
	}
	return rsp
}

// find resolves a selector against the world.
func (g Generated) find(sel *fnv1.ResourceSelector) *fnv1.Resources {
	out := &fnv1.Resources{}
	for _, o := range g.world {
		meta, _ := o["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		ns, _ := meta["namespace"].(string)
		if o["apiVersion"] != sel.GetApiVersion() || o["kind"] != sel.GetKind() {
			continue
		}
		if sel.Namespace != nil && ns != sel.GetNamespace() {
			continue
		}
		if m := sel.GetMatchName(); m != "" && m != name {
			continue
		}
		if ml := sel.GetMatchLabels(); ml != nil {
			labels, _ := meta["labels"].(map[string]any)
			match := true
			for k, v := range ml.GetLabels() {
				if labels[k] != v {
					match = false
				}
			}
			if !match {
				continue
			}
		}
		if s, err := structpb.NewStruct(o); err == nil {
			out.Items = append(out.Items, &fnv1.Resource{Resource: s})
		}
	}
	return out
}

// observedOf is a desired composed resource as Crossplane observes it
// after applying it, sometimes altered (another name, another kind, as an
// older version of a function or a person may have left it).
func observedOf(key string, r *fnv1.Resource, namespace string, c *chooser) *fnv1.Resource {
	o := r.GetResource().AsMap()
	meta, _ := o["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
		o["metadata"] = meta
	}
	meta["namespace"] = namespace
	meta["uid"] = "uid-" + key
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
	}
	ann["crossplane.io/composition-resource-name"] = key
	meta["annotations"] = ann
	m, _ := o["spec"].(map[string]any)
	fp, _ := m["forProvider"].(map[string]any)
	mf, _ := fp["manifest"].(map[string]any)
	if o["kind"] == compose.ObjectKind && mf != nil {
		at, _ := structpb.NewStruct(mf)
		atm := at.AsMap()
		if atm["kind"] == "WorkshopSession" {
			atm["status"] = map[string]any{"educates": map[string]any{"phase": c.word("Running", "Starting", "Failed"), "url": "https://session.example.com",
				"message": c.word("", "pulling image")}}
		}
		if c.odds(sometimes) {
			// Applied from an older spec: drift, and a rotated login.
			if spec, ok := atm["spec"].(map[string]any); ok {
				spec["drifted"] = true
				if sess, ok := spec["session"].(map[string]any); ok && atm["kind"] == "WorkshopSession" {
					sess["password"] = MarkerLogin + "-OLD"
				}
			}
			meta, _ := atm["metadata"].(map[string]any)
			if meta != nil {
				meta["generation"] = 3
			}
		}
		o["status"] = map[string]any{"atProvider": map[string]any{"manifest": atm},
			"conditions": []any{map[string]any{"type": "Ready", "status": "True"}, map[string]any{"type": "Synced", "status": "True"}}}
	}
	if c.odds(sometimes) {
		switch c.n(4) {
		case 0:
			meta["name"] = "old-" + truncate(meta["name"], 200)
		case 1:
			if mf != nil {
				if mm, ok := mf["metadata"].(map[string]any); ok {
					mm["name"] = c.word("old-", "x-") + truncate(mm["name"], 50)
				}
			}
		case 2:
			if mf != nil && !carriesMarker(mf) {
				mf["kind"] = c.word("Namespace", "ConfigMap", "Workshop")
			}
		default:
			if !carriesMarker(o) {
				o["kind"] = c.word("ConfigMap", "Secret", compose.ObjectKind)
			}
		}
	}
	s, err := structpb.NewStruct(o)
	if err != nil {
		return nil
	}
	return &fnv1.Resource{Resource: s}
}

func truncate(v any, n int) string {
	s, _ := v.(string)
	if len(s) > n {
		s = s[:n]
	}
	return strings.TrimRight(s, "-.")
}

func carriesMarker(v any) bool {
	s := toJSON(v)
	for _, m := range append(slices.Clone(Markers), MarkerForeign) {
		if strings.Contains(s, m) || strings.Contains(s, base64.StdEncoding.EncodeToString([]byte(m))) {
			return true
		}
	}
	return false
}

// Renders reports whether fn rendered something: no Fatal result, and a
// desired composed resource the request did not carry as it is now.
func Renders(req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse) bool {
	return Fatal(rsp) == "" && len(changedKeys(req, rsp)) > 0
}

// Check is a property of a response, like CheckProperties.
type Check func(t testing.TB, req *fnv1.RunFunctionRequest, rsp *fnv1.RunFunctionResponse, secrets []string)

// CorpusRenders runs n pseudo-random inputs (a fixed seed) through
// Generate, fn, CheckProperties and the extra checks, and fails unless at
// least floor of them render. It logs the most frequent other outcomes
// and returns the fraction that rendered.
func CorpusRenders(t *testing.T, fn fnv1.FunctionRunnerServiceServer, n int, floor float64, extra ...Check) float64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	rendered := 0
	outcomes := map[string]int{}
	example := map[string][]byte{}
	for i := range n {
		data := make([]byte, 32+rng.IntN(224))
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		req, rsp := runGenerated(t, fn, data, extra)
		outcome := ""
		switch f := Fatal(rsp); {
		case Renders(req, rsp):
			rendered++
		case f != "":
			outcome = "Fatal: " + truncate(f, 100)
		case len(rsp.GetRequirements().GetResources()) > len(req.GetRequiredResources()):
			outcome = "requirements pending"
		default:
			outcome = "nothing rendered"
		}
		if outcome != "" {
			outcomes[outcome]++
			if example[outcome] == nil {
				example[outcome] = data
			}
		}
		if t.Failed() {
			t.Fatalf("input %d: %x", i, data)
		}
	}
	frac := float64(rendered) / float64(n)
	top := slices.SortedFunc(maps.Keys(outcomes), func(a, b string) int { return outcomes[b] - outcomes[a] })
	for _, o := range top[:min(len(top), 6)] {
		t.Logf("%5d× %s (e.g. %x)", outcomes[o], o, example[o])
	}
	t.Logf("%d of %d generated inputs (%.1f%%) rendered resources", rendered, n, 100*frac)
	if frac < floor {
		t.Errorf("only %.1f%% of generated inputs rendered, want at least %.0f%%", 100*frac, 100*floor)
	}
	return frac
}

// answers reports whether resolved resources answer a selector by name:
// nothing found, or the named object.
func answers(have *fnv1.Resources, sel *fnv1.ResourceSelector) bool {
	m := sel.GetMatchName()
	if m == "" || len(have.GetItems()) == 0 {
		return true
	}
	meta := have.GetItems()[0].GetResource().GetFields()["metadata"].GetStructValue().GetFields()
	return meta["name"].GetStringValue() == m
}
