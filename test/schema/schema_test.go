package schema

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sigs.k8s.io/yaml"
)

var (
	loadOnce   sync.Once
	loaded     *Validator
	loadErr    error
	loadDir    string
	loadFound  bool
	loadTiming time.Duration
)

// validator loads the shared schema folder once for all tests.
func validator(t *testing.T) *Validator {
	t.Helper()
	loadOnce.Do(func() {
		loadDir, loadFound = DefaultDir()
		if !loadFound {
			return
		}
		start := time.Now()
		loaded, loadErr = Load(loadDir)
		loadTiming = time.Since(start)
	})
	if !loadFound {
		t.Skip("no schema folder: set $DATALAB_CRDS or provide shared/crds in a parent directory")
	}
	if loadErr != nil {
		t.Fatalf("Load(%s): %v", loadDir, loadErr)
	}
	return loaded
}

func obj(t *testing.T, y string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := yaml.Unmarshal([]byte(y), &m); err != nil {
		t.Fatalf("bad fixture: %v\n%s", err, y)
	}
	return m
}

func messages(errs []error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

// wantError asserts that some error contains every fragment.
func wantError(t *testing.T, errs []error, fragments ...string) {
	t.Helper()
	for _, m := range messages(errs) {
		ok := true
		for _, f := range fragments {
			ok = ok && strings.Contains(m, f)
		}
		if ok {
			return
		}
	}
	t.Errorf("no error containing %q; got:\n  %s", fragments, strings.Join(messages(errs), "\n  "))
}

const validSecret = `
apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
  namespace: team-a
  labels: {app.kubernetes.io/name: datalab}
  annotations: {example.com/note: "$(session_name)"}
  creationTimestamp: null
type: Opaque
stringData:
  username: admin
data:
  password: c2VjcmV0
`

const validNetworkPolicy = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-ingress, namespace: team-a}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {protocol: TCP, port: 8080}
    - {protocol: TCP, port: http}
  egress:
  - to: [{podSelector: {}}]
`

const validWorkshop = `
apiVersion: training.educates.dev/v1beta1
kind: Workshop
metadata: {name: lab-python}
spec:
  title: Python lab
  description: A lab
  workshop:
    image: ghcr.io/example/lab:latest
  session:
    namespaces:
      budget: medium
    applications:
      terminal: {enabled: true}
      editor: {enabled: true}
    objects:
    - apiVersion: v1
      kind: Secret
      metadata: {name: token, namespace: "$(session_namespace)"}
      stringData: {token: "$(session_name)"}
    - apiVersion: rbac.authorization.k8s.io/v1
      kind: Role
      metadata: {name: reader, namespace: "$(session_namespace)"}
      rules:
      - apiGroups: [""]
        resources: [configmaps]
        verbs: [get, list]
  environment:
    objects:
    - apiVersion: v1
      kind: ConfigMap
      metadata: {name: shared, namespace: "$(workshop_namespace)"}
      data: {key: value}
`

const validObjectWrappingNamespace = `
apiVersion: kubernetes.m.crossplane.io/v1alpha1
kind: Object
metadata: {name: ns-team-a, namespace: default}
spec:
  forProvider:
    manifest:
      apiVersion: v1
      kind: Namespace
      metadata:
        name: team-a
        labels: {datalab.io/owner: alice}
  providerConfigRef: {kind: ClusterProviderConfig, name: default}
