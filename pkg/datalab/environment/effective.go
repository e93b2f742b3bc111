package environment

import (
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
)

// Hard defaults, applied when neither the spec nor the environment says.
const (
	DefaultMemory          = "2Gi"
	DefaultStorage         = "1Gi"
	DefaultBudget          = "medium"
	DefaultPolicy          = "baseline"
	DefaultRole            = "edit"
	DefaultRegistryStorage = "5Gi"
	DefaultDockerStorage   = "20Gi"
	DefaultIngressDomain   = "datalab.local"
	DefaultIngressSecret   = "wildcard-tls"
	DefaultDataImage       = "ghcr.io/versioneer-tech/package-r:v2026.6.5"
	DefaultVClusterVersion = "1.34"
	DefaultProviderConfig  = "provider-kubernetes"
	DefaultAuthType        = AuthCredentials
)

// Authentication modes.
const (
	AuthCredentials = "credentials"
	AuthDelegated   = "delegated"
)

// Settings are the effective per-Datalab settings: spec, then
// EnvironmentConfig.data.defaults, then the hard defaults.
type Settings struct {
	Memory           string
	Storage          string
	Budget           string
	Policy           string
	KubernetesAccess bool
	KubernetesRole   string
	ExternalEgress   bool
	StorageClassName string
	RegistryStorage  string
	Docker           bool
	Retention        string
	AuthType         string
	Ingress          Ingress
	ProviderConfig   ProviderConfigRef
	DataImage        string
	VClusterVersion  string
}

// Resolve computes the effective settings. It does not validate: Validate
// reports what is wrong with the inputs first.
func Resolve(spec api.Spec, cfg *Config) Settings {
	q := api.Quota{}
	if spec.Quota != nil {
		q = *spec.Quota
	}
	sec := api.Security{}
	if spec.Security != nil {
		sec = *spec.Security
	}
	d := cfg.Defaults
	s := Settings{
		Memory:         first(q.Memory, d.Quota.Memory, DefaultMemory),
		Storage:        first(q.Storage, d.Quota.Storage, DefaultStorage),
		Budget:         first(q.Budget, d.Quota.Budget, DefaultBudget),
		Policy:         first(sec.Policy, d.Security.Policy, DefaultPolicy),
		KubernetesRole: first(sec.KubernetesRole, d.Security.KubernetesRole, DefaultRole),
		Retention:      first(cfg.Retention.Policy, RetentionRetain),
		AuthType:       strings.ToLower(first(strings.TrimSpace(cfg.Auth.Type), DefaultAuthType)),
		Ingress: Ingress{
			Class:     cfg.Ingress.Class,
			Domain:    first(cfg.Ingress.Domain, DefaultIngressDomain),
			Secret:    first(cfg.Ingress.Secret, DefaultIngressSecret),
			Namespace: cfg.Ingress.Namespace,
		},
		DataImage:       first(cfg.Runtime.DataImage, DefaultDataImage),
		VClusterVersion: first(cfg.Runtime.VClusterVersion, DefaultVClusterVersion),
		ProviderConfig:  ProviderConfigRef{Name: DefaultProviderConfig, Kind: "ProviderConfig"},
	}
	s.KubernetesAccess = boolFirst(sec.KubernetesAccess, d.Security.KubernetesAccess, true)
	s.ExternalEgress = boolFirst(sec.ExternalEgress, d.Security.ExternalEgress, true)
	s.Docker = s.Policy == "privileged"
	if spec.Persistence != nil {
		s.StorageClassName = strings.TrimSpace(spec.Persistence.StorageClassName)
	}
	if s.StorageClassName == "" {
		s.StorageClassName = cfg.DefaultClass()
	}
	if spec.Registry != nil {
		s.RegistryStorage = first(spec.Registry.Storage, DefaultRegistryStorage)
	} else {
		s.RegistryStorage = DefaultRegistryStorage
	}
	if r := cfg.ProviderConfigRef; r != nil {
		s.ProviderConfig.Name = first(r.Name, s.ProviderConfig.Name)
		s.ProviderConfig.Kind = first(r.Kind, s.ProviderConfig.Kind)
	}
	return s
}

// DefaultClass is the class for volumes whose spec names none: the first
// allowed class, or "" (the cluster default) when any class is allowed.
func (c *Config) DefaultClass() string {
	if len(c.StorageClasses.Allowed) == 0 {
		return ""
	}
	return c.StorageClasses.Allowed[0]
}

// ClassAllowed reports whether a storage class is acceptable: any class
// (including the cluster default, "") when the allowlist is empty.
func (c *Config) ClassAllowed(class string) bool {
	if len(c.StorageClasses.Allowed) == 0 {
		return true
	}
	for _, a := range c.StorageClasses.Allowed {
		if a == class {
			return true
		}
	}
	return false
}

func first(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

func boolFirst(spec *bool, env *Boolish, def bool) bool {
	if spec != nil {
		return *spec
	}
	if env != nil {
		return bool(*env)
	}
	return def
}
