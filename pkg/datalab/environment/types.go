// Package environment is the operator's side of the contract: the data of
// the EnvironmentConfig that sets the platform boundary, how it is found,
// and the effective settings it yields together with a Datalab's spec.
package environment

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Config is EnvironmentConfig.data. Every key the predecessor read is here,
// plus the ones the invariants need (retention, limits, providerConfigRef,
// runtime images).
type Config struct {
	ProviderConfigRef *ProviderConfigRef `json:"providerConfigRef,omitempty"`
	Auth              Auth               `json:"auth,omitempty"`
	IAM               IAM                `json:"iam,omitempty"`
	Ingress           Ingress            `json:"ingress,omitempty"`
	Storage           Storage            `json:"storage,omitempty"`
	StorageClasses    StorageClasses     `json:"storageClasses,omitempty"`
	Network           Network            `json:"network,omitempty"`
	Packages          []map[string]any   `json:"packages,omitempty"`
	Defaults          Defaults           `json:"defaults,omitempty"`
	Retention         Retention          `json:"retention,omitempty"`
	Limits            Limits             `json:"limits,omitempty"`
	Database          Database           `json:"database,omitempty"`
	MongoDB           StoreClass         `json:"mongodb,omitempty"`
	Redis             StoreClass         `json:"redis,omitempty"`
	Qdrant            StoreClass         `json:"qdrant,omitempty"`
	Runtime           Runtime            `json:"runtime,omitempty"`
	Tenancy           Tenancy            `json:"tenancy,omitempty"`
}

// ProviderConfigRef selects the provider-kubernetes (Cluster)ProviderConfig
// every wrapping Object uses.
type ProviderConfigRef struct {
	Name string `json:"name,omitempty"`
	Kind string `json:"kind,omitempty"`
}

// Auth selects how sessions authenticate.
type Auth struct {
	Type string `json:"type,omitempty"`
	// Protection names what protects session ingresses in delegated mode
	// (see protection.go).
	Protection *Protection `json:"protection,omitempty"`
}

// IAM configures Keycloak-managed identity.
type IAM struct {
	Realm          string     `json:"realm,omitempty"`
	Enabled        *Boolish   `json:"enabled,omitempty"`
	ExtraAudiences StringList `json:"extraAudiences,omitempty"`
	// ProviderConfigRef selects the provider-keycloak (Cluster)ProviderConfig
	// of the Keycloak managed resources (see iam.go for the default).
	ProviderConfigRef *ProviderConfigRef `json:"providerConfigRef,omitempty"`
}

