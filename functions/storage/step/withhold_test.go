package step

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func wrapped(kind string) *fnv1.Resource {
	return &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"kubernetes.m.crossplane.io/v1alpha1","kind":"Object","metadata":{"name":"x"},
		"spec":{"forProvider":{"manifest":{"apiVersion":"training.educates.dev/v1beta1","kind":"` + kind + `","metadata":{"name":"x"}}}}}`)}
}

func TestWithholdNewSessions(t *testing.T) {
	secret := &fnv1.Resource{Resource: resource.MustStructJSON(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"lab-session-login"}}`)}
	rsp := &fnv1.RunFunctionResponse{Desired: &fnv1.State{Resources: map[string]*fnv1.Resource{
		string(compose.SessionKey("new-b")):     wrapped("WorkshopSession"),
		string(compose.SessionKey("new-a")):     wrapped("WorkshopSession"),
		string(compose.SessionKey("running")):   wrapped("WorkshopSession"),
		string(compose.WorkshopKey("new-a")):    wrapped("Workshop"),
		string(compose.EnvironmentKey("new-a")): wrapped("WorkshopEnvironment"),
		string(compose.WorkspaceKey("new-a")):   wrapped("PersistentVolumeClaim"),
		// Not recognised: a session-prefixed key that is no session Object.
		"session-login":                secret,
		string(compose.SessionKey("")): wrapped("WorkshopSession"),
		"other-step":                   wrapped("WorkshopSession"),
	}}}
	observed := observed.FromMap(map[resource.Name]resource.ObservedComposed{compose.SessionKey("running"): {}})

	got := withholdNewSessions(rsp, observed)
	if d := cmp.Diff([]string{"new-a", "new-b"}, got); d != "" {
		t.Errorf("withheld: %s", d)
	}
	left := map[string]bool{}
	for k := range rsp.GetDesired().GetResources() {
		left[k] = true
	}
	want := map[string]bool{"session-running": true, "workshop-new-a": true, "environment-new-a": true, "workspace-new-a": true,
		"session-login": true, "session-": true, "other-step": true}
	if d := cmp.Diff(want, left); d != "" {
		t.Errorf("desired after withholding: %s", d)
	}
}

func TestWithholdNothingDesired(t *testing.T) {
	if got := withholdNewSessions(&fnv1.RunFunctionResponse{}, nil); len(got) != 0 {
		t.Errorf("withheld %v from an empty desired state", got)
	}
}
