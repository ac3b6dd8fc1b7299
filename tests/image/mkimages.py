#!/usr/bin/env python3
"""tests/image/mkimages.py - build small images for the image reader's tests, without docker.

Usage: mkimages.py OUTDIR

Writes, into OUTDIR, the same two-layer image in every layout plimsoll reads, and broken
variants of it:
  classic.tar       docker save, classic (<id>/layer.tar, manifest.json written last)
  oci/              OCI image layout directory, layer 0 tar+gzip, layer 1 tar+zstd
  oci.tar           the same layout as a tar
  docker25.tar      Docker 25+ OCI-compatible docker save (uncompressed blobs, both indexes)
  multi.tar         containerd-store docker save: a multi-platform index whose linux/amd64
                    and attestation blobs are absent; only linux/arm64 is present
  corrupt/          OCI layout: layer 0's blob differs from its digest, layer 1's diff_id wrong
  truncated.tar     classic docker save cut in the middle of the last layer
  bomb/             OCI layout whose gzip layer inflates to 8 MiB of zeros
  big.tar           (only: mkimages.py OUTDIR --big N) OCI layout tar, N MiB in gzip layers
  big-small.tar     (only: mkimages.py OUTDIR --big-small N) the same in 4 KiB text files

The image: layer 0 adds /root/.ssh/id_rsa, a setuid /usr/bin/su, /usr/bin/ping with file
capabilities, a token in /app/config.txt, /opt/data/{old.txt,sub/x.txt}; layer 1 deletes
id_rsa (whiteout), overwrites /app/big.bin, makes /opt/data opaque and has a path traversal
entry. The config sets a token in ENV and no HEALTHCHECK (the OCI variants have one).
"""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"


def sha(b):
    return hashlib.sha256(b).hexdigest()


def add(t, name, data=None, mode=0o644, kind=tarfile.REGTYPE, link="", pax=None, uid=0):
    ti = tarfile.TarInfo(name)
    ti.type = kind
    ti.mode = mode
    ti.uid = ti.gid = uid
    ti.mtime = 1700000000
    ti.linkname = link
    if pax:
        ti.pax_headers = pax
    if kind == tarfile.REGTYPE:
        data = data if isinstance(data, bytes) else (data or "").encode()
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    else:
        t.addfile(ti)


def tar_bytes(fill):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        fill(t)
    return b.getvalue()


def layer0(t):
    add(t, "./", kind=tarfile.DIRTYPE, mode=0o755)
    add(t, "root", kind=tarfile.DIRTYPE, mode=0o700)
    add(t, "root/.ssh", kind=tarfile.DIRTYPE, mode=0o700)
    add(t, "root/.ssh/id_rsa", KEY, mode=0o600)
    add(t, "usr", kind=tarfile.DIRTYPE, mode=0o755)
    add(t, "usr/bin", kind=tarfile.DIRTYPE, mode=0o755)
    add(t, "usr/bin/su", b"\x7fELF\x00\x01" + bytes(94), mode=0o4755)
    add(t, "usr/bin/ping", b"\x7fELF\x00" + bytes(45), mode=0o755,
        pax={"SCHILY.xattr.security.capability": "caps"})
    add(t, "usr/bin/sh", kind=tarfile.SYMTYPE, link="busybox", mode=0o777)
    add(t, "usr/bin/su2", kind=tarfile.LNKTYPE, link="usr/bin/su", mode=0o4755)
    add(t, "./etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n")
    add(t, "app/config.txt", "api:\n  token: " + TOKEN + "\n", uid=1000)
    add(t, "app/big.bin", bytes(1000))
    add(t, "opt/data/old.txt", "0123456789")
    add(t, "opt/data/sub/x.txt", "x" * 20)


def layer1(t):
    add(t, "root/.ssh/.wh.id_rsa")
    add(t, "app/big.bin", bytes(500))
    add(t, "opt/data/.wh..wh..opq")
    add(t, "opt/data/new.txt", "fresh")
    add(t, "../../etc/evil", "x")
    add(t, "/etc/motd", "hi\n")


L0 = tar_bytes(layer0)
L1 = tar_bytes(layer1)


