#!/usr/bin/env python3
"""mkhostile_images.py OUTDIR - hostile image archives for tests/hostile/image.sh.

Each archive is a docker save (classic) or OCI layout tar whose digests are right unless
the case is about digests, so the reader gets past verification to the part under attack.
"""
import gzip, hashlib, io, json, os, sys, tarfile, zlib

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

def sha(b): return "sha256:" + hashlib.sha256(b).hexdigest()

def layer(entries):
    """entries: (name, kind, data_or_target, mode)"""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, kind, data, mode in entries:
            i = tarfile.TarInfo(name)
            i.mode = mode
            if kind == "file":
                i.size = len(data)
                t.addfile(i, io.BytesIO(data))
            elif kind == "dir":
                i.type = tarfile.DIRTYPE
                t.addfile(i)
            elif kind == "symlink":
                i.type = tarfile.SYMTYPE
                i.linkname = data
                t.addfile(i)
            elif kind == "hardlink":
                i.type = tarfile.LNKTYPE
                i.linkname = data
                t.addfile(i)
    return buf.getvalue()

def classic(path, layers, config_extra=None, user="10001"):
    """layers: list of uncompressed tar bytes"""
    diff_ids = [sha(l) for l in layers]
    cfg = {"architecture": "amd64", "os": "linux",
           "config": {"User": user},
           "rootfs": {"type": "layers", "diff_ids": diff_ids},
           "history": [{"created_by": "COPY x /"} for _ in layers]}
    if config_extra:
        cfg.update(config_extra)
    cb = json.dumps(cfg).encode()
    cname = sha(cb)[7:] + ".json"
    names = []
    with tarfile.open(path, "w") as t:
        def add(n, b):
            i = tarfile.TarInfo(n); i.size = len(b); t.addfile(i, io.BytesIO(b))
        add(cname, cb)
        for l in layers:
            n = sha(l)[7:] + "/layer.tar"
            names.append(n)
            add(n, l)
        add("manifest.json", json.dumps([{"Config": cname, "RepoTags": ["hostile/x:1"],
                                          "Layers": names}]).encode())

def oci_raw(path, blobs, index):
    with tarfile.open(path, "w") as t:
        def add(n, b):
            i = tarfile.TarInfo(n); i.size = len(b); t.addfile(i, io.BytesIO(b))
        add("oci-layout", b'{"imageLayoutVersion":"1.0.0"}')
        for b in blobs:
            add("blobs/sha256/" + sha(b)[7:], b)
        add("index.json", json.dumps(index).encode())

ok_passwd = ("etc/passwd", "file", b"root:x:0:0::/root:/bin/sh\napp:x:10001:10001::/:/bin/false\n", 0o644)

# 1. path traversal names in a layer (and a hardlink that escapes)
classic(f"{out}/traversal.tar", [layer([
    ("../../../../etc/cron.d/evil", "file", b"* * * * * root sh\n", 0o644),
    ("a/../../escape", "file", b"x", 0o644),
    ("ok", "file", b"fine", 0o644),
    ("link", "hardlink", "../../../etc/shadow", 0o644),
])])

# 2. a tar header that declares a huge size, with few bytes behind it
big = bytearray(layer([("huge", "file", b"A" * 512, 0o644)]))
# patch the size field (octal, 12 bytes at offset 124) of the first header after PAX headers
def patch_size(tb, name, size):
    off = 0
    while off < len(tb):
        hdr = tb[off:off+512]
        if hdr[:len(name)] == name.encode() and hdr[len(name)] == 0:
            field = ("%011o" % size).encode() + b"\0"
            if len(field) > 12:   # base-256 for sizes over 8 GiB
                field = b"\x80" + size.to_bytes(11, "big")
            tb[off+124:off+136] = field
            # recompute the checksum
            h = tb[off:off+512]
            h[148:156] = b"        "
            s = sum(h)
            tb[off+148:off+156] = ("%06o\0 " % s).encode()
            return
        off += 512
    raise SystemExit("header not found")
patch_size(big, "huge", 1 << 42)   # 4 TiB
classic(f"{out}/huge-header.tar", [bytes(big)])

# 3. a gzip bomb: 2 GiB of zeros in about 2 MB (OCI layout, gzip layer)
def bomb_bytes(total):
    co = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    # a tar header for one big file of zeros, then the zeros, then the end blocks
    i = tarfile.TarInfo("zeros"); i.size = total - 3 * 512 ; i.mode = 0o644
    hdr = i.tobuf(format=tarfile.USTAR_FORMAT)
    parts = [co.compress(hdr)]
    left = i.size
    while left > 0:
        n = min(left, len(chunk))
        parts.append(co.compress(chunk[:n]))
        left -= n
    pad = (512 - i.size % 512) % 512
    parts.append(co.compress(bytes(pad) + bytes(1024)))
    parts.append(co.flush())
    return b"".join(parts)
bomb = bomb_bytes(2 << 30)
cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"User": "10001"},
                  "rootfs": {"type": "layers", "diff_ids": ["sha256:" + "0" * 64]}}).encode()
man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                             "digest": sha(cfg), "size": len(cfg)},
                  "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                              "digest": sha(bomb), "size": len(bomb)}]}).encode()
oci_raw(f"{out}/gzip-bomb.tar", [cfg, man, bomb],
        {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                                            "digest": sha(man), "size": len(man)}]})

# 4. a truncated archive: the second half of a valid one is gone
classic(f"{out}/whole.tar", [layer([ok_passwd, ("app", "file", os.urandom(300000), 0o755)])])
whole = open(f"{out}/whole.tar", "rb").read()
open(f"{out}/truncated.tar", "wb").write(whole[:len(whole) // 2])
os.remove(f"{out}/whole.tar")

# 5. symlink loops, a symlinked /etc/passwd, a directory replaced by a file
classic(f"{out}/symlinks.tar", [
    layer([("etc", "dir", None, 0o755), ("a", "symlink", "b", 0o777), ("b", "symlink", "a", 0o777),
           ("self", "symlink", "self", 0o777), ("etc/passwd", "symlink", "../etc/passwd", 0o777),
           ("etc/os-release", "symlink", "os-release", 0o777), ("d", "dir", None, 0o755),
           ("d/f", "file", b"x", 0o644)]),
    layer([("d", "file", b"now a file", 0o644), (".wh.a", "file", b"", 0o644)]),
], user="app")

# 6. absurd counts: a manifest with 100000 layers; an index with 200000 manifests
with tarfile.open(f"{out}/many-layers.tar", "w") as t:
    m = json.dumps([{"Config": "c.json", "Layers": ["l%d/layer.tar" % i for i in range(100000)]}]).encode()
    i = tarfile.TarInfo("manifest.json"); i.size = len(m); t.addfile(i, io.BytesIO(m))
idx = {"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
       "digest": "sha256:%064x" % k, "size": 10} for k in range(200000)]}
oci_raw(f"{out}/many-manifests.tar", [], idx)

# 7. not an image at all, and an empty file
open(f"{out}/not-an-image.tar", "wb").write(b"hello, I am not a tar archive\n" * 10)
open(f"{out}/empty.tar", "wb").close()