// Ingress is how sessions are exposed.
type Ingress struct {
	Class     string `json:"class,omitempty"`
	Domain    string `json:"domain,omitempty"`
	Secret    string `json:"secret,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	// NamespaceSelector selects the ingress controller's namespace by
	// labels instead of by name (policy step; see environment/policy.go).
	NamespaceSelector map[string]string `json:"namespaceSelector,omitempty"`
}

// Storage is the object-storage endpoint and where tenant Secrets live.
type Storage struct {
	SecretNamespace string   `json:"secretNamespace,omitempty"`
	Endpoint        string   `json:"endpoint,omitempty"`
	Region          string   `json:"region,omitempty"`
	Type            string   `json:"type,omitempty"`
	Provider        string   `json:"provider,omitempty"`
	ForcePathStyle  *Boolish `json:"force_path_style,omitempty"`
	// MountStorageClassName is the class of the bucket mount (csi-rclone
	// by default), exempt from storageClasses.allowed (policy step).
	MountStorageClassName string `json:"mountStorageClassName,omitempty"`
}

// StorageClasses is the operator's allowlist for every volume.
type StorageClasses struct {
	Allowed []string `json:"allowed,omitempty"`
}

// Network is the egress/ingress boundary of tenant namespaces.
type Network struct {
	ExternalEgressCIDRs []string         `json:"externalEgressCIDRs,omitempty"`
	ServiceCIDR         string           `json:"serviceCIDR,omitempty"`
	PodCIDRs            []string         `json:"podCIDRs,omitempty"`
	BlacklistIPs        []string         `json:"blacklistIPs,omitempty"`
	InternalEgress      []InternalEgress `json:"internalEgress,omitempty"`
	ExcludePolicies     []string         `json:"excludePolicies,omitempty"`
	// Keys of the policy step (see environment/policy.go).
	DNS                        DNS      `json:"dns,omitempty"`
	APIServerCIDRs             []string `json:"apiServerCIDRs,omitempty"`
	APIServerPorts             []int    `json:"apiServerPorts,omitempty"`
	WorkspaceIngressNamespaces []string `json:"workspaceIngressNamespaces,omitempty"`
	EducatesBlockCIDRs         []string `json:"educatesBlockCIDRs,omitempty"`
	// ServiceEgressCIDRs are what the Datalab's data services may reach
	// besides DNS, each other and the API server (object storage for
	// database backups). Default: nothing.
	ServiceEgressCIDRs []string `json:"serviceEgressCIDRs,omitempty"`
}

// DNS is where sessions resolve names.
type DNS struct {
	Namespace   string            `json:"namespace,omitempty"`
	PodSelector map[string]string `json:"podSelector,omitempty"`
	CIDRs       []string          `json:"cidrs,omitempty"`
}

// InternalEgress allows traffic to one in-cluster backend.
type InternalEgress struct {
	Namespace   string           `json:"namespace,omitempty"`
	PodSelector map[string]any   `json:"podSelector,omitempty"`
	Ports       []map[string]any `json:"ports,omitempty"`
}

// Defaults are the operator's defaults for what a spec leaves unset.
type Defaults struct {
	Quota    QuotaDefaults    `json:"quota,omitempty"`
	Security SecurityDefaults `json:"security,omitempty"`
	Session  SessionDefaults  `json:"session,omitempty"`
}

// SessionDefaults default sessions[] fields.
type SessionDefaults struct {
	// MaxDuration is the lifetime of a session that states none.
	MaxDuration string `json:"maxDuration,omitempty"`
}

// QuotaDefaults default spec.quota.
type QuotaDefaults struct {
	Memory  string `json:"memory,omitempty"`
	Storage string `json:"storage,omitempty"`
	Budget  string `json:"budget,omitempty"`
}

// SecurityDefaults default spec.security.
type SecurityDefaults struct {
	Policy           string   `json:"policy,omitempty"`
	KubernetesAccess *Boolish `json:"kubernetesAccess,omitempty"`
	KubernetesRole   string   `json:"kubernetesRole,omitempty"`
	ExternalEgress   *Boolish `json:"externalEgress,omitempty"`
}

// Retention policies for stateful data.
const (
	RetentionRetain = "Retain"
	RetentionDelete = "Delete"
)

// Retention decides what happens to stateful data (session volumes,
// databases, stores) when the tenant removes it or deletes the Datalab.
type Retention struct {
	Policy string `json:"policy,omitempty"`
}

// Limits are the operator's caps and allowlists the policy step enforces.
type Limits struct {
	MaxSessions *int   `json:"maxSessions,omitempty"`
	MaxMemory   string `json:"maxMemory,omitempty"`
	MaxStorage  string `json:"maxStorage,omitempty"`
	MaxServices *int   `json:"maxServices,omitempty"`
	// MaxSessionDuration caps how long any session runs once started.
	MaxSessionDuration      string   `json:"maxSessionDuration,omitempty"`
	AllowedSecurityPolicies []string `json:"allowedSecurityPolicies,omitempty"`
	AllowPrivileged         *Boolish `json:"allowPrivileged,omitempty"`
	AllowedKubernetesRoles  []string `json:"allowedKubernetesRoles,omitempty"`
	// Keys of the policy step (see environment/policy.go).
	AllowedBudgets       []string  `json:"allowedBudgets,omitempty"`
	Workspace            Workspace `json:"workspace,omitempty"`
	ExtraNamespacedKinds []string  `json:"extraNamespacedKinds,omitempty"`
}

// Workspace is the budget of the Datalab's own namespace, where its data
// services run: a ResourceQuota's hard limits and a LimitRange's
// per-container defaults and bounds (resource name -> quantity).
type Workspace struct {
	Quota      map[string]string `json:"quota,omitempty"`
	LimitRange LimitRange        `json:"limitRange,omitempty"`
}

// LimitRange is the per-container part of a LimitRange.
type LimitRange struct {
	Default        map[string]string `json:"default,omitempty"`
	DefaultRequest map[string]string `json:"defaultRequest,omitempty"`
	Max            map[string]string `json:"max,omitempty"`
	Min            map[string]string `json:"min,omitempty"`
}

// Database configures the PostgreSQL engine (backends step; see
// environment/database.go for defaults).
type Database struct {
	Engine                 string          `json:"engine,omitempty"`
	Image                  string          `json:"image,omitempty"`
	StorageClassName       string          `json:"storageClassName,omitempty"`
	BackupStorageClassName string          `json:"backupStorageClassName,omitempty"`
	Gateway                DatabaseGateway `json:"gateway,omitempty"`
	Backup                 DatabaseBackup  `json:"backup,omitempty"`
}

// StoreClass carries a per-engine storage class.
type StoreClass struct {
	StorageClassName string `json:"storageClassName,omitempty"`
}

// Runtime pins the images and versions of runtime components.
type Runtime struct {
	DataImage       string `json:"dataImage,omitempty"`
	VClusterVersion string `json:"vclusterVersion,omitempty"`
	// DefaultTools installs awscli and rclone in every session (default
	// true; see SessionPackages).
	DefaultTools *Boolish `json:"defaultTools,omitempty"`
}

// Boolish accepts true/false and the strings true/1/yes/on (any case), as
// operators wrote them for the predecessor.
type Boolish bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *Boolish) UnmarshalJSON(data []byte) error {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	switch t := v.(type) {
	case bool:
		*b = Boolish(t)
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true", "1", "yes", "on":
			*b = true
		case "false", "0", "no", "off", "":
			*b = false
		default:
			return fmt.Errorf("%q is not a boolean (use true or false)", t)
		}
	case float64:
		*b = t != 0
	default:
		return fmt.Errorf("%s is not a boolean (use true or false)", strconv.Quote(string(data)))
	}
	return nil
}

// StringList accepts a single string or a list of strings.
type StringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *StringList) UnmarshalJSON(data []byte) error {
	var one string
	if err := json.Unmarshal(data, &one); err == nil {
		*l = StringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(data, &many); err != nil {
		return fmt.Errorf("must be a string or a list of strings")
	}
	*l = many
	return nil
}
