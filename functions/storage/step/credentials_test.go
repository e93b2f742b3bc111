package step

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func enc(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

// data builds a Secret's data from plain values.
func data(kv ...string) secretData {
	d := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		d[kv[i]] = enc(kv[i+1])
	}
	return secretData{data: d}
}

func TestExtractAliases(t *testing.T) {
	cases := map[string]struct {
		in   secretData
		want credentials
	}{
		"aws":      {data("AWS_ACCESS_KEY_ID", "ak1", "AWS_SECRET_ACCESS_KEY", "sk1"), credentials{accessKey: "ak1", secretKey: "sk1"}},
		"minio":    {data("accessKey", "ak2", "secretKey", "sk2"), credentials{accessKey: "ak2", secretKey: "sk2"}},
		"basic":    {data("username", "ak3", "password", "sk3"), credentials{accessKey: "ak3", secretKey: "sk3"}},
		"console":  {data("CONSOLE_ACCESS_KEY", "ak4", "CONSOLE_SECRET_KEY", "sk4"), credentials{accessKey: "ak4", secretKey: "sk4"}},
		"attr":     {data("attribute.access", "ak5", "attribute.secret", "sk5"), credentials{accessKey: "ak5", secretKey: "sk5"}},
		"mixed":    {data("username", "ak6", "secretKey", "sk6"), credentials{accessKey: "ak6", secretKey: "sk6"}},
		"aws wins": {data("accessKey", "minio", "AWS_ACCESS_KEY_ID", "aws", "password", "pw", "AWS_SECRET_ACCESS_KEY", "awss"), credentials{accessKey: "aws", secretKey: "awss"}},
		"empty first alias falls through": {
			data("AWS_ACCESS_KEY_ID", "", "accessKey", "ak7", "AWS_SECRET_ACCESS_KEY", "  \n", "secretKey", "sk7"),
			credentials{accessKey: "ak7", secretKey: "sk7"}},
		"trailing newline trimmed": {data("accessKey", "ak8\n", "secretKey", " sk8 "), credentials{accessKey: "ak8", secretKey: "sk8"}},
		"endpoint and region": {
			data("accessKey", "ak9", "secretKey", "sk9", "AWS_ENDPOINT_URL", "https://minio:9000", "AWS_REGION", "us-east-1"),
			credentials{accessKey: "ak9", secretKey: "sk9", endpoint: "https://minio:9000", region: "us-east-1"}},
		"stringData wins over data": {
			secretData{data: map[string]any{"accessKey": enc("old"), "secretKey": enc("sk10")}, stringData: map[string]any{"accessKey": "new"}},
			credentials{accessKey: "new", secretKey: "sk10"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, p := extract(c.in)
			if p != nil {
				t.Fatalf("unexpected problem %s: %s", p.reason, p.message)
			}
			if d := cmp.Diff(c.want, got, cmp.AllowUnexported(credentials{})); d != "" {
				t.Error(d)
			}
		})
	}
}

func TestExtractProblems(t *testing.T) {
	cases := map[string]struct {
		in         secretData
		reason     string
		mentions   []string
		neverShown []string
	}{
		"empty Secret":  {data(), ReasonIncomplete, []string{"no access key", "no secret key", "AWS_ACCESS_KEY_ID", "attribute.secret"}, nil},
		"no secret key": {data("accessKey", "visible-ak"), ReasonIncomplete, []string{"no secret key", "secretKey"}, []string{"visible-ak", "no access key"}},
		"not base64": {secretData{data: map[string]any{"AWS_ACCESS_KEY_ID": "%%%not-base64", "AWS_SECRET_ACCESS_KEY": enc("sk")}},
			ReasonUnreadable, []string{"AWS_ACCESS_KEY_ID"}, []string{"not-base64", "AWS_SECRET_ACCESS_KEY"}},
		// An unreadable preferred key is reported, not skipped for a later
		// alias: the tenant meant that one.
		"unreadable preferred key": {secretData{data: map[string]any{"AWS_ACCESS_KEY_ID": "!!", "accessKey": enc("ak"), "secretKey": enc("sk")}},
			ReasonUnreadable, []string{"AWS_ACCESS_KEY_ID"}, nil},
		"not a string": {secretData{data: map[string]any{"accessKey": 42.0, "secretKey": enc("sk")}}, ReasonUnreadable, []string{"accessKey"}, nil},
		"line break injects rclone options": {data("accessKey", "ak", "secretKey", "s3cr3t-value\n[evil]\ntype = local"),
			ReasonInvalid, []string{"secretKey"}, []string{"s3cr3t-value", "evil"}},
		"space inside":      {data("accessKey", "a k", "secretKey", "sk"), ReasonInvalid, []string{"accessKey"}, nil},
		"control character": {data("accessKey", "ak\x00", "secretKey", "sk"), ReasonInvalid, []string{"accessKey"}, nil},
		"endpoint with line break": {data("accessKey", "ak", "secretKey", "sk", "AWS_ENDPOINT_URL", "https://x\nregion = evil"),
			ReasonInvalid, []string{"AWS_ENDPOINT_URL"}, []string{"evil"}},
		"region unreadable": {secretData{data: map[string]any{"accessKey": enc("ak"), "secretKey": enc("sk"), "AWS_REGION": "??"}},
			ReasonUnreadable, []string{"AWS_REGION"}, nil},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, p := extract(c.in)
			if p == nil {
				t.Fatalf("no problem reported, got %+v", got)
			}
			if got != (credentials{}) {
				t.Errorf("credentials returned with a problem: %+v", got)
			}
			if p.reason != c.reason {
				t.Errorf("reason %s, want %s (%s)", p.reason, c.reason, p.message)
			}
			for _, m := range c.mentions {
				if !strings.Contains(p.message, m) {
					t.Errorf("message %q does not mention %q", p.message, m)
				}
			}
			for _, m := range c.neverShown {
				if strings.Contains(p.message, m) {
					t.Errorf("message %q shows %q", p.message, m)
				}
			}
		})
	}
}
