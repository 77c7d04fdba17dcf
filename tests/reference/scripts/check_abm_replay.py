"""Replays the abm_*.json vectors from the rule text in their "semantics" fields with numpy's
generators only (no DisSModel, no geopandas): random walk and predator-prey with the legacy
RandomState(S) (predator-prey uses the recorded spatial-index query results for the order of
the candidates), Schelling and Barros with Generator(PCG64(seed)) -- the k-th unseeded
default_rng() of a Schelling run is seed 1000 + k, as in make_abm.py.

  /usr/bin/python3 check_abm_replay.py
"""
import json
import math
import os

import numpy as np

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def load(name):
    return json.load(open(os.path.join(D, f"abm_{name}.json")))


def random_walk():
    ok = True
    for c in load("random_walk")["cases"]:
        rs = np.random.RandomState(c["rng_seeded_by_script"]["S"])
        s = c["params"].get("step_size", 1.0)
        b = c["params"].get("bounds", [0, 0, 100, 100])
        xy = [[a[1], a[2]] for a in c["initial"]]
        for st in c["steps"]:
            n = len(xy)
            dx = rs.uniform(-s, s, n); dy = rs.uniform(-s, s, n)
            xy = [[float(np.clip(p[0] + dx[i], b[0], b[2])), float(np.clip(p[1] + dy[i], b[1], b[3]))] for i, p in enumerate(xy)]
            if xy != [[a[1], a[2]] for a in st["agents"]]:
                print("  random walk differs", c["name"], st["t"]); ok = False; break
    print("random_walk", "ok" if ok else "FAIL")


def predator_prey():
    ok = True
    for c in load("predator_prey")["cases"]:
        p = {"step_size": 1.0, "bounds": [0, 0, 100, 100], "eat_radius": 1.0, "energy_loss": 1.0, "energy_gain": 5.0,
             "reproduce_threshold": 15.0, "graze_gain": 0.0}
        p.update(c["params"])
        rs = np.random.RandomState(c["rng_seeded_by_script"]["S"])
        agents = [list(a) for a in c["initial"]]  # id, x, y, kind, energy
        for st in c["steps"]:
            if agents:
                minx, miny, maxx, maxy = p["bounds"]
                for a in agents:
                    dx = rs.uniform(-p["step_size"], p["step_size"]); dy = rs.uniform(-p["step_size"], p["step_size"])
                    a[1] = min(max(a[1] + dx, minx), maxx); a[2] = min(max(a[2] + dy, miny), maxy)
                for a in agents:
                    if p["graze_gain"] and a[3] == "sheep":
                        a[4] += p["graze_gain"]
                    a[4] -= p["energy_loss"]
                by_id = {a[0]: a for a in agents}
                queries = iter(st["neighbour_queries"])
                eaten = []
                for w in [a for a in agents if a[3] == "wolf"]:
                    q = next(queries)
                    assert q["wolf"] == w[0]
                    # the recorded candidates = agents inside geom.buffer(radius) (GEOS: a 64-gon inscribed in the circle)
                    # with distance <= radius; agents between the polygon and the circle are missed
                    within = sorted(o[0] for o in agents if o[0] != w[0] and math.hypot(o[1] - w[1], o[2] - w[2]) <= p["eat_radius"])
                    inner = sorted(o[0] for o in agents if o[0] != w[0]
                                   and math.hypot(o[1] - w[1], o[2] - w[2]) <= p["eat_radius"] * math.cos(math.pi / 64))
                    got = sorted(q["candidates_in_sindex_order"])
                    if not (set(inner) <= set(got) <= set(within)):
                        print("  neighbour set differs", c["name"], st["t"], w[0]); ok = False
                    elif got != within:
                        print(f"  note: t={st['t']} wolf {w[0]}: agents {sorted(set(within) - set(got))} within the radius but outside the buffer polygon are not neighbours")
                    near = [i for i in q["candidates_in_sindex_order"] if i not in eaten and by_id[i][3] == "sheep"]
                    if near:
                        eaten.append(near[0]); w[4] += p["energy_gain"]
                agents = [a for a in agents if a[0] not in eaten]
                agents = [a for a in agents if not a[4] <= 0]
                for a in [a for a in agents if a[4] >= p["reproduce_threshold"]]:
                    nid = max(x[0] for x in agents) + 1
                    agents.append([nid, a[1], a[2], a[3], p["reproduce_threshold"] / 2.0])
            if agents != [list(a) for a in st["agents"]]:
                print("  predator-prey differs", c["name"], st["t"]); ok = False; break
    print("predator_prey", "ok" if ok else "FAIL")


