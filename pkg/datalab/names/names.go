// Package names derives every name that is cluster-scoped, lives in another
// namespace, or ends up in a host name. Two Datalabs with the same name in
// different namespaces must never share one, and every derived DNS label
// stays within 63 characters, whatever the Datalab is called.
package names

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

const (
	// MaxSessionName bounds spec.sessions[].name (the XRD enforces it too):
	// with the longest tenant ID and the longest prefix or suffix Educates
	// or the runtime adds, every label stays <= 63 characters.
	MaxSessionName = 20
	// nameBudget is how much of the Datalab name a tenant ID keeps: the
	// name is for people, the hash for uniqueness.
	nameBudget = 14
	// hashLen hex characters are 64 bits of SHA-256 over the full identity:
	// finding a name that reaches another tenant's names takes about 2^64
	// hashes, far beyond brute force (32 bits fell in a CPU-minute).
	hashLen = 16
	// sessionSuffix is the Educates session id inside its environment.
	sessionSuffix = "ws"
)

// Tenant is the identity of one Datalab: its namespace and name.
type Tenant struct {
	Namespace string
	Name      string
}

// ID is the tenant-unique, DNS-safe stem of every global name: the
// Datalab's name (shortened to 14 characters) and 16 hex characters (64
// bits) of SHA-256 over "namespace/name". The hash is not a secret; it
// keeps Datalabs apart even when a tenant picks its name to collide.
//
// Two IDs never make equal derived names unless their stems and hashes
// are equal: a stem has at most 14 characters and the hash 16 hex digits
// without '-', so the '-' before the hash of the shorter stem would face
// a hex digit of the other name.
func (t Tenant) ID() string {
	stem := strings.Trim(sanitise(t.Name), "-")
	if len(stem) > nameBudget {
		stem = strings.TrimRight(stem[:nameBudget], "-")
	}
	if stem == "" {
		stem = "datalab"
	}
	return stem + "-" + t.hash()[:hashLen]
}

// hash is SHA-256 over the Datalab's full identity, hex-encoded. Namespace
// and name cannot contain '/', so the input is unambiguous.
func (t Tenant) hash() string { return hashOf(t.Namespace + "/" + t.Name) }

