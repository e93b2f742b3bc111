package fntest

// The generated Datalab spec.

import (
	"slices"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
)

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
