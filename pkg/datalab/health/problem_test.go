package health

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

func observedWith(status map[string]any) *observed.Resources {
	return observed.FromMap(map[resource.Name]resource.ObservedComposed{"x": {Resource: &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "v1", "kind": "Thing", "metadata": map[string]any{"name": "x"}, "status": status}}}})
}

func TestFailure(t *testing.T) {
	cond := func(typ, reason, msg string) map[string]any {
		return map[string]any{"conditions": []any{map[string]any{"type": typ, "status": "False", "reason": reason, "message": msg}}}
	}
	cases := map[string]struct {
		status map[string]any
		want   string // reason; "" for no problem
	}{
		"quota":         {cond("Synced", "ReconcileError", `cannot create object: persistentvolumeclaims "x" is forbidden: exceeded quota: q, requested: requests.storage=10Gi, used: requests.storage=0, limited: requests.storage=5Gi`), "QuotaExceeded"},
		"pod security":  {cond("Synced", "ReconcileError", `pods "p" is forbidden: violates PodSecurity "restricted:latest": privileged`), "PodSecurity"},
		"webhook":       {cond("Synced", "ReconcileError", `admission webhook "validate.kyverno.svc" denied the request`), "AdmissionDenied"},
		"invalid":       {cond("Synced", "ReconcileError", `WorkshopSession.training.educates.dev "s" is invalid: spec.session.password: Invalid value: "hunter2": too short`), "Invalid"},
		"other":         {cond("Synced", "ReconcileError", `connection refused`), "Refused"},
		"only creating": {cond("Ready", "Creating", "waiting"), ""},
		"ready failed":  {cond("Ready", "ReconcileFailed", "the operator failed"), "Failed"},
		"phase failed":  {map[string]any{"phase": "Failed", "message": "image pull back-off"}, "Failed"},
		"phase running": {map[string]any{"phase": "Running"}, ""},
		"no status":     {nil, ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p, ok := Failure(observedWith(c.status), "x")
			if ok != (c.want != "") || p.Reason != c.want {
				t.Fatalf("got %v %+v, want reason %q", ok, p, c.want)
			}
			if strings.Contains(p.Message, "hunter2") {
				t.Fatalf("a refused value reached the message: %s", p.Message)
			}
		})
	}
	if _, ok := Failure(observedWith(nil), "absent"); ok {
		t.Fatal("a resource not observed has a problem")
	}
}

func TestShorten(t *testing.T) {
	long := strings.Repeat("word ", 200)
	if got := Shorten(long); len([]rune(got)) > maxProblemMessage {
		t.Fatalf("%d characters", len([]rune(got)))
	}
	if got := Shorten("line one\nline two with s3cret", "s3cret"); got != "line one line two with (redacted)" {
		t.Fatalf("got %q", got)
	}
	if got := Shorten(`create failed: cannot create object: pods "p" is forbidden`); got != `pods "p" is forbidden` {
		t.Fatalf("got %q", got)
	}
}
