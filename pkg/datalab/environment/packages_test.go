package environment

import (
	"encoding/json"
	"testing"
)

func packageNames(c *Config) []string {
	var out []string
	for _, p := range c.SessionPackages() {
		out = append(out, p.(map[string]any)["name"].(string))
	}
	return out
}

// TestToolsByDefault: every session gets awscli and rclone unless the
// operator turns them off; an operator's package of the same name wins.
func TestToolsByDefault(t *testing.T) {
	decode := func(s string) *Config {
		c, err := decode(mustJSON(t, s))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tc := range []struct {
		env  string
		want string
	}{
		{`{}`, `["awscli","rclone"]`},
		{`{"packages":[{"name":"jq","files":[]}]}`, `["jq","awscli","rclone"]`},
		{`{"packages":[{"name":"rclone","files":[{"image":{"url":"x/rclone:v9"}}]}]}`, `["rclone","awscli"]`},
		{`{"runtime":{"defaultTools":false}}`, `null`},
		{`{"runtime":{"defaultTools":"off"},"packages":[{"name":"jq"}]}`, `["jq"]`},
	} {
		got, _ := json.Marshal(packageNames(decode(tc.env)))
		if string(got) != tc.want {
			t.Errorf("%s: packages %s, want %s", tc.env, got, tc.want)
		}
	}
	// The defaults are copies: editing one Workshop's packages changes no other.
	c := decode(`{}`)
	c.SessionPackages()[0].(map[string]any)["name"] = "changed"
	if packageNames(c)[0] != "awscli" {
		t.Fatal("the default packages were changed through a copy")
	}
}

func mustJSON(t *testing.T, s string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
