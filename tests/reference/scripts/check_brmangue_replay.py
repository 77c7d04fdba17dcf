"""Replays brmangue_vector_ilha_crop*.json in plain Python (no DisSModel, no pandas) from the
rule text in its "semantics" field, with Moore neighbours of the 30x45 crop and the sources
visited in Python set order (a set built from the ascending feature indices, as the model's
set(Index[...]) is). Checks every stored checkpoint bit for bit, every step's alt sha256, and
the stored source orders. Also shows that summing in ascending feature order instead (the
raster's order) does NOT reproduce DisSModel's vector model.

  /usr/bin/python3 check_brmangue_replay.py
"""
import hashlib
import json
import os
import struct

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FLOODED = {3, 6, 7, 9, 10}
RULES = {1: 9, 8: 9, 2: 10, 4: 7, 5: 6}


def sha_f64(xs):
    return hashlib.sha256(struct.pack("<%dd" % len(xs), *xs)).hexdigest()


def sha_i64(xs):
    return hashlib.sha256(struct.pack("<%dq" % len(xs), *xs)).hexdigest()


def replay(d, python_order=True):
    R, C = d["input"]["window"]["height"], d["input"]["window"]["width"]
    nb = []
    for k in range(R * C):
        r, c = divmod(k, C)
        nb.append([(r + dr) * C + (c + dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                   if (dr or dc) and 0 <= r + dr < R and 0 <= c + dc < C])
    p = d["parameters"]
    taxa, tide = p["taxa_elevacao"], p["altura_mare"]
    uso, alt, solo = list(d["initial"]["uso"]), list(d["initial"]["alt"]), list(d["initial"]["solo"])
    ok = True
    for step in d["steps"]:
        t = step["t"]
        nivel = t * taxa
        up, ap, sp = list(uso), list(alt), list(solo)
        src_sorted = [k for k in range(R * C) if up[k] in FLOODED and ap[k] >= 0]
        fontes = set(src_sorted)
        order = list(fontes) if python_order else src_sorted
        if python_order and step.get("sources_in_set_order") is not None and order != step["sources_in_set_order"]:
            print("  source order differs at", t); ok = False
        if python_order and sha_i64(order) != step["sources_order_sha256_i64le"]:
            print("  source order sha differs at", t); ok = False
        an = list(ap)
        for k in order:
            lower = [n for n in nb[k] if ap[n] <= ap[k]]
            f = taxa / (1 + len(lower))
            an[k] += f
            for n in lower:
                an[n] += f
        un = list(up)
        for k in range(R * C):
            if up[k] in RULES and ap[k] <= nivel and any(n in fontes for n in nb[k]):
                un[k] = RULES[up[k]]
        alt, uso = an, un
        # mangrove (accretion off): reads *_past, writes over the current (post-flood) columns
        zi = tide + nivel
        fs = {k for k in range(R * C) if sp[k] in (3, 9, 0)}
        sn = list(solo)
        for k in range(R * C):
            if up[k] in (2, 5) and sp[k] != 9 and ap[k] <= zi and any(n in fs for n in nb[k]):
                sn[k] = 9
        fu = {k for k in range(R * C) if up[k] in (1, 8)}
        un2 = list(uso)
        for k in range(R * C):
            if up[k] in (2, 5) and sp[k] in (3, 9) and ap[k] <= zi and any(n in fu for n in nb[k]):
                un2[k] = 8
        uso, solo = un2, sn
        if sha_f64(alt) != step["alt_sha256_f64le"]:
            ok = False
            if python_order:
                print("  alt differs at step", t)
            break
        cp = d["checkpoints"].get(str(t))
        if cp and (cp["uso"] != uso or cp["alt"] != alt or cp["solo"] != solo):
            print("  checkpoint differs at", t); ok = False
    return ok, t


for name in sorted(os.listdir(D)):
    if name.startswith("brmangue_vector_ilha_crop") and name.endswith(".json"):
        d = json.load(open(os.path.join(D, name)))
        ok, _ = replay(d)
        ok2, t_bad = replay(d, python_order=False)
        print(name, "ok" if ok else "FAIL", "| ascending order instead:", "also matches (order irrelevant here)" if ok2 else f"diverges at step {t_bad}")
