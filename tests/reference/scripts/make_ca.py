"""Reference vectors for the dissmodel-ca models not yet ported (vector substrate).

Run (see README.md for the source trees):
  DISSMODEL_SRC=... DISSMODEL_CA_SRC=.../src /usr/bin/python3 make_ca.py OUT_DIR

Each case: vector_grid(dimension=(n_cols, n_rows), resolution=1, attrs={"state": 0})
(ids "row-col", row 0 at the bottom, GeoDataFrame rows in COLUMN-MAJOR order),
Environment(start_time=0, end_time=T) (0.6.x: T+1 executions at t = 0..T), the model,
model.initialize() called by the script exactly as DisSModel's examples and smoke test do,
then env.run(). The script logs the state column after every execute() by wrapping the
instance's execute (object.__setattr__; behaviour unchanged).

Unseeded generators: where a model draws from Python's global ``random`` or numpy's legacy
global ``np.random`` without a seed of its own, this script seeds that global generator
right before initialize() (``random.seed(S)`` / ``np.random.seed(S)``) and records S and
the generator in the vector. DisSModel itself does not do this: those models are not
reproducible in DisSModel without it.
"""
from __future__ import annotations

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _dissmodel_env as E  # noqa: E402

E.bootstrap("DISSMODEL_CA_SRC")

import numpy as np  # noqa: E402
from dissmodel.core import Environment  # noqa: E402
from dissmodel.geo import vector_grid  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "."

CA_COMMITS = {
    "anneal": "LambdaGeo/dissmodel examples/models/ca/anneal.py @cd8074b90af13ce88fb3e814e85e9a24e46751b3 (= c0e5bb6^, the copy moved into dissmodel-ca; dissmodel-ca's own file is not in the index)",
    "growth": "LambdaGeo/dissmodel examples/models/ca/growth.py @cd8074b90af13ce88fb3e814e85e9a24e46751b3 (= c0e5bb6^)",
    "propagation": "LambdaGeo/dissmodel examples/models/ca/propagation.py @cd8074b90af13ce88fb3e814e85e9a24e46751b3 (= c0e5bb6^)",
    "snow": "DisSModel/dissmodel-ca src/dissmodel_ca/models/snow.py @9485430a64a0a5f1d154f7c60f776287429430a8",
    "excitable": "DisSModel/dissmodel-ca src/dissmodel_ca/models/excitable.py @3daa8cc85d3f6c81a1dbfa23e09149fc9db5c10e",
    "oscillator": "DisSModel/dissmodel-ca src/dissmodel_ca/models/oscillator.py @a111f89bc3313c12f874f0a3162a846175f4688f",
    "parasit": "DisSModel/dissmodel-ca src/dissmodel_ca/models/parasit.py @4e9e3609b9479d71fc23cf89d21621b8fb05ca9b",
    "parity": "DisSModel/dissmodel-ca src/dissmodel_ca/models/parity.py @4e6c727c123e4bbbb4c21a69058538679ca1215f",
    "interspecific_competition": "DisSModel/dissmodel-ca src/dissmodel_ca/models/interspecific_competition.py @a21d59c2575b1388d7504d6f66e8890b76b000d8 (and @bb2df1dff6e235a6387d16a7208fbbc29f4130a6 for the 'bb2df1d' case)",
    "solid_diffusion": "DisSModel/dissmodel-ca src/dissmodel_ca/models/solid_diffusion.py @a21d59c2575b1388d7504d6f66e8890b76b000d8",
    "wolfram": "DisSModel/dissmodel-ca src/dissmodel_ca/models/wolfram.py @3daa8cc85d3f6c81a1dbfa23e09149fc9db5c10e",
}

CONVENTIONS = (
    "Vector grid from vector_grid(dimension=(n_cols, n_rows), resolution=1): ids 'row-col', row 0 = bottom (south), "
    "cell 'r-c' is the unit square x in [c, c+1], y in [r, r+1]. 'ids' lists the GeoDataFrame row order, which is "
    "COLUMN-MAJOR ('0-0','1-0',...,'{n_rows-1}-0','0-1',...); every state list ('initial', steps[k].state) is in that "
    "order, i.e. state[c*n_rows + r] is cell 'r-c'. Environment(start_time=0, end_time=T): executions at t = 0..T "
    "(T+1 steps); steps[k] = state after the execution at t = steps[k].t. Rules are evaluated with "
    "gdf.index.map(rule) (synchronous, gdf order) unless the model overrides execute."
)


