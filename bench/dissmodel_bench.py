"""
DisSModel's side of `npm run bench -- --vs-dissmodel` (bench/grid-bench.ts, bench/cli-bench.ts).
Nothing of DisSModel is copied here: its code is imported from the source trees given.

Grid rows -- one JSON line, {"ms_per_step": ...} or {"skipped": "<reason>"}:

    python3 bench/dissmodel_bench.py SRC MODEL SIZE STEPS [INPUT_TIF]

  game_of_life, flood_benchmark: DisSModel's own benchmark modules (benchmarks/benchmark_game_of_life.py,
    benchmarks/benchmark_flood_model.py of the DisSModel tree SRC, v0.6.1) on their own random grids of that
    size; their `run_raster` times `env.run()` with perf_counter and reports milliseconds per step.
  forest_fire: dissmodel-ca's raster FireModel (`dissmodel_ca.models.fire_model_raster`, from the tree in
    DISSMODEL_CA_SRC) on INPUT_TIF, the bench's own synthetic grid (bench/synthetic.ts, the bytes our row runs).
  brmangue: brmangue-dissmodel's raster FloodModel then MangroveModel (`brmangue.models.raster.*`, from the
    tree in DISSMODEL_BRMANGUE_SRC) on INPUT_TIF, built as its raster executor's run() builds them:
    load_dataset(fmt="raster", band_spec=TIFF_BANDS), Environment(start_time=1, end_time=STEPS), sea-level
    rise 0.011 (our default, what the synthetic coast is scaled for), tide 6.0, accretion off.
  Both time `env.run()` with perf_counter, as DisSModel's benchmarks do; loading is not timed.

DisSModel's CLI -- the whole process is timed by the caller:

    python3 bench/dissmodel_bench.py --cli SRC BRMANGUE_SRC run --input FILE --param ... --output OUT

  runs brmangue-dissmodel's raster executor module (brmangue/executors/raster_executor.py) as __main__,
  i.e. `run_cli(BrmangueRasterExecutor)`, DisSModel's own command line, with the arguments after BRMANGUE_SRC.
  When it cannot start (a module missing), it prints {"skipped": "<reason>"} as its last line and exits 3.

Trees: SRC holds `dissmodel/`; DISSMODEL_CA_SRC and DISSMODEL_BRMANGUE_SRC are a repository or its `src/`.
DISSMODEL_PYTHONPATH (folders separated by ':') is put first on sys.path: e.g. a folder with pydantic >= 2
and pydantic-settings, which DisSModel's executor needs and Debian 12 does not package.

Stubbed, because it is off the measured path: `rasterstats`. `dissmodel.geo`'s __init__ imports it for the
vector zonal-statistics fill, which no raster run here calls; when it is not installed (it is not in Debian)
a placeholder that raises on use stands in. Nothing else is stubbed: a missing module makes the row say
'skipped: <reason>' instead.
"""
import importlib.util
import json
import os
import sys
import time
import types
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("MPLBACKEND", "Agg")


def tree(path, package):
    """A repository or its src/: the folder that holds `package`."""
    if not path:
        return None
    for candidate in (path, os.path.join(path, "src")):
        if os.path.isdir(os.path.join(candidate, package)):
            return candidate
    return None


def prepare(*paths):
    extra = [p for p in os.environ.get("DISSMODEL_PYTHONPATH", "").split(":") if p]
    for p in reversed(extra + [p for p in paths if p]):
        if p not in sys.path:
            sys.path.insert(0, p)
    try:
        import rasterstats  # noqa: F401
    except ImportError:
        placeholder = types.ModuleType("rasterstats")

        def _unavailable(*_args, **_kwargs):
            raise RuntimeError("rasterstats is not installed: the vector fill is not available in this bench")

        placeholder.zonal_stats = _unavailable
        placeholder.point_query = _unavailable
        sys.modules["rasterstats"] = placeholder


def reason(e):
    return f"{type(e).__name__}: {e}".splitlines()[0]


