package validation

import (
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/environment"
)

// duration checks a Go duration (8h, 90m): empty, or positive.
func duration(p *field.Path, v string) field.ErrorList {
	if v == "" {
		return nil
	}
	if d, err := time.ParseDuration(v); err != nil || d <= 0 {
		return field.ErrorList{field.Invalid(p, v, "must be a positive duration such as 8h, 90m or 1h30m")}
	}
	return nil
}

// sessionLifetimes checks sessions[].lifetime.
func sessionLifetimes(sessions []api.Session, p *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, s := range sessions {
		if s.Lifetime == nil {
			continue
		}
		lp := p.Index(i).Child("lifetime")
		errs = append(errs, duration(lp.Child("maxDuration"), s.Lifetime.MaxDuration)...)
		if v := s.Lifetime.StopAt; v != "" {
			if _, err := time.Parse(time.RFC3339, v); err != nil {
				errs = append(errs, field.Invalid(lp.Child("stopAt"), v, "must be an RFC 3339 time such as 2026-12-24T18:00:00Z"))
			}
		}
	}
	return errs
}

// lifetimeCap rejects a session lifetime (its own, or the operator's
// default) above the operator's cap.
func lifetimeCap(d *api.Datalab, cfg *environment.Config) field.ErrorList {
	capValue := cfg.Limits.MaxSessionDuration
	limit, err := time.ParseDuration(capValue)
	if err != nil || limit <= 0 {
		return nil
	}
	capPath := EnvPath.Child("limits", "maxSessionDuration")
	var errs field.ErrorList
	for i, s := range d.Spec.Sessions {
		v, p := cfg.Defaults.Session.MaxDuration, EnvPath.Child("defaults", "session", "maxDuration")
		if s.Lifetime != nil && s.Lifetime.MaxDuration != "" {
			v, p = s.Lifetime.MaxDuration, field.NewPath("spec", "sessions").Index(i).Child("lifetime", "maxDuration")
		}
		if dur, err := time.ParseDuration(v); err == nil && dur > limit {
			errs = append(errs, field.Invalid(p, v, fmt.Sprintf("exceeds the operator's cap %s (%s); request at most %s", capPath, capValue, capValue)))
		}
	}
	return errs
}