func hashOf(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Environment is the Educates Workshop and WorkshopEnvironment name of a
// session, which Educates also uses as the workshop namespace. Each session
// has its own so that its vcluster choice, its drift and its volume are its
// own (Educates enables vcluster per Workshop).
func (t Tenant) Environment(session string) string { return t.ID() + "-" + session }

// Session is the WorkshopSession name; Educates names the session
// namespace and the session host the same.
func (t Tenant) Session(session string) string {
	return t.Environment(session) + "-" + sessionSuffix
}

// SessionID is the Educates session id within the session's environment.
func SessionID() string { return sessionSuffix }

// SessionNamespace is where a session's own Kubernetes workloads run.
func (t Tenant) SessionNamespace(session string) string { return t.Session(session) }

// VClusterNamespace hosts the session's vcluster (Educates convention).
func (t Tenant) VClusterNamespace(session string) string { return t.Session(session) + vclusterSuffix }

// WorkspaceVolume is the session's durable home PVC, in the environment
// namespace.
func (t Tenant) WorkspaceVolume(session string) string { return t.Session(session) + workspaceSuffix }

// RegistryVolume is the session's Docker registry storage, in the
// environment namespace beside the workspace volume.
func (t Tenant) RegistryVolume(session string) string { return t.Session(session) + registrySuffix }

// Suffixes shared by the names above and the Educates variable forms below.
const (
	vclusterSuffix  = "-vc"
	workspaceSuffix = "-persistent"
	registrySuffix  = "-registry"
)

// The same names as Educates variables, for Workshop fields and objects
// that Educates resolves per session ($(session_name) is Session,
// $(session_namespace) is SessionNamespace).
const (
	VarWorkshopNamespace = "$(workshop_namespace)"
	VarSessionNamespace  = "$(session_namespace)"
	VarSessionName       = "$(session_name)"
	VarVClusterNamespace = VarSessionNamespace + vclusterSuffix
	VarWorkspaceVolume   = VarSessionName + workspaceSuffix
	VarRegistryVolume    = VarSessionName + registrySuffix
)

// Mount points of the Secrets in every session: unlike environment
// variables, which are fixed when the session starts, mounted files follow
// credentials that arrive or rotate later (service passwords, keys).
const (
	StorageMountPath  = "/opt/datalab/storage"
	ServicesMountPath = "/opt/datalab/services"
)

// ReservedHostPrefixes are the prefixes Hosts puts before a session name.
// Datalab names may not start with them, so no tenant's session host can
// equal another tenant's prefixed host.
var ReservedHostPrefixes = []string{"data-", "editor-"}

// Hosts returns every host name a session exposes under the ingress
// domain: the session itself, its editor (both Educates host styles) and
// the storage browser (both styles). Identity uses the same list for
// redirect URIs.
func (t Tenant) Hosts(session, domain string) []string {
	s := t.Session(session)
	return []string{
		s + "." + domain,
		"editor-" + s + "." + domain,
		s + "-editor." + domain,
		"data-" + s + "." + domain,
		s + "-data." + domain,
	}
}

// DerivedName is one name derived for a session and what it names.
type DerivedName struct {
	What, Name string
}

// SessionNames lists every name derived for a session: its Educates
// objects and namespaces, volumes and host names (without the domain).
// Within one Datalab two sessions must not share any of them: sessions x
// and x-ws would otherwise give x-ws's environment the name of x's
// session namespace.
func (t Tenant) SessionNames(session string) []DerivedName {
	out := []DerivedName{
		{"environment", t.Environment(session)},
		{"session namespace", t.SessionNamespace(session)},
		{"vcluster namespace", t.VClusterNamespace(session)},
		{"workspace volume", t.WorkspaceVolume(session)},
		{"registry volume", t.RegistryVolume(session)},
	}
	for _, h := range t.Hosts(session, "") {
		out = append(out, DerivedName{"host", strings.TrimSuffix(h, ".")})
	}
	return out
}

// SessionURL is the session's entry point.
func (t Tenant) SessionURL(session, domain string) string {
	return "https://" + t.Session(session) + "." + domain
}

// Secrets the sessions import, in the Datalab's namespace. The producing
// steps (storage, backends) and the runtime agree on them here.
func StorageSecret(datalab string) string  { return datalab + "-storage" }
func ServicesSecret(datalab string) string { return datalab + "-services" }

// BucketVolume is the storage browser's bucket mount (csi-rclone PVC) in
// the environment namespace. csi-rclone reads the rclone remote from the
// Secret named like the PVC, so it is named like the storage Secret that
// Educates copies into that namespace.
func BucketVolume(datalab string) string { return StorageSecret(datalab) }

func sanitise(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteRune('-')
		}
	}
	return b.String()
}

// SessionLoginSecret holds the session login (keys username, password) in
// credentials mode, in the Datalab's namespace. The identity step creates
// it with a random password; the runtime only reads it.
func SessionLoginSecret(datalab string) string { return datalab + "-session-login" }

// composedSecretSuffixes name the Secrets a Datalab composes in its
// namespace, <datalab><suffix> (the suffixes of the functions that name
// them), and what each is.
var composedSecretSuffixes = []struct{ suffix, what string }{
	{StorageSecret(""), "storage Secret"},
	{ServicesSecret(""), "services Secret"},
	{SessionLoginSecret(""), "session login Secret"},
	{OAuthClientSecret(""), "OAuth client Secret"},
	{OAuthSecret(""), "OAuth runtime Secret"},
	{agentSecretSuffix, "agent credentials Secret"},
}

// serviceSecret matches the credentials Secrets of services (generated by
// the backends step, or by a PostgreSQL operator for a backends-named
// cluster): <kind prefix>-<name>-<hash>-<suffix of CredentialsSecret or
// PostgresAppSecret>.
var serviceSecret = regexp.MustCompile(`^(pg|mongo|redis|qdrant)-[a-z0-9-]+-[0-9a-f]{` + strconv.Itoa(hashLen) + `}(` +
	regexp.QuoteMeta(CredentialsSecret("")) + `|` + regexp.QuoteMeta(PostgresAppSecret(environment.EngineCloudNativePG, "")) + `|` +
	regexp.QuoteMeta(PostgresAppSecret(environment.EngineCrunchy, "")) + `)$`)

// ComposedSecret says which kind of composed Secret name is like ("" when
// none): any Datalab's, not only this one's, since several Datalabs may
// share a namespace and each may later compose its own.
func ComposedSecret(name string) string {
	for _, s := range composedSecretSuffixes {
		if strings.HasSuffix(name, s.suffix) {
			return s.what
		}
	}
	if serviceSecret.MatchString(name) {
		return "service credentials Secret"
	}
	return ""
}
