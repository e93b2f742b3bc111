package compose

import "github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"

// Storage step keys.

// StorageCredentialsKey is the composed storage credentials Secret
// (names.StorageSecret) in the Datalab's namespace.
const StorageCredentialsKey resource.Name = "storage-credentials"

// ComponentStorage is the LabelComponent value of what the storage step
// composes.
const ComponentStorage = "storage"