def config(diff_ids, healthcheck=False, arch="amd64"):
    c = {
        "User": "",
        "Env": ["PATH=/usr/local/bin:/usr/bin", "GITHUB_TOKEN=" + TOKEN],
        "Entrypoint": ["/app/run"],
        "Cmd": ["--serve"],
        "ExposedPorts": {"8080/tcp": {}, "53/udp": {}},
        "Labels": {"org.opencontainers.image.source": "https://example.com/app"},
    }
    if healthcheck:
        c["Healthcheck"] = {"Test": ["CMD-SHELL", "curl -f http://localhost:8080/ || exit 1"],
                            "Interval": 30000000000, "Timeout": 5000000000,
                            "StartPeriod": 10000000000, "Retries": 3}
    return json.dumps({
        "architecture": arch, "os": "linux",
        "config": c,
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + sha(d) for d in diff_ids]},
        "history": [
            {"created_by": "ADD rootfs.tar /"},
            {"created_by": "ENV GITHUB_TOKEN=...", "empty_layer": True},
            {"created_by": "RUN rm /root/.ssh/id_rsa"},
        ],
    }, sort_keys=True).encode()


def tar_of(entries, path, cut=None):
    """entries: list of (name, bytes or None for a directory)."""
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in entries:
            if data is None:
                add(t, name, kind=tarfile.DIRTYPE, mode=0o755)
            else:
                add(t, name, data)
    raw = b.getvalue()
    if cut:
        raw = raw[:cut(raw)]
    with open(path, "wb") as f:
        f.write(raw)


def gz(d):
    return gzip.compress(d, mtime=0)


def zst(d):
    return subprocess.run(["zstd", "-q", "-c", "-3"], input=d, stdout=subprocess.PIPE,
                          check=True).stdout


def classic(path, manifest_first=False, cut=False):
    cfg = config([L0, L1])
    cname = sha(cfg) + ".json"
    ids = [sha(b"v1" + L0), sha(b"v1" + L1)]
    man = json.dumps([{"Config": cname, "RepoTags": ["plimsoll/test:1.0"],
                       "Layers": [i + "/layer.tar" for i in ids]}]).encode()
    layers = []
    for i, l in zip(ids, [L0, L1]):
        layers += [(i, None), (i + "/VERSION", b"1.0"), (i + "/json", b'{"id":"' + i.encode() + b'"}'),
                   (i + "/layer.tar", l)]
    # layer 1 first: the archive order is not the layer order
    layers = layers[4:] + layers[:4]
    entries = [("manifest.json", man), (cname, cfg)] + layers if manifest_first else \
        layers + [(cname, cfg), ("manifest.json", man), ("repositories", b"{}")]
    cutf = None
    if cut:
        # inside layer 0's layer.tar, the last entry: a few hundred bytes before its end
        cutf = lambda raw: raw.rfind(L0[:512]) + 700
    tar_of(entries, path, cutf)


def blob(files, data, mt=None):
    files["blobs/sha256/" + sha(data)] = data
    return {"mediaType": mt, "digest": "sha256:" + sha(data), "size": len(data)}


def manifest(files, cfg, layers):
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": blob(files, cfg, "application/vnd.oci.image.config.v1+json"),
         "layers": [blob(files, d, mt) for d, mt in layers]}
    return json.dumps(m).encode()


def write_dir(root, files):
    for name, data in files.items():
        p = os.path.join(root, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)


def oci_files(healthcheck=True, layers=None, diff_ids=None, cfg=None):
    files = {}
    layers = layers or [(gz(L0), "application/vnd.oci.image.layer.v1.tar+gzip"),
                        (zst(L1), "application/vnd.oci.image.layer.v1.tar+zstd")]
    cfg = cfg or config(diff_ids or [L0, L1], healthcheck)
    m = manifest(files, cfg, layers)
    d = blob(files, m, "application/vnd.oci.image.manifest.v1+json")
    d["annotations"] = {"org.opencontainers.image.ref.name": "plimsoll/test:oci"}
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [d]}).encode()
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    return files


def docker25(path):
    files = {}
    cfg = config([L0, L1])
    m = manifest(files, cfg, [(L0, "application/vnd.oci.image.layer.v1.tar"),
                              (L1, "application/vnd.oci.image.layer.v1.tar")])
    d = blob(files, m, "application/vnd.oci.image.manifest.v1+json")
    d["annotations"] = {"io.containerd.image.name": "docker.io/plimsoll/test:1.0",
                        "org.opencontainers.image.ref.name": "1.0"}
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [d]}).encode()
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    files["manifest.json"] = json.dumps([{
        "Config": "blobs/sha256/" + sha(cfg), "RepoTags": ["plimsoll/test:1.0"],
        "Layers": ["blobs/sha256/" + sha(L0), "blobs/sha256/" + sha(L1)]}]).encode()
    tar_of(sorted(files.items()), path)


