# Provider Datalab: the verbs. Every target works on a fresh machine with Go
# and the Go module proxy; nothing needs Docker or a cluster.

SHELL := /bin/bash
BIN := $(CURDIR)/.bin
GO ?= go

EXAMPLE ?= examples/team-wonderland.yaml
ENVIRONMENT ?= examples/environment.yaml
OBSERVED ?=
REQUIRED ?= examples/required

FUNCTIONS := $(notdir $(wildcard functions/*))
VERSION := $(shell cat VERSION)
# Where the packages are published; Crossplane names the Functions it
# installs as dependencies after this repository (see package/crossplane.yaml).
REPOSITORY := ghcr.io/versioneer-tech/provider-datalab
XPKG := $(CURDIR)/_output/xpkg
GOARCH ?= amd64
MODULES := pkg/datalab $(addprefix functions/,$(FUNCTIONS)) test hack/apidocs

.PHONY: all build tools render test update vet fmt validate bench clean xpkg docs e2e kube fuzz

all: build test

## tools: build the pinned Crossplane CLI and core (hack/tools, outside go.work)
tools: $(BIN)/crossplane $(BIN)/crossplane-core

$(BIN)/crossplane: hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && GOWORK=off $(GO) build -o $@ github.com/crossplane/cli/v2/cmd/crossplane

$(BIN)/crossplane-core: hack/tools/go.mod hack/tools/go.sum
	cd hack/tools && GOWORK=off $(GO) build -o $@ github.com/crossplane/crossplane/v2/cmd/crossplane

$(BIN)/image: hack/tools/go.mod hack/tools/go.sum hack/tools/image/main.go
	cd hack/tools && GOWORK=off $(GO) build -o $@ ./image

## xpkg: build every package into _output/xpkg, offline and without Docker: per function a
## static binary, a one-layer runtime image and a Function package embedding it; and the
## Configuration package from a root holding only crossplane.yaml, xrd.yaml and composition.yaml
xpkg: tools $(BIN)/image
	@rm -rf $(XPKG) && mkdir -p $(XPKG)/bin $(XPKG)/configuration
	@for f in $(FUNCTIONS); do \
		CGO_ENABLED=0 GOOS=linux GOARCH=$(GOARCH) $(GO) build -trimpath -ldflags='-s -w' -o $(XPKG)/bin/function-$$f ./functions/$$f || exit 1; \
		$(BIN)/image -binary $(XPKG)/bin/function-$$f -arch $(GOARCH) -ref $(REPOSITORY)/function-$$f:$(VERSION) -out $(XPKG)/function-$$f-image.tar || exit 1; \
		$(BIN)/crossplane xpkg build --package-root=functions/$$f/package --examples-root=functions/$$f/package/examples \
			--embed-runtime-image-tarball=$(XPKG)/function-$$f-image.tar -o $(XPKG)/function-$$f-$(VERSION).xpkg || exit 1; \
	done
	@cp package/crossplane.yaml package/xrd.yaml package/composition.yaml $(XPKG)/configuration/
	@$(BIN)/crossplane xpkg build --package-root=$(XPKG)/configuration --examples-root=examples -o $(XPKG)/configuration-$(VERSION).xpkg
	@ls -1 $(XPKG)/*.xpkg

## kube: build kube-apiserver and kube-controller-manager for make e2e (hack/kube, outside go.work;
## ~15-20 minutes cold on 2 cores, cached after)
KUBE_LDFLAGS := -s -w -X k8s.io/component-base/version.gitVersion=v1.35.4 -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=35
kube: $(BIN)/kube-apiserver $(BIN)/kube-controller-manager

$(BIN)/kube-apiserver $(BIN)/kube-controller-manager &: hack/kube/go.mod hack/kube/go.sum
	cd hack/kube && GOWORK=off $(GO) build -ldflags '$(KUBE_LDFLAGS)' -o $(BIN)/ k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager

## e2e: the package on a real control plane: etcd, kube-apiserver, kube-controller-manager and
## Crossplane core on loopback inside a private network namespace, the functions as local mTLS
## processes; every scenario asserts on objects read back from the API server
e2e: tools kube build
	@command -v etcd >/dev/null || { apt-get update -qq && apt-get install -y -qq etcd-server; }
	unshare --net sh -c 'ip link set lo up && $(GO) test -count=1 -tags e2e -timeout 30m -v ./test/e2e/'

## build: build every function binary into .bin/
build:
	@for f in $(FUNCTIONS); do $(GO) build -o $(BIN)/function-$$f ./functions/$$f || exit 1; done

## render: render a claim through the whole pipeline (EXAMPLE, ENVIRONMENT, OBSERVED, REQUIRED)
render: tools
	@$(GO) run ./test/cmd/render -xr $(EXAMPLE) -environment $(ENVIRONMENT) \
		$(if $(OBSERVED),-observed $(OBSERVED)) $(if $(REQUIRED),-required $(REQUIRED))

## test: unit tests, render goldens, schema validation and the scope check
test: tools vet xpkg
	$(GO) test -count=1 $(addsuffix /...,$(addprefix ./,$(MODULES)))

## update: rewrite the render goldens from the current code (review the diff!)
update: tools
	$(GO) test -count=1 ./test/ -run 'TestGoldens|TestSessionClusterRoles' -update

## validate: render every golden and validate it against ../shared/crds (schema + scope), and the XRD
validate: tools
	$(GO) test -count=1 ./test/ -run 'TestGoldens|TestXRD|TestIdentity'

vet:
	$(GO) vet $(addsuffix /...,$(addprefix ./,$(MODULES)))
	@test -z "$$(gofmt -l pkg functions test hack)" || { gofmt -l pkg functions test hack; echo "run gofmt -w"; exit 1; }

fmt:
	gofmt -w pkg functions test hack

## docs: regenerate docs/api-reference.md (from the XRD) and docs/environment-reference.md (from examples/environment.yaml)
docs:
	$(GO) run ./hack/apidocs

## fuzz: longer randomized runs: 100,000 reconciles of the whole pipeline (test/property), then
## each function's fuzz target for FUZZTIME
FUZZTIME ?= 60s
fuzz:
	$(GO) test -count=1 -timeout 60m ./test/property/ -sequences 500
	@for f in $(FUNCTIONS); do $(GO) test -run '^$$' -fuzz FuzzRunFunction -fuzztime $(FUZZTIME) ./functions/$$f/step/ || exit 1; done

## bench: what a reconcile costs: per step and claim size (small, medium, large) the wire floor,
## the step, their ratio, allocations, request and response bytes and calls per reconcile, the
## whole pipeline, and a function process's peak RSS after 1,000 large requests over gRPC
bench:
	$(GO) run ./test/cmd/bench

clean:
	rm -rf $(BIN) _output
