package step

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/validation"
)

// Key aliases the predecessor accepted, in order of preference: AWS
// environment names, MinIO/Provider Storage names, basic-auth names, MinIO
// console names and Terraform-style attribute names. The first key present
// with a non-empty value wins, for each of the two independently.
var (
	accessKeyAliases = []string{"AWS_ACCESS_KEY_ID", "accessKey", "username", "CONSOLE_ACCESS_KEY", "attribute.access"}
	secretKeyAliases = []string{"AWS_SECRET_ACCESS_KEY", "secretKey", "password", "CONSOLE_SECRET_KEY", "attribute.secret"}
)

// Keys of the source Secret that override the operator's environment.
const (
	endpointKey = "AWS_ENDPOINT_URL"
	regionKey   = "AWS_REGION"
)

// Reasons of StorageReady=False when the source Secret cannot be used.
const (
	ReasonMissing    = "CredentialsMissing"
	ReasonIncomplete = "CredentialsIncomplete"
	ReasonUnreadable = "CredentialsUnreadable"
	ReasonInvalid    = "CredentialsInvalid"
)

// credentials are what the source Secret yields. They never leave this
// step except inside the composed Secret.
type credentials struct {
	accessKey string
	secretKey string
	// endpoint and region are the Secret's own values, "" when it has none.
	endpoint string
	region   string
}

// problem says why the source Secret cannot be used: a reason and a
// message a tenant can act on. It names keys, never values.
type problem struct {
	reason  string
	message string
}

// secretData is the source Secret's data by key, still encoded. A Secret
// read from the API server carries only data (base64); stringData (plain)
// is honoured too, with the API server's precedence, for Secrets given to
// crossplane render.
type secretData struct {
	data       map[string]any
	stringData map[string]any
}

func secretDataOf(obj map[string]any) secretData {
	d, _ := obj["data"].(map[string]any)
	s, _ := obj["stringData"].(map[string]any)
	return secretData{data: d, stringData: s}
}

// value returns the decoded, trimmed value of key and whether the key is
// present at all; err when it is present but not valid base64.
func (s secretData) value(key string) (string, bool, error) {
	if v, ok := s.stringData[key].(string); ok {
		return strings.TrimSpace(v), true, nil
	}
	raw, ok := s.data[key]
	if !ok {
		return "", false, nil
	}
	enc, ok := raw.(string)
	if !ok {
		return "", true, fmt.Errorf("not a string")
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", true, err
	}
	return strings.TrimSpace(string(b)), true, nil
}

// first returns the value of the first alias present with a non-empty
// value, and the key it came from.
func (s secretData) first(aliases []string) (value, key string, err error) {
	for _, k := range aliases {
		v, ok, err := s.value(k)
		if err != nil {
			return "", k, err
		}
		if ok && v != "" {
			return v, k, nil
		}
	}
	return "", "", nil
}

// extract reads the credentials out of the source Secret's data. A value
// is trimmed of surrounding whitespace (a trailing newline from `echo` is
// a common slip); what remains must be a single token, because it is
// written as one line of the rclone configuration and as an environment
// variable: a line break could inject rclone options.
func extract(s secretData) (credentials, *problem) {
	var c credentials
	var unreadable, invalid, absent []string
	pick := func(dst *string, aliases []string, what string) {
		v, key, err := s.first(aliases)
		switch {
		case err != nil:
			unreadable = append(unreadable, key)
		case key == "":
			absent = append(absent, fmt.Sprintf("no %s (set one of %s)", what, strings.Join(aliases, ", ")))
		case !validation.SingleToken(v):
			invalid = append(invalid, key)
		default:
			*dst = v
		}
	}
	pick(&c.accessKey, accessKeyAliases, "access key")
	pick(&c.secretKey, secretKeyAliases, "secret key")
	for _, o := range []struct {
		dst *string
		key string
	}{{&c.endpoint, endpointKey}, {&c.region, regionKey}} {
		v, _, err := s.value(o.key)
		switch {
		case err != nil:
			unreadable = append(unreadable, o.key)
		case !validation.SingleToken(v):
			invalid = append(invalid, o.key)
		default:
			*o.dst = v
		}
	}
	switch {
	case len(unreadable) > 0:
		sort.Strings(unreadable)
		return credentials{}, &problem{ReasonUnreadable, "not valid base64 data in " + strings.Join(unreadable, ", ") + "; rewrite the Secret (kubectl create secret generic encodes values for you)"}
	case len(invalid) > 0:
		sort.Strings(invalid)
		return credentials{}, &problem{ReasonInvalid, "spaces, line breaks or control characters in " + strings.Join(invalid, ", ") + "; store each value as a single token"}
	case len(absent) > 0:
		return credentials{}, &problem{ReasonIncomplete, "it has " + strings.Join(absent, " and ")}
	}
	return c, nil
}
