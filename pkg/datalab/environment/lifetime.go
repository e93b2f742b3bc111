package environment

import (
	"time"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/api"
)

// Lifetime is a session's effective bound: it stops After its start, or
// at StopAt, whichever comes first; zero values bound nothing.
type Lifetime struct {
	After  time.Duration
	StopAt time.Time
}

// Bounded reports whether the session stops at all.
func (l Lifetime) Bounded() bool { return l.After > 0 || !l.StopAt.IsZero() }

// ExpiresAt is when a session started at start stops (zero: never).
func (l Lifetime) ExpiresAt(start time.Time) time.Time {
	var at time.Time
	if l.After > 0 && !start.IsZero() {
		at = start.Add(l.After)
	}
	if !l.StopAt.IsZero() && (at.IsZero() || l.StopAt.Before(at)) {
		at = l.StopAt
	}
	return at
}

// SessionLifetime is the bound of session s: its own maxDuration, else the
// operator's default, never beyond the operator's cap; and its stopAt.
// Values validation refuses count as unset.
func (c *Config) SessionLifetime(s api.Session) Lifetime {
	var l Lifetime
	max := ""
	if s.Lifetime != nil {
		max = s.Lifetime.MaxDuration
		if t, err := time.Parse(time.RFC3339, s.Lifetime.StopAt); err == nil {
			l.StopAt = t
		}
	}
	if max == "" {
		max = c.Defaults.Session.MaxDuration
	}
	if d, err := time.ParseDuration(max); err == nil && d > 0 {
		l.After = d
	}
	if cap, err := time.ParseDuration(c.Limits.MaxSessionDuration); err == nil && cap > 0 && (l.After == 0 || cap < l.After) {
		l.After = cap
	}
	return l
}
