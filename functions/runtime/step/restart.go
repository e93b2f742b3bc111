package step

import (
	"fmt"
	"strconv"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// A restart recreates a session's environment, the only way Educates
// applies a newer Workshop, without losing its volumes. Deleting an
// environment deletes its namespace and with it the claims of the
// workspace and registry volumes; their PersistentVolumes survive only if
// they are retained and can be bound again only once they point at the
// new claims. Every step is read from observed state, so a restart
// survives function restarts and resumes where it stopped:
//
//  1. Stopping: the tenant raised sessions[].restartGeneration above the
//     generation the environment was created at (annotation on its
//     Object); the session goes first.
//  2. RetainingVolumes: a keeper Object per bound volume sets its
//     PersistentVolume's reclaim policy to Retain (it only updates that
//     field: it never creates or deletes the volume).
//  3. RecreatingEnvironment: once every volume is retained, the
//     environment, its Workshop and the claims leave the desired state;
//     Educates deletes the namespace, the volumes are Released.
//  4. RebindingVolumes: the environment and the claims come back from the
//     current spec, each claim naming its volume; each keeper clears the
//     volume's old claim uid, so it binds to the new claim of the same
//     namespace and name, and only if it was bound to exactly that claim
//     before (never someone else's volume). The session starts again once
//     every claim is bound and the keepers are gone.
//
// The volumes keep reclaim policy Retain afterwards (an operator frees
// released volumes as with any retaining StorageClass).

// AnnotationRestartGeneration records, on an environment's Object, the
// sessions[].restartGeneration it was created at.
const AnnotationRestartGeneration = "datalabs.pkg.internal/restart-generation"

// Restart phases, in status.sessions[].phase.
const (
	phaseStopping    = "Stopping"
	phaseRetaining   = "RetainingVolumes"
	phaseRecreating  = "RecreatingEnvironment"
	phaseRebinding   = "RebindingVolumes"
	phaseRestartHeld = "RestartBlocked"
	reasonRestarting = "Restarting"
)

// Fields and values of volumes and claims a restart reads and writes.
const (
	reclaimRetain      = "Retain"
	pvReleased         = "Released"
	pvAvailable        = "Available"
	claimBound         = "Bound"
	annotationsField   = "annotations"
	volumeNameField    = "volumeName"
	reclaimPolicyField = "persistentVolumeReclaimPolicy"
)

// volume is one of a session's volumes in its environment's namespace.
type volume struct {
	key  resource.Name
	name string
}

func sessionVolumes(in *pipeline.Input, s string) []volume {
	return []volume{
		{compose.WorkspaceKey(s), in.Tenant.WorkspaceVolume(s)},
		{compose.RegistryKey(s), in.Tenant.RegistryVolume(s)},
	}
}

// restart is what a session's restart does this reconcile; the zero
// value is no restart.
type restart struct {
	phase string
	// message says what the restart waits for.
	message string
	// dropEnvironment: the environment, Workshop and claims leave the
	// desired state (step 3).
	dropEnvironment bool
	// keepers are the keeper Objects to emit, by key.
	keepers map[resource.Name]map[string]any
	// boundTo names, per volume key, the PersistentVolume a recreated
	// claim binds to.
	boundTo map[resource.Name]string
}

func (r restart) active() bool { return r.phase != "" }

// recordedGeneration is the restartGeneration an environment was created
// at (0 for environments created before restarts existed).
func recordedGeneration(in *pipeline.Input, s string) (int64, bool) {
	if !in.Observed.Has(compose.EnvironmentKey(s)) {
		return 0, false
	}
	g, _ := strconv.ParseInt(in.Observed.Annotations(compose.EnvironmentKey(s))[AnnotationRestartGeneration], 10, 64)
	return g, true
}

// planRestart reads where a session's restart stands.
func planRestart(in *pipeline.Input, s api.Session) restart {
	r := restart{keepers: map[resource.Name]map[string]any{}, boundTo: map[resource.Name]string{}}
	recorded, envExists := recordedGeneration(in, s.Name)
	env := in.Tenant.Environment(s.Name)
	switch {
	case envExists && s.RestartGeneration > recorded:
		if in.Observed.Has(compose.SessionKey(s.Name)) {
			r.phase, r.message = phaseStopping, "stopping the session"
			return r
		}
		retained := true
		for _, v := range sessionVolumes(in, s.Name) {
			pv := str(health.Manifest(in.Observed, v.key), "spec", volumeNameField)
			if pv == "" {
				continue // not bound to a volume: nothing to keep
			}
			r.keepers[compose.VolumeKeeperKey(v.key)] = keeperManifest(pv, "", "")
			if str(health.Manifest(in.Observed, compose.VolumeKeeperKey(v.key)), "spec", reclaimPolicyField) != reclaimRetain {
				retained = false
			}
		}
		if !retained {
			r.phase, r.message = phaseRetaining, "setting the volumes' reclaim policy to Retain"
			return r
		}
		r.phase, r.message, r.dropEnvironment = phaseRecreating, "deleting environment "+env+"; the volumes are retained", true
		return r
	}
	// After the environment went: rebind every kept volume.
	for _, v := range sessionVolumes(in, s.Name) {
		kk := compose.VolumeKeeperKey(v.key)
		if !in.Observed.Has(kk) {
			continue
		}
		pv := str(health.AppliedManifest(in.Observed, kk), "metadata", "name")
		live := health.Manifest(in.Observed, kk)
		claim := health.Manifest(in.Observed, v.key)
		if str(claim, "status", "phase") == claimBound && str(claim, "spec", volumeNameField) == pv {
			continue // bound again: the keeper's work is done
		}
		r.phase, r.message = phaseRebinding, "binding the kept volumes to the new claims"
		r.boundTo[v.key] = pv
		if ns, name := str(live, "spec", "claimRef", "namespace"), str(live, "spec", "claimRef", "name"); live != nil && (ns != env || name != v.name) {
			// Never bind a volume that was not this claim's.
			r.phase = phaseRestartHeld
			r.message = fmt.Sprintf("PersistentVolume %s is claimed by %s/%s, not by %s/%s; it is left alone: an operator binds it or removes keeper Object %s", pv, ns, name, env, v.name, kk)
			r.keepers[kk] = keeperManifest(pv, "", "")
			continue
		}
		switch str(live, "status", "phase") {
		case pvReleased, pvAvailable:
			r.keepers[kk] = keeperManifest(pv, env, v.name)
		default:
			// Still bound to the old claim while the namespace goes.
			r.keepers[kk] = keeperManifest(pv, "", "")
		}
	}
	return r
}

// keeperManifest is what a keeper writes into a PersistentVolume: reclaim
// policy Retain and, to bind it again, its claim without the old claim's
// uid (the claim of that namespace and name binds to it).
func keeperManifest(pv, namespace, claim string) map[string]any {
	spec := map[string]any{reclaimPolicyField: reclaimRetain}
	if claim != "" {
		spec["claimRef"] = map[string]any{"namespace": namespace, "name": claim, "uid": "", "resourceVersion": ""}
	}
	m := compose.Manifest("v1", "PersistentVolume", "", pv, nil)
	m["spec"] = spec
	return m
}

// annotateGeneration records on an environment's Object the generation
// it is created at, or keeps the one it was created at.
func annotateGeneration(in *pipeline.Input, s api.Session, obj map[string]any) {
	g := s.RestartGeneration
	if recorded, ok := recordedGeneration(in, s.Name); ok {
		g = recorded
	}
	_ = unstructured.SetNestedField(obj, strconv.FormatInt(g, 10), "metadata", annotationsField, AnnotationRestartGeneration)
}

// bind makes a recreated claim name the volume it binds to again.
func (r restart) bind(key resource.Name, claim map[string]any) map[string]any {
	if pv := r.boundTo[key]; pv != "" {
		_ = unstructured.SetNestedField(claim, pv, "spec", volumeNameField)
	}
	return claim
}
