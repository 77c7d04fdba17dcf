"""Reference vectors for the dissmodel-abm models (random walk, predator-prey, Schelling,
Barros peripherisation), run with DisSModel 0.6.1.

Run (see README.md for the source trees):
  DISSMODEL_SRC=... DISSMODEL_ABM_SRC=.../src /usr/bin/python3 make_abm.py OUT_DIR

Reproducibility, stated per vector:
* numpy's LEGACY global generator (np.random.uniform in Society.walk_all / Agent.walk):
  unseeded in DisSModel; the script calls np.random.seed(S) before env.run().
* numpy default_rng: the script replaces ``numpy.random.default_rng`` for the run by a
  function that returns ``LoggingGenerator(PCG64(seed))`` -- a Generator subclass that
  only records the results of shuffle/integers/choice/random calls. For seeded calls
  this is the same generator as default_rng(seed) (default_rng(s) == Generator(PCG64(s))).
  Unseeded calls (SchellingModel.execute's ``np.random.default_rng()``, one per step) get
  seed UNSEEDED_BASE + k for the k-th such call; DisSModel itself draws OS entropy there.
* geopandas 0.12 has no GeoSeries.union_all (used by PeripherisationModel._central_cell_id);
  the script adds ``union_all = unary_union`` for the run (same geometry).
The script logs state by wrapping instance methods (object.__setattr__); model code is unchanged.
"""
from __future__ import annotations

import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _dissmodel_env as E  # noqa: E402

E.bootstrap("DISSMODEL_ABM_SRC")

import geopandas as gpd  # noqa: E402
import numpy as np  # noqa: E402
from dissmodel.core import Environment  # noqa: E402
from dissmodel.geo import vector_grid  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "."
UNSEEDED_BASE = 1000

PROV = {
    "dissmodel": "DisSModel/dissmodel v0.6.1 (5b924d66ed2ad0690a2771bc026ccfa3787b2dc1)",
    "dissmodel_abm": {
        "core/agent_model.py": "8a9d766a08d15678308b2a0cc52eafc47ce9f676",
        "core/society.py": "037ae3f6cc3748187488747f3ed315393c22f628",
        "core/__init__.py": "8a9d766a08d15678308b2a0cc52eafc47ce9f676",
        "models/random_walk.py": "8a9d766a08d15678308b2a0cc52eafc47ce9f676",
        "models/predator_prey.py": "8a9d766a08d15678308b2a0cc52eafc47ce9f676",
        "models/schelling.py": "8a9d766a08d15678308b2a0cc52eafc47ce9f676",
        "models/peripherisation.py": "1fbb4884017d7d78c9431ed2bdbe98c0865ea9f1",
    },
    "script": "tests/reference/scripts/make_abm.py",
}

RNG_LOG: list = []


class LoggingGenerator(np.random.Generator):
    """numpy Generator that records what its draws returned (behaviour unchanged)."""

    def __init__(self, seed, label):
        super().__init__(np.random.PCG64(seed))
        self._label = label

    def shuffle(self, x, axis=0):
        super().shuffle(x, axis)
        RNG_LOG.append({"rng": self._label, "call": f"shuffle(<{type(x).__name__} of {len(x)}>)", "result": [E.num(v) if not isinstance(v, str) else v for v in x]})

    def integers(self, *a, **k):
        r = super().integers(*a, **k)
        RNG_LOG.append({"rng": self._label, "call": f"integers{a}", "result": E.num(r)})
        return r

    def choice(self, a, size=None, replace=True, p=None, axis=0, shuffle=True):
        r = super().choice(a, size=size, replace=replace, p=p, axis=axis, shuffle=shuffle)
        RNG_LOG.append({"rng": self._label, "call": f"choice({a}, p=[{len(p) if p is not None else 0} weights])",
                        "p": E.nums(p) if p is not None else None, "result": E.num(r)})
        return r


_orig_default_rng = np.random.default_rng
_unseeded = itertools.count()


def patched_default_rng(seed=None):
    if seed is None:
        s = UNSEEDED_BASE + next(_unseeded)
        return LoggingGenerator(s, f"default_rng() UNSEEDED in DisSModel -> script seed {s}")
    return LoggingGenerator(seed, f"default_rng({seed})")


