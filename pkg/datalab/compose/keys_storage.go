package compose

import "github.com/crossplane/function-sdk-go/resource"

// Storage step keys.

// StorageCredentialsKey is the composed storage credentials Secret
// (names.StorageSecret) in the Datalab's namespace.
const StorageCredentialsKey resource.Name = "storage-credentials"

// ComponentStorage is the LabelComponent value of what the storage step
// composes.
const ComponentStorage = "storage"
