package step

import (
	"strings"

	"github.com/crossplane/function-sdk-go/logging"
	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/response"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// ConditionType is the storage step's condition on the Datalab.
const ConditionType = "StorageReady"

// Reasons of StorageReady besides the Credentials* problems.
const (
	ReasonAvailable = "Available"
	ReasonCreating  = "Creating"
)

// Run wires one Datalab's object-storage credentials: parse,
// validate, read the tenant's Secret, build, emit, report.
func Run(in *pipeline.Input, rsp *fnv1.RunFunctionResponse, log logging.Logger) {

	if pipeline.Reject(rsp, validation.Storage(in.Datalab, in.Env)) {
		return
	}
	src, err := readSource(in, rsp)
	if err != nil {
		// Another tenant's Secret: Fatal, so nothing is applied or deleted.
		response.Fatal(rsp, err)
		return
	}
	if src.pending {
		// The Secret requirement is new: Crossplane resolves it and calls
		// again before anything is rendered.
		return
	}

	out := plan(in, src)
	if out.secret != nil {
		desired := map[resource.Name]*resource.DesiredComposed{compose.StorageCredentialsKey: {
			Resource: &unstructured.Unstructured{Object: out.secret},
			Ready:    health.Exists(in.Observed, compose.StorageCredentialsKey),
		}}
		if err := pipeline.Emit(in, rsp, desired); err != nil {
			response.Fatal(rsp, err)
			return
		}
	}
	var withheld []string
	if out.secret == nil {
		withheld = withholdNewSessions(rsp, in.Observed)
	}
	report(rsp, in, src, out, withheld)
	log.Debug("rendered storage", "source", src.ref(), "composed", out.secret != nil, "kept", out.kept, "withheld", len(withheld))
}

// outcome is what this reconcile composes.
type outcome struct {
	// secret is the desired credentials Secret, nil when there is none.
	secret map[string]any
	// kept: the Secret is the observed one, unchanged, because the source
	// cannot be used now.
	kept bool
}

// plan composes the credentials Secret from usable credentials; otherwise
// it keeps the existing Secret exactly as observed (never deleted, never
// blanked), or composes nothing on a first reconcile.
func plan(in *pipeline.Input, src source) outcome {
	if src.problem == nil {
		return outcome{secret: credentialsSecret(in, credentialsData(src.creds, effective(in.Env, src.creds)))}
	}
	if obs := compose.FromObserved(in.Observed, compose.StorageCredentialsKey); obs != nil {
		return outcome{secret: obs, kept: true}
	}
	return outcome{}
}

// report sets StorageReady with a reason and a message a tenant can act
// on. It names Secrets and keys, never values.
func report(rsp *fnv1.RunFunctionResponse, in *pipeline.Input, src source, out outcome, withheld []string) {
	target := in.Datalab.Namespace + "/" + names.StorageSecret(in.Datalab.Name)
	if p := src.problem; p != nil {
		msg := p.message
		switch {
		case out.kept:
			msg += "; Secret " + target + " keeps the last credentials until this is fixed"
		case len(withheld) > 0:
			msg += "; new sessions wait for the credentials (withheld: " + strings.Join(withheld, ", ") + ")"
		default:
			msg += "; new sessions wait for the credentials"
		}
		pipeline.Blocked(in.Request, rsp, ConditionType, p.reason, msg)
		return
	}
	if health.Exists(in.Observed, compose.StorageCredentialsKey) != resource.ReadyTrue {
		pipeline.Blocked(in.Request, rsp, ConditionType, ReasonCreating, "creating Secret "+target+" from Secret "+src.ref())
		return
	}
	pipeline.Condition(rsp, ConditionType, true, ReasonAvailable, "credentials from Secret "+src.ref()+" are in Secret "+target)
}
