//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"sigs.k8s.io/yaml"
)

// Loopback ports inside the test's private network namespace.
const (
	apiserverPort     = 6443
	crossplaneMetrics = 18080
	crossplaneHealth  = 18081
	controllerMgrPort = 10257
	firstFunctionPort = 9441
	// Each function's Prometheus metrics, at firstMetricsPort + its index.
	firstMetricsPort = 19441
	etcdClientURL    = "http://127.0.0.1:2379"
	etcdPeerURL      = "http://127.0.0.1:2380"
	fieldManager     = "datalab-e2e"
	crossplaneSystem = "crossplane-system"
	readyTimeout     = 60 * time.Second
)

// process is one program the test started; stop ends it by PID.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
}

func (p *process) stop() {
	if p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
}

// cluster is etcd, kube-apiserver, kube-controller-manager and Crossplane
// core, all on loopback, plus the functions as local mTLS processes.
type cluster struct {
	t          *testing.T
	root, dir  string
	pki        *pki
	kubeconfig string
	procs      []*process
	functions  map[string]*process
	rest       *rest.Config
	dyn        *dynamic.DynamicClient
	mapper     *restmapper.DeferredDiscoveryRESTMapper
}

func (c *cluster) start(name string, bin string, env []string, args ...string) *process {
	c.t.Helper()
	log := filepath.Join(c.dir, name+".log")
	f, err := os.Create(log)
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Env = append(os.Environ(), env...)
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("start %s: %v", name, err)
	}
	p := &process{name: name, cmd: cmd, log: log}
	c.procs = append(c.procs, p)
	return p
}

// stopAll ends every process the test started, newest first.
func (c *cluster) stopAll() {
	for i := len(c.procs) - 1; i >= 0; i-- {
		c.procs[i].stop()
	}
}

// tail returns the end of a process's log, for failure messages.
func (c *cluster) tail(p *process) string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

