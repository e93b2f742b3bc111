package server

import (
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// TestTLSIsTheDefault: without certificates a function refuses to start
// unless --insecure is given explicitly (real Crossplane always uses mTLS).
func TestTLSIsTheDefault(t *testing.T) {
	cli := &CLI{}
	p, err := kong.New(cli)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Parse([]string{}); err != nil {
		t.Fatal(err)
	}
	err = cli.Run(nil)
	if err == nil || !strings.Contains(err.Error(), "--tls-certs-dir") {
		t.Fatalf("started without TLS: %v", err)
	}
}

func TestFlags(t *testing.T) {
	t.Setenv("TLS_SERVER_CERTS_DIR", "/certs")
	cli := &CLI{}
	p, _ := kong.New(cli)
	if _, err := p.Parse([]string{"--address=127.0.0.1:9444", "--metrics-address=", "--debug"}); err != nil {
		t.Fatal(err)
	}
	if cli.TLSCertsDir != "/certs" || cli.Address != "127.0.0.1:9444" || cli.MetricsAddress != "" || !cli.Debug || cli.MaxRecvMessageSize != DefaultMaxRecvMessageSizeMB {
		t.Fatalf("unexpected flags: %+v", cli)
	}
}
