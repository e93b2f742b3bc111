package step

import (
	"fmt"

	fnv1 "github.com/crossplane/function-sdk-go/proto/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/required"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// sourceRequirement keys the tenant's storage Secret in required
// resources. Crossplane reads it on the function's behalf and hands it
// over in the request: its data never passes through any object but
// Secrets (an Observe-only provider-kubernetes Object would copy it into
// status.atProvider.manifest, readable by whoever may read Objects).
const sourceRequirement = "storage-secret"

// source is the outcome of reading the tenant's storage Secret.
type source struct {
	namespace string
	name      string
	// pending: Crossplane has not resolved the requirement yet and calls
	// again with it; nothing is rendered meanwhile.
	pending bool
	creds   credentials
	// problem is set when the Secret is missing or unusable.
	problem *problem
}

func (s source) ref() string { return s.namespace + "/" + s.name }

// readSource requires the Secret the Datalab names and reads its
// credentials. A Secret the Datalab may not use (another tenant's) is an
// error, which the caller turns into a Fatal result: nothing is applied or
// deleted. A missing or unusable Secret is not an error: the step keeps
// what exists and reports it.
func readSource(in *pipeline.Input, rsp *fnv1.RunFunctionResponse) (source, error) {
	src := source{
		namespace: in.Env.StorageSecretNamespace(in.Datalab.Namespace),
		name:      in.Datalab.EffectiveSecretName(),
	}
	sec, resolved := required.Secret(in.Request, rsp, sourceRequirement, src.namespace, src.name)
	switch {
	case !resolved:
		src.pending = true
		return src, nil
	case sec == nil:
		src.problem = &problem{ReasonMissing, fmt.Sprintf("Secret %s not found; create it with the keys %s and %s (or the aliases accessKey/secretKey, username/password, CONSOLE_ACCESS_KEY/CONSOLE_SECRET_KEY, attribute.access/attribute.secret), or set spec.secretName to the Secret that holds your credentials",
			src.ref(), accessKeyAliases[0], secretKeyAliases[0])}
		return src, nil
	}

	errs := validation.ComposedSource(field.NewPath("spec", "secretName"), src.namespace, src.name, sec.GetLabels())
	errs = append(errs, validation.StorageBinding(in.Datalab, src.namespace, sec.GetLabels())...)
	if len(errs) > 0 {
		return src, fmt.Errorf("%s", validation.Message(errs))
	}
	creds, p := extract(secretDataOf(sec.Object))
	if p != nil {
		p.message = fmt.Sprintf("Secret %s cannot be used: %s", src.ref(), p.message)
		src.problem = p
		return src, nil
	}
	src.creds = creds
	return src, nil
}
