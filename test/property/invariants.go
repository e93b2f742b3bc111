package property

import (
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strings"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/fntest"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/test/inprocess"
)

// The invariants of DESIGN.md that a sequence of reconciles must keep.

// lostData: a stateful object (a session's environment, workspace or
// registry volume; a service's data or credentials) that was observed
// leaves the desired state only when the tenant removed it from the spec
// and the retention policy is Delete, or, for an environment and its
// volumes, when the tenant asked for a restart and every volume that held
// data is kept by a keeper.
func (s *scenario) lostData(observed inprocess.State, desired map[string]*fnv1.Resource) []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(observed.Resources)) {
		if _, ok := desired[key]; ok {
			continue
		}
		if why := s.mayLeave(resource.Name(key), observed.Get(key), observed, desired); why != "" {
			out = append(out, key+": "+why)
		}
	}
	return out
}

// mayLeave returns why a stateful object may not leave; "" when it may (or
// is not stateful).
func (s *scenario) mayLeave(key resource.Name, o map[string]any, observed inprocess.State, desired map[string]*fnv1.Resource) string {
	del := s.retention == "Delete"
	for _, kind := range []func(string) resource.Name{compose.EnvironmentKey, compose.WorkspaceKey, compose.RegistryKey} {
		sess, ok := compose.SessionOf(key, kind)
		if !ok {
			continue
		}
		ss, declared := s.sessions[sess]
		switch {
		case !declared && del:
			return ""
		case !declared:
			return "a removed session's data left under Retain"
		case string(key) == string(compose.RegistryKey(sess)) && !s.registry && del:
			return ""
		case ss.restart > 0 && s.restartKeeps(sess, observed, desired):
			return ""
		}
		return "a declared session's data left the desired state"
	}
	labels, _ := o["metadata"].(map[string]any)["labels"].(map[string]any)
	if labels[compose.LabelStateful] != "true" {
		return ""
	}
	id, _ := labels[compose.LabelService].(string)
	if !s.declaresService(id) && del {
		return ""
	}
	return "service " + id + " lost its data or credentials"
}

// restartKeeps: every volume of the session that is bound to a
// PersistentVolume has a keeper in the desired state.
func (s *scenario) restartKeeps(sess string, observed inprocess.State, desired map[string]*fnv1.Resource) bool {
	for _, v := range []resource.Name{compose.WorkspaceKey(sess), compose.RegistryKey(sess)} {
		m := observed.Get(string(v))
		if m == nil {
			continue
		}
		at, _ := m["status"].(map[string]any)["atProvider"].(map[string]any)["manifest"].(map[string]any)
		spec, _ := at["spec"].(map[string]any)
		if spec["volumeName"] == nil {
			continue // no data bound yet
		}
		if _, kept := desired[string(compose.VolumeKeeperKey(v))]; !kept {
			return false
		}
	}
	return true
}

func (s *scenario) declaresService(id string) bool {
	for field, set := range s.services {
		kind := map[string]string{"databases": names.KindPostgreSQL, "documentStores": names.KindMongoDB, "cacheStores": names.KindRedis, "vectorStores": names.KindQdrant}[field]
		for svc := range set {
			if names.ServiceID(kind, svc) == id {
				return true
			}
		}
	}
	return false
}

// generatedSecret says whether a composed Secret holds credentials the
// pipeline generated (which must never change while it exists).
func generatedSecret(secretName string) bool {
	return secretName == names.SessionLoginSecret(name) || strings.HasSuffix(secretName, names.CredentialsSecret(""))
}

// changedCredentials: a generated credential Secret that stays keeps its
// values exactly.
func changedCredentials(observed inprocess.State, desired map[string]*fnv1.Resource) []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(observed.Resources)) {
		r := observed.Resources[key].GetResource()
		d, ok := desired[key]
		if !ok || inprocess.Field(r, "kind") != "Secret" || !generatedSecret(inprocess.Field(r, "metadata", "name")) {
			continue
		}
		o := observed.Get(key)
		od, _ := o["data"].(map[string]any)
		dd, _ := d.GetResource().AsMap()["data"].(map[string]any)
		for k, v := range od {
			if dd[k] != v {
				out = append(out, fmt.Sprintf("%s: key %s changed", key, k))
			}
		}
	}
	return out
}

// unauthenticated: a session that is new in the desired state has its
// authentication in place: in credentials mode the login Secret as the
// runtime read it (its password in the session), in delegated mode the
// ingress protection, present and not unready.
func (s *scenario) unauthenticated(w inprocess.World, observed inprocess.State, desired map[string]*fnv1.Resource) []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(desired)) {
		if _, ok := compose.SessionOf(resource.Name(key), compose.SessionKey); !ok {
			continue
		}
		if _, existed := observed.Resources[key]; existed {
			continue
		}
		m := desired[key].GetResource().AsMap()["spec"].(map[string]any)["forProvider"].(map[string]any)["manifest"].(map[string]any)
		sess := m["spec"].(map[string]any)["session"].(map[string]any)
		switch s.auth {
		case "credentials":
			login := w.Get("v1", "Secret", namespace, names.SessionLoginSecret(name))
			want, _ := base64.StdEncoding.DecodeString(inprocess.Field(login, "data", "password"))
			if login == nil || len(want) == 0 || sess["password"] != string(want) {
				out = append(out, key+": started without the login Secret's password")
			}
		case "delegated":
			if w.Get("kyverno.io/v1", "ClusterPolicy", "", fntest.ProtectionName) == nil {
				out = append(out, key+": started in delegated mode without the ingress protection")
			}
		}
	}
	return out
}

// fatalShrinks: a step that returns a Fatal result hands on exactly the
// desired state it received (Crossplane then applies nothing).
func fatalShrinks(in []string, rsp *fnv1.RunFunctionResponse) string {
	if fntest.Fatal(rsp) == "" {
		return ""
	}
	out := slices.Sorted(maps.Keys(rsp.GetDesired().GetResources()))
	if !slices.Equal(in, out) {
		return fmt.Sprintf("a Fatal result changed the desired state: %v -> %v", in, out)
	}
	return ""
}
