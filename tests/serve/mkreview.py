#!/usr/bin/env python3
"""Wrap an object in an admission.k8s.io/v1 AdmissionReview, as the API server sends it.

usage: mkreview.py UID OPERATION OBJECT.json [--namespace NS] [--dry-run] [--label K=V]
                   [--subresource S]
DELETE moves the object to oldObject and sets object to null, as Kubernetes does.
"""
import argparse
import json

GROUPS = {"Deployment": "apps", "StatefulSet": "apps", "DaemonSet": "apps", "ReplicaSet": "apps",
          "Job": "batch", "CronJob": "batch"}

p = argparse.ArgumentParser()
p.add_argument("uid")
p.add_argument("operation")
p.add_argument("object")
p.add_argument("--namespace")
p.add_argument("--dry-run", action="store_true")
p.add_argument("--label", action="append", default=[])
p.add_argument("--subresource", default="")
a = p.parse_args()

obj = json.load(open(a.object))
kind = obj["kind"]
ns = a.namespace or obj["metadata"].get("namespace", "default")
obj["metadata"]["namespace"] = ns
for kv in a.label:
    k, v = kv.split("=", 1)
    obj["metadata"].setdefault("labels", {})[k] = v
gvk = {"group": GROUPS.get(kind, ""), "version": "v1", "kind": kind}
plural = kind.lower() + ("es" if kind.endswith("s") else "s")
req = {
    "uid": a.uid,
    "kind": gvk,
    "resource": {"group": gvk["group"], "version": "v1", "resource": plural},
    "subResource": a.subresource,
    "requestKind": gvk,
    "requestResource": {"group": gvk["group"], "version": "v1", "resource": plural},
    "name": obj["metadata"]["name"],
    "namespace": ns,
    "operation": a.operation,
    "userInfo": {"username": "alice", "groups": ["system:authenticated"]},
    "object": None if a.operation == "DELETE" else obj,
    "oldObject": obj if a.operation in ("DELETE", "UPDATE") else None,
    "dryRun": a.dry_run,
    "options": {"kind": a.operation.capitalize() + "Options", "apiVersion": "meta.k8s.io/v1"},
}
print(json.dumps({"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": req}))