def multi(path):
    files = {}
    cfg = config([L0, L1], arch="arm64")
    m_arm = manifest(files, cfg, [(gz(L0), "application/vnd.oci.image.layer.v1.tar+gzip"),
                                  (gz(L1), "application/vnd.oci.image.layer.v1.tar+gzip")])
    d_arm = blob(files, m_arm, "application/vnd.oci.image.manifest.v1+json")
    d_arm["platform"] = {"architecture": "arm64", "os": "linux", "variant": "v8"}
    # amd64 and the attestation: referenced, absent
    absent = lambda tag: {"mediaType": "application/vnd.oci.image.manifest.v1+json",
                          "digest": "sha256:" + sha(tag), "size": 1234}
    d_amd = absent(b"amd64")
    d_amd["platform"] = {"architecture": "amd64", "os": "linux"}
    d_att = absent(b"att")
    d_att["platform"] = {"architecture": "unknown", "os": "unknown"}
    d_att["annotations"] = {"vnd.docker.reference.type": "attestation-manifest"}
    idx = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                      "manifests": [d_amd, d_arm, d_att]}).encode()
    d_idx = blob(files, idx, "application/vnd.oci.image.index.v1+json")
    d_idx["annotations"] = {"io.containerd.image.name": "docker.io/plimsoll/multi:2.0"}
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [d_idx]}).encode()
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    ml = json.loads(m_arm)
    files["manifest.json"] = json.dumps([{
        "Config": "blobs/sha256/" + ml["config"]["digest"][7:], "RepoTags": ["plimsoll/multi:2.0"],
        "Layers": ["blobs/sha256/" + l["digest"][7:] for l in ml["layers"]]}]).encode()
    tar_of(sorted(files.items()), path)


def corrupt(root):
    files = oci_files(diff_ids=[L0, b"not layer 1"])
    good = gz(L0)
    # same tar, another gzip header (mtime): diff_id still right, digest wrong
    files["blobs/sha256/" + sha(good)] = gzip.compress(L0, mtime=12345)
    write_dir(root, files)


def bomb(root):
    def fill(t):
        add(t, "zeros", bytes(8 << 20))
    z = tar_bytes(fill)
    write_dir(root, oci_files(layers=[(gz(z), "application/vnd.oci.image.layer.v1.tar+gzip")],
                              diff_ids=[z]))


def big(path, mib, small=False):
    """An OCI layout tar with gzip layers of about mib MiB in all: 256 KiB files half random
    bytes, half text, so gzip does about 2:1 as on real layers; with small, 4 KiB text
    files (many files: the per-file work, secret scanning included)."""
    import random
    layers = []
    per = 8  # MiB per layer
    for n in range(max(1, mib // per)):
        rnd = random.Random(n)
        def fill(t, n=n, rnd=rnd):
            if small:
                for k in range(per * 256):
                    text = b"".join(b"password line %d of %d/%d: %s\n" % (i, n, k, rnd.randbytes(12).hex().encode())
                                    for i in range(64))[:4096]
                    add(t, "src/%d/%d/f%d.txt" % (n, k // 64, k), text)
                return
            for k in range(per * 4):
                text = b"".join(b"line %d of file %d in layer %d: some text\n" % (i, k, n)
                                for i in range(2600))[:128 * 1024]
                add(t, "data/%d/f%d" % (n, k), rnd.randbytes(128 * 1024) + text)
        layers.append(tar_bytes(fill))
    files = {}
    cfg = config(layers)
    m = manifest(files, cfg, [(gzip.compress(l, compresslevel=6, mtime=0),
                               "application/vnd.oci.image.layer.v1.tar+gzip") for l in layers])
    d = blob(files, m, "application/vnd.oci.image.manifest.v1+json")
    files["index.json"] = json.dumps({"schemaVersion": 2, "manifests": [d]}).encode()
    files["oci-layout"] = b'{"imageLayoutVersion":"1.0.0"}'
    tar_of(sorted(files.items()), path)


def main():
    if len(sys.argv) >= 4 and sys.argv[2] in ("--big", "--big-small"):
        small = sys.argv[2] == "--big-small"
        big(os.path.join(sys.argv[1], "big-small.tar" if small else "big.tar"), int(sys.argv[3]), small)
        return
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    classic(os.path.join(out, "classic.tar"))
    classic(os.path.join(out, "truncated.tar"), manifest_first=True, cut=True)
    files = oci_files()
    write_dir(os.path.join(out, "oci"), files)
    tar_of(sorted(files.items()), os.path.join(out, "oci.tar"))
    docker25(os.path.join(out, "docker25.tar"))
    multi(os.path.join(out, "multi.tar"))
    corrupt(os.path.join(out, "corrupt"))
    bomb(os.path.join(out, "bomb"))


if __name__ == "__main__":
    main()