`

func TestValidObjectsPass(t *testing.T) {
	v := validator(t)
	for name, y := range map[string]string{
		"Secret":           validSecret,
		"NetworkPolicy":    validNetworkPolicy,
		"Workshop":         validWorkshop,
		"Object/Namespace": validObjectWrappingNamespace,
	} {
		t.Run(name, func(t *testing.T) {
			if errs := v.Validate(obj(t, y)); len(errs) > 0 {
				t.Errorf("unexpected errors:\n  %s", strings.Join(messages(errs), "\n  "))
			}
		})
	}
}

func TestValidateDoesNotModifyInput(t *testing.T) {
	v := validator(t)
	in := obj(t, validObjectWrappingNamespace)
	before, _ := yaml.Marshal(in)
	v.Validate(in)
	after, _ := yaml.Marshal(in)
	if string(before) != string(after) {
		t.Errorf("input modified:\n%s\n--- became ---\n%s", before, after)
	}
}

func TestUnknownFieldFails(t *testing.T) {
	v := validator(t)
	t.Run("core", func(t *testing.T) {
		o := obj(t, validSecret)
		o["strngData"] = map[string]any{"a": "b"}
		wantError(t, v.Validate(o), "Secret team-a/db-credentials: strngData: unknown field")
	})
	t.Run("core nested", func(t *testing.T) {
		o := obj(t, validNetworkPolicy)
		o["spec"].(map[string]any)["ingress"].([]any)[0].(map[string]any)["form"] = []any{}
		wantError(t, v.Validate(o), "spec.ingress[0].form: unknown field")
	})
	t.Run("CRD", func(t *testing.T) {
		o := obj(t, validWorkshop)
		o["spec"].(map[string]any)["session"].(map[string]any)["colour"] = "blue"
		wantError(t, v.Validate(o), "Workshop lab-python: spec.session.colour: unknown field")
	})
	t.Run("metadata", func(t *testing.T) {
		o := obj(t, validSecret)
		o["metadata"].(map[string]any)["label"] = map[string]any{"a": "b"}
		wantError(t, v.Validate(o), "metadata.label: unknown field")
	})
	t.Run("preserve-unknown-fields is open", func(t *testing.T) {
		o := obj(t, validWorkshop)
		o["spec"].(map[string]any)["session"].(map[string]any)["patches"] = map[string]any{"anything": map[string]any{"goes": 1}}
		if errs := v.Validate(o); len(errs) > 0 {
			t.Errorf("unexpected errors: %s", messages(errs))
		}
	})
}

func TestWrongTypeFails(t *testing.T) {
	v := validator(t)
	t.Run("core", func(t *testing.T) {
		o := obj(t, validSecret)
		o["immutable"] = "yes"
		wantError(t, v.Validate(o), "Secret team-a/db-credentials: immutable: Invalid value", "must be of type boolean")
	})
	t.Run("CRD", func(t *testing.T) {
		o := obj(t, validWorkshop)
		o["spec"].(map[string]any)["session"].(map[string]any)["applications"].(map[string]any)["editor"] = map[string]any{"enabled": "yes"}
		wantError(t, v.Validate(o), "spec.session.applications.editor.enabled: Invalid value", "must be of type boolean")
	})
	t.Run("label value", func(t *testing.T) {
		o := obj(t, validSecret)
		o["metadata"].(map[string]any)["labels"] = map[string]any{"tier": 3}
		wantError(t, v.Validate(o), "metadata.labels[tier]: must be a string, got integer")
	})
	t.Run("base64", func(t *testing.T) {
		o := obj(t, validSecret)
		o["data"] = map[string]any{"password": "not base64!"}
		wantError(t, v.Validate(o), "data.password: Invalid value", "must be of type byte")
	})
	t.Run("enum", func(t *testing.T) {
		o := obj(t, validObjectWrappingNamespace)
		o["spec"].(map[string]any)["managementPolicies"] = []any{"Everything"}
		wantError(t, v.Validate(o), "spec.managementPolicies[0]: Unsupported value: \"Everything\"")
	})
}

func TestMissingRequiredFails(t *testing.T) {
	v := validator(t)
	t.Run("CRD", func(t *testing.T) {
		o := obj(t, validWorkshop)
		delete(o["spec"].(map[string]any), "title")
		wantError(t, v.Validate(o), "Workshop lab-python: spec.title: Required value")
	})
	t.Run("core", func(t *testing.T) {
		o := obj(t, `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: team-a}
spec:
  selector: {app: web}
  ports: [{name: http, targetPort: 8080}]
`)
		wantError(t, v.Validate(o), "Service team-a/web: spec.ports[0].port: Required value")
	})
	t.Run("CEL rule after defaulting", func(t *testing.T) {
		// forProvider.realm is required by an x-kubernetes-validations rule
		// that reads managementPolicies, which only exists once defaulted.
		o := obj(t, `
apiVersion: realm.keycloak.m.crossplane.io/v1alpha1
kind: Realm
metadata: {name: datalab, namespace: iam}
spec:
  forProvider: {enabled: true}
