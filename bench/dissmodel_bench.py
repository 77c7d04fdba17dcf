"""
DisSModel's side of `npm run bench -- --vs-dissmodel`: its raster Game of Life and inline flood model,
as its own benchmarks define and time them (DisSModel/dissmodel benchmarks/benchmark_game_of_life.py
and benchmarks/benchmark_flood_model.py, v0.6.1: the model classes and initial grids below are copied
from there; only `env.run()` is timed, with perf_counter, as there).

    python3 bench/dissmodel_bench.py SRC MODEL SIZE STEPS   ->  one JSON line {"ms_per_step": ...}

SRC is a DisSModel source tree (the folder holding the `dissmodel` package). Only the raster stack is
imported: the package `dissmodel.geo` is entered without running its __init__, which imports the vector
stack (geopandas, libpysal, rasterstats) that these raster models never use.
"""
import json
import os
import sys
import time
import types

src, model, size, steps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, src)
import numpy as np  # noqa: E402

import dissmodel  # noqa: E402,F401

geo = types.ModuleType("dissmodel.geo")
geo.__path__ = [os.path.join(src, "dissmodel", "geo")]
sys.modules["dissmodel.geo"] = geo

from dissmodel.core import Environment  # noqa: E402
from dissmodel.geo.raster.backend import RasterBackend  # noqa: E402
from dissmodel.geo.raster.cellular_automaton import RasterCellularAutomaton  # noqa: E402
from dissmodel.geo.raster.raster_grid import raster_grid  # noqa: E402
from dissmodel.geo.raster.raster_model import RasterModel  # noqa: E402


class GameOfLifeRaster(RasterCellularAutomaton):
    def rule(self, arrays):
        state = arrays[self.state_attr]
        neighbors = self.backend.focal_sum_mask(state == 1)
        survive = (state == 1) & np.isin(neighbors, [2, 3])
        born = (state == 0) & (neighbors == 3)
        return {self.state_attr: np.where(survive | born, 1, 0).astype(np.int8)}


MAR, SOLO_INUNDADO, AREA_ANTROPIZADA_INUNDADA, MANGUE_INUNDADO, VEG_TERRESTRE_INUNDADA = 3, 6, 7, 9, 10
USOS_INUNDADOS = [MAR, SOLO_INUNDADO, AREA_ANTROPIZADA_INUNDADA, MANGUE_INUNDADO, VEG_TERRESTRE_INUNDADA]
REGRAS_INUNDACAO = {1: MANGUE_INUNDADO, 8: MANGUE_INUNDADO, 2: VEG_TERRESTRE_INUNDADA, 4: AREA_ANTROPIZADA_INUNDADA, 5: SOLO_INUNDADO}
TAXA = 0.011


class FloodRaster(RasterModel):
    def execute(self):
        nivel_mar = self.env.now() * TAXA
        rows, cols = self.shape
        uso_past = self.backend.get("uso").copy()
        alt_past = self.backend.get("alt").copy()
        eh_fonte = np.isin(uso_past, USOS_INUNDADOS) & (alt_past >= 0)
        viz_baixos = np.ones((rows, cols), dtype=float)
        for dr, dc in self.dirs:
            viz_baixos += (self.shift(alt_past, dr, dc) <= alt_past).astype(float)
        fluxo = np.where(eh_fonte, TAXA / viz_baixos, 0.0)
        delta_alt = fluxo.copy()
        uso_novo = uso_past.copy()
        for dr, dc in self.dirs:
            fonte_viz = self.shift(eh_fonte.astype(float), dr, dc) > 0
            delta_alt += np.where(fonte_viz & (alt_past <= self.shift(alt_past, dr, dc)), self.shift(fluxo, dr, dc), 0.0)
            for uso_seco, uso_inund in REGRAS_INUNDACAO.items():
                pode = fonte_viz & (uso_past == uso_seco) & (alt_past <= nivel_mar)
                uso_novo = np.where(pode, uso_inund, uso_novo)
        self.backend.arrays["alt"] = alt_past + delta_alt
        self.backend.arrays["uso"] = uso_novo


def flood_backend(rows, cols, seed=42):
    rng = np.random.default_rng(seed)
    uso = np.full((rows, cols), 2, dtype=np.int16)
    alt = np.zeros((rows, cols), dtype=np.float32)
    c_mar = int(cols * 0.20)
    uso[:, :c_mar] = MAR
    for c in range(cols):
        alt[:, c] = max(0.0, (c - c_mar) * 0.1)
    alt += rng.uniform(0, 0.05, (rows, cols)).astype(np.float32)
    alt[:, :c_mar] = 0.0
    b = RasterBackend(shape=(rows, cols))
    b.set("uso", uso)
    b.set("alt", alt)
    return b


env = Environment(start_time=1, end_time=steps)
if model == "game_of_life":
    state = (np.random.default_rng(42).random((size, size)) < 0.3).astype(np.int8)
    GameOfLifeRaster(backend=raster_grid(rows=size, cols=size, attrs={"state": state}))
elif model == "flood_benchmark":
    FloodRaster(backend=flood_backend(size, size))
else:
    print(json.dumps({"skipped": f"{model} is not in DisSModel's core tree (dissmodel-ca / brmangue hold it)"}))
    sys.exit(0)
t0 = time.perf_counter()
env.run()
print(json.dumps({"ms_per_step": (time.perf_counter() - t0) / steps * 1000}))
