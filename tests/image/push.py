#!/usr/bin/env python3
"""push.py LAYOUT.tar HOST:PORT REPO:TAG [USER:PASSWORD] - push an OCI layout tar (from
spec2image.py) to a Registry v2 on loopback with the plain HTTP API (monolithic blob
uploads, then the manifest; an index is pushed with its manifests), so the registry tests
need no Docker daemon. Prints the digest of what the tag names."""
import base64, hashlib, json, sys, tarfile, urllib.request

path, host, ref = sys.argv[1], sys.argv[2], sys.argv[3]
auth = sys.argv[4] if len(sys.argv) > 4 else None
repo, tag = ref.rsplit(":", 1)
base = f"http://{host}/v2/{repo}"
t = tarfile.open(path)
def member(name): return t.extractfile(name).read()
def req(method, url, data=None, headers=None):
    r = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if auth:
        r.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
    return urllib.request.urlopen(r)
def blob(digest):
    data = member("blobs/sha256/" + digest.split(":")[1])
    with req("POST", base + "/blobs/uploads/") as r:
        loc = r.headers["Location"]
    if loc.startswith("/"):
        loc = f"http://{host}{loc}"
    sep = "&" if "?" in loc else "?"
    req("PUT", f"{loc}{sep}digest={digest}", data, {"Content-Type": "application/octet-stream"}).close()
def manifest(desc, name):
    body = member("blobs/sha256/" + desc["digest"].split(":")[1])
    m = json.loads(body)
    if "manifests" in m:
        for d in m["manifests"]:
            manifest(d, d["digest"])
    else:
        blob(m["config"]["digest"])
        for l in m["layers"]:
            blob(l["digest"])
    mt = desc.get("mediaType") or m.get("mediaType") or "application/vnd.oci.image.manifest.v1+json"
    req("PUT", f"{base}/manifests/{name}", body, {"Content-Type": mt}).close()
index = json.loads(member("index.json"))
top = index["manifests"][0]
manifest(top, tag)
print(top["digest"])
