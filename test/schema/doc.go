// Package schema validates rendered Kubernetes objects offline against the
// real schemas of the APIs they target, so golden tests fail on manifests the
// API server would reject or silently prune.
//
// Schemas come from a folder (see DefaultDir) holding CustomResourceDefinition
// YAML files and, under core-openapi/, the Kubernetes OpenAPI v3 documents for
// built-in kinds. Composite resources are covered by registering the project's
// own CompositeResourceDefinition with AddXRD.
//
// What is checked, per object:
//
//   - apiVersion/kind must have a registered schema ("no schema for ...").
//   - Unknown fields, i.e. everything the API server would prune. Subtrees
//     marked x-kubernetes-preserve-unknown-fields (and embedded resources'
//     apiVersion/kind/metadata) are exempt, as on the server.
//   - metadata, loosely: it must be an object, name/namespace/generateName
//     strings, labels/annotations string maps, no fields unknown to
//     ObjectMeta. Name/label syntax is not checked at the root, because
//     rendered objects may carry placeholders such as "$(session_name)".
//   - Custom resources go through the same steps as in the API server's CRD
//     handler (k8s.io/apiextensions-apiserver): pruning, defaulting, OpenAPI
//     schema validation (type, enum, required, pattern, min/max, format, ...),
//     embedded resource metadata, x-kubernetes-list-type set/map uniqueness
//     and CEL x-kubernetes-validations rules. CEL runs fully offline; as on
//     the server, it is skipped for an object that already has blocking
//     errors (type, required, enum, too long/many), which is then reported.
//     Transition rules (oldSelf) do not apply, since there is no old object.
//   - Core kinds are validated with k8s.io/kube-openapi's validator against
//     their OpenAPI v3 component schema with all $refs inlined, plus an
//     unknown-field walk over the same schema. JSON nulls are dropped first,
//     as Go decoding in the API server ignores them.
//   - Manifests nested in other objects are validated as objects of their own
//     (see nested.go): provider-kubernetes Object spec.forProvider.manifest and
//     the object lists of Educates Workshop and WorkshopEnvironment.
//
// Not checked: the hand-written Go validation of core kinds in the API server
// (e.g. DNS syntax of names, port ranges, selector/label matching), admission
// webhooks and policies, conversion webhooks, and anything needing a cluster
// (references between objects, uniqueness, quotas).
package schema
