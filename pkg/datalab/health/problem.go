package health

import (
	"regexp"
	"slices"
	"strings"

	"google.golang.org/protobuf/types/known/structpb"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/observed"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/resource"
)

// Problem is why a composed resource is refused or failing, as a tenant
// can act on it: a reason (QuotaExceeded, PodSecurity, AdmissionDenied,
// Forbidden, Invalid, Failed, Refused) and a shortened message.
type Problem struct {
	Reason, Message string
}

// maxProblemMessage bounds a message: it goes into conditions, status and
// printer columns, which are read at a glance.
const maxProblemMessage = 240

// Failure reads what went wrong with one observed composed resource,
// where it says so: a Synced=False condition (the provider or Crossplane
// could not apply it: the API server, an admission webhook or a quota
// refused it), a Ready=False condition whose reason says it failed, or a
// Failed or Error phase of the resource itself or, for an Object, of its
// target. A resource that is only not ready yet has no problem.
func Failure(obs *observed.Resources, key resource.Name) (Problem, bool) {
	raw := obs.Raw(key)
	if raw == nil {
		return Problem{}, false
	}
	for _, c := range observed.Path(raw, "status").GetFields()["conditions"].GetListValue().GetValues() {
		f := c.GetStructValue().GetFields()
		typ, status, reason, msg := f["type"].GetStringValue(), f["status"].GetStringValue(), f["reason"].GetStringValue(), f["message"].GetStringValue()
		if status != "False" || msg == "" {
			continue
		}
		switch {
		case typ == "Synced":
			return Problem{Reason: classify(msg, "Refused"), Message: Shorten(msg)}, true
		case typ == "Ready" && failed(reason):
			return Problem{Reason: classify(msg, "Failed"), Message: Shorten(msg)}, true
		}
	}
	for _, st := range []*structpb.Struct{observed.Path(raw, "status"), observed.Path(raw, "status", "atProvider", "manifest", "status")} {
		if p, ok := phaseFailure(st); ok {
			return p, true
		}
	}
	return Problem{}, false
}

// phaseFailure reads a status's phase (operators) and educates.phase.
func phaseFailure(status *structpb.Struct) (Problem, bool) {
	for _, st := range []*structpb.Struct{status, observed.Path(status, "educates")} {
		phase := st.GetFields()["phase"].GetStringValue()
		if !failed(phase) {
			continue
		}
		msg := st.GetFields()["message"].GetStringValue()
		if msg == "" {
			msg = "phase " + phase
		}
		return Problem{Reason: classify(msg, "Failed"), Message: Shorten(msg)}, true
	}
	return Problem{}, false
}

func failed(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "fail") || strings.Contains(s, "error")
}

// classify names the cause a tenant or operator acts on, from the API
// server's and admission controllers' wording.
func classify(msg, fallback string) string {
	l := strings.ToLower(msg)
	switch {
	case strings.Contains(l, "exceeded quota"):
		return "QuotaExceeded"
	case strings.Contains(l, "podsecurity") || strings.Contains(l, "pod security"):
		return "PodSecurity"
	case strings.Contains(l, "admission webhook"):
		return "AdmissionDenied"
	case strings.Contains(l, "forbidden"):
		return "Forbidden"
	case strings.Contains(l, " is invalid"):
		return "Invalid"
	}
	return fallback
}

// invalidValue is how the API server quotes a refused value ("Invalid
// value: ..."), which may be a password: it never leaves the message.
var invalidValue = regexp.MustCompile(`(?i)(invalid value:\s*)("(?:[^"\\]|\\.)*"|[^:,;]*)`)

// providerPrefix is how Crossplane and provider-kubernetes wrap the API
// server's answer ("create failed: cannot create object: ..."): it says
// nothing the reason does not, and would push the answer out of a
// shortened message.
var providerPrefix = regexp.MustCompile(`^(?:(?:create|update|observe|delete|apply) failed: |cannot (?:create|update|apply|get|delete) (?:object|resource): )+`)

// Shorten makes a message fit for conditions and status: one line,
// without the providers' wrapping, quoted values the API server refused
// redacted, at most maxProblemMessage characters; and without any of the
// given secrets.
func Shorten(msg string, secrets ...string) string {
	msg = providerPrefix.ReplaceAllString(strings.TrimSpace(msg), "")
	msg = invalidValue.ReplaceAllString(msg, "${1}(redacted)")
	for _, s := range slices.Sorted(slices.Values(secrets)) {
		if s != "" {
			msg = strings.ReplaceAll(msg, s, "(redacted)")
		}
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if r := []rune(msg); len(r) > maxProblemMessage {
		msg = string(r[:maxProblemMessage-1]) + "…"
	}
	return msg
}
