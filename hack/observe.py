#!/usr/bin/env python3
"""Turn rendered output into observed state for render fixtures.

Reads `make render` / render output on stdin and prints the composed
resources as Crossplane would observe them once they exist: the
composition-resource-name annotation kept, Ready and Synced conditions set,
and provider-kubernetes Objects reporting their manifest in
status.atProvider.manifest. Educates environments and sessions report phase
Running (sessions with their URL). Edit the result by hand for other states.

Usage: hack/observe.py [--not-ready KEY ...] < rendered.yaml > observed.yaml
"""
import argparse
import sys

import yaml


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def observe(doc, ready):
    crn = doc["metadata"]["annotations"]["crossplane.io/composition-resource-name"]
    meta = {k: doc["metadata"][k] for k in ("name", "namespace", "labels") if k in doc["metadata"]}
    meta["annotations"] = {"crossplane.io/composition-resource-name": crn}
    status = {"conditions": [
        {"type": "Ready", "status": "True" if ready(crn) else "False",
         "reason": "Available" if ready(crn) else "Creating", "lastTransitionTime": "2024-01-01T00:00:00Z"},
        {"type": "Synced", "status": "True", "reason": "ReconcileSuccess", "lastTransitionTime": "2024-01-01T00:00:00Z"},
    ]}
    if doc["kind"] == "Object":
        manifest = dict(doc["spec"]["forProvider"]["manifest"])
        manifest["metadata"] = dict(manifest["metadata"], generation=1)
        kind = manifest["kind"]
        if kind == "WorkshopEnvironment":
            manifest["status"] = {"educates": {"phase": "Running", "workshop": {"name": manifest["spec"]["workshop"]["name"], "generation": 1}}}
        elif kind == "WorkshopSession":
            domain = manifest["spec"]["session"]["ingress"]["domain"]
            manifest["status"] = {"educates": {"phase": "Running", "message": "Session is running",
                                               "url": "https://%s.%s" % (manifest["metadata"]["name"], domain)}}
        elif kind == "PersistentVolumeClaim":
            manifest["status"] = {"phase": "Bound"}
        status["atProvider"] = {"manifest": manifest}
    out = {"apiVersion": doc["apiVersion"], "kind": doc["kind"], "metadata": meta}
    for k in ("spec", "data", "stringData", "type"):
        if k in doc:
            out[k] = doc[k]
    out["status"] = status
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--not-ready", nargs="*", default=[], help="composition resource names to report not ready")
    args = p.parse_args()
    docs = [d for d in yaml.safe_load_all(sys.stdin) if d and d.get("kind") not in ("Result",)]
    composed = [d for d in docs if "crossplane.io/composition-resource-name" in d.get("metadata", {}).get("annotations", {})]
    ready = lambda crn: crn not in args.not_ready
    yaml.dump_all([observe(d, ready) for d in composed], sys.stdout, Dumper=Dumper, sort_keys=True)


if __name__ == "__main__":
    main()
