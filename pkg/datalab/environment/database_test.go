package environment

import "testing"

func TestDatabaseSettings(t *testing.T) {
	c := &Config{}
	if c.DatabaseEngine() != EngineCrunchy {
		t.Fatalf("default engine %q", c.DatabaseEngine())
	}
	c.Database.Engine = " CloudNative-PG "
	if c.DatabaseEngine() != EngineCloudNativePG {
		t.Fatalf("engine not normalised: %q", c.DatabaseEngine())
	}
	g := DatabaseGateway{ParentName: "gw"}
	if g.Configured() || !g.Partial() {
		t.Fatal("one gateway field is a partial configuration")
	}
	g.ParentNamespace, g.SectionName = "ns", "tls"
	if !g.Configured() || g.Partial() {
		t.Fatal("three gateway fields configure it")
	}
	if (DatabaseGateway{}).Partial() {
		t.Fatal("no gateway is not partial")
	}
	off := Boolish(false)
	if !(S3Backup{}).PathStyle() || (S3Backup{ForcePathStyle: &off}).PathStyle() {
		t.Fatal("path style defaults to true and honours false")
	}
	c.StorageClasses.Allowed = []string{"standard", "fast"}
	for _, tc := range []struct{ spec, env, want string }{{"fast", "x", "fast"}, {"", "fast", "fast"}, {"", "", "standard"}} {
		if got := c.ServiceClass(tc.spec, tc.env); got != tc.want {
			t.Errorf("ServiceClass(%q, %q) = %q, want %q", tc.spec, tc.env, got, tc.want)
		}
	}
}