def grid(n_cols, n_rows):
    return vector_grid(dimension=(n_cols, n_rows), resolution=1, attrs={"state": 0})


def run(model_factory, n_cols, n_rows, end_time, seed_global=None, seed_np=None, keep_neighbours=False):
    gdf = grid(n_cols, n_rows)
    env = Environment(start_time=0, end_time=end_time)
    model = model_factory(gdf)
    if seed_global is not None:
        random.seed(seed_global)
    if seed_np is not None:
        np.random.seed(seed_np)
    model.initialize()
    initial = E.nums(model.gdf[model.state_attr].tolist())
    log = []
    orig = model.execute

    def logged():
        orig()
        log.append({"t": E.num(env.now()), "state": E.nums(model.gdf[model.state_attr].tolist())})

    object.__setattr__(model, "execute", logged)
    env.run()
    res = {
        "grid": {"n_cols": n_cols, "n_rows": n_rows, "resolution": 1},
        "environment": {"start_time": 0, "end_time": end_time},
        "ids": list(map(str, model.gdf.index)),
        "initial": initial,
        "steps": log,
        "dtype_after_run": str(model.gdf[model.state_attr].dtype),
    }
    if keep_neighbours and "_neighs" in model.gdf.columns:
        res["neighbours"] = {str(k): list(map(str, v)) for k, v in model.gdf["_neighs"].items()}
    if seed_global is not None:
        res["rng_seeded_by_script"] = {"generator": "python global random (MT19937)", "call": "random.seed(S) before initialize()", "S": seed_global}
    if seed_np is not None:
        res["rng_seeded_by_script"] = {"generator": "numpy legacy global RandomState (MT19937)", "call": "np.random.seed(S) before initialize()", "S": seed_np}
    return res


def py_stream(seed, calls):
    out = {}
    for label, fn in calls.items():
        r = random.Random(seed)
        out[label] = [E.num(fn(r)) for _ in range(64)]
    return out


def write(name, model_doc, cases, notes, rng=None, extra=None):
    obj = {
        "model": model_doc,
        "source": CA_COMMITS[name],
        "provenance": {
            "dissmodel": "DisSModel/dissmodel v0.6.1 (5b924d66ed2ad0690a2771bc026ccfa3787b2dc1)",
            "script": "tests/reference/scripts/make_ca.py",
        },
        "versions": E.versions(),
        "conventions": CONVENTIONS,
        "substrates": "vector only: dissmodel-ca has no raster version of this model",
        "notes": notes,
        "cases": cases,
    }
    if rng:
        obj["rng"] = rng
    if extra:
        obj.update(extra)
    E.write_json(os.path.join(OUT, f"ca_{name}.json"), obj)


