package main

import (
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"github.com/crossplane/function-sdk-go/resource"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

// TestUnusableLoginNeverLeaks: a login Secret whose password is not valid
// UTF-8 (anyone who may edit Secrets in the namespace can write one) holds
// the session back with a reason that never carries the value; before, the
// wire encoding failed with the password in the Fatal message.
func TestUnusableLoginNeverLeaks(t *testing.T) {
	env := strings.Replace(testEnv, "delegated", "credentials", 1)
	req := fntest.Request{Spec: `{"sessions":[{"name":"s1"}]}`, Env: env}.Build(t)
	req.RequiredResources[loginRequirement] = &fnv1.Resources{Items: []*fnv1.Resource{{Resource: resource.MustStructJSON(
		`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-session-login","namespace":"team"},"data":{"username":"YWxpY2U=","password":"U0VDUkVULVZBTFVF/w=="}}`)}}}
	rsp := fntest.Run(t, fn, req)
	all, _ := protojson.Marshal(rsp)
	if strings.Contains(string(all), "SECRET-VALUE") {
		t.Fatal("the password reached the response")
	}
	if m := fntest.Fatal(rsp); m != "" {
		t.Fatalf("want the session held back, got a Fatal: %s", m)
	}
	if _, ok := rsp.GetDesired().GetResources()[string(compose.SessionKey("s1"))]; ok {
		t.Fatal("a session was rendered with an unusable login")
	}
	if c := fntest.Condition(rsp, ConditionType); c == nil || !strings.Contains(c.GetMessage(), "not one line of valid UTF-8") {
		t.Fatalf("the condition does not say why: %v", c)
	}
}
