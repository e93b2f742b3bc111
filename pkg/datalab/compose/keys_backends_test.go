package compose

import (
	"reflect"
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func TestObserveOnlyObject(t *testing.T) {
	o := Object("x", Manifest("apps/v1", "StatefulSet", "ns", "x", nil), ObjectOptions{ObserveOnly: true, Stateful: true, Retention: environment.RetentionDelete})
	if got := o["spec"].(map[string]any)["managementPolicies"]; !reflect.DeepEqual(got, []any{"Observe"}) {
		t.Fatalf("an observe-only Object may only observe, got %v", got)
	}
}

func TestBackendsKeysAreUnambiguous(t *testing.T) {
	// No key family is the prefix of another followed by '-', so a key
	// tells its family and service name apart.
	words := backendsKeyWords
	for _, a := range words {
		for _, b := range words {
			if a != b && strings.HasPrefix(b+"-", a+"-") {
				t.Errorf("%s- is a prefix of %s-", a, b)
			}
		}
	}
	for _, runtime := range []string{"workshop-", "environment-", "session-", "workspace-"} {
		for _, w := range words {
			if strings.HasPrefix(w+"-", runtime) {
				t.Errorf("%s- collides with the runtime's %s", w, runtime)
			}
		}
	}
	for _, k := range []resource.Name{PostgresKey("pg"), PostgresDatabaseKey("pg-a", "b_c"), MongoDBCredentialsKey("m"), MongoDBRoleKey, RedisReadinessKey("r"), QdrantKey("q"), ServicesSecretKey} {
		if !IsBackendsKey(k) {
			t.Errorf("%s is not recognised as a backends key", k)
		}
	}
	for _, k := range []resource.Name{WorkshopKey("s"), "postgresx-a", "keycloak-client", "storage-credentials"} {
		if IsBackendsKey(k) {
			t.Errorf("%s is taken for a backends key", k)
		}
	}
	if string(PostgresKey("pg")) != "postgres-pg" || string(PostgresDatabaseKey("pg-a", "b_c")) != "postgresdatabase-pg-a-b_c" {
		t.Fatal("key shapes changed: renaming a key deletes and recreates the object")
	}
}
