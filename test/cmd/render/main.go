// Command render renders a Datalab claim through the Composition with the
// functions of this checkout, and prints the result (`make render`).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/versioneer-tech/provider-datalab/test/render"
)

func main() {
	xr := flag.String("xr", "examples/team-wonderland.yaml", "the Datalab claim to render")
	env := flag.String("environment", "examples/environment.yaml", "the EnvironmentConfig file")
	observed := flag.String("observed", "", "observed composed resources (file or folder), optional")
	required := flag.String("required", "", "more required resources, e.g. Secrets (file or folder), optional")
	composition := flag.String("composition", "package/composition.yaml", "the Composition")
	flag.Parse()

	if err := run(*xr, *env, *observed, *required, *composition); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(xr, env, observed, required, composition string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := render.Root(wd)
	if err != nil {
		return err
	}
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(wd, p)
	}
	e, err := render.Start(root, render.Available(root))
	if err != nil {
		return err
	}
	defer e.Close()
	c := render.Case{XR: abs(xr), Composition: abs(composition), Observed: abs(observed), XRD: filepath.Join(root, "package", "xrd.yaml")}
	for _, r := range []string{env, required} {
		if r != "" {
			c.Required = append(c.Required, abs(r))
		}
	}
	out, err := e.Render(context.Background(), c)
	os.Stdout.Write(out)
	return err
}
