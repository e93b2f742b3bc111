package server

import (
	"strings"
	"testing"
)

// TestRenderSeedNeedsInsecure: predictable credentials are refused unless
// the function serves without TLS, which a real Crossplane never does.
func TestRenderSeedNeedsInsecure(t *testing.T) {
	c := &CLI{TLSCertsDir: "/tls", RenderSeed: "x"}
	err := c.Run(nil)
	if err == nil || !strings.Contains(err.Error(), "requires --insecure") {
		t.Fatalf("Run = %v, want a refusal", err)
	}
}
