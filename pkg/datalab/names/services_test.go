package names

import (
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func TestServiceNamesFitTheOperatorsBudgets(t *testing.T) {
	long := strings.Repeat("h", MaxServiceName)
	tn := Tenant{Namespace: strings.Repeat("n", 63), Name: strings.Repeat("d", 63)}
	pg := tn.PostgresCluster(long)
	// Crunchy PGO: CronJob <cluster>-repo1-full and StatefulSet
	// <cluster>-db-xxxx must stay within 52 characters.
	if n := len(pg + "-repo1-full"); n > 52 {
		t.Errorf("Crunchy backup CronJob name is %d characters", n)
	}
	if n := len(tn.Qdrant(long)) + len("qdrant-"); n > 52 {
		t.Errorf("Qdrant StatefulSet name is %d characters", n)
	}
	for _, n := range []string{pg, tn.MongoDB(long), tn.Redis(long), tn.Qdrant(long),
		PostgresService(environment.EngineCrunchy, pg), PostgresService(environment.EngineCloudNativePG, pg),
		MongoDBService(tn.MongoDB(long)), QdrantService(tn.Qdrant(long)), tn.MongoDBPrerequisite("rolebinding")} {
		for _, m := range validation.IsDNS1035Label(n) {
			t.Errorf("%s: %s", n, m)
		}
	}
	for _, label := range strings.Split(tn.PostgresExternalHost(long, "datalab.example.com"), ".") {
		if len(label) > 63 {
			t.Errorf("external host label %q is longer than 63", label)
		}
	}
}

func TestServiceNamesKeepDatalabsApart(t *testing.T) {
	a := Tenant{Namespace: "team", Name: "a"}
	b := Tenant{Namespace: "team", Name: "b"}
	if a.PostgresCluster("pg") == b.PostgresCluster("pg") || a.MongoDB("s") == b.MongoDB("s") {
		t.Fatal("two Datalabs in one namespace share a service object")
	}
	// Kinds never share a name (their operators' derived objects would).
	names := map[string]bool{}
	for _, n := range []string{a.PostgresCluster("x"), a.MongoDB("x"), a.Redis("x"), a.Qdrant("x")} {
		if names[n] {
			t.Fatalf("%s is used by two kinds", n)
		}
		names[n] = true
	}
	other := Tenant{Namespace: "other", Name: "a"}
	if a.PostgresExternalHost("pg", "d") == other.PostgresExternalHost("pg", "d") {
		t.Fatal("same-named Datalabs in different namespaces share an external host")
	}
}

// TestServiceNamesResistChosenCollisions: Datalabs sharing a namespace
// cannot pick names that give their services another Datalab's object
// names (a collision published one Datalab's database password in the
// other's services Secret). Only the hash keeps these apart.
func TestServiceNamesResistChosenCollisions(t *testing.T) {
	seen := make(map[string]int, birthdayTenants)
	for i := range birthdayTenants {
		tn := Tenant{Namespace: "shared", Name: "lab-" + strconv.Itoa(i)}
		for _, n := range []string{tn.PostgresCluster("db"), tn.MongoDB("db"), tn.Redis("db"), tn.Qdrant("db")} {
			if j, ok := seen[n]; ok && j != i {
				t.Fatalf("Datalabs lab-%d and lab-%d share the service object %s", j, i, n)
			}
			seen[n] = i
		}
	}
	// Long service names keep only a stem; the hash still covers all of it.
	tn := Tenant{Namespace: "shared", Name: "lab"}
	long := strings.Repeat("s", MaxServiceName)
	if tn.PostgresCluster(long) == tn.PostgresCluster(long[:MaxServiceName-1]+"t") {
		t.Fatal("service names that differ after the stem share an object name")
	}
}

func TestHostServices(t *testing.T) {
	tn := Tenant{Namespace: "team", Name: "lab"}
	spec := api.Spec{
		Databases:      map[string]api.Database{"pg": {}},
		DocumentStores: map[string]api.Store{"d": {}},
		CacheStores:    map[string]api.Store{"c": {}},
		VectorStores:   map[string]api.Store{"v": {}},
	}
	got := tn.HostServices(spec, environment.EngineCloudNativePG)
	if len(got) != 4 {
		t.Fatalf("want one Service per service, got %v", got)
	}
	for i, s := range got {
		if s.Namespace != "team" {
			t.Errorf("%v is not in the Datalab's namespace", s)
		}
		if i > 0 && got[i-1].Name >= s.Name {
			t.Errorf("not sorted: %v", got)
		}
	}
	want := map[string]bool{tn.PostgresCluster("pg") + "-rw": true, tn.MongoDB("d") + "-client": true, tn.Redis("c"): true, "qdrant-" + tn.Qdrant("v"): true}
	for _, s := range got {
		if !want[s.Name] {
			t.Errorf("unexpected %s", s.Name)
		}
	}
	if len(tn.HostServices(api.Spec{}, environment.EngineCrunchy)) != 0 {
		t.Fatal("no services, no Services")
	}
}

func TestEnvKeys(t *testing.T) {
	for in, want := range map[string]string{
		PostgresKey("pg-0", KeyHost):                    "POSTGRES_PG_0_HOST",
		PostgresDatabaseKey("pg", "raw_events", KeyURL): "POSTGRES_PG_RAW_EVENTS_URL",
		MongoKey("prod", KeyURI):                        "MONGO_PROD_URI",
		RedisKey("a.b", KeyURL):                         "REDIS_A_B_URL",
		QdrantKey("Vec", KeyReadAPIKey):                 "QDRANT_VEC_READ_API_KEY",
		EnvKey("x", "ä"):                                "X__",
	} {
		if in != want {
			t.Errorf("got %s, want %s", in, want)
		}
	}
}

func TestConnectionKeysNameTheirFields(t *testing.T) {
	spec := api.Spec{Databases: map[string]api.Database{
		"pg":   {Names: []string{"a_url"}},
		"pg-a": {Names: []string{"url"}},
	}}
	byKey := map[string][]string{}
	for _, k := range ConnectionKeys(spec) {
		byKey[k.Key] = append(byKey[k.Key], k.Field.String())
	}
	got := byKey["POSTGRES_PG_A_URL_URL"]
	if len(got) != 2 || got[0] != "spec.databases[pg-a].names[0]" || got[1] != "spec.databases[pg].names[0]" {
		t.Fatalf("collision not visible with both fields: %v", got)
	}
}