def install_patches():
    np.random.default_rng = patched_default_rng
    if not hasattr(gpd.GeoSeries, "union_all"):
        gpd.GeoSeries.union_all = lambda self, *a, **k: self.unary_union


def reset_run(model_cls=None):
    """Start a case as a fresh process would: empty RNG log, unseeded-call counter at 0, and
    empty @track_plot buffers. (DisSModel keeps those buffers on the CLASS; run()'s reset
    clears only the buffers already registered with the new Environment, and these models
    register theirs on the first assignment inside execute, so without this a second run in
    the same process would append to the first run's series.)"""
    global _unseeded
    RNG_LOG.clear()
    _unseeded = itertools.count()
    for info in getattr(model_cls, "_plot_info", {}).values():
        info["data"].clear()


def streams_pcg64(seeds, extra=None):
    out = {}
    for s in seeds:
        g = _orig_default_rng(s)
        d = {"random_raw_uint64_first64": [str(v) for v in _orig_default_rng(s).bit_generator.random_raw(64)],
             "random_first64": E.nums(g.random(64))}
        for label, fn in (extra or {}).items():
            g2 = _orig_default_rng(s)
            d[label] = fn(g2)
        out[str(s)] = d
    return out


def streams_legacy(seeds):
    return {str(s): E.nums(np.random.RandomState(s).random_sample(64)) for s in seeds}


def points_state(gdf, cols):
    rows = []
    for idx, r in gdf.iterrows():
        g = r.geometry
        rows.append([E.num(idx), E.num(g.x), E.num(g.y)] + [E.num(r[c]) if not isinstance(r[c], str) else r[c] for c in cols])
    return rows


# --------------------------------------------------------------------------- random walk
def random_walk():
    from dissmodel_abm.models.random_walk import RandomWalkModel

    cases = []
    for name, n, params, T, S, place in [
        ("defaults_12agents_T20_npseed5", 12, {}, 20, 5, (0, 100)),
        ("step5_bounds20x10_8agents_T15_npseed9", 8, {"step_size": 5.0, "bounds": (0, 0, 20, 10)}, 15, 9, (0, 10)),
    ]:
        reset_run()
        pr = _orig_default_rng(2024)
        xs, ys = pr.uniform(place[0], place[1], n), pr.uniform(place[0], place[1] / (2 if "bounds20x10" in name else 1), n)
        gdf = gpd.GeoDataFrame({"geometry": gpd.points_from_xy(xs, ys)})
        env = Environment(start_time=0, end_time=T)
        m = RandomWalkModel(gdf=gdf, **params)
        initial = points_state(m.gdf, [])
        log = []
        orig = m.execute

        def logged(m=m, env=env, log=log, orig=orig):
            orig()
            log.append({"t": E.num(env.now()), "agents": points_state(m.gdf, [])})

        object.__setattr__(m, "execute", logged)
        np.random.seed(S)
        env.run()
        cases.append({"name": name, "params": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
                      "environment": {"start_time": 0, "end_time": T},
                      "rng_seeded_by_script": {"generator": "numpy legacy global RandomState (MT19937)", "call": "np.random.seed(S) before env.run()", "S": S},
                      "initial_positions_made_by": "script: default_rng(2024).uniform for x then y (the vector gives the values)",
                      "agent_columns": ["id", "x", "y"], "initial": initial, "steps": log})
    E.write_json(os.path.join(OUT, "abm_random_walk.json"), {
        "model": "dissmodel_abm RandomWalkModel: execute = society.walk_all(step_size, bounds)",
        "provenance": PROV, "versions": E.versions(),
        "semantics": ("walk_all: n = len(gdf); dx = np.random.uniform(-s, s, n); dy = np.random.uniform(-s, s, n) (all dx first, then all dy, "
                      "gdf order); x = clip(x + dx, minx, maxx); y = clip(y + dy, miny, maxy). np.random.uniform(low, high) = low + (high-low)*random_sample(), "
                      "random_sample = ((a>>5)*67108864 + (b>>6)) / 2**53 from two MT19937 outputs; RandomState(S) for an int S seeds with init_genrand(S) (not init_by_array)."),
        "notes": ["Unseeded in DisSModel (numpy's legacy global generator); seeded here with np.random.seed(S).",
                  "Agents are Points; 'agents' rows are [id, x, y] in GeoDataFrame order."],
        "rng": {"np_legacy_random_sample_first64": streams_legacy([5, 9])},
        "cases": cases,
    })