func newCluster(t *testing.T, root string) *cluster {
	dir, err := os.MkdirTemp("", "datalab-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{t: t, root: root, dir: dir, functions: map[string]*process{}}
	t.Cleanup(func() {
		c.stopAll()
		for _, p := range c.procs {
			if p.cmd.ProcessState == nil {
				t.Errorf("%s (pid %d) was not stopped", p.name, p.cmd.Process.Pid)
			}
		}
		if t.Failed() {
			t.Logf("logs kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	p, err := newPKI(dir)
	if err != nil {
		t.Fatal(err)
	}
	c.pki = p
	for _, x := range []struct {
		name, cn string
		orgs     []string
		server   bool
	}{
		{"apiserver", "kube-apiserver", nil, true},
		{"admin", "datalab-e2e-admin", []string{"system:masters"}, false},
		{"functions", "datalab-functions", nil, true},
		{"crossplane", "crossplane", nil, false},
	} {
		if err := p.issue(x.name, x.cn, x.orgs, x.server); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.serviceAccountKey(); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *cluster) bin(name string) string { return filepath.Join(c.root, ".bin", name) }

// up starts the control plane and waits until the API server is ready.
func (c *cluster) up() {
	t := c.t
	begin := time.Now()
	c.start("etcd", "etcd", nil, "--data-dir="+filepath.Join(c.dir, "etcd"),
		"--listen-client-urls="+etcdClientURL, "--advertise-client-urls="+etcdClientURL,
		"--listen-peer-urls="+etcdPeerURL, "--initial-advertise-peer-urls="+etcdPeerURL,
		"--initial-cluster=default="+etcdPeerURL, "--listen-metrics-urls=http://127.0.0.1:2381")
	d := c.pki.dir
	api := c.start("kube-apiserver", c.bin("kube-apiserver"), nil,
		"--etcd-servers="+etcdClientURL, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		fmt.Sprintf("--secure-port=%d", apiserverPort),
		"--tls-cert-file="+filepath.Join(d, "apiserver.crt"), "--tls-private-key-file="+filepath.Join(d, "apiserver.key"),
		"--client-ca-file="+filepath.Join(d, "ca.crt"),
		"--service-account-key-file="+filepath.Join(d, "sa.pub"), "--service-account-signing-key-file="+filepath.Join(d, "sa.key"),
		"--service-account-issuer=https://kubernetes.default.svc", "--authorization-mode=RBAC",
		"--service-cluster-ip-range=10.96.0.0/24", "--endpoint-reconciler-type=none")
	c.writeKubeconfig()
	c.waitHTTP(api, fmt.Sprintf("https://127.0.0.1:%d/readyz", apiserverPort))
	c.start("kube-controller-manager", c.bin("kube-controller-manager"), nil,
		"--kubeconfig="+c.kubeconfig, "--bind-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", controllerMgrPort),
		"--cert-dir="+filepath.Join(c.dir, "kcm"), "--leader-elect=false",
		"--controllers=garbagecollector,namespace,serviceaccount,serviceaccount-token,root-ca-certificate-publisher-controller",
		"--service-account-private-key-file="+filepath.Join(d, "sa.key"), "--root-ca-file="+filepath.Join(d, "ca.crt"))
	cfg := &rest.Config{Host: fmt.Sprintf("https://127.0.0.1:%d", apiserverPort), QPS: 200, Burst: 400,
		TLSClientConfig: rest.TLSClientConfig{CAFile: filepath.Join(d, "ca.crt"), CertFile: filepath.Join(d, "admin.crt"), KeyFile: filepath.Join(d, "admin.key")}}
	c.rest = cfg
	var err error
	if c.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		t.Fatal(err)
	}
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.mapper = restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(dc))
	t.Logf("control plane (etcd, kube-apiserver, kube-controller-manager) ready in %s", time.Since(begin).Round(100*time.Millisecond))
}

func (c *cluster) writeKubeconfig() {
	d := c.pki.dir
	c.kubeconfig = filepath.Join(c.dir, "kubeconfig")
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: e2e, cluster: {server: "https://127.0.0.1:%d", certificate-authority: %q}}]
users: [{name: admin, user: {client-certificate: %q, client-key: %q}}]
contexts: [{name: e2e, context: {cluster: e2e, user: admin}}]
current-context: e2e
`, apiserverPort, filepath.Join(d, "ca.crt"), filepath.Join(d, "admin.crt"), filepath.Join(d, "admin.key"))
	if err := os.WriteFile(c.kubeconfig, []byte(kc), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// waitHTTP polls an HTTPS endpoint (with the admin certificate) until it
// answers 200, failing with the process's log when it does not in time.
func (c *cluster) waitHTTP(p *process, url string) {
	d := c.pki.dir
	cert, err := tls.LoadX509KeyPair(filepath.Join(d, "admin.crt"), filepath.Join(d, "admin.key"))
	if err != nil {
		c.t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c.pki.caCert)
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{cert}}}}
	deadline := time.Now().Add(readyTimeout)
	for time.Now().Before(deadline) {
		if rsp, err := client.Get(url); err == nil {
			rsp.Body.Close()
			if rsp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	c.t.Fatalf("%s not ready at %s:\n%s", p.name, url, c.tail(p))
}

// apply server-side applies every document of the given YAML files.
func (c *cluster) apply(files ...string) {
	c.t.Helper()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			c.t.Fatal(err)
		}
		for _, doc := range bytes.Split(append([]byte("\n"), b...), []byte("\n---")) {
			var m map[string]any
			if err := yaml.Unmarshal(doc, &m); err != nil {
				c.t.Fatalf("%s: %v", f, err)
			}
			if m == nil {
				continue
			}
			c.applyObject(&unstructured.Unstructured{Object: m})
		}
	}
}

func (c *cluster) resource(u *unstructured.Unstructured) dynamic.ResourceInterface {
	c.t.Helper()
	gvk := u.GroupVersionKind()
	var m *meta.RESTMapping
	var err error
	for range 20 {
		if m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version); err == nil {
			break
		}
		c.mapper.Reset()
		time.Sleep(500 * time.Millisecond)
	}
	if err != nil {
		c.t.Fatalf("no API for %s: %v", gvk, err)
	}
	if m.Scope.Name() == meta.RESTScopeNameNamespace {
		return c.dyn.Resource(m.Resource).Namespace(u.GetNamespace())
	}
	return c.dyn.Resource(m.Resource)
}

func (c *cluster) applyObject(u *unstructured.Unstructured) *unstructured.Unstructured {
	c.t.Helper()
	b, err := u.MarshalJSON()
	if err != nil {
		c.t.Fatal(err)
	}
	out, err := c.resource(u).Patch(context.Background(), u.GetName(), types.ApplyPatchType, b, metav1.PatchOptions{FieldManager: fieldManager, Force: ptr(true)})
	if err != nil {
		c.t.Fatalf("apply %s %s/%s: %v", u.GetKind(), u.GetNamespace(), u.GetName(), err)
	}
	return out
}

// get reads an object; nil when it does not exist.
func (c *cluster) get(apiVersion, kind, namespace, name string) *unstructured.Unstructured {
	c.t.Helper()
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	u.SetNamespace(namespace)
	out, err := c.resource(u).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		return nil
	}
	return out
}

// list lists objects of a kind in a namespace ("" for all or cluster-scoped).
func (c *cluster) list(apiVersion, kind, namespace string) []unstructured.Unstructured {
	c.t.Helper()
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	u.SetNamespace(namespace)
	l, err := c.resource(u).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		c.t.Fatalf("list %s: %v", kind, err)
	}
	return l.Items
}

func (c *cluster) delete(apiVersion, kind, namespace, name string) {
	c.t.Helper()
	u := &unstructured.Unstructured{}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	u.SetNamespace(namespace)
	if err := c.resource(u).Delete(context.Background(), name, metav1.DeleteOptions{}); err != nil {
		c.t.Fatalf("delete %s %s/%s: %v", kind, namespace, name, err)
	}
}

// eventually polls cond until it returns "" (ok) or the timeout passes,
// then fails with its last answer.
func (c *cluster) eventually(what string, timeout time.Duration, cond func() string) {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	last := ""
	for time.Now().Before(deadline) {
		if last = cond(); last == "" {
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
	c.t.Fatalf("%s: not within %s: %s", what, timeout, last)
}

func ptr[T any](v T) *T { return &v }

// condition returns the status and message of a condition of an object.
func condition(u *unstructured.Unstructured, typ string) (status, reason, message string) {
	if u == nil {
		return "", "", ""
	}
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, x := range conds {
		m, _ := x.(map[string]any)
		if m["type"] == typ {
			s, _ := m["status"].(string)
			r, _ := m["reason"].(string)
			msg, _ := m["message"].(string)
			return s, r, msg
		}
	}
	return "", "", ""
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
