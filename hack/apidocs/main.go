// Command apidocs writes the references of the project's two APIs: the
// Datalab (docs/api-reference.md, from the XRD: every field of every
// served version with its type, default, constraints and description) and
// the operator's EnvironmentConfig (docs/environment-reference.md, from the
// commented examples/environment.yaml). `make docs` runs it; tests fail
// when a committed reference is stale or a key is undocumented.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	xrd := flag.String("xrd", "package/xrd.yaml", "the CompositeResourceDefinition")
	out := flag.String("out", "docs/api-reference.md", "where to write the API reference")
	env := flag.String("environment", "examples/environment.yaml", "the documented example EnvironmentConfig")
	envOut := flag.String("environment-out", "docs/environment-reference.md", "where to write the EnvironmentConfig reference")
	flag.Parse()
	err := write(*xrd, *out, Generate)
	if err == nil {
		err = write(*env, *envOut, EnvironmentReference)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "apidocs:", err)
		os.Exit(1)
	}
}

func write(in, out string, gen func([]byte) ([]byte, error)) error {
	b, err := os.ReadFile(in)
	if err == nil {
		b, err = gen(b)
	}
	if err == nil {
		err = os.WriteFile(out, b, 0o644)
	}
	return err
}