# --------------------------------------------------------------------------- predator-prey
def predator_prey():
    from dissmodel_abm.models.predator_prey import PredatorPreyModel

    cases = []
    for name, n_sheep, n_wolves, span, params, T, S in [
        ("defaults_30sheep_5wolves_T12_npseed1", 30, 5, 100.0, {}, 12, 1),
        ("bounds8_radius1.5_graze1_gain6_thr12_20sheep_6wolves_T20_npseed4", 20, 6, 8.0,
         {"bounds": (0, 0, 8, 8), "eat_radius": 1.5, "graze_gain": 1.0, "energy_gain": 6.0, "reproduce_threshold": 12.0}, 20, 4),
    ]:
        reset_run(PredatorPreyModel)
        pr = _orig_default_rng(0)
        xs = pr.uniform(0, span, n_sheep + n_wolves)
        ys = pr.uniform(0, span, n_sheep + n_wolves)
        gdf = gpd.GeoDataFrame({"geometry": gpd.points_from_xy(xs, ys), "kind": ["sheep"] * n_sheep + ["wolf"] * n_wolves,
                                "energy": [10.0] * (n_sheep + n_wolves)})
        env = Environment(start_time=0, end_time=T)
        m = PredatorPreyModel(gdf=gdf, **params)
        initial = points_state(m.gdf, ["kind", "energy"])
        log, events = [], []
        soc = m.society
        orig_nw = soc.neighbors_within

        def nw(idx, radius, orig_nw=orig_nw, events=events):
            res = orig_nw(idx, radius)
            events.append({"wolf": E.num(idx), "candidates_in_sindex_order": [E.num(a.id) for a in res]})
            return res

        soc.neighbors_within = nw  # instance attribute: Agent.neighbors -> society.neighbors_within
        orig = m.execute

        def logged(m=m, env=env, log=log, orig=orig, events=events):
            events.clear()
            before = set(m.gdf.index)
            orig()
            log.append({"t": E.num(env.now()), "sheep": m.sheep, "wolves": m.wolves,
                        "neighbour_queries": list(events),
                        "agents": points_state(m.gdf, ["kind", "energy"]),
                        "removed": sorted(E.num(i) for i in before - set(m.gdf.index))})

        object.__setattr__(m, "execute", logged)
        np.random.seed(S)
        env.run()
        series = {label: E.nums(info["data"]) for label, info in env._plot_metadata.items()}
        cases.append({"name": name, "params": {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()},
                      "environment": {"start_time": 0, "end_time": T},
                      "rng_seeded_by_script": {"generator": "numpy legacy global RandomState (MT19937)", "call": "np.random.seed(S) before env.run()", "S": S},
                      "initial_positions_made_by": "script: default_rng(0).uniform(0, span, n) for x then y (the vector gives the values)",
                      "agent_columns": ["id", "x", "y", "kind", "energy"], "initial": initial, "steps": log, "series": series})
    E.write_json(os.path.join(OUT, "abm_predator_prey.json"), {
        "model": "dissmodel_abm PredatorPreyModel (sheep and wolves with energy)",
        "provenance": PROV, "versions": E.versions(),
        "semantics": (
            "Per execute: if no agents: sheep = wolves = 0. 1) for agent in society (id snapshot, gdf order): agent.walk(step_size, bounds): "
            "dx = np.random.uniform(-s, s); dy = np.random.uniform(-s, s) (2 scalar draws per agent), x = min(max(cx+dx, minx), maxx), same for y. "
            "2) for agent: if graze_gain and sheep: energy += graze_gain; energy -= energy_loss. 3) wolves = agents with kind wolf (gdf order); eaten = set(); "
            "for wolf: nearby = [a in wolf.neighbors(eat_radius) (rtree candidates of buffer(radius) with distance <= radius, excluding itself, IN SINDEX ORDER) "
            "if a.id not in eaten and a.kind == sheep]; if nearby: eaten.add(nearby[0].id); wolf.energy += energy_gain; then remove every eaten sheep. "
            "4) remove agents with energy <= 0. 5) for agent with energy >= reproduce_threshold (snapshot): reproduce(energy=threshold/2): a copy at the same "
            "position, id = max(index)+1, appended at the end. sheep/wolves = counts."),
        "notes": [
            "Movement draws from numpy's LEGACY global generator, unseeded in DisSModel; seeded here with np.random.seed(S).",
            "Wolves eat the FIRST sheep of the spatial-index query: geopandas 0.12 + rtree here (RTreeIndex, unsorted); geopandas >= 1.0 uses shapely's "
            "STRtree, whose order may differ. steps[].neighbour_queries records every query's result in order so a port can check its own order or use these.",
            "QUIRK: neighbours are the agents whose point intersects geom.buffer(eat_radius) -- a polygon with 64 vertices inscribed in the "
            "circle (shapely's default 16 segments per quarter) -- and whose distance is <= eat_radius. An agent closer than the radius but "
            "between the polygon and the circle (distance in (r*cos(pi/64), r]) is NOT a neighbour: case 2, t=6, wolves 22 and 28 at "
            "distance 1.4999438954982636 < 1.5 do not see each other (scripts/check_abm_replay.py reports it).",
            "A sheep eaten by an earlier wolf is skipped by later wolves (the 'eaten' set); eaten sheep are removed after all wolves looked; sheep with "
            "energy <= 0 are removed afterwards, so a starving sheep can still be eaten in the same step.",
            "New ids are max(index)+1 at the time of the birth: an id freed by the death of the highest-id agent is reused.",
            "reproduce copies every column of the parent (kind, energy -> overridden, geometry); the child walks from the next step on.",
            "Agent rows: [id, x, y, kind, energy] in GeoDataFrame order after the step."],
        "rng": {"np_legacy_random_sample_first64": streams_legacy([1, 4])},
        "cases": cases,
    })


