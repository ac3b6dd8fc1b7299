#!/usr/bin/env python3
"""bench/mkbigimage.py - a large, realistic OCI image archive for bench/image.sh.

Usage: mkbigimage.py OUT.tar [TOTAL_MB]   (default 1100 MB of uncompressed layer tars)

Streams everything to disk (memory stays small): each layer's tar is written by Python's
tarfile into `gzip -6` (the level docker and most registries use), hashed on the way
(diff_id), then the blobs are put into an OCI image layout tar (index.json, oci-layout,
blobs/sha256/...). The content is compressible but not trivial, as in real images:
  - 12 layers of unequal size (a base layer, a few large ones, several small ones);
  - files of log-normal sizes (median ~6 KB, a tail up to 8 MB), tens of thousands in all;
  - by extension: text/source/config (word-like text, ~3-4:1 under gzip), binaries and
    shared libraries (bytes of a skewed distribution, ~1.5:1), and already compressed
    assets (random bytes, 1:1); in all the layers compress about 1.7:1.
Deterministic (fixed seeds): the same arguments give the same bytes.
"""
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile

POOL = 24 << 20  # bytes per content pool; files are slices of a pool at random offsets


def pools(rnd):
    words = ["".join(rnd.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(rnd.randint(2, 10)))
             for _ in range(3000)]
    words += ["if", "return", "for", "self", "the", "import", "def", "int", "const", "{", "}",
              "(", ")", "=", "==", "0", "1", "None", "true", "false", "\n", "\n    ", "\n\t"]
    text = []
    size = 0
    while size < POOL:
        chunk = " ".join(rnd.choices(words, k=20000))
        text.append(chunk)
        size += len(chunk)
    text = "".join(text).encode()[:POOL]
    # skewed bytes: uniform random bytes mapped through a table where 0x00 and a few
    # opcodes-like values are common: about 5 bits of entropy per byte
    table = bytearray(256)
    common = [0, 0xff, 0x48, 0x89, 0x8b, 0xe8, 0x0f, 0x24, 0x01, 0x10]
    for i in range(256):
        table[i] = common[i % len(common)] if i < 150 else i
    binary = rnd.randbytes(POOL).translate(bytes(table))
    return {"text": text, "bin": binary, "rand": rnd.randbytes(POOL)}


KINDS = [("text", ".py", 30), ("text", ".txt", 10), ("text", ".json", 8), ("text", ".conf", 6),
         ("text", ".h", 6), ("bin", ".so", 20), ("bin", "", 10), ("rand", ".png", 6),
         ("rand", ".gz", 4)]


class Hashing:
    def __init__(self, f):
        self.f, self.h, self.n = f, hashlib.sha256(), 0

    def write(self, b):
        self.h.update(b)
        self.n += len(b)
        self.f.write(b)


def layer(n, mb, pool, out_gz):
    rnd = random.Random(1000 + n)
    target = mb << 20
    with open(out_gz, "wb") as f:
        gz = subprocess.Popen(["gzip", "-6", "-n", "-c"], stdin=subprocess.PIPE, stdout=f)
        hw = Hashing(gz.stdin)
        with tarfile.open(fileobj=hw, mode="w|", format=tarfile.PAX_FORMAT) as t:
            written = 0
            k = 0
            dirs = set()
            while written < target:
                kind, ext, _ = rnd.choices(KINDS, weights=[w for _, _, w in KINDS])[0]
                size = min(int(rnd.lognormvariate(8.7, 2.0)), 8 << 20, target - written + 1)
                d = "usr/lib/pkg%d/mod%d" % (n, k // 40) if kind != "text" else \
                    "app/src%d/part%d" % (n, k // 40)
                for p in (d.split("/")[0], "/".join(d.split("/")[:2]), d):
                    if p not in dirs:
                        dirs.add(p)
                        ti = tarfile.TarInfo(p)
                        ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, 1700000000
                        t.addfile(ti)
                ti = tarfile.TarInfo("%s/f%d%s" % (d, k, ext))
                ti.size, ti.mode, ti.mtime = size, 0o755 if kind == "bin" else 0o644, 1700000000
                off = rnd.randrange(0, POOL - size) if size < POOL else 0
                src = pool[kind]
                data = src[off:off + size] if size <= POOL else (src * (size // POOL + 1))[:size]
                t.addfile(ti, io.BytesIO(data))
                written += size + 512
                k += 1
        gz.stdin.close()
        if gz.wait() != 0:
            sys.exit("gzip failed")
    return "sha256:" + hw.h.hexdigest(), k, hw.n


def filehash(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest(), os.path.getsize(path)


def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 1100
    shares = [22, 14, 12, 10, 9, 8, 7, 6, 5, 4, 2, 1]  # percent of total per layer
    pool = pools(random.Random(7))
    tmp = tempfile.mkdtemp(prefix="mkbig.", dir=os.path.dirname(os.path.abspath(out)))
    blobs = os.path.join(tmp, "blobs", "sha256")
    os.makedirs(blobs)
    diff_ids, descs, nfiles, tar_bytes = [], [], 0, 0
    for n, s in enumerate(shares):
        gzpath = os.path.join(tmp, "layer%d.gz" % n)
        diff, k, tb = layer(n, max(1, total * s // 100), pool, gzpath)
        nfiles += k
        tar_bytes += tb
        hexd, size = filehash(gzpath)
        os.rename(gzpath, os.path.join(blobs, hexd))
        diff_ids.append(diff)
        descs.append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                      "digest": "sha256:" + hexd, "size": size})
        print("layer %d: %d files, %s" % (n, k, hexd[:12]), file=sys.stderr)

    def put(data, mt):
        hexd = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, hexd), "wb") as f:
            f.write(data)
        return {"mediaType": mt, "digest": "sha256:" + hexd, "size": len(data)}

    cfg = json.dumps({"architecture": "amd64", "os": "linux",
                      "config": {"User": "1000", "Cmd": ["/app/run"],
                                 "Env": ["PATH=/usr/local/bin:/usr/bin:/bin"]},
                      "rootfs": {"type": "layers", "diff_ids": diff_ids},
                      "history": [{"created_by": "RUN layer %d" % i} for i in range(len(shares))]},
                     sort_keys=True).encode()
    man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                      "config": put(cfg, "application/vnd.oci.image.config.v1+json"),
                      "layers": descs}).encode()
    d = put(man, "application/vnd.oci.image.manifest.v1+json")
    d["annotations"] = {"org.opencontainers.image.ref.name": "plimsoll/bench:big"}
    with open(os.path.join(tmp, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [d]}, f)
    with open(os.path.join(tmp, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    part = out + ".part"
    with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as t:
        for name in ["oci-layout", "index.json"] + ["blobs/sha256/" + b for b in sorted(os.listdir(blobs))]:
            t.add(os.path.join(tmp, name), arcname=name, recursive=False)
    os.rename(part, out)
    for b in os.listdir(blobs):
        os.unlink(os.path.join(blobs, b))
    for name in ["index.json", "oci-layout"]:
        os.unlink(os.path.join(tmp, name))
    os.removedirs(blobs)
    info = "%d gzip layers, %d files, %d bytes of layer tars" % (len(shares), nfiles, tar_bytes)
    with open(out + ".info", "w") as f:
        f.write(info + "\n")
    print("%s: %s" % (out, info), file=sys.stderr)


if __name__ == "__main__":
    main()