`)
		wantError(t, v.Validate(o), "Realm iam/datalab: spec: Invalid value", "spec.forProvider.realm is a required parameter")
	})
}

func TestNestedObjectManifestError(t *testing.T) {
	v := validator(t)
	o := obj(t, `
apiVersion: kubernetes.m.crossplane.io/v1alpha1
kind: Object
metadata: {name: foo, namespace: default}
spec:
  forProvider:
    manifest:
      apiVersion: training.educates.dev/v1beta1
      kind: Workshop
      metadata: {name: bar}
      spec:
        title: t
        description: d
        session:
          applications:
            editor: {}
`)
	errs := v.Validate(o)
	want := "Object default/foo > Workshop bar: spec.session.applications.editor.enabled: Required value"
	if !slices.Contains(messages(errs), want) {
		t.Errorf("want %q; got:\n  %s", want, strings.Join(messages(errs), "\n  "))
	}
}

func TestWorkshopSessionObjectError(t *testing.T) {
	v := validator(t)
	o := obj(t, validWorkshop)
	session := o["spec"].(map[string]any)["session"].(map[string]any)
	session["objects"] = append(session["objects"].([]any),
		map[string]any{
			"apiVersion": "v1", "kind": "ConfigMap",
			"metadata": map[string]any{"name": "settings", "namespace": "$(session_namespace)"},
			"data":     map[string]any{"port": 8080},
		},
		map[string]any{"apiVersion": "example.com/v1", "kind": "Gadget"},
	)
	errs := v.Validate(o)
	wantError(t, errs, "Workshop lab-python > ConfigMap $(session_namespace)/settings: data.port: Invalid value", "must be of type string")
	wantError(t, errs, `Workshop lab-python > Gadget (spec.session.objects[3]): no schema for apiVersion "example.com/v1" kind "Gadget"`)
	if !slices.IsSorted(messages(errs)) {
		t.Errorf("errors not sorted: %q", messages(errs))
	}
}

func TestNoSchema(t *testing.T) {
	v := validator(t)
	errs := v.Validate(map[string]any{"apiVersion": "example.com/v1", "kind": "Widget", "metadata": map[string]any{"name": "w"}})
	wantError(t, errs, `Widget w: no schema for apiVersion "example.com/v1" kind "Widget"`)
}

func TestScope(t *testing.T) {
	v := validator(t)
	for _, c := range []struct {
		apiVersion, kind string
		namespaced       bool
	}{
		{"training.educates.dev/v1beta1", "Workshop", false},
		{"v1", "Namespace", false},
		{"v1", "Secret", true},
		{"kubernetes.m.crossplane.io/v1alpha1", "Object", true},
		{"kubernetes.crossplane.io/v1alpha2", "Object", false},
		{"rbac.authorization.k8s.io/v1", "ClusterRole", false},
		{"apps/v1", "Deployment", true},
	} {
		ns, known := v.Scope(c.apiVersion, c.kind)
		if !known || ns != c.namespaced {
			t.Errorf("Scope(%s, %s) = (%v, %v), want (%v, true)", c.apiVersion, c.kind, ns, known, c.namespaced)
		}
	}
	if _, known := v.Scope("example.com/v1", "Widget"); known {
		t.Error("Scope of an unregistered kind reported as known")
	}
}

const tinyXRD = `
apiVersion: apiextensions.crossplane.io/v2
kind: CompositeResourceDefinition
metadata:
  name: labs.example.datalab.io
spec:
  group: example.datalab.io
  names: {kind: Lab, plural: labs}
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [owner]
            properties:
              owner: {type: string}
              size: {type: string, enum: [S, M, L], default: S}
          status:
            type: object
            properties:
              url: {type: string}
