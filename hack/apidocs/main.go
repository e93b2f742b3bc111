// Command apidocs writes the API reference of the Datalab (docs/api-reference.md)
// from the XRD (package/xrd.yaml): every field of every served version with
// its type, default, constraints and description. `make docs` runs it; a
// test fails when the committed reference is stale.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	xrd := flag.String("xrd", "package/xrd.yaml", "the CompositeResourceDefinition")
	out := flag.String("out", "docs/api-reference.md", "where to write the reference")
	flag.Parse()
	b, err := os.ReadFile(*xrd)
	if err == nil {
		b, err = Generate(b)
	}
	if err == nil {
		err = os.WriteFile(*out, b, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "apidocs:", err)
		os.Exit(1)
	}
}
