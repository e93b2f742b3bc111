package step

import (
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Educates reads a Workshop when it creates the environment (it keeps a
// copy in the WorkshopEnvironment's status.educates.workshop.spec, which
// every later session uses) and a WorkshopSession when it creates the
// session. Applying a newer spec to either changes nothing that runs, and
// once applied the change can no longer be seen as drift. So once they
// exist, both stay exactly as they were created (a Workshop until its
// environment is ready, record.go): the runtime re-emits the manifest it
// applied then and reports the difference to the current spec (drift.go)
// on every reconcile until the tenant recreates them (stop and start a
// session; restartGeneration for an environment).

// frozen returns the manifest an existing Educates object was created
// from (what its Object was told to apply), or nil when it does not exist.
func frozen(in *pipeline.Input, key resource.Name) map[string]any {
	return health.AppliedManifest(in.Observed, key)
}

// workshop is the session's Workshop: as created once its environment
// exists, otherwise rendered from the spec.
func (p plan) workshop(in *pipeline.Input, s api.Session) map[string]any {
	if in.Observed.Has(compose.EnvironmentKey(s.Name)) {
		if m := frozen(in, compose.WorkshopKey(s.Name)); m != nil {
			return m
		}
	}
	return workshop(in, s)
}
