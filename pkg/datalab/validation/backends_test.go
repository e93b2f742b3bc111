package validation

import (
	"strings"
	"testing"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

func backendsEnv() *environment.Config {
	return &environment.Config{StorageClasses: environment.StorageClasses{Allowed: []string{"standard", "fast"}}}
}

func host(names ...string) api.Database {
	return api.Database{Names: names, Storage: "1Gi", BackupStorage: "3Gi"}
}

func TestBackendsBadInput(t *testing.T) {
	tests := map[string]struct {
		spec  api.Spec
		env   func(*environment.Config)
		field string // the path every message must name
	}{
		"blank database name":  {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a", "  ")}}, field: "spec.databases[pg].names[1]"},
		"empty database name":  {spec: api.Spec{Databases: map[string]api.Database{"pg": host("")}}, field: "spec.databases[pg].names[0]"},
		"spaces around a name": {spec: api.Spec{Databases: map[string]api.Database{"pg": host(" a")}}, field: "spec.databases[pg].names[0]"},
		"no databases":         {spec: api.Spec{Databases: map[string]api.Database{"pg": host()}}, field: "spec.databases[pg].names"},
		"not an identifier":    {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a-b")}}, field: "spec.databases[pg].names[0]"},
		"starts with a digit":  {spec: api.Spec{Databases: map[string]api.Database{"pg": host("1a")}}, field: "spec.databases[pg].names[0]"},
		"too long":             {spec: api.Spec{Databases: map[string]api.Database{"pg": host(strings.Repeat("a", 64))}}, field: "spec.databases[pg].names[0]"},
		"reserved database":    {spec: api.Spec{Databases: map[string]api.Database{"pg": host("template0")}}, field: "spec.databases[pg].names[0]"},
		"duplicate database":   {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a", "a")}}, field: "spec.databases[pg].names[1]"},
		"superuser as user":    {spec: api.Spec{Users: []string{"postgres"}, Databases: map[string]api.Database{"pg": host("a")}}, field: "spec.users[0]"},
		"root as user":         {spec: api.Spec{Users: []string{"alice", "root"}, Databases: map[string]api.Database{"pg": host("a")}}, field: "spec.users[1]"},
		"app role as user":     {spec: api.Spec{Users: []string{"app"}, Databases: map[string]api.Database{"pg": host("a")}}, field: "spec.users[0]"},
		"pg_ prefix":           {spec: api.Spec{Users: []string{"pg_read_all_data"}, Databases: map[string]api.Database{"pg": host("a")}}, field: "spec.users[0]"},
		"e-mail as role":       {spec: api.Spec{Users: []string{"a@b.c"}, Databases: map[string]api.Database{"pg": host("a")}}, field: "spec.users[0]"},
		"storage missing":      {spec: api.Spec{Databases: map[string]api.Database{"pg": {Names: []string{"a"}, BackupStorage: "1Gi"}}}, field: "spec.databases[pg].storage"},
		"backup size missing":  {spec: api.Spec{Databases: map[string]api.Database{"pg": {Names: []string{"a"}, Storage: "1Gi"}}}, field: "spec.databases[pg].backupStorage"},
		"size does not parse":  {spec: api.Spec{Databases: map[string]api.Database{"pg": {Names: []string{"a"}, Storage: "1 GB", BackupStorage: "1Gi"}}}, field: "spec.databases[pg].storage"},
		"store size":           {spec: api.Spec{CacheStores: map[string]api.Store{"c": {Storage: "big"}}}, field: "spec.cacheStores[c].storage"},
		"negative store size":  {spec: api.Spec{VectorStores: map[string]api.Store{"v": {Storage: "-1Gi"}}}, field: "spec.vectorStores[v].storage"},
		"store class":          {spec: api.Spec{DocumentStores: map[string]api.Store{"d": {StorageClassName: "gold"}}}, field: "spec.documentStores[d].storageClassName"},
		"backup class":         {spec: api.Spec{Databases: map[string]api.Database{"pg": {Names: []string{"a"}, Storage: "1Gi", BackupStorage: "1Gi", BackupStorageClassName: "gold"}}}, field: "spec.databases[pg].backupStorageClassName"},
		"host name":            {spec: api.Spec{Databases: map[string]api.Database{"Pg": host("a")}}, field: "spec.databases[Pg]"},
		"host name too long":   {spec: api.Spec{Databases: map[string]api.Database{strings.Repeat("p", 31): host("a")}}, field: "spec.databases[" + strings.Repeat("p", 31) + "]"},
		"store name":           {spec: api.Spec{CacheStores: map[string]api.Store{"c_1": {}}}, field: "spec.cacheStores[c_1]"},
		"key collision":        {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a_url"), "pg-a": host("url")}}, field: "spec.databases[pg].names[0]"},
		"unknown engine":       {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a")}}, env: func(c *environment.Config) { c.Database.Engine = "mysql" }, field: "EnvironmentConfig.data.database.engine"},
		"cnpg without s3":      {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a")}}, env: func(c *environment.Config) { c.Database.Engine = "cloudnative-pg" }, field: "EnvironmentConfig.data.database.backup.s3"},
		"partial gateway":      {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a")}}, env: func(c *environment.Config) { c.Database.Gateway.ParentName = "gw" }, field: "EnvironmentConfig.data.database.gateway"},
		"s3 without secret": {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a")}}, env: func(c *environment.Config) {
			c.Database.Backup.S3 = &environment.S3Backup{Bucket: "b", Endpoint: "https://s3", Region: "r"}
		}, field: "EnvironmentConfig.data.database.backup.s3.secretName"},
		"s3 endpoint no scheme": {spec: api.Spec{Databases: map[string]api.Database{"pg": host("a")}}, env: func(c *environment.Config) {
			c.Database.Backup.S3 = &environment.S3Backup{Bucket: "b", Endpoint: "s3.example.com", Region: "r", SecretName: "s"}
		}, field: "EnvironmentConfig.data.database.backup.s3.endpoint"},
		"env store class": {spec: api.Spec{CacheStores: map[string]api.Store{"c": {}}}, env: func(c *environment.Config) { c.Redis.StorageClassName = "gold" }, field: "EnvironmentConfig.data.redis.storageClassName"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := backendsEnv()
			if tc.env != nil {
				tc.env(cfg)
			}
			errs := Backends(&api.Datalab{Name: "lab", Namespace: "team", Spec: tc.spec}, cfg)
			if len(errs) == 0 {
				t.Fatal("accepted")
			}
			found := false
			for _, e := range errs {
				found = found || e.Field == tc.field
				if e.Detail == "" && e.Type != "FieldValueNotSupported" {
					t.Errorf("%s: no fix in the message", e.Error())
				}
			}
			if !found {
				t.Fatalf("no error names %s: %v", tc.field, errs)
			}
			if name == "key collision" && !strings.Contains(errs.ToAggregate().Error(), "spec.databases[pg-a].names[0]") {
				t.Fatalf("a collision must name both fields: %v", errs)
			}
		})
	}
}

func TestBackendsGoodInput(t *testing.T) {
	spec := api.Spec{
		Users:          []string{"alice", "bob-2"},
		Databases:      map[string]api.Database{"pg-0": host("analytics", "_raw"), "pg1": {Names: []string{"a"}, Storage: "1Gi", BackupStorage: "3Gi", StorageClassName: "fast"}},
		DocumentStores: map[string]api.Store{"prod": {Storage: "10Gi"}},
		CacheStores:    map[string]api.Store{"prod": {}},
		VectorStores:   map[string]api.Store{"prod": {Storage: "1Gi", StorageClassName: "standard"}},
	}
	if errs := Backends(&api.Datalab{Name: "lab", Namespace: "team", Spec: spec}, backendsEnv()); len(errs) > 0 {
		t.Fatal(errs)
	}
	// Users need not be role names when there are no databases, and a
	// database setting the Datalab does not use is not its problem.
	cfg := backendsEnv()
	cfg.Database.Engine = "mysql"
	if errs := Backends(&api.Datalab{Spec: api.Spec{Users: []string{"a@b.c"}, CacheStores: map[string]api.Store{"c": {}}}}, cfg); len(errs) > 0 {
		t.Fatal(errs)
	}
}
