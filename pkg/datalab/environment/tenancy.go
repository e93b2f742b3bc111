package environment

import (
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// Tenancy says which namespaces may use an EnvironmentConfig. The choice
// of boundary is the operator's: a Datalab's annotation or label only
// names the config it wants, and gets it only when the config admits the
// Datalab's namespace. A config that names no namespaces admits none,
// except the default config, which applies everywhere unless it names
// namespaces itself.
type Tenancy struct {
	// Namespaces admitted by name.
	Namespaces []string `json:"namespaces,omitempty"`
	// NamespaceSelector admits namespaces by their labels. Use labels
	// tenants cannot set on their own namespaces (for example
	// kubernetes.io/metadata.name, or labels only the operator manages).
	NamespaceSelector *metav1.LabelSelector `json:"namespaceSelector,omitempty"`
}

// NeedsNamespaceLabels reports whether admission depends on the labels
// of the Datalab's namespace (which the function must then require).
func (t Tenancy) NeedsNamespaceLabels(namespace string) bool {
	return t.NamespaceSelector != nil && !slices.Contains(t.Namespaces, namespace)
}

// Admit decides whether the EnvironmentConfig name (with tenancy t) may
// be used by a Datalab in namespace; nsLabels are that namespace's labels
// (nil when not needed or not found). The error says which config
// refused and why, never what the config contains.
func (t Tenancy) Admit(name, namespace string, nsLabels map[string]string) error {
	if len(t.Namespaces) == 0 && t.NamespaceSelector == nil {
		if name == DefaultName {
			return nil
		}
		return fmt.Errorf("EnvironmentConfig %q is granted to no namespace (it sets neither data.tenancy.namespaces nor data.tenancy.namespaceSelector), so no Datalab may select it; remove the %s annotation and label to use the default, or ask the operator to grant %q to namespace %q",
			name, SelectorKey, name, namespace)
	}
	if slices.Contains(t.Namespaces, namespace) {
		return nil
	}
	if t.NamespaceSelector != nil {
		sel, err := metav1.LabelSelectorAsSelector(t.NamespaceSelector)
		if err != nil {
			return fmt.Errorf("EnvironmentConfig %q: data.tenancy.namespaceSelector: %v; the operator must fix the selector", name, err)
		}
		if nsLabels != nil && sel.Matches(labels.Set(nsLabels)) {
			return nil
		}
	}
	return fmt.Errorf("EnvironmentConfig %q does not admit namespace %q (data.tenancy lists %s); remove the %s annotation and label to use the default, or ask the operator to grant it",
		name, namespace, t.describe(), SelectorKey)
}

func (t Tenancy) describe() string {
	var parts []string
	if len(t.Namespaces) > 0 {
		parts = append(parts, "namespaces "+strings.Join(t.Namespaces, ", "))
	}
	if t.NamespaceSelector != nil {
		parts = append(parts, "a namespace selector "+metav1.FormatLabelSelector(t.NamespaceSelector))
	}
	return strings.Join(parts, " and ")
}
