// Command bench measures what a reconcile costs (`make bench`): for claims
// of three sizes it renders the whole pipeline in-process to its steady
// state (Crossplane v2.4's calling convention, observed state = the last
// reconcile's output) and prints, per step, the wire floor (decode the
// whole request, encode the step's response) and the step (decode as the
// functions' gRPC codec does, observed resources deferred; run; encode),
// each the median of five measurements taken in turns; their ratio; the
// step's allocations; its request and response bytes; and how often
// Crossplane and `crossplane render` call it per reconcile in delegated and
// in credentials mode. Then the whole pipeline, and the peak RSS of a
// function process that served 1,000 requests of the largest size over
// gRPC. Absolute times on shared machines are noise: compare ratios from
// one run.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/versioneer-tech/provider-datalab/test/inprocess"
	"github.com/versioneer-tech/provider-datalab/test/render"
)

func main() {
	rssRequests := flag.Int("rss-requests", 1000, "requests of the largest size sent to one function process for the RSS figure (0: skip)")
	rssStep := flag.String("rss-step", "policy", "the function whose process RSS is measured")
	flag.Parse()
	wd, _ := os.Getwd()
	root, err := render.Root(wd)
	if err != nil {
		fail(err)
	}
	env, err := inprocess.Uncapped(filepath.Join(root, "examples", "environment.yaml"))
	if err != nil {
		fail(err)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "size\tstep\tfloor ms\tstep ms\tratio\tallocs\treq bytes\trsp bytes\tcalls deleg/cred\trender deleg/cred\t")
	var largest *measured
	for _, size := range inprocess.Sizes {
		m, err := measure(size, env)
		if err != nil {
			fail(fmt.Errorf("%s: %w", size.Name, err))
		}
		for _, s := range m.steps {
			fmt.Fprintf(tw, "%s\t%s\t%.2f\t%.2f\t%.2fx\t%d\t%d\t%d\t%d/%d\t%d/%d\t\n", size.Name, s.name, ms(s.floor), ms(s.step), s.step/s.floor, s.allocs, s.reqBytes, s.rspBytes,
				s.calls, s.credentialsCalls, s.renderCalls, s.credentialsRenderCalls)
		}
		fmt.Fprintf(tw, "%s\tpipeline\t%.2f\t%.2f\t%.2fx\t%d\t%d\t%d\t%d/%d\t%d/%d\t\n", size.Name, ms(m.floor), ms(m.step), m.step/m.floor, m.allocs, m.reqBytes, m.rspBytes,
			m.calls, m.credentialsCalls, m.renderCalls, m.credentialsRenderCalls)
		largest = m
	}
	tw.Flush()
	if *rssRequests > 0 && largest != nil {
		peak, err := peakRSS(root, *rssStep, largest.request(*rssStep), *rssRequests)
		if err != nil {
			fail(err)
		}
		fmt.Printf("\npeak RSS of function-%s after %d requests of the %s claim over gRPC: %.1f MiB\n", *rssStep, *rssRequests, inprocess.Sizes[len(inprocess.Sizes)-1].Name, float64(peak)/(1<<20))
	}
}

func ms(ns float64) float64 { return ns / 1e6 }

func fail(err error) {
	fmt.Fprintln(os.Stderr, strings.TrimSpace(err.Error()))
	os.Exit(1)
}
