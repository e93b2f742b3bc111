package step

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
)

// TestWorkshopOnlyUntilEnvironmentReady: a session's Workshop is composed,
// whole and as created, until Educates has created its environment (the
// environment Object is ready), and not after; the environment's Object
// records the Workshop's fields and vcluster choice from its creation on,
// also for a session removed under Retain; an environment that is not
// ready again gets a Workshop again.
func TestWorkshopOnlyUntilEnvironmentReady(t *testing.T) {
	spec := `{"sessions":[{"name":"s1","vcluster":true}]}`
	workshopKey, envKey := string(compose.WorkshopKey("s1")), string(compose.EnvironmentKey("s1"))
	annotations := func(rsp *fnv1.RunFunctionResponse) map[string]any {
		a, _ := desiredObject(t, rsp, envKey)["metadata"].(map[string]any)["annotations"].(map[string]any)
		return a
	}
	notReady := func(obs map[string]string) map[string]string {
		var m map[string]any
		if err := json.Unmarshal([]byte(obs[envKey]), &m); err != nil {
			t.Fatal(err)
		}
		m["status"].(map[string]any)["conditions"] = []any{map[string]any{"type": "Ready", "status": "False"}}
		b, _ := json.Marshal(m)
		obs[envKey] = string(b)
		return obs
	}
	hasWorkshop := func(rsp *fnv1.RunFunctionResponse) bool {
		_, ok := rsp.GetDesired().GetResources()[workshopKey]
		return ok
	}

	first := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: testEnv}.Build(t))
	created := annotations(first)
	var fields struct {
		Session struct{ Resources struct{ Memory string } }
	}
	if err := json.Unmarshal([]byte(created[AnnotationWorkshopFields].(string)), &fields); err != nil || fields.Session.Resources.Memory == "" {
		t.Fatalf("no record of the Workshop's fields: %v (%v)", created, err)
	}
	if created[compose.AnnotationVCluster] != "true" || !hasWorkshop(first) {
		t.Fatalf("first reconcile: Workshop %v, record %v", hasWorkshop(first), created)
	}

	// The environment exists, Educates has not created it yet.
	pending := fntest.Run(t, fn, fntest.Request{Spec: spec, Env: testEnv, Observed: notReady(fntest.Applied(t, first, nil))}.Build(t))
	if !hasWorkshop(pending) || !reflect.DeepEqual(desiredObject(t, pending, workshopKey)["spec"], desiredObject(t, first, workshopKey)["spec"]) {
		t.Fatal("the Workshop left or changed before Educates took its copy")
	}

	// Ready: no Workshop; the record stays although the spec changed.
	changed := `{"sessions":[{"name":"s1","vcluster":false}],"quota":{"memory":"4Gi"}}`
	ready := fntest.Run(t, fn, fntest.Request{Spec: changed, Env: testEnv, Observed: fntest.Applied(t, pending, nil)}.Build(t))
	if hasWorkshop(ready) {
		t.Fatal("the Workshop is composed although its environment is ready")
	}
	if got := annotations(ready); got[AnnotationWorkshopFields] != created[AnnotationWorkshopFields] || got[compose.AnnotationVCluster] != "true" {
		t.Fatalf("the record changed with the spec: %v", got)
	}
	if c := fntest.Condition(ready, ConditionDrift); c == nil || !strings.Contains(c.GetMessage(), "spec.session.resources.memory") || !strings.Contains(c.GetMessage(), "vcluster") {
		t.Fatalf("drift from the record not reported: %v", c)
	}

	// Removed under Retain: the environment keeps its record.
	retained := fntest.Run(t, fn, fntest.Request{Spec: `{"sessions":[{"name":"other"}]}`, Env: testEnv, Observed: fntest.Applied(t, ready, nil)}.Build(t))
	if got := annotations(retained); got[AnnotationWorkshopFields] != created[AnnotationWorkshopFields] || got[compose.AnnotationVCluster] != "true" {
		t.Fatalf("the retained environment lost its record: %v", got)
	}

	// Not ready again (recreated out of band): a whole Workshop again.
	again := fntest.Run(t, fn, fntest.Request{Spec: changed, Env: testEnv, Observed: notReady(fntest.Applied(t, ready, nil))}.Build(t))
	if !hasWorkshop(again) {
		t.Fatal("an environment that is not ready has no Workshop to be created from")
	}
}
