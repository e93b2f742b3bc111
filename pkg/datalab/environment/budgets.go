package environment

// Budget is a session namespace's resource budget class: what Educates'
// classes of the same names allow (its namespace_budgets table), applied
// by the policy step as one ResourceQuota and one LimitRange per session
// namespace that follow the operator's current setting.
type Budget struct {
	Name string
	// CPU and Memory bound the namespace's limits in total and any one pod
	// or container.
	CPU, Memory string
	// DefaultCPU and DefaultMemory are the limits of a container that
	// states none (requests default to 50m and 128Mi).
	DefaultCPU, DefaultMemory string
	// MaxVolume bounds one PersistentVolumeClaim.
	MaxVolume string
	// Object counts.
	PersistentVolumeClaims, ReplicationControllers, Secrets, Services int
}

// Budgets are the classes a claim or the operator may name, smallest
// first.
var Budgets = []Budget{
	{"small", "1", "1Gi", "250m", "256Mi", "1Gi", 3, 10, 20, 5},
	{"medium", "2", "2Gi", "500m", "512Mi", "5Gi", 6, 15, 25, 10},
	{"large", "4", "4Gi", "500m", "512Mi", "10Gi", 12, 25, 35, 20},
	{"x-large", "8", "8Gi", "500m", "512Mi", "20Gi", 18, 35, 45, 30},
	{"xx-large", "8", "12Gi", "500m", "512Mi", "20Gi", 24, 45, 55, 40},
	{"xxx-large", "8", "16Gi", "500m", "512Mi", "20Gi", 30, 55, 65, 50},
}

// Budget defaults of every class.
const (
	BudgetDefaultRequestCPU    = "50m"
	BudgetDefaultRequestMemory = "128Mi"
	BudgetMinCPU               = "1m"
	BudgetMinMemory            = "1M"
	BudgetMinVolume            = "1Gi"
)

// BudgetNamed returns the class of that name.
func BudgetNamed(name string) (Budget, bool) {
	for _, b := range Budgets {
		if b.Name == name {
			return b, true
		}
	}
	return Budget{}, false
}

// BudgetNames lists the class names, smallest first.
func BudgetNames() []string {
	out := make([]string, 0, len(Budgets))
	for _, b := range Budgets {
		out = append(out, b.Name)
	}
	return out
}
