"""Shared bootstrap for the reference-vector scripts (not DisSModel code).

Puts DisSModel 0.6.1 and its model packages on sys.path from environment
variables and stubs the one import that Debian cannot provide:

* ``rasterstats`` -- imported at module level by ``dissmodel/geo/vector/fill.py``
  but used only by the ``ZONAL_STATS`` fill strategy, which none of the
  reference runs uses. The stub raises if it is ever called.

fixes the string hash seed:

* ``PYTHONHASHSEED=0`` -- libpysal builds Queen/Rook neighbour lists through hashed
  containers, so for the string ids of ``vector_grid`` ("row-col") the ORDER of each
  neighbour list changes from one Python process to the next (hash randomisation).
  Models that pick or accumulate in neighbour order (InterspecificCompetition, the Barros
  model) are therefore not reproducible across processes in DisSModel, even with their
  seeds. ``bootstrap()`` re-executes the script with PYTHONHASHSEED=0 when it is not set
  to 0, and the vectors record the neighbour lists they ran with.

and adapts one call that Debian's libpysal 4.7 does not understand:

* ``use_index=True`` -- DisSModel calls ``Queen/Rook/KNN.from_dataframe(gdf,
  use_index=True)`` (libpysal >= 4.9: "use the GeoDataFrame index as the ids").
  libpysal 4.7 has no such keyword (TypeError). ``patch_libpysal()`` wraps
  ``from_dataframe`` of Queen, Rook and KNN: it drops ``use_index`` and, when it
  was true and no ``ids`` were given, passes ``ids=df.index.tolist()`` -- the
  meaning the keyword has in libpysal >= 4.9. The neighbour sets are the
  libpysal 4.7 ones; their ORDER is recorded in the vectors where it matters.

Environment variables (each points at a source tree, see README.md):
  DISSMODEL_SRC         work tree of DisSModel/dissmodel (the folder holding ``dissmodel/``)
  DISSMODEL_SYSDYN_SRC  ``src/`` of DisSModel/dissmodel-sysdyn
  DISSMODEL_CA_SRC      ``src/`` of DisSModel/dissmodel-ca
  DISSMODEL_ABM_SRC     ``src/`` of DisSModel/dissmodel-abm
  BRMANGUE_SRC          ``src/`` of DisSModel/brmangue-dissmodel
"""
from __future__ import annotations

import json
import math
import os
import random
import sys
import types
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("MPLBACKEND", "Agg")


def _add(var: str, required: bool = True) -> None:
    path = os.environ.get(var)
    if not path:
        if required:
            sys.exit(f"set {var} (see tests/reference/scripts/README.md)")
        return
    if not os.path.isdir(path):
        sys.exit(f"{var}={path} is not a directory")
    if path not in sys.path:
        sys.path.insert(0, path)


def _stub_rasterstats() -> None:
    if "rasterstats" in sys.modules:
        return
    try:
        import rasterstats  # noqa: F401
        return
    except ImportError:
        pass
    mod = types.ModuleType("rasterstats")

    def zonal_stats(*_a, **_k):  # pragma: no cover - never called by the vectors
        raise RuntimeError("rasterstats is stubbed by the reference scripts")

    mod.zonal_stats = zonal_stats
    sys.modules["rasterstats"] = mod


def patch_libpysal() -> None:
    from libpysal.weights import KNN, Queen, Rook

    for cls in (Queen, Rook, KNN):
        if getattr(cls.from_dataframe, "_refs_patched", False):
            continue
        orig = cls.from_dataframe.__func__

        def from_dataframe(klass, df, *args, _orig=orig, **kwargs):
            use_index = kwargs.pop("use_index", None)
            if use_index and kwargs.get("ids") is None:
                kwargs["ids"] = df.index.tolist()
            return _orig(klass, df, *args, **kwargs)

        from_dataframe._refs_patched = True
        cls.from_dataframe = classmethod(from_dataframe)


def _fix_hash_seed() -> None:
    if os.environ.get("PYTHONHASHSEED") != "0":
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


def bootstrap(*extra: str) -> None:
    _fix_hash_seed()
    _add("DISSMODEL_SRC")
    for var in extra:
        _add(var)
    _stub_rasterstats()
    patch_libpysal()


def num(x):
    """A JSON-ready number: ints stay ints, floats keep shortest round-trip repr;
    non-finite floats become the strings "inf", "-inf", "nan"."""
    import numpy as np

    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    f = float(x)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f


def nums(xs):
    return [num(x) for x in xs]


def write_json(path: str, obj) -> None:
    # json.dumps writes floats with repr() = shortest round-trip decimal
    text = json.dumps(obj, indent=None, separators=(",", ":"), allow_nan=False)
    with open(path, "w") as fh:
        fh.write(text + "\n")
    print(f"wrote {path} ({len(text) + 1} bytes)")


def versions() -> dict:
    import importlib

    out = {"python": sys.version.split()[0], "PYTHONHASHSEED": os.environ.get("PYTHONHASHSEED")}
    for name in ["numpy", "scipy", "pandas", "geopandas", "shapely", "libpysal", "rasterio", "matplotlib"]:
        try:
            out[name] = importlib.import_module(name).__version__
        except Exception:  # noqa: BLE001
            pass
    return out