# --------------------------------------------------------------------------- Schelling
def schelling():
    from dissmodel_abm.models.schelling import SchellingModel

    cases = []
    for name, (nc, nr), params, T in [
        ("12x10_defaults_seed42_T10", (12, 10), {"seed": 42}, 10),
        ("9x11_free0.1_pref4_seed7_T8", (9, 11), {"free_space": 0.1, "preference": 4, "seed": 7}, 8),
    ]:
        reset_run(SchellingModel)
        gdf = vector_grid(dimension=(nc, nr), resolution=1)
        env = Environment(start_time=0, end_time=T)
        m = SchellingModel(gdf=gdf, **params)
        setup_rng = list(RNG_LOG)
        initial = E.nums(m.gdf["agent_type"].tolist())
        log = []
        orig = m.execute

        def logged(m=m, env=env, log=log, orig=orig):
            RNG_LOG.clear()
            orig()
            log.append({"t": E.num(env.now()), "agent_type": E.nums(m.gdf["agent_type"].tolist()),
                        "satisfaction": E.num(m.satisfaction), "rng_calls": list(RNG_LOG)})

        object.__setattr__(m, "execute", logged)
        env.run()
        series = {label: E.nums(info["data"]) for label, info in env._plot_metadata.items()}
        cases.append({"name": name, "grid": {"n_cols": nc, "n_rows": nr}, "params": params,
                      "environment": {"start_time": 0, "end_time": T},
                      "ids": list(m.gdf.index), "neighbours": {k: list(v) for k, v in m.gdf["_neighs"].items()},
                      "setup_rng_calls": setup_rng, "initial": initial, "steps": log, "series": series})
    E.write_json(os.path.join(OUT, "abm_schelling.json"), {
        "model": "dissmodel_abm SchellingModel (one agent per cell, Queen)",
        "provenance": PROV, "versions": E.versions(),
        "semantics": (
            "setup: Queen neighbourhood; rng = default_rng(seed); n = #cells; n_empty = int(round(n*free_space)); n_red = (n-n_empty)//2; n_blue = rest; "
            "types = array([0]*n_red + [1]*n_blue + [-1]*n_empty); rng.shuffle(types); agent_type of the k-th cell (gdf order) = types[k]. "
            "execute: type_map = {id: type} (gdf order); empty_idx = ids with -1 (gdf order); if none: only satisfaction. rng = default_rng() (UNSEEDED); "
            "order = list(type_map); rng.shuffle(order); for idx in order: t = type_map[idx] (CURRENT, mutated by earlier moves); skip -1; "
            "same = #Queen neighbours nb with type_map[nb] == t; if same < preference and empty_idx: target = empty_idx.pop(rng.integers(len(empty_idx))); "
            "type_map[idx] = -1; type_map[target] = t; empty_idx.append(idx). Then write type_map back; satisfaction = fraction of occupied cells with >= preference "
            "same-type Queen neighbours."),
        "notes": [
            "QUIRK: the comment says the step is evaluated on a snapshot, but type_map is mutated by each move, so later agents see earlier moves "
            "(and an agent moved into a cell earlier in the sweep can move again when its new cell comes up; a vacated cell is skipped as empty).",
            "UNSEEDED in DisSModel: execute creates np.random.default_rng() every step (OS entropy). Here the k-th such call gets seed 1000 + k "
            "(steps[k].rng_calls are labelled with it); setup's default_rng(seed) is the model's own seeded generator.",
            "rng_calls list what each draw returned: shuffle(list) = Fisher-Yates from the end with random_interval(i) (masked rejection on "
            "next_uint32); integers(k) = Lemire's method on next_uint32 (m = u32*k; reject while (m & 0xffffffff) < (2**32 - k) % k; result m >> 32). "
            "PCG64's next_uint32 serves the low then the high half of one 64-bit output, and that buffer is shared by shuffle and integers. "
            "default_rng(s) = Generator(PCG64(SeedSequence(s))).",
            "'neighbours' = the Queen lists (libpysal 4.7). Their order does not matter here (counts only); cell order of 'ids' is vector_grid's column-major order."],
        "rng": {"pcg64": streams_pcg64([42, 7] + [1000 + k for k in range(3)],
                                       {"shuffle_of_arange_120": lambda g: (lambda a: (g.shuffle(a), E.nums(a))[1])(np.arange(120)),
                                        "integers(30)_scalar_x64": lambda g: [E.num(g.integers(30)) for _ in range(64)],
                                        "integers(30,size=64)_vector": lambda g: E.nums(g.integers(30, size=64))}),
                "note": ("integers(k) for k <= 2**32 is Lemire's method on next_uint32, and PCG64's next_uint32 returns the LOW half of a "
                         "64-bit output and keeps the HIGH half for the next next_uint32 call (checked: scalar calls and one size=64 call give "
                         "the same stream; shuffle's random_interval draws from the same buffer). Each stream starts from a fresh default_rng(seed).")},
        "cases": cases,
    })


