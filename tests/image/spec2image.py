#!/usr/bin/env python3
"""spec2image.py SPEC.json OUT.tar - build an image archive from a readable JSON spec.

Golden image cases are kept as specs (what each layer holds, the config, the history) so a
reviewer reads them like a Dockerfile; this writes the archive the way `docker save` does
(classic layout: manifest.json, <config>.json, <id>/layer.tar) or as an OCI image layout
tar (index.json, oci-layout, blobs/sha256), with real digests and diff_ids, so the image
reader verifies it like any other. Spec keys:
  layout   "docker-save" (default) or "oci"; "gzip": true compresses OCI layers
  config   the image config's "config" object (User, Env, Healthcheck, ExposedPorts, ...)
  history  list of created_by strings, one per layer
  layers   list of {"files": [{"path", "content" or "size", "mode", "uid", "gid", "type",
                               "link"}],
                    "whiteouts": ["path", ...], "opaque": ["dir", ...]}
  corrupt  {"layer": N}: flip a byte of that layer after the digests are written
"""
import gzip, hashlib, io, json, sys, tarfile, time

def tar_bytes(entries):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for e in entries:
            info = tarfile.TarInfo(e["path"].lstrip("/"))
            info.mtime = 1700000000
            info.uid = e.get("uid", 0)
            info.gid = e.get("gid", 0)
            info.mode = int(str(e.get("mode", "0644")), 8)
            kind = e.get("type", "file")
            data = None
            if kind == "dir":
                info.type = tarfile.DIRTYPE
            elif kind == "symlink":
                info.type = tarfile.SYMTYPE
                info.linkname = e["link"]
            else:
                data = e.get("content", "").encode()
                if "size" in e:  # large files without large specs
                    data = b"x" * int(e["size"])
                info.size = len(data)
            t.addfile(info, io.BytesIO(data) if data is not None else None)
    return buf.getvalue()

def layer_entries(layer):
    entries = list(layer.get("files", []))
    for w in layer.get("whiteouts", []):
        d, _, name = w.lstrip("/").rpartition("/")
        entries.append({"path": (d + "/" if d else "") + ".wh." + name, "content": ""})
    for o in layer.get("opaque", []):
        entries.append({"path": o.lstrip("/").rstrip("/") + "/.wh..wh..opq", "content": ""})
    return entries

def sha(b):
    return hashlib.sha256(b).hexdigest()

def main(spec_path, out_path):
    spec = json.load(open(spec_path))
    layers = [tar_bytes(layer_entries(l)) for l in spec.get("layers", [])]
    history = spec.get("history", [])
    config = {
        "architecture": "amd64", "os": "linux",
        "created": "2026-11-28T00:00:00Z",
        "config": spec.get("config", {}),
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(l) for l in layers]},
        "history": [{"created_by": h} for h in history],
    }
    config_bytes = json.dumps(config, indent=1).encode()
    corrupt = spec.get("corrupt")
    out = tarfile.open(out_path, "w", format=tarfile.PAX_FORMAT)

    def add(name, data):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 1700000000
        out.addfile(info, io.BytesIO(data))

    if spec.get("layout", "docker-save") == "docker-save":
        names = []
        for i, l in enumerate(layers):
            lid = sha(l)
            if corrupt and corrupt.get("layer") == i:
                l = bytearray(l); l[600] ^= 1; l = bytes(l)
            add(lid + "/layer.tar", l)
            names.append(lid + "/layer.tar")
        cfg_name = sha(config_bytes) + ".json"
        add(cfg_name, config_bytes)
        manifest = [{"Config": cfg_name, "RepoTags": [spec.get("ref", "example/app:1.0")],
                     "Layers": names}]
        add("manifest.json", json.dumps(manifest).encode())
    else:
        blobs = []
        descs = []
        for i, l in enumerate(layers):
            blob = gzip.compress(l, mtime=0) if spec.get("gzip") else l
            mt = "application/vnd.oci.image.layer.v1.tar" + ("+gzip" if spec.get("gzip") else "")
            descs.append({"mediaType": mt, "digest": "sha256:" + sha(blob), "size": len(blob)})
            if corrupt and corrupt.get("layer") == i:
                blob = bytearray(blob); blob[len(blob) // 2] ^= 1; blob = bytes(blob)
            blobs.append(blob)
        cdesc = {"mediaType": "application/vnd.oci.image.config.v1+json",
                 "digest": "sha256:" + sha(config_bytes), "size": len(config_bytes)}
        manifest = json.dumps({"schemaVersion": 2,
                               "mediaType": "application/vnd.oci.image.manifest.v1+json",
                               "config": cdesc, "layers": descs}).encode()
        index = {"schemaVersion": 2, "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": "sha256:" + sha(manifest), "size": len(manifest),
            "annotations": {"org.opencontainers.image.ref.name": spec.get("ref", "1.0")}}]}
        add("oci-layout", b'{"imageLayoutVersion": "1.0.0"}')
        add("index.json", json.dumps(index).encode())
        add("blobs/sha256/" + sha(manifest), manifest)
        add("blobs/sha256/" + sha(config_bytes), config_bytes)
        for d, b in zip(descs, blobs):
            add("blobs/sha256/" + d["digest"][7:], b)
    out.close()

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
