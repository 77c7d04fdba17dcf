"""BR-MANGUE (FloodModel then MangroveModel) on a coastal crop of the Ilha do Maranhão grid,
vector substrate (DisSModel's own vector models) and raster substrate (its raster models).

Run (see README.md for the source trees):
  DISSMODEL_SRC=... BRMANGUE_SRC=.../src /usr/bin/python3 make_brmangue.py OUT_DIR SAMPLE_TIF

OUT_DIR is tests/reference; SAMPLE_TIF is public/samples/ilha_maranhao_epsg31983.tif.
Writes OUT_DIR/inputs/ilha_crop_r18_c309_30x45.{geojson,tif} (the crop, as square polygons
and as a 3-band int16 GeoTIFF) and the vectors brmangue_vector_ilha_crop*.json and
brmangue_raster_ilha_crop.json.

Both runs are built exactly as brmangue's executors build them: the input is read with
DisSModel's own load_dataset (vector: geopandas.read_file -> RangeIndex 0..n-1 in feature
order; raster: band_spec TIFF_BANDS -> uso int16, alt float32, solo int16), then
Environment(start_time=1, end_time=40), FloodModel then MangroveModel on the same data,
env.run(). The script wraps the instances' execute (object.__setattr__, behaviour
unchanged) to snapshot the state after each step, and, for the vector FloodModel, to
rebuild the model's source set exactly as the model does (same expression, same data,
right before its execute) so the iteration order of that Python set is recorded.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _dissmodel_env as E  # noqa: E402

E.bootstrap("BRMANGUE_SRC")

import numpy as np  # noqa: E402
import rasterio  # noqa: E402
from rasterio.windows import Window  # noqa: E402

from dissmodel.core import Environment  # noqa: E402
from dissmodel.io import load_dataset  # noqa: E402

from brmangue.common.constants import TIFF_BANDS, USOS_INUNDADOS  # noqa: E402

OUT = sys.argv[1]
SAMPLE = sys.argv[2]
NROWS, NCOLS = 30, 45
END_TIME = 40
TIDE = 6.0
# (crop row offset, col offset, taxa_elevacao, vector file, raster file, vector checkpoints)
CASES = [
    (151, 52, 0.011, "brmangue_vector_ilha_crop.json", "brmangue_raster_ilha_crop.json", [1, 2, 3, 4, 5, 10, 15, 20, 25, 30, 35, 40]),
    (151, 52, 0.5, "brmangue_vector_ilha_crop_taxa0.5.json", "brmangue_raster_ilha_crop_taxa0.5.json", [1, 2, 5, 10, 15, 20, 25, 30, 35, 40]),
]
RASTER_CHECKPOINTS = [1, 5, 10, 20, 30, 40]
# steps whose full source order is stored (every step gets its sha256): steps 1-3, and the checkpoints up to ORDER_MAX_STEP
ORDER_STEPS = {1, 2, 3}
ORDER_MAX_STEP = {0.011: 40, 0.5: 10}  # the taxa-0.5 orders grow to 1,200 ids: kept small (the file stays < 300 KB)


def stem(row0, col0):
    return f"ilha_crop_r{row0}_c{col0}_{NROWS}x{NCOLS}"

SOURCES = {
    "dissmodel": "DisSModel/dissmodel v0.6.1 (5b924d66ed2ad0690a2771bc026ccfa3787b2dc1)",
    "brmangue_constants": "DisSModel/brmangue-dissmodel src/brmangue/common/constants.py @d7796f4ebfc75b65b0f8996a54fd774994152280",
    "vector_flood": "DisSModel/brmangue-dissmodel src/brmangue/models/vector/flood_model.py @311daf786b64418486922170c7c4f5e4bf16b2d3",
    "vector_mangrove": "DisSModel/brmangue-dissmodel src/brmangue/models/vector/mangrove_model.py @311daf786b64418486922170c7c4f5e4bf16b2d3",
    "raster_flood": "DisSModel/brmangue-dissmodel src/brmangue/models/raster/flood_model.py @5e20e02e96c5264ae279266b35a37ee3ac4a2c3e",
    "raster_mangrove": "DisSModel/brmangue-dissmodel src/brmangue/models/raster/mangrove_model.py @02f17b234c2fb082b232c845bc39f7582dabdd5f",
    "script": "tests/reference/scripts/make_brmangue.py",
}


def sha(arr, dtype):
    return hashlib.sha256(np.ascontiguousarray(np.asarray(arr, dtype=dtype)).astype(np.dtype(dtype).newbyteorder("<")).tobytes()).hexdigest()


def counts(a):
    v, c = np.unique(np.asarray(a), return_counts=True)
    return {str(int(k)): int(n) for k, n in zip(v, c)}


def write_inputs(ROW0, COL0):
    STEM = stem(ROW0, COL0)
    os.makedirs(os.path.join(OUT, "inputs"), exist_ok=True)
    with rasterio.open(SAMPLE) as ds:
        win = Window(COL0, ROW0, NCOLS, NROWS)
        data = ds.read(window=win)
        tr = ds.window_transform(win)
        crs = ds.crs
        epsg = crs.to_epsg()
        profile = ds.profile.copy()
        names = [ds.tags(i).get("name", f"band_{i}") for i in (1, 2, 3)]
    assert names == ["uso", "alt", "solo"], names
    uso, alt, solo = (data[i].astype(np.int64) for i in range(3))
    # GeoTIFF crop: same dtype (int16), CRS, pixel size, band 'name' tags as the sample
    profile.update(width=NCOLS, height=NROWS, transform=tr, compress="deflate", blockxsize=None, blockysize=None, tiled=False)
    profile.pop("blockxsize"); profile.pop("blockysize")
    tif = os.path.join(OUT, "inputs", STEM + ".tif")
    with rasterio.open(tif, "w", **profile) as dst:
        dst.write(data)
        for i, n in enumerate(names, start=1):
            dst.update_tags(i, name=n)
            dst.set_band_description(i, n)
    # GeoJSON: one square polygon per cell, row-major (row 0 = top row of the crop), ring as shapely box()
    feats = []
    for r in range(NROWS):
        for c in range(NCOLS):
            # corners from the crop's affine transform, rounded to 1 mm (keeps the file small; neighbouring
            # cells compute the same rounded value for a shared corner, so polygons still touch exactly)
            x0, y0 = (round(v, 3) for v in tr * (c, r))          # top-left corner of the cell
            x1, y1 = (round(v, 3) for v in tr * (c + 1, r + 1))  # bottom-right corner
            xmin, xmax, ymin, ymax = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
            ring = [[xmax, ymin], [xmax, ymax], [xmin, ymax], [xmin, ymin], [xmax, ymin]]
            feats.append({
                "type": "Feature",
                "properties": {"id": r * NCOLS + c, "row": r, "col": c, "uso": int(uso[r, c]), "alt": float(alt[r, c]), "solo": int(solo[r, c])},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            })
    fc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}, "features": feats}
    gj = os.path.join(OUT, "inputs", STEM + ".geojson")
    with open(gj, "w") as fh:
        fh.write('{\n"type": "FeatureCollection",\n"crs": ' + json.dumps(fc["crs"]) + ',\n"features": [\n')
        fh.write(",\n".join(json.dumps(f, separators=(",", ":")) for f in feats))
        fh.write("\n]\n}\n")
    print("wrote", tif, "and", gj)
    return tif, gj, {"uso": uso, "alt": alt, "solo": solo}, tr, epsg


def run_vector(gj, taxa):
    from brmangue.models.vector.flood_model import FloodModel
    from brmangue.models.vector.mangrove_model import MangroveModel

    gdf, checksum = load_dataset(gj)
    dtypes_in = {k: str(gdf[k].dtype) for k in ("uso", "alt", "solo")}
    env = Environment(start_time=1, end_time=END_TIME)
    flood = FloodModel(gdf=gdf, taxa_elevacao=taxa)
    mangrove = MangroveModel(gdf=gdf, taxa_elevacao=taxa, altura_mare=TIDE, acrecao_ativa=False)
    steps, orders = [], []
    f_exec, m_exec = flood.execute, mangrove.execute

    def flood_logged():
        uso_past = flood.gdf["uso_past"]
        alt_past = flood.gdf["alt_past"]
        fontes = set(uso_past.index[uso_past.isin(USOS_INUNDADOS) & (alt_past >= 0)])  # the model's expression
        orders.append([int(i) for i in fontes])
        f_exec()

    def mangrove_logged():
        m_exec()
        g = mangrove.gdf
        steps.append({
            "t": E.num(env.now()),
            "uso": [int(v) for v in g["uso"]],
            "alt": [float(v) for v in g["alt"]],
            "solo": [int(v) for v in g["solo"]],
            "metrics": {"flooded_cells": flood.flooded_cells, "newly_flooded": flood.newly_flooded,
                        "current_sea_level": E.num(flood.current_sea_level),
                        "mangrove_migrated": mangrove.mangrove_migrated, "soil_migrated": mangrove.soil_migrated},
            "dtypes": {k: str(g[k].dtype) for k in ("uso", "alt", "solo")},
        })

    object.__setattr__(flood, "execute", flood_logged)
    object.__setattr__(mangrove, "execute", mangrove_logged)
    neighbours = {int(k): [int(x) for x in v] for k, v in gdf["_neighs"].items()}
    env.run()
    series = {label: E.nums(info["data"]) for label, info in env._plot_metadata.items()}
    return steps, orders, neighbours, dtypes_in, checksum, series


def run_raster(tif, taxa):
    from brmangue.models.raster.flood_model import FloodModel
    from brmangue.models.raster.mangrove_model import MangroveModel

    (backend, meta), checksum = load_dataset(tif, fmt="raster", band_spec=TIFF_BANDS)
    dtypes_in = {k: str(backend.arrays[k].dtype) for k in ("uso", "alt", "solo")}
    env = Environment(start_time=1, end_time=END_TIME)
    flood = FloodModel(backend=backend, taxa_elevacao=taxa)
    mangrove = MangroveModel(backend=backend, taxa_elevacao=taxa, altura_mare=TIDE, acrecao_ativa=False)
    steps = []
    m_exec = mangrove.execute

    def mangrove_logged():
        m_exec()
        a = backend.arrays
        steps.append({
            "t": E.num(env.now()),
            "uso": a["uso"].copy(), "alt": a["alt"].copy(), "solo": a["solo"].copy(),
            "metrics": {"flooded_cells": flood.flooded_cells, "newly_flooded": flood.newly_flooded,
                        "current_sea_level": E.num(flood.current_sea_level),
                        "mangrove_migrated": mangrove.mangrove_migrated, "soil_migrated": mangrove.soil_migrated},
            "dtypes": {k: str(a[k].dtype) for k in ("uso", "alt", "solo")},
        })

    object.__setattr__(mangrove, "execute", mangrove_logged)
    env.run()
    return steps, dtypes_in, checksum


def main():
    n = NROWS * NCOLS
    common_params = {"altura_mare": TIDE, "acrecao_ativa": False, "start_time": 1, "end_time": END_TIME,
                     "attr_uso": "uso", "attr_alt": "alt", "attr_solo": "solo"}
    written = {}
    for ROW0, COL0, taxa, fname, rname, CHECKPOINTS in CASES:
        STEM = stem(ROW0, COL0)
        if STEM not in written:
            written[STEM] = write_inputs(ROW0, COL0)
        tif, gj, init, tr, epsg = written[STEM]
        name = f"taxa{taxa}"
        vsteps, orders, neighbours, vdt, vsum, series = run_vector(gj, taxa)
        rsteps, rdt, rsum = run_raster(tif, taxa)
        per_step, compare = [], []
        for k, (vs, rs) in enumerate(zip(vsteps, rsteps)):
            va = np.array(vs["alt"], dtype=np.float64)
            ra = rs["alt"].astype(np.float64).reshape(-1)
            vu = np.array(vs["uso"]); ru = rs["uso"].reshape(-1)
            vso = np.array(vs["solo"]); rso = rs["solo"].reshape(-1)
            per_step.append({
                "t": vs["t"], "metrics": vs["metrics"],
                "sources_count": len(orders[k]),
                "sources_order_sha256_i64le": sha(orders[k], "<i8"),
                **({"sources_in_set_order": orders[k]}
                   if (vs["t"] in ORDER_STEPS or (vs["t"] in CHECKPOINTS and vs["t"] <= ORDER_MAX_STEP[taxa])) else {}),
                "alt_sum": float(va.sum()), "alt_sha256_f64le": sha(va, "<f8"),
                "uso_counts": counts(vu), "solo_counts": counts(vso),
                "alt_changed_cells": int((va != (np.array(vsteps[k - 1]["alt"]) if k else init["alt"].reshape(-1).astype(float))).sum()),
            })
            d = np.abs(va - ra)
            compare.append({"t": vs["t"], "uso_cells_differ": int((vu != ru).sum()), "solo_cells_differ": int((vso != rso).sum()),
                            "alt_cells_differ": int((va != ra).sum()), "alt_max_abs_diff": float(d.max())})
        vec = {
            "model": "brmangue vector FloodModel then MangroveModel (SyncSpatialModel, libpysal Queen) on one GeoDataFrame",
            "sources": SOURCES,
            "versions": E.versions(),
            "input": {
                "file": f"inputs/{STEM}.geojson", "sha256": vsum,
                "crop_of": "public/samples/ilha_maranhao_epsg31983.tif (bands by position: 1 uso, 2 alt, 3 solo; int16)",
                "window": {"row_off": ROW0, "col_off": COL0, "height": NROWS, "width": NCOLS},
                "crs": f"EPSG:{epsg}", "transform": [tr.a, tr.b, tr.c, tr.d, tr.e, tr.f],
                "feature_order": "row-major over the crop: feature k = row k // 45, col k % 45, row 0 = top (north) row; read_file gives index k (RangeIndex)",
                "columns_after_read_file": vdt,
            },
            "parameters": {"taxa_elevacao": taxa, **common_params},
            "semantics": (
                "Environment(start_time=1, end_time=40): 40 steps at t = 1..40. Per step FloodModel (registered first; its pre_execute "
                "copies uso/alt/solo -> *_past on the first step only; its post_execute does nothing) then MangroveModel (pre_execute "
                "snapshots only if uso_past is missing; post_execute = synchronize() after every step). Both read the same start-of-step "
                "*_past. Flood: nivel = t*taxa; fontes = set(index[uso_past in {3,6,7,9,10} & alt_past >= 0]); alt_nova = alt_past.copy(); "
                "for idx in fontes (PYTHON SET ORDER, see steps[].sources_in_set_order): low = 1 + #{n in Queen(idx): alt_past[n] <= alt_past[idx]}; "
                "f = taxa/low; alt_nova[idx] += f; for n in Queen(idx) with alt_past[n] <= alt_past[idx]: alt_nova[n] += f. "
                "Flooding: for every feature with uso_past in {1:9, 8:9, 2:10, 4:7, 5:6} and alt_past <= nivel and any Queen neighbour in "
                "fontes: uso = the flooded code. Mangrove: soil and land-use migration from *_past onto the current columns (see spec 6.3); "
                "accretion off."
            ),
            "initial": {"uso": [int(v) for v in init["uso"].reshape(-1)], "alt": [float(v) for v in init["alt"].reshape(-1)],
                        "solo": [int(v) for v in init["solo"].reshape(-1)]},
            "checkpoints": {str(s["t"]): {"uso": s["uso"], "alt": s["alt"], "solo": s["solo"]} for s in vsteps if s["t"] in CHECKPOINTS},
            "steps": per_step,
            "series": series,
            "raster_vs_vector": compare,
            "queen_neighbours_sample": {str(k): neighbours[k] for k in (0, 1, 44, 45, 46, n - 1)},
            "notes": [
                "Sources are visited in the iteration order of a Python set of ints built from the ascending feature indices "
                "(set(Index[...])): CPython puts int i in slot i mod table_size (linear probing + perturbation on collisions); the table "
                "grows x4 when 3/5 full, so 77..307 sources live in 512 slots (order wraps: 1029..1034, 525, 526, ...) and 308..1231 in "
                "2048 slots (ascending here). steps[].sources_in_set_order gives it at the checkpoints and steps 1-3; every step has its sha256.",
                "Each source's flux is added straight onto alt (alt_nova[idx] += f, then each lower-or-equal neighbour += f), so a cell's "
                "additions happen in source order: float64 rounding depends on it. With taxa 0.5 the ascending order already diverges at "
                "step 2 (scripts/check_brmangue_replay.py); with 0.011 on this crop it happens to give the same bits.",
                "Queen neighbours from the polygons (libpysal 4.7, ids = feature index) = Moore on this grid; their order does not matter "
                "(each target gets one addition per source).",
                "Every sea cell (uso 3) has alt >= 0 here (sea alt 0..47 m in the sample), so all are sources. alt is integer-valued at the start: "
                "many <= ties, which later flip on last-bit differences.",
                "The only valid cell of the whole sample with solo 0 (CANAL_FLUVIAL, a soil-migration source) is at crop row 11, col 32 (uso 1, alt 2): "
                "it turns two neighbours' solo to 9 at step 1, then mangrove (uso 1) migrates onto them (uso 8) from step 2.",
                "read_file gives uso/solo int64 and alt float64 (the GeoJSON writes alt as 2.0, a Real); the vector state stays int64/float64.",
                "The GeoJSON polygons' corners are the crop's pixel corners rounded to 1 mm (the GeoTIFF keeps the exact transform); shared "
                "corners are bit-identical, so Queen adjacency is exact.",
                "raster_vs_vector: DisSModel's raster model on the same crop (GeoTIFF, alt float32 -> float64) sums the fluxes per direction "
                "(delta = own flux + sum over DIRS_MOORE of neighbour fluxes, then alt_past + delta): alt differs from the vector model in the "
                "last bits from step 1, then by up to 0.02 m (taxa 0.011) / 1.28 m (taxa 0.5) as <= ties flip; uso differs in 1-3 cells with taxa 0.5.",
            ],
        }
        E.write_json(os.path.join(OUT, fname), vec)
        rcase = {
            "name": name, "parameters": {"taxa_elevacao": taxa, **{k: v for k, v in common_params.items() if not k.startswith("attr_")}},
            "input": {"file": f"inputs/{STEM}.tif", "sha256": rsum, "arrays_after_load": rdt},
            "checkpoints": {str(s["t"]): {"uso": s["uso"].tolist(), "alt": [float(v) for v in s["alt"].reshape(-1)], "solo": s["solo"].tolist()}
                            for s in rsteps if s["t"] in RASTER_CHECKPOINTS},
            "steps": [{"t": s["t"], "metrics": s["metrics"], "dtypes": s["dtypes"],
                       "alt_sum": float(s["alt"].astype(np.float64).sum()), "alt_sha256_f64le": sha(s["alt"].astype(np.float64).reshape(-1), "<f8"),
                       "uso_counts": counts(s["uso"]), "solo_counts": counts(s["solo"])} for s in rsteps],
        }
        raster = {
            "model": "brmangue raster FloodModel then MangroveModel (SyncRasterModel) on one RasterBackend, as brmangue_raster runs it on a GeoTIFF (no mask band: every cell valid)",
            "sources": SOURCES, "versions": E.versions(),
            "conventions": "uso/solo: grid[r][c] (row 0 = top row of the crop); alt: flat row-major list (= the vector file's feature order), float64 after step 1 (float32 at load); alt_sha256_f64le over the float64 values in that order",
            "window": {"row_off": ROW0, "col_off": COL0, "height": NROWS, "width": NCOLS},
            "vector_counterpart": fname,
            **rcase,
        }
        E.write_json(os.path.join(OUT, rname), raster)


if __name__ == "__main__":
    main()