# --------------------------------------------------------------------------- Barros
def peripherisation():
    from dissmodel_abm.models.peripherisation import PeripherisationModel

    cases = []
    for name, (nc, nr), params, T in [
        ("12x10_defaults_seed42_T30", (12, 10), {"seed": 42}, 30),
        ("11x9_steps4_aps8_n60_seedcells_seed3_T15", (11, 9), {"steps": 4, "agents_per_step": 8, "n_agents": 60,
                                                             "seed_cells": ["2-3", "7-9"], "seed": 3}, 15),
    ]:
        reset_run(PeripherisationModel)
        gdf = vector_grid(dimension=(nc, nr), resolution=1)
        env = Environment(start_time=0, end_time=T)
        m = PeripherisationModel(gdf=gdf, **params)
        setup_rng = list(RNG_LOG)
        initial = {"group": E.nums(m.gdf["group"].tolist()), "pending": E.nums(m._pending)}
        log = []
        orig = m.execute

        def logged(m=m, env=env, log=log, orig=orig):
            RNG_LOG.clear()
            orig()
            log.append({"t": E.num(env.now()), "group": E.nums(m.gdf["group"].tolist()), "pending": E.nums(m._pending),
                        "counts": {"red": m.red, "yellow": m.yellow, "blue": m.blue, "pending": m.pending},
                        "rng_calls": list(RNG_LOG)})

        object.__setattr__(m, "execute", logged)
        env.run()
        series = {label: E.nums(info["data"]) for label, info in env._plot_metadata.items()}
        central = [i for i, g in zip(m.gdf.index, initial["group"]) if g == 0]
        cases.append({"name": name, "grid": {"n_cols": nc, "n_rows": nr}, "params": params,
                      "environment": {"start_time": 0, "end_time": T},
                      "seed_cells_used": central,
                      "ids": list(m.gdf.index), "neighbours": {k: list(v) for k, v in m.gdf["_neighs"].items()},
                      "setup_rng_calls": setup_rng, "initial": initial, "steps": log, "series": series})
    E.write_json(os.path.join(OUT, "abm_peripherisation.json"), {
        "model": "dissmodel_abm PeripherisationModel (Barros & Alves Jr. 2003; one agent per cell, Queen)",
        "provenance": PROV, "versions": E.versions(),
        "semantics": (
            "setup: rng = default_rng(seed); Queen; group = -1 everywhere; seed cells (default: the cell whose centroid is nearest the centroid of the "
            "union of all cells, first in gdf order on ties) = RED 0; n_agents default = #cells - #seeds; n_red = round(n*p0), n_yellow = round(n*p1) "
            "(Python round: half to even), n_blue = rest; pending = [0]*n_red + [1]*n_yellow + [2]*n_blue; rng.shuffle(pending). "
            "execute: if pending empty: counts only. target = mean of the centroids of RED cells (x, y; np.mean) or None; repeat min(agents_per_step, len(pending)) times: "
            "group = pending.pop(0); entry: occupied = ids with group != -1 (gdf order); if none: random cell via integers(#cells); else anchor = "
            "occupied[integers(len(occupied))], start = Queen(anchor)[integers(len(Queen(anchor)))]; then `steps` times: neighs = Queen(current); "
            "if target: d = hypot(cx - tx, cy - ty) per neighbour; w = 1/(d + 0.1); p = w / w.sum(); current = neighs[choice(len(neighs), p=p)] "
            "else neighs[integers(len)]. settle: RED anywhere, YELLOW unless the cell is RED, BLUE only on EMPTY; an evicted occupant's group is appended "
            "to pending; on failure the agent's group is appended to pending. The red target is computed once per step (before the moves)."),
        "notes": [
            "The Queen neighbour ORDER matters here (neighs[index] picks by position): 'neighbours' gives libpysal 4.7's lists per cell. QUIRK: "
            "for vector_grid's string ids that order changes between Python processes (string hash randomisation inside libpysal), so DisSModel's "
            "seeded runs are not reproducible across processes; this vector was made with PYTHONHASHSEED=0.",
            "choice(k, p=p) draws ONE random() double u and returns searchsorted(cumsum(p)/cumsum(p)[-1], u, side='right'); integers(k) as in abm_schelling.json.",
            "rng_calls record every draw's call and result (p vectors included) per step, in call order; setup_rng_calls the initial shuffle.",
            "geopandas 0.12 has no GeoSeries.union_all; the script maps it to unary_union (same union). The second case passes seed_cells explicitly.",
            "One model tick settles at most agents_per_step agents; evictions and failures grow the pending queue."],
        "rng": {"pcg64": streams_pcg64([42, 3], {"integers(8)_scalar_x64": lambda g: [E.num(g.integers(8)) for _ in range(64)],
                                                 "choice(8,p=uniform)_scalar_x64": lambda g: [E.num(g.choice(8, p=np.full(8, 0.125))) for _ in range(64)]})},
        "cases": cases,
    })


def main():
    install_patches()
    random_walk()
    predator_prey()
    schelling()
    peripherisation()


if __name__ == "__main__":
    main()
