package step

import (
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/request"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/response"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// ConditionType is the policy step's condition on the Datalab.
const ConditionType = "PolicyReady"

// ReasonEnforced: every guardrail is in place. Violations are Fatal
// results (nothing is applied or deleted), so PolicyReady is never False.
const ReasonEnforced = "Enforced"

// Run enforces the operator's guardrails on one Datalab: parse,
// validate (environment and caps), inject and build, check everything the
// pipeline emitted, emit, report.
func Run(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, log logging.Logger) {
	req := in.Request

	if errs := validation.PolicyEnvironment(in.Env); len(errs) > 0 {
		response.Fatal(rsp, fmt.Errorf("invalid EnvironmentConfig for the policy step: %s", joined(errs)))
		return
	}
	if errs := validation.Caps(in.Datalab, in.Env, in.Settings); len(errs) > 0 {
		response.Fatal(rsp, fmt.Errorf("%s", validation.Veto(errs)))
		return
	}
	net, err := newNetplan(in)
	if err != nil {
		response.Fatal(rsp, fmt.Errorf("invalid EnvironmentConfig for the policy step: %w", err))
		return
	}
	desired := request.GetDesiredComposedResources(req)
	ws, errs := findWorkshops(desired)
	if len(errs) > 0 {
		response.Fatal(rsp, fmt.Errorf("%s", validation.Veto(errs)))
		return
	}

	// Build: NetworkPolicies into each session's namespaces, and the
	// budget and isolation of the Datalab's own namespace.
	sessions := keptSessions(desired, ws)
	r := report{workshopNamespaces: len(sessions)}
	own := map[resource.Name]*resource.DesiredComposed{
		compose.WorkspaceQuotaKey:      desiredOf(workspaceQuota(in)),
		compose.WorkspaceLimitRangeKey: desiredOf(workspaceLimitRange(in)),
	}
	for _, w := range ws {
		net.inject(in, w)
	}
	for _, k := range sessions {
		r.sessionNamespaces++
		if k.vcluster {
			r.vclusterNamespaces++
		}
		_, runs := desired[compose.SessionKey(k.session)]
		boundary, policies := net.boundaryObjects(in, k, runs)
		r.policies += policies
		r.kept += len(boundary)
		maps.Copy(own, boundary)
	}
	b := newBoundary(in, sessionsOf(in, desired), ws)
	if m := net.workspaceIngress(in, b.tenantNamespaces()); m != nil {
		own[compose.WorkspaceIngressKey] = desiredOf(m)
		r.policies++
	}
	if m := net.workspaceEgress(in); m != nil {
		own[compose.WorkspaceEgressKey] = desiredOf(m)
		r.policies++
	}
	health.Apply(own, in.Observed, map[resource.Name]func(*observed.Resources, resource.Name) resource.Ready{
		compose.WorkspaceQuotaKey:      health.Exists,
		compose.WorkspaceLimitRangeKey: health.Exists,
		compose.WorkspaceIngressKey:    health.Exists,
		compose.WorkspaceEgressKey:     health.Exists,
	})

	// Check the final desired state: what every step emitted plus this
	// step's own resources.
	all := make(map[resource.Name]*resource.DesiredComposed, len(desired)+len(own))
	for k, v := range desired {
		all[k] = v
	}
	for k, v := range own {
		all[k] = v
	}
	var found findings
	caps := workshopCaps(in, ws)
	classes := checkClasses(in, all)
	gate := b.gate(all)
	found.add(objectRoles(in, all))
	found.add(caps)
	found.add(classes)
	found.add(gate)
	if len(found.errs) > 0 {
		response.Fatal(rsp, fmt.Errorf("%s", validation.Veto(found.errs)))
		return
	}

	out := own
	for _, w := range ws {
		// A Workshop whose templates are current already (every reconcile
		// but the first after a change) is carried over as it came:
		// converting it back would only cost.
		if w.changed {
			out[w.key] = w.dc
		}
	}
	if err := pipeline.Emit(in, rsp, out); err != nil {
		response.Fatal(rsp, err)
		return
	}

	warnings := found.warnings
	for _, w := range []string{educatesWidening(in, net), apiServerWarning(in, sessions, net), servicesAPIServerWarning(in, net)} {
		if w != "" {
			warnings = append(warnings, w)
		}
	}
	sort.Strings(warnings)
	for _, w := range warnings {
		response.WarningToClaim(rsp, fmt.Errorf("%s", w))
	}
	r.caps = capsChecked(in.Env)
	r.claims = classes.checked
	r.resources = gate.checked
	r.namespace = in.Datalab.Namespace
	pipeline.Condition(rsp, ConditionType, true, ReasonEnforced, r.message())
	log.Debug("enforced policy", "networkPolicies", r.policies, "workshops", len(ws), "warnings", len(warnings))
}

// report is what the condition says was enforced (counts only).
type report struct {
	workshopNamespaces, sessionNamespaces, vclusterNamespaces int
	policies, kept, caps, claims, resources                   int
	namespace                                                 string
}

func (r report) message() string {
	return fmt.Sprintf("enforced: %d NetworkPolicies (%d workshop, %d session and %d vcluster namespaces, and namespace %s); ResourceQuota and LimitRange in namespace %s; %d boundary objects kept current in running namespaces; %d operator caps and allowlists; %d volume claims checked against the storage-class allowlist; %d composed resources inside the tenant's boundary",
		r.policies, r.workshopNamespaces, r.sessionNamespaces, r.vclusterNamespaces, r.namespace, r.namespace, r.kept, r.caps, r.claims, r.resources)
}

func desiredOf(obj map[string]any) *resource.DesiredComposed {
	return &resource.DesiredComposed{Resource: &unstructured.Unstructured{Object: obj}}
}

func joined(errs field.ErrorList) string {
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		msgs = append(msgs, e.Error())
	}
	sort.Strings(msgs)
	return strings.Join(msgs, "; ")
}