def schelling():
    ok = True
    for c in load("schelling")["cases"]:
        ids, nb = c["ids"], c["neighbours"]
        pr = c["params"]; fs = pr.get("free_space", 0.25); pref = pr.get("preference", 3)
        n = len(ids); ne = int(round(n * fs)); no = n - ne; nr = no // 2
        types = np.array([0] * nr + [1] * (no - nr) + [-1] * ne)
        np.random.Generator(np.random.PCG64(pr["seed"])).shuffle(types)
        if [int(t) for t in types] != c["initial"]:
            print("  schelling init differs"); ok = False
        tm = dict(zip(ids, [int(t) for t in types]))
        for k, st in enumerate(c["steps"]):
            empty = [i for i in ids if tm[i] == -1]
            if empty:
                g = np.random.Generator(np.random.PCG64(1000 + k))
                order = list(ids); g.shuffle(order)
                for i in order:
                    t = tm[i]
                    if t == -1 or not nb[i]:
                        continue
                    same = sum(1 for j in nb[i] if tm.get(j, -1) == t)
                    if same < pref and empty:
                        target = empty.pop(g.integers(len(empty)))
                        tm[i] = -1; tm[target] = t; empty.append(i)
            if [tm[i] for i in ids] != st["agent_type"]:
                print("  schelling differs", c["name"], st["t"]); ok = False; break
            occ = [i for i in ids if tm[i] != -1]
            sat = sum(1 for i in occ if sum(1 for j in nb[i] if tm.get(j, -1) == tm[i]) >= pref) / len(occ)
            if sat != st["satisfaction"]:
                print("  satisfaction differs", c["name"], st["t"]); ok = False
    print("schelling", "ok" if ok else "FAIL")


def peripherisation():
    ok = True
    for c in load("peripherisation")["cases"]:
        ids, nb = c["ids"], c["neighbours"]
        pr = c["params"]
        g = np.random.Generator(np.random.PCG64(pr["seed"]))
        steps = pr.get("steps", 2); aps = pr.get("agents_per_step", 5); prop = (0.10, 0.40, 0.50)
        grp = {i: -1 for i in ids}
        for s in c["seed_cells_used"]:
            grp[s] = 0
        na = pr.get("n_agents") or len(ids) - len(c["seed_cells_used"])
        n_red = round(na * prop[0]); n_y = round(na * prop[1])
        pending = [0] * n_red + [1] * n_y + [2] * (na - n_red - n_y)
        g.shuffle(pending)
        if pending != c["initial"]["pending"]:
            print("  pending init differs"); ok = False
        cen = {i: (int(i.split("-")[1]) + 0.5, int(i.split("-")[0]) + 0.5) for i in ids}  # unit cells: centroid (col+.5, row+.5)
        for st in c["steps"]:
            if pending:
                reds = [i for i in ids if grp[i] == 0]
                target = (float(np.mean([cen[i][0] for i in reds])), float(np.mean([cen[i][1] for i in reds]))) if reds else None
                for _ in range(min(aps, len(pending))):
                    gr = pending.pop(0)
                    occ = [i for i in ids if grp[i] != -1]
                    if not occ:
                        cur = ids[g.integers(len(ids))]
                    else:
                        anchor = occ[g.integers(len(occ))]
                        cur = nb[anchor][g.integers(len(nb[anchor]))] if nb[anchor] else anchor
                    for _ in range(steps):
                        ns = nb[cur]
                        if not ns:
                            break
                        if target is not None:
                            d = np.array([np.hypot(cen[x][0] - target[0], cen[x][1] - target[1]) for x in ns])
                            w = 1.0 / (d + 0.1)
                            cur = ns[g.choice(len(ns), p=w / w.sum())]
                        else:
                            cur = ns[g.integers(len(ns))]
                    now = grp[cur]
                    can = True if gr == 0 else (now != 0 if gr == 1 else now == -1)
                    if not can:
                        pending.append(gr); continue
                    if now != -1:
                        pending.append(now)
                    grp[cur] = gr
            if [grp[i] for i in ids] != st["group"] or pending != st["pending"]:
                print("  peripherisation differs", c["name"], st["t"]); ok = False; break
    print("peripherisation", "ok" if ok else "FAIL")


random_walk()
predator_prey()
schelling()
peripherisation()