def main():
    from dissmodel_ca.models.anneal import Anneal
    from dissmodel_ca.models.growth import Growth
    from dissmodel_ca.models.propagation import Propagation
    from dissmodel_ca.models.snow import Snow
    from dissmodel_ca.models.excitable import Excitable
    from dissmodel_ca.models.oscillator import Oscillator
    from dissmodel_ca.models.parasit import Parasit
    from dissmodel_ca.models.parity import Parity
    from dissmodel_ca.models.interspecific_competition import InterspecificCompetition
    from dissmodel_ca.models import interspecific_competition_bb2df1d as icb
    from dissmodel_ca.models.solid_diffusion import SolidDiffusion
    from dissmodel_ca.models.wolfram import Wolfram

    # --- Anneal -------------------------------------------------------------
    cases = []
    for name, (nc, nr, T, S) in {"12x10_seed1_T12": (12, 10, 12, 1), "7x9_seed2024_T8": (7, 9, 8, 2024)}.items():
        c = run(lambda g: Anneal(gdf=g), nc, nr, T, seed_global=S)
        c["name"] = name
        c["params"] = {}
        cases.append(c)
    write("anneal", "Anneal (Queen): L=0, R=1; c = #Queen neighbours in L + (1 if the cell is L); c<=3 -> R, c==4 -> L, c==5 -> R, c>=6 -> L",
          cases,
          ["initialize() draws random.choice([L, R]) per cell (gdf order) from Python's GLOBAL random, unseeded in DisSModel; "
           "the script seeds it with random.seed(S). choice on a 2-list = _randbelow(2) = getrandbits(1) = top bit of one MT output.",
           "Edge cells have fewer Queen neighbours (no wrap)."],
          rng={"generator": "python random (MT19937), global", "first64_choice_LR": {str(S): py_stream(S, {"choice([0,1])": lambda r: r.choice([0, 1])})["choice([0,1])"] for S in (1, 2024)}})

    # --- Growth ------------------------------------------------------------
    cases = []
    for name, (nc, nr, dim, T, p, S) in {
        "12x10_dim10_p0.15_seed1_T15": (12, 10, 10, 15, 0.15, 1),
        "12x10_dim7_p0.5_seed99_T8": (12, 10, 7, 8, 0.5, 99),
    }.items():
        c = run(lambda g: Growth(gdf=g, dim=dim, probability=p), nc, nr, T, seed_global=S)
        c["name"] = name
        c["params"] = {"probability": p, "dim": dim}
        cases.append(c)
    write("growth", "Growth (Queen): EMPTY=0, ALIVE=1; initialize: all EMPTY, cell f'{dim//2}-{dim//2}' ALIVE; rule: ALIVE stays; EMPTY with >=1 ALIVE Queen neighbour and random.random() < probability -> ALIVE; else EMPTY",
          cases,
          ["rule draws random.random() from Python's GLOBAL random (unseeded in DisSModel; the script calls random.seed(S) before initialize()), "
           "ONLY for EMPTY cells with at least one ALIVE neighbour ('and' short-circuits), in gdf order (column-major), once per such cell per step.",
           "The seed cell is f'{dim//2}-{dim//2}' (row = col = dim//2) whatever the grid shape; dim is a constructor kwarg."],
          rng={"generator": "python random (MT19937), global", "first64_random": {str(S): py_stream(S, {"random()": lambda r: r.random()})["random()"] for S in (1, 99)}})

    # --- Propagation --------------------------------------------------------
    cases = []
    for name, (nc, nr, T, prob, dens, S) in {
        "12x10_defaults_npseed1_T10": (12, 10, 10, 0.1, 0.4, 1),
        "9x7_prob0.5_dens0.1_npseed5_T8": (9, 7, 8, 0.5, 0.1, 5),
    }.items():
        c = run(lambda g: Propagation(gdf=g, prob=prob, initial_density=dens), nc, nr, T, seed_np=S, keep_neighbours=True)
        c["name"] = name
        c["params"] = {"prob": prob, "initial_density": dens}
        cases.append(c)
    write("propagation", "Propagation (KNN k=4): OFF=0, ON=1; initialize: fill(RANDOM_SAMPLE, data={OFF: 1-d, ON: d}, seed=42); rule: ON stays; OFF with any ON KNN neighbour and np.random.rand() < prob -> ON",
          cases,
          ["initialize(): random.seed(42) (global Python random, inside fill) then random.choices([OFF, ON], weights=[1-d, d], k=n) in gdf order: "
           "each draw = bisect(cum_weights, random()*total, 0, 1).",
           "rule: np.random.rand() from numpy's LEGACY global RandomState (unseeded in DisSModel; the script calls np.random.seed(S) before initialize()), "
           "drawn only for OFF cells with an ON neighbour, in gdf order.",
           "KNN(k=4) from libpysal 4.7 (libpysal.weights.KNN.from_dataframe, centroids, KD-tree): border cells get non-orthogonal neighbours and "
           "tie-breaking is the KD-tree's; 'neighbours' lists them per cell as computed here (libpysal >= 4.9 may differ)."],
          rng={"np_legacy_first64_rand": {str(S): E.nums(np.random.RandomState(S).rand(64)) for S in (1, 5)},
               "python_random_seed42_first64_random": py_stream(42, {"random()": lambda r: r.random()})["random()"]})

    # --- Snow ---------------------------------------------------------------
    cases = []
    for name, (nc, nr, dim, T, mend, p, S) in {
        "12x10_dim10_p0.3_modelend25_seed3_T30": (12, 10, 10, 30, 25, 0.3, 3),
        "8x6_dim6_p0.02default_modelendinf_seed11_T20": (8, 6, 6, 20, None, 0.02, 11),
    }.items():
        kw = {"dim": dim, "probability": p}
        if mend is not None:
            kw["end_time"] = mend
        c = run(lambda g: Snow(gdf=g, **kw), nc, nr, T, seed_global=S)
        c["name"] = name
        c["params"] = {"probability": p, "dim": dim, "model_end_time": mend if mend is not None else "inf"}
        cases.append(c)
    write("snow", "Snow (no neighbourhood; execute = gdf.index.map(rule)): y, x = parse_idx(idx) (row, col); top row y == dim-1: SNOW if EMPTY and t < model.end_time - dim and random.random() < p else EMPTY; SNOW cell: stays at y == 0, else EMPTY if cell below (y-1) EMPTY else SNOW; EMPTY cell: SNOW if the cell above (y+1 < dim) is SNOW",
          cases,
          ["random.random() is drawn from Python's GLOBAL random (unseeded in DisSModel; seeded here), only for EMPTY top-row cells while t < model.end_time - dim "
           "('and' short-circuits), in gdf order.",
           "The model's own end_time (constructor kwarg, default inf) gates the snowfall, not the environment's: with the default inf snow never stops.",
           "A SNOW cell in the top row becomes EMPTY (it falls) unless a new flake is drawn — the top-row branch ignores the current state except for the draw.",
           "Falling is computed from the start-of-step column (synchronous), so a column of flakes falls as a block; a flake landing on a flake that moves away in the same step still stops (the rule looks at the old state below)."],
          rng={"generator": "python random (MT19937), global", "first64_random": {str(S): py_stream(S, {"random()": lambda r: r.random()})["random()"] for S in (3, 11)}})

    # --- Excitable ----------------------------------------------------------
    cases = []
    for name, (nc, nr, T) in {"34x18_T14": (34, 18, 14), "31x16_minimal_T10": (31, 16, 10)}.items():
        c = run(lambda g: Excitable(gdf=g), nc, nr, T)
        c["name"] = name
        c["params"] = {}
        cases.append(c)
    write("excitable", "Excitable (Rook): initialize: all 0, '15-20' and '15-30' = 1 (ValueError if missing); rule: 0 -> 1 if any Rook neighbour > 0 else 0; s > 0 -> (s+1) % 6",
          cases, ["Deterministic. Seeds at row 15, columns 20 and 30: the grid needs >= 31 columns x 16 rows."])

    # --- Oscillator ---------------------------------------------------------
    cases = []
    for name, (nc, nr, T, seed) in {"12x10_seed42_T20": (12, 10, 20, 42), "9x11_seed7_T15": (9, 11, 15, 7)}.items():
        c = run(lambda g: Oscillator(gdf=g, seed=seed), nc, nr, T)
        c["name"] = name
        c["params"] = {"seed": seed}
        cases.append(c)
    write("oscillator", "Oscillator (Queen): initialize: random.Random(seed).randint(0, 15) per cell in gdf order; AMOUNT=[0,-1,-2,-2,-3,-2,-2,-1,0,1,2,2,3,2,2,1]; rule: (s + AMOUNT[s] + 1) % 16 if any Queen neighbour == 0 else (s + 1) % 16",
          cases, ["randint(0, 15) = _randbelow(16) = getrandbits(4) = top 4 bits of one MT output (16 is a power of two, so no rejection)."],
          rng={"generator": "python random.Random(seed) (MT19937), private", "first64_randint_0_15": {str(s): py_stream(s, {"x": lambda r: r.randint(0, 15)})["x"] for s in (42, 7)}})

    # --- Parasit ------------------------------------------------------------
    cases = []
    for name, (nc, nr, T, seed) in {"12x10_seed42_T20": (12, 10, 20, 42), "10x8_seed3_T15": (10, 8, 15, 3)}.items():
        c = run(lambda g: Parasit(gdf=g, seed=seed), nc, nr, T)
        c["name"] = name
        c["params"] = {"seed": seed}
        cases.append(c)
    write("parasit", "Parasit (Rook): initialize: random.Random(seed).randint(0, 8) per cell in gdf order; rule: 0 -> 1 if any Rook neighbour == 1 else 0; 1->2->3; 3 -> 4 if any neighbour == 5 else 3; 4->5->6->7->8->0",
          cases, ["randint(0, 8) = _randbelow(9): k = 4 bits, draw getrandbits(4) (top 4 bits of one MT output) until < 9 (rejection consumes outputs)."],
          rng={"generator": "python random.Random(seed) (MT19937), private", "first64_randint_0_8": {str(s): py_stream(s, {"x": lambda r: r.randint(0, 8)})["x"] for s in (42, 3)}})

    # --- Parity -------------------------------------------------------------
    cases = []
    for name, (nc, nr, T) in {"44x28_T16": (44, 28, 16), "41x26_minimal_T12": (41, 26, 12)}.items():
        c = run(lambda g: Parity(gdf=g), nc, nr, T)
        c["name"] = name
        c["params"] = {}
        cases.append(c)
    write("parity", "Parity (Rook): initialize: all OFF, '25-10' and '25-40' ON (ValueError if missing); rule: ON iff the number of ON Rook neighbours is 1 or 3 (the cell itself not counted)",
          cases, ["Deterministic; no torus (TerraME's original wraps). Needs >= 41 columns x 26 rows."])

    # --- InterspecificCompetition -------------------------------------------
    cases = []
    for disp, seed, (nc, nr), T in [("ModelA", 42, (40, 6), 10), ("ModelB", 42, (40, 6), 10), ("ModelC", 42, (40, 6), 10),
                                     ("Random", 42, (12, 10), 10), ("ModelA", 7, (12, 10), 12)]:
        c = run(lambda g: InterspecificCompetition(gdf=g, displacement=disp, seed=seed), nc, nr, T, keep_neighbours=True)
        c["name"] = f"a21d59c_{disp}_seed{seed}_{nc}x{nr}_T{T}"
        c["version"] = "a21d59c (bands by column: _, y = parse_idx(idx) -> y is the COLUMN)"
        c["params"] = {"displacement": disp, "seed": seed}
        cases.append(c)
    c = run(lambda g: icb.InterspecificCompetition(gdf=g, displacement="ModelA", seed=42), 6, 40, 10, keep_neighbours=True)
    c["name"] = "bb2df1d_ModelA_seed42_6x40_T10"
    c["version"] = "bb2df1d (bands by row with the band list reversed: x, _ = parse_idx(idx) -> x is the ROW)"
    c["params"] = {"displacement": "ModelA", "seed": 42}
    cases.append(c)
    write("interspecific_competition",
          "InterspecificCompetition (Rook), species LOLIUM=0 AGROSTIS=1 HOLCUS=2 POA=3 CYNOSURUS=4; bands y <= [7,15,23,31,39]; "
          "ModelA [AGR,HOL,LOL,CYN,POA], ModelB [AGR,LOL,CYN,HOL,POA], ModelC [AGR,HOL,POA,CYN,LOL]; Random: rng.choice(list(Species)) per cell; "
          "rule: counts of neighbour species in order of first appearance among the Rook neighbour values; probs[s] = (count/n)*_PROBS[s][cur]; "
          "probs[cur] += 1 - sum (appended last if cur is not a neighbour species); r = rng.random(); first s in insertion order with r <= cumsum; fallback cur",
          cases,
          ["One private random.Random(seed) for the whole run: the Random layout's choice() draws come first, then ONE rng.random() per cell per step in gdf order (column-major).",
           "The order of the Rook neighbour list decides the insertion order of 'probs' and so the outcome; 'neighbours' gives libpysal 4.7's order per cell for every case (libpysal >= 4.9 may order differently).",
           "QUIRK: for vector_grid's string ids that order changes between Python processes (string hash randomisation inside libpysal), so DisSModel's "
           "seeded runs of this model are not reproducible across processes. This vector was made with PYTHONHASHSEED=0 (see versions); a port should "
           "take 'neighbours' as given or fix its own order and document it.",
           "Two stored versions of the file differ only in initialize(): a21d59c bands along the COLUMN (the 'y' of parse_idx is the column since dissmodel 0.2.1), "
           "bb2df1d bands along the ROW with the band list reversed. Which one is the release is not recorded in the index; both are pinned here.",
           "choice(list(Species)) = _randbelow(5): getrandbits(3) until < 5.",
           "Cells beyond the last threshold (y > 39) take the last band; on small grids only the first bands appear."],
          rng={"generator": "python random.Random(seed) (MT19937), private",
               "first64_random": {str(s): py_stream(s, {"x": lambda r: r.random()})["x"] for s in (42, 7)},
               "first64_choice_5": {"42": py_stream(42, {"x": lambda r: r.choice([0, 1, 2, 3, 4])})["x"]}})

    # --- SolidDiffusion -----------------------------------------------------
    cases = []
    for name, (nc, nr, dim, T, seed) in {"9x9_dim9_seed42_T10": (9, 9, 9, 10, 42),
                                         "12x8_dim8_seed5_T6_nonsquare": (12, 8, 8, 6, 5)}.items():
        c = run(lambda g: SolidDiffusion(gdf=g, dim=dim, seed=seed), nc, nr, T)
        c["name"] = name
        c["params"] = {"seed": seed, "dim": dim}
        cases.append(c)
    sh = {}
    for s in (42, 5):
        r = random.Random(s)
        ids81 = [f"{j}-{i}" for i in range(9) for j in range(9)]
        r.shuffle(ids81)
        sh[str(s)] = ids81
    write("solid_diffusion",
          "SolidDiffusion (own execute, sequential): initialize: x, _ = parse_idx(idx) (x = ROW): row < dim//2 -> ATOM1(0), row > dim//2 -> ATOM2(1), row == dim//2 -> VACANCY(2); "
          "execute: ids = list(gdf.index); rng.shuffle(ids); for idx in ids: if state[idx] is VACANCY: cand = non-vacant among _queen_neighbors(idx, dim); "
          "if cand: chosen = rng.choice(cand); state[idx] = state[chosen]; state[chosen] = VACANCY (in place)",
          cases,
          ["QUIRK (transposed neighbours): _queen_neighbors does x, y = parse_idx(idx) = (row, col) and returns f'{y+dy}-{x+dx}' for dx, dy in -1..1 with "
           "0 <= x+dx < dim and 0 <= y+dy < dim, i.e. the Moore neighbours of the TRANSPOSED cell 'col-row' (which may include the transposed cell itself, "
           "and excludes the cell's real neighbours). Candidate order: dy outer (-1,0,1), dx inner (-1,0,1).",
           "QUIRK (orientation): the docstring says the split is by column, but x is the row, so the vacancy line is the middle ROW.",
           "Updates are in place and sequential: a vacancy filled earlier in the sweep is skipped; a vacancy created at 'chosen' is visited later in the same sweep if it comes later in the shuffled order.",
           "The whole id list (all cells, gdf order) is shuffled every step with rng.shuffle (Fisher-Yates from the end, _randbelow(i+1)), then choice() calls interleave with it in sweep order.",
           "Non-square case: with dim = n_rows < n_cols, cells whose column >= dim never have candidates computed correctly (their transposed neighbours are clipped by dim); it runs without error."],
          rng={"generator": "python random.Random(seed) (MT19937), private",
               "shuffle_of_9x9_ids_gdf_order": sh,
               "first64_random": {str(s): py_stream(s, {"x": lambda r: r.random()})["x"] for s in (42, 5)}})

    # --- Wolfram ------------------------------------------------------------
    cases = []
    for rule_n, final, xdim, T in [(90, 9, 13, 11), (30, 11, 12, 11), (110, 8, 15, 8), (90, 10, None, 10)]:
        nc = xdim if xdim is not None else 2 * final + 1
        c = run(lambda g: Wolfram(gdf=g, rule_number=rule_n, final_time=final, xdim=xdim), nc, final + 1, T)
        c["name"] = f"rule{rule_n}_final{final}_xdim{xdim if xdim is not None else 'default'}_T{T}"
        c["params"] = {"rule_number": rule_n, "final_time": final, "xdim": xdim if xdim is not None else "default (2*final_time+1)"}
        cases.append(c)
    write("wolfram",
          "Wolfram elementary CA on a 2-D grid (own execute): table from format(rule, '08b') over patterns 111,110,101,100,011,010,001,000; "
          "initialize: all 0, '0-{(xdim-1)//2}' = 1 (ValueError if '{final_time}-{xdim-1}' is missing); execute at t: skip if t == 0 or t > final_time; "
          "for x in 0..xdim-1: row t, col x <- table[s(t-1, x-1 mod xdim) s(t-1, x) s(t-1, x+1 mod xdim)]",
          cases,
          ["Horizontal wrap-around (x +- 1 mod xdim); rows are generations, row 0 (bottom) is the seed row; the step at t = 0 does nothing.",
           "Writes row t in place (gdf.loc) while reading row t-1, so in-place order does not matter.",
           "Case 1 runs past final_time (T=11 > 9): executions at t > final_time are no-ops. Even xdim (case 2) puts the seed at (xdim-1)//2 = 5."])


if __name__ == "__main__":
    main()
