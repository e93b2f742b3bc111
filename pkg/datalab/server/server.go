// Package server is the command line every Datalab function shares, so the
// five binaries start, log and secure themselves the same way.
package server

import (
	"errors"
	"os"
	"runtime/debug"
	"time"

	"github.com/alecthomas/kong"

	function "github.com/crossplane/function-sdk-go"

	"github.com/versioneer-tech/provider-datalab/pkg/datalab/credentials"
	"github.com/versioneer-tech/provider-datalab/pkg/datalab/pipeline"
)

// DefaultMaxRecvMessageSizeMB is the default of --max-recv-message-size: a
// request carries the whole observed and desired state, and the largest
// claim the XRD allows must fit with room to spare (test/limits_test.go).
const DefaultMaxRecvMessageSizeMB = 32

// CLI is the flag set of every function binary.
type CLI struct {
	Debug              bool          `short:"d" help:"Emit debug logs in addition to info logs."`
	Network            string        `default:"tcp" help:"Network on which to listen for gRPC connections."`
	Address            string        `default:":9443" help:"Address at which to listen for gRPC connections."`
	TLSCertsDir        string        `name:"tls-certs-dir" env:"TLS_SERVER_CERTS_DIR" help:"Directory with tls.crt, tls.key and ca.crt for mTLS (Crossplane always dials functions with mTLS)."`
	Insecure           bool          `help:"Serve without TLS. Only for local rendering with crossplane render."`
	MaxRecvMessageSize int           `default:"32" help:"Maximum size of received messages in MB."`
	MetricsAddress     string        `default:":8080" help:"Address of the Prometheus metrics listener; empty disables it."`
	TTL                time.Duration `default:"1m" help:"How long Crossplane may cache a response."`
	MemoryLimit        int           `default:"40" help:"Soft memory limit in MiB (the Go runtime collects garbage harder near it; 0 or GOMEMLIMIT leaves the runtime's default)."`
	// RenderSeed makes generated credentials deterministic so that local
	// renders and goldens are byte-stable. Only with --insecure, which a real
	// Crossplane never uses.
	RenderSeed string `name:"insecure-render-seed" env:"DATALAB_INSECURE_RENDER_SEED" hidden:"" help:"Derive generated credentials from this seed (local rendering only; requires --insecure)."`
}

// Main parses the command line and serves the function until it stops.
func Main(name, description string, step pipeline.Step) {
	cli := &CLI{}
	ctx := kong.Parse(cli, kong.Name(name), kong.Description(description))
	ctx.FatalIfErrorf(cli.Run(step))
}

// Run serves the function with the parsed options.
func (c *CLI) Run(step pipeline.Step) error {
	if !c.Insecure && c.TLSCertsDir == "" {
		return errors.New("no TLS certificates: set --tls-certs-dir (or TLS_SERVER_CERTS_DIR); use --insecure only for local rendering")
	}
	if c.RenderSeed != "" {
		if !c.Insecure {
			return errors.New("--insecure-render-seed makes credentials predictable and is only for local rendering: it requires --insecure")
		}
		credentials.SetRenderSeed(c.RenderSeed)
	}
	// Each request holds the whole observed and desired state: without a
	// limit the heap grows to twice the live data of the largest request
	// between collections.
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set && c.MemoryLimit > 0 {
		debug.SetMemoryLimit(int64(c.MemoryLimit) << 20)
	}
	log, err := function.NewLogger(c.Debug)
	if err != nil {
		return err
	}
	if c.RenderSeed != "" {
		log.Info("WARNING: generated credentials are derived from --insecure-render-seed; never use this outside local rendering")
	}
	return function.Serve(&pipeline.Function{Log: log, TTL: c.TTL, Step: step},
		function.Listen(c.Network, c.Address),
		function.MTLSCertificates(c.TLSCertsDir),
		function.Insecure(c.Insecure),
		function.MaxRecvMessageSize(c.MaxRecvMessageSize*1024*1024),
		function.WithMetricsServer(c.MetricsAddress))
}
