// Command image builds the runtime image of a composition function as an
// OCI image tarball, without Docker: one layer holding the static function
// binary, no base image, a non-root user, the binary as entrypoint and the
// gRPC port Crossplane dials. `crossplane xpkg build
// --embed-runtime-image-tarball` then embeds it in the Function package.
package main

import (
	"archive/tar"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// The image contract the package test checks.
const (
	entrypoint = "/function"
	// user is the conventional "nonroot" user and group of distroless
	// images: no password database is needed for a numeric user.
	user = "65532:65532"
	port = "9443/tcp"
)

func main() {
	binary := flag.String("binary", "", "static function binary to put into the image")
	out := flag.String("out", "", "OCI image tarball to write")
	ref := flag.String("ref", "", "image reference recorded in the tarball, e.g. ghcr.io/org/function-x:v1")
	arch := flag.String("arch", "amd64", "architecture of the binary")
	flag.Parse()
	if err := build(*binary, *out, *ref, *arch); err != nil {
		fmt.Fprintln(os.Stderr, "image:", err)
		os.Exit(1)
	}
}

func build(binary, out, ref, arch string) error {
	if binary == "" || out == "" || ref == "" {
		return fmt.Errorf("-binary, -out and -ref are required")
	}
	bin, err := os.ReadFile(binary)
	if err != nil {
		return err
	}
	var layer bytes.Buffer
	tw := tar.NewWriter(&layer)
	// Fixed metadata (no timestamps, root-owned, world-executable) keeps the
	// layer, and so the image digest, reproducible.
	if err := tw.WriteHeader(&tar.Header{Name: entrypoint[1:], Mode: 0o555, Size: int64(len(bin)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	if _, err := tw.Write(bin); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(layer.Bytes())), nil
	})
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(empty.Image, l)
	if err != nil {
		return err
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", arch
	cfg.Config = v1.Config{
		Entrypoint:   []string{entrypoint},
		User:         user,
		ExposedPorts: map[string]struct{}{port: {}},
		WorkingDir:   "/",
	}
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		return err
	}
	tag, err := name.NewTag(ref)
	if err != nil {
		return err
	}
	return tarball.WriteToFile(out, tag, img)
}