`

func TestAddXRD(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "xrd.yaml")
	if err := os.WriteFile(path, []byte(tinyXRD), 0o600); err != nil {
		t.Fatal(err)
	}
	base, ok := DefaultDir()
	if !ok {
		t.Skip("no schema folder: set $DATALAB_CRDS or provide shared/crds in a parent directory")
	}
	// A fresh Validator, since AddXRD must not race with other tests'
	// Validate; the Crossplane CRDs suffice (the XRD is validated too).
	v, err := Load(filepath.Join(base, "crossplane"))
	if err != nil {
		t.Fatal(err)
	}
	if _, known := v.Scope("example.datalab.io/v1alpha1", "Lab"); known {
		t.Fatal("Lab known before AddXRD")
	}
	if err := v.AddXRD(path); err != nil {
		t.Fatalf("AddXRD: %v", err)
	}
	if ns, known := v.Scope("example.datalab.io/v1alpha1", "Lab"); !known || !ns {
		t.Errorf("Scope(Lab) = (%v, %v), want namespaced (v2 XRD default scope)", ns, known)
	}

	valid := obj(t, `
apiVersion: example.datalab.io/v1alpha1
kind: Lab
metadata: {name: alice, namespace: team-a}
spec:
  owner: alice
  crossplane:
    compositionRef: {name: lab}
    compositionUpdatePolicy: Automatic
    resourceRefs: [{apiVersion: v1, kind: Secret, name: s}]
status:
  url: https://example.com
  conditions:
  - {type: Ready, status: "True", reason: Available, lastTransitionTime: "2026-01-01T00:00:00Z"}
  crossplane: {anything: here}
`)
	if errs := v.Validate(valid); len(errs) > 0 {
		t.Errorf("valid XR: unexpected errors:\n  %s", strings.Join(messages(errs), "\n  "))
	}

	bad := obj(t, `
apiVersion: example.datalab.io/v1alpha1
kind: Lab
metadata: {name: bob, namespace: team-a}
spec:
  size: XL
  colour: red
  crossplane: {compositionRef: {}}
`)
	errs := v.Validate(bad)
	wantError(t, errs, "Lab team-a/bob: spec.owner: Required value")
	wantError(t, errs, "Lab team-a/bob: spec.size: Unsupported value: \"XL\"")
	wantError(t, errs, "Lab team-a/bob: spec.colour: unknown field")
	wantError(t, errs, "Lab team-a/bob: spec.crossplane.compositionRef.name: Required value")

	// An invalid XRD is rejected with the XRD schema's own errors.
	broken := filepath.Join(dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte(tinyXRD+"  scope: Galaxy\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := v.AddXRD(broken); err == nil || !strings.Contains(err.Error(), "spec.scope: Unsupported value") {
		t.Errorf("AddXRD(broken) = %v, want spec.scope error", err)
	}
}

// TestConcurrentValidate exercises the lazy, first-use schema compilation
// from several goroutines (run with -race).
func TestConcurrentValidate(t *testing.T) {
	validator(t) // skips without a schema folder
	v, err := Load(loadDir)
	if err != nil {
		t.Fatal(err)
	}
	fixtures := []string{validSecret, validNetworkPolicy, validWorkshop, validObjectWrappingNamespace}
	var wg sync.WaitGroup
	results := make([][]error, 4*len(fixtures))
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = v.Validate(obj(t, fixtures[i%len(fixtures)]))
		}()
	}
	wg.Wait()
	for i, errs := range results {
		if len(errs) > 0 {
			t.Errorf("fixture %d: unexpected errors: %s", i%len(fixtures), messages(errs))
		}
	}
}

func TestTimings(t *testing.T) {
	v := validator(t)
	t.Logf("Load(%s): %d kinds in %v", loadDir, len(v.kinds), loadTiming)
	cluster := obj(t, `
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: db, namespace: team-a}
spec:
  instances: 1
  storage: {size: 1Gi}
`)
	start := time.Now()
	errs := v.Validate(cluster)
	t.Logf("first Validate of a CNPG Cluster (compiles schema and CEL rules): %v", time.Since(start))
	if len(errs) > 0 {
		t.Errorf("unexpected errors:\n  %s", strings.Join(messages(errs), "\n  "))
	}
	start = time.Now()
	for range 10 {
		v.Validate(cluster)
	}
	t.Logf("Validate of a CNPG Cluster, warm: %v each", time.Since(start)/10)
}

func BenchmarkLoad(b *testing.B) {
	dir, ok := DefaultDir()
	if !ok {
		b.Skip("no schema folder")
	}
	for range b.N {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
