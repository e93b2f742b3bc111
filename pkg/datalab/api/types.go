// Package api holds the typed model of the tenant-facing Datalab API
// (pkg.internal/v1beta2) as the composition functions read and report it.
package api

// Group, version and kind of the composite resource.
const (
	Group      = "pkg.internal"
	Version    = "v1beta2"
	Kind       = "Datalab"
	APIVersion = Group + "/" + Version
)

// Datalab is the composite resource as the functions see it.
type Datalab struct {
	Name        string            `json:"-"`
	Namespace   string            `json:"-"`
	Labels      map[string]string `json:"-"`
	Annotations map[string]string `json:"-"`
	Spec        Spec              `json:"spec"`
}

// Spec is what a tenant (a person, a GitOps process or an agent) asks for.
type Spec struct {
	Users          []string                `json:"users,omitempty"`
	UserOverrides  map[string]UserOverride `json:"userOverrides,omitempty"`
	SecretName     string                  `json:"secretName,omitempty"`
	Sessions       []Session               `json:"sessions,omitempty"`
	VCluster       bool                    `json:"vcluster,omitempty"`
	Data           *Data                   `json:"data,omitempty"`
	Registry       *Registry               `json:"registry,omitempty"`
	Persistence    *Persistence            `json:"persistence,omitempty"`
	Quota          *Quota                  `json:"quota,omitempty"`
	Security       *Security               `json:"security,omitempty"`
	Files          []File                  `json:"files,omitempty"`
	Databases      map[string]Database     `json:"databases,omitempty"`
	DocumentStores map[string]Store        `json:"documentStores,omitempty"`
	CacheStores    map[string]Store        `json:"cacheStores,omitempty"`
	VectorStores   map[string]Store        `json:"vectorStores,omitempty"`
	Agents         []Agent                 `json:"agents,omitempty"`
}

// Agent is a machine identity: its own Keycloak client-credentials
// client with one role, and its own credentials Secret, which only the
// sessions it lists receive.
type Agent struct {
	Name     string   `json:"name"`
	Sessions []string `json:"sessions,omitempty"`
	// Role is the Datalab client role the agent's tokens carry: api
	// (default), access or admin.
	Role string `json:"role,omitempty"`
}

// AgentRoles are the roles an agent may hold; the first is the default.
var AgentRoles = []string{"api", "access", "admin"}

// EffectiveRole is the agent's role, defaulted.
func (a Agent) EffectiveRole() string {
	if a.Role == "" {
		return AgentRoles[0]
	}
	return a.Role
}

// UserOverride changes one user's role.
type UserOverride struct {
	Role      string `json:"role,omitempty"`
	GrantedAt string `json:"grantedAt,omitempty"`
}

// Session states.
const (
	StateStarted = "started"
	StateStopped = "stopped"
)

// Session is one IDE session of the Datalab.
type Session struct {
	Name     string `json:"name"`
	State    string `json:"state,omitempty"`
	VCluster *bool  `json:"vcluster,omitempty"`
	// RestartGeneration recreates the session's environment (applying
	// Workshop-level changes) each time it is raised above the generation
	// the environment was created at, keeping the workspace volume.
	RestartGeneration int64 `json:"restartGeneration,omitempty"`
	// Lifetime bounds how long the session runs once started.
	Lifetime *Lifetime `json:"lifetime,omitempty"`
}

// Lifetime bounds a session: it stops maxDuration after it started, or at
// stopAt, whichever comes first.
type Lifetime struct {
	// MaxDuration is a Go duration such as 8h or 90m.
	MaxDuration string `json:"maxDuration,omitempty"`
	// StopAt is an RFC 3339 time.
	StopAt string `json:"stopAt,omitempty"`
}

// Data configures the storage browser.
type Data struct {
	Enabled       *bool `json:"enabled,omitempty"`
	ReadOnlyMount bool  `json:"readOnlyMount,omitempty"`
}

// Registry configures the per-session Docker registry.
type Registry struct {
	Enabled bool   `json:"enabled,omitempty"`
	Storage string `json:"storage,omitempty"`
}

// Persistence configures session workspace volumes.
type Persistence struct {
	StorageClassName string `json:"storageClassName,omitempty"`
}

// Quota is the per-session resource budget.
type Quota struct {
	Memory  string `json:"memory,omitempty"`
	Storage string `json:"storage,omitempty"`
	Budget  string `json:"budget,omitempty"`
}

// Security is the per-session security posture.
type Security struct {
	Policy           string `json:"policy,omitempty"`
	KubernetesAccess *bool  `json:"kubernetesAccess,omitempty"`
	KubernetesRole   string `json:"kubernetesRole,omitempty"`
	ExternalEgress   *bool  `json:"externalEgress,omitempty"`
}

// File is an Educates file source. Only the fields the functions inspect
// are typed; the whole item is passed through to Educates as written.
type File struct {
	Image *FileSource    `json:"image,omitempty"`
	Git   *FileSource    `json:"git,omitempty"`
	HTTP  *FileSource    `json:"http,omitempty"`
	Raw   map[string]any `json:"-"`
}

// FileSource is one of the file source kinds.
type FileSource struct {
	URL        string      `json:"url,omitempty"`
	SecretRef  *SecretRef  `json:"secretRef,omitempty"`
	SecretRefs []SecretRef `json:"secretRefs,omitempty"`
}

// SecretRef names a Secret Educates reads to fetch a file source.
type SecretRef struct {
	Name      string `json:"name,omitempty"`
	Namespace string `json:"namespace,omitempty"`
}

// Database is one PostgreSQL host with its databases.
type Database struct {
	Names                  []string `json:"names,omitempty"`
	Storage                string   `json:"storage,omitempty"`
	BackupStorage          string   `json:"backupStorage,omitempty"`
	StorageClassName       string   `json:"storageClassName,omitempty"`
	BackupStorageClassName string   `json:"backupStorageClassName,omitempty"`
}

// Store is a MongoDB, Redis or Qdrant store.
type Store struct {
	Storage          string `json:"storage,omitempty"`
	StorageClassName string `json:"storageClassName,omitempty"`
}

// SessionStatus is reported per session in status.sessions.
type SessionStatus struct {
	State   string `json:"state"`
	Phase   string `json:"phase,omitempty"`
	Message string `json:"message,omitempty"`
	URL     string `json:"url,omitempty"`
}
