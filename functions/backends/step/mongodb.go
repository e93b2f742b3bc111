package step

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/compose"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/health"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/names"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// MongoDB Community (MongoDBCommunity v1, run by the MongoDB Controllers
// for Kubernetes).
const (
	mongoAPIVersion = "mongodbcommunity.mongodb.com/v1"
	mongoKind       = "MongoDBCommunity"
	mongoVersion    = "8.0.12"
	mongoPort       = 27017
	mongoStorage    = "10Gi"
	mongoPassword   = "password"
	// mongoAuthSource is where the application user is defined.
	mongoAuthSource = "admin"
	// mongoServiceAccount is the account the operator runs replica set
	// members under; it must exist in their namespace.
	mongoServiceAccount = "mongodb-kubernetes-appdb"
)

// mongoReadyQuery: the replica set runs with a member.
const mongoReadyQuery = "has(object.status) && object.status.phase == 'Running' && has(object.status.currentMongoDBMembers) && object.status.currentMongoDBMembers >= 1 && has(object.status.currentStatefulSetReplicas) && object.status.currentStatefulSetReplicas >= 1"

// mongoUser is the store's application user; its database is the store's
// name.
func mongoUser(store string) string { return store + "-app" }

// mongodb renders a document store: a one-member replica set with SCRAM
// authentication and one application user (readWrite and dbAdmin on the
// store's database), its generated password, and a ClusterIP Service
// sessions (and vclusters) reach it by.
func mongodb(o *output, svc *service) (*result, error) {
	in := o.in
	r := newResult(svc)
	credKey := compose.MongoDBCredentialsKey(svc.name)
	known, err := storeCredentials(o, svc, credKey, []string{mongoPassword})
	if err != nil {
		return nil, err
	}
	size := first(svc.store.Storage, mongoStorage)
	claim := map[string]any{
		"metadata": map[string]any{"name": "data-volume"},
		"spec":     dataVolume(size, in.Env.ServiceClass(svc.store.StorageClassName, in.Env.MongoDB.StorageClassName)),
	}
	user := mongoUser(svc.name)
	m := o.manifest(mongoAPIVersion, mongoKind, svc.cr, svc)
	m["spec"] = map[string]any{
		"members": int64(1),
		"type":    "ReplicaSet",
		"version": mongoVersion,
		"security": map[string]any{
			"authentication": map[string]any{"modes": []any{"SCRAM"}, "ignoreUnknownUsers": true},
		},
		"users": []any{map[string]any{
			"name":                       user,
			"db":                         mongoAuthSource,
			"passwordSecretRef":          map[string]any{"name": names.CredentialsSecret(svc.cr), "key": mongoPassword},
			"roles":                      []any{map[string]any{"name": "readWrite", "db": svc.name}, map[string]any{"name": "dbAdmin", "db": svc.name}},
			"scramCredentialsSecretName": svc.cr + "-" + user,
		}},
		"statefulSet": map[string]any{"spec": map[string]any{
			"volumeClaimTemplates": []any{claim},
			"template":             map[string]any{"metadata": map[string]any{"labels": o.podLabels()}},
		}},
	}
	o.object(compose.MongoDBKey(svc.name), svc, m, true, mongoReadyQuery)
	r.needs(compose.MongoDBKey(svc.name), fmt.Sprintf("MongoDBCommunity %s (a running replica set member)", svc.cr))

	// The operator's own Service is headless; a ClusterIP Service gives
	// one stable address that a session's vcluster can replicate.
	service := o.manifest("v1", "Service", names.MongoDBService(svc.cr), svc)
	service["spec"] = map[string]any{
		"type":     "ClusterIP",
		"selector": map[string]any{"app": svc.cr + "-svc"},
		"ports":    []any{map[string]any{"name": "mongodb", "port": int64(mongoPort), "targetPort": int64(mongoPort), "protocol": "TCP"}},
	}
	o.put(compose.MongoDBServiceKey(svc.name), svc, service, false, healthExists)

	host := names.ServiceHost(in.Datalab.Namespace, names.MongoDBService(svc.cr))
	r.endpoint = host + ":" + strconv.Itoa(mongoPort)
	r.set(names.MongoKey(svc.name, names.KeyHost), host)
	r.set(names.MongoKey(svc.name, names.KeyPort), strconv.Itoa(mongoPort))
	r.set(names.MongoKey(svc.name, names.KeyDatabase), svc.name)
	r.set(names.MongoKey(svc.name, names.KeyAuthSource), mongoAuthSource)
	r.set(names.MongoKey(svc.name, names.KeyUser), user)
	secretKeys := []string{names.MongoKey(svc.name, names.KeyPassword), names.MongoKey(svc.name, names.KeyURI)}
	if missing(known, mongoPassword) {
		r.await(secretKeys, fmt.Sprintf("Secret %s (generated password; being created)", names.CredentialsSecret(svc.cr)))
		return r, nil
	}
	pw := known[mongoPassword]
	r.set(names.MongoKey(svc.name, names.KeyPassword), pw)
	// directConnection: talk to the member behind the Service instead of
	// discovering the replica set's pod host names, which do not resolve
	// inside a vcluster.
	u := url.URL{Scheme: "mongodb", User: url.UserPassword(user, pw), Host: host + ":" + strconv.Itoa(mongoPort), Path: "/" + svc.name,
		RawQuery: url.Values{"authSource": {mongoAuthSource}, "directConnection": {"true"}}.Encode()}
	r.set(names.MongoKey(svc.name, names.KeyURI), u.String())
	return r, nil
}

// mongoPrerequisites are what the operator needs in the namespace of a
// replica set: the members' ServiceAccount and its Role (read Secrets,
// manage its Pods). Other Datalabs in the namespace need the same objects,
// so they are never deleted (their Objects keep no Delete policy whatever
// the retention policy says) and each Datalab names its own Objects.
func mongoPrerequisites(o *output) {
	t := o.in.Tenant
	opts := o.objectOptions(true, "")
	opts.Retention = environment.RetentionRetain

	// Shared targets carry no tenant labels: Datalabs would fight over them.
	shared := map[string]string{compose.LabelComponent: compose.ComponentBackends}
	ns := o.in.Datalab.Namespace
	sa := compose.Manifest("v1", "ServiceAccount", ns, mongoServiceAccount, shared)
	role := compose.Manifest("rbac.authorization.k8s.io/v1", "Role", ns, mongoServiceAccount, shared)
	role["rules"] = []any{
		map[string]any{"apiGroups": []any{""}, "resources": []any{"secrets"}, "verbs": []any{"get"}},
		map[string]any{"apiGroups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"patch", "delete", "get"}},
	}
	binding := compose.Manifest("rbac.authorization.k8s.io/v1", "RoleBinding", ns, mongoServiceAccount, shared)
	binding["roleRef"] = map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": mongoServiceAccount}
	binding["subjects"] = []any{map[string]any{"kind": "ServiceAccount", "name": mongoServiceAccount, "namespace": ns}}

	for _, p := range []struct {
		key    resource.Name
		name   string
		target map[string]any
	}{
		{compose.MongoDBServiceAccountKey, t.MongoDBPrerequisite("sa"), sa},
		{compose.MongoDBRoleKey, t.MongoDBPrerequisite("role"), role},
		{compose.MongoDBRoleBindingKey, t.MongoDBPrerequisite("rolebinding"), binding},
	} {
		o.put(p.key, nil, compose.Object(p.name, p.target, opts), false, health.Ready)
	}
}
