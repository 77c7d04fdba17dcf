"""
DisSModel's side of `npm run bench -- --vs-dissmodel`: its raster Game of Life and inline flood model,
run and timed by DisSModel's own benchmark modules (benchmarks/benchmark_game_of_life.py and
benchmarks/benchmark_flood_model.py of the DisSModel source tree, v0.6.1), imported from SRC, so the
model code measured is DisSModel's, not a copy. Their `run_raster` times `env.run()` with
perf_counter and reports milliseconds per step.

    python3 bench/dissmodel_bench.py SRC MODEL SIZE STEPS   ->  one JSON line {"ms_per_step": ...}

SRC is a DisSModel source tree (the folder holding `dissmodel` and `benchmarks`). The benchmark
modules import geopandas, pandas and libpysal (Debian: python3-geopandas, python3-libpysal).
`dissmodel.geo`'s __init__ imports `rasterstats` for the vector fill, which the raster runs never
call; when it is not installed (it is not in Debian) a placeholder that raises on use stands in.
"""
import importlib.util
import json
import os
import sys
import types

src, model, size, steps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, src)

try:
    import rasterstats  # noqa: F401
except ImportError:
    placeholder = types.ModuleType("rasterstats")

    def _unavailable(*_args, **_kwargs):
        raise RuntimeError("rasterstats is not installed: the vector fill is not available in this bench")

    placeholder.zonal_stats = _unavailable
    placeholder.point_query = _unavailable
    sys.modules["rasterstats"] = placeholder

BENCHMARKS = {
    "game_of_life": ("benchmark_game_of_life.py", lambda m: m.run_raster(size, size, steps).per_step_ms),
    "flood_benchmark": ("benchmark_flood_model.py", lambda m: m.run_raster(size, steps).ms_per_step),
}
if model not in BENCHMARKS:
    print(json.dumps({"skipped": f"{model} is not in DisSModel's core benchmarks (dissmodel-ca / brmangue hold it)"}))
    sys.exit(0)

file, run = BENCHMARKS[model]
path = os.path.join(src, "benchmarks", file)
spec = importlib.util.spec_from_file_location(f"dissmodel_benchmark_{model}", path)
module = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = module  # its dataclasses look their module up
spec.loader.exec_module(module)
print(json.dumps({"ms_per_step": run(module)}))