def core_benchmark(src, model, size, steps):
    file, run = {
        "game_of_life": ("benchmark_game_of_life.py", lambda m: m.run_raster(size, size, steps).per_step_ms),
        "flood_benchmark": ("benchmark_flood_model.py", lambda m: m.run_raster(size, steps).ms_per_step),
    }[model]
    path = os.path.join(src, "benchmarks", file)
    if not os.path.isfile(path):
        return {"skipped": f"{path} not found (DISSMODEL_SRC must be a DisSModel source tree with benchmarks/)"}
    spec = importlib.util.spec_from_file_location(f"dissmodel_benchmark_{model}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return {"ms_per_step": run(module)}


def timed(env, steps):
    t0 = time.perf_counter()
    env.run()
    return {"ms_per_step": (time.perf_counter() - t0) * 1000 / steps}


def forest_fire(tif, steps):
    from dissmodel.core import Environment
    from dissmodel.io import load_dataset
    from dissmodel_ca.models.fire_model_raster import FireModel

    (backend, _meta), _sha = load_dataset(tif, fmt="raster", band_spec=[("state", "int8", -1)])
    env = Environment(start_time=1, end_time=steps)
    FireModel(backend=backend)
    return timed(env, steps)


def brmangue(tif, steps):
    from dissmodel.core import Environment
    from dissmodel.io import load_dataset
    from brmangue.common.constants import TIFF_BANDS
    from brmangue.models.raster.flood_model import FloodModel
    from brmangue.models.raster.mangrove_model import MangroveModel

    (backend, _meta), _sha = load_dataset(tif, fmt="raster", band_spec=TIFF_BANDS)
    env = Environment(start_time=1, end_time=steps)
    FloodModel(backend=backend, taxa_elevacao=0.011)
    MangroveModel(backend=backend, taxa_elevacao=0.011, altura_mare=6.0, acrecao_ativa=False)
    return timed(env, steps)


def grid(argv):
    src, model, size, steps = argv[0], argv[1], int(argv[2]), int(argv[3])
    tif = argv[4] if len(argv) > 4 else None
    if model in ("game_of_life", "flood_benchmark"):
        prepare(src)
        return core_benchmark(src, model, size, steps)
    if model not in ("forest_fire", "brmangue"):
        return {"skipped": f"no DisSModel counterpart for {model}"}
    var, package = {
        "forest_fire": ("DISSMODEL_CA_SRC", "dissmodel_ca"),
        "brmangue": ("DISSMODEL_BRMANGUE_SRC", "brmangue"),
    }[model]
    where = tree(os.environ.get(var), package)
    if where is None:
        return {"skipped": f"set {var} to a {package.replace('_', '-')} source tree (the folder holding {package}/, or its parent)"}
    if not tif:
        return {"skipped": "no input GeoTIFF given"}
    prepare(src, where)
    return (forest_fire if model == "forest_fire" else brmangue)(tif, steps)


def cli(argv):
    src, brmangue_src, args = argv[0], argv[1], argv[2:]
    where = tree(brmangue_src, "brmangue")
    if where is None:
        print(json.dumps({"skipped": f"{brmangue_src} holds no brmangue/ package"}))
        sys.exit(3)
    script = os.path.join(where, "brmangue", "executors", "raster_executor.py")
    if not os.path.isfile(script):
        print(json.dumps({"skipped": f"{script} not found"}))
        sys.exit(3)
    prepare(src, where)
    sys.argv = [script] + args
    code = compile(open(script, encoding="utf-8").read(), script, "exec")
    try:
        exec(code, {"__name__": "__main__", "__file__": script})
    except ImportError as e:  # a module DisSModel needs is missing: a skipped row, not a crash
        print(json.dumps({"skipped": f"DisSModel's CLI cannot start: {reason(e)}"}))
        sys.exit(3)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--cli"]:
        cli(sys.argv[2:])
    else:
        try:
            out = grid(sys.argv[1:])
        except BaseException as e:  # noqa: BLE001 -- any failure of DisSModel's side is a skipped row
            out = {"skipped": reason(e)}
        print(json.dumps(out))
