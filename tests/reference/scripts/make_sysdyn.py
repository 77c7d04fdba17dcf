"""Reference vectors for the dissmodel-sysdyn models (DisSModel 0.6.1 scheduler).

Run (see README.md for the source trees):
  DISSMODEL_SRC=... DISSMODEL_SYSDYN_SRC=.../src /usr/bin/python3 make_sysdyn.py OUT_DIR

For every case: a fresh Environment(start_time, end_time) (0.6.x: end_time
inclusive), one model with the given parameters, env.run(). The script wraps
the model instance's ``execute`` (an instance attribute, set with
object.__setattr__, so DisSModel's tracking __setattr__ is not involved) to log
the clock and the model's attributes right after every execution; nothing of
the model's behaviour changes. The ``series`` are DisSModel's own
@track_plot buffers (env._plot_metadata[label]["data"]) after the run.
"""
from __future__ import annotations

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _dissmodel_env as E  # noqa: E402

E.bootstrap("DISSMODEL_SYSDYN_SRC")

from dissmodel.core import Environment  # noqa: E402
import dissmodel_sysdyn.models as M  # noqa: E402

OUT = sys.argv[1] if len(sys.argv) > 1 else "."

PROVENANCE = {
    "dissmodel": "DisSModel/dissmodel v0.6.1 (5b924d66ed2ad0690a2771bc026ccfa3787b2dc1)",
    "dissmodel_sysdyn": "DisSModel/dissmodel-sysdyn e82806ea9e4fbe043d9db47e54da171269765545",
    "script": "tests/reference/scripts/make_sysdyn.py",
}


def run_case(cls, params, end_time, attrs, start_time=0, till=None):
    env = Environment(start_time=start_time, end_time=end_time)
    model = cls(**params)
    log = []
    orig = model.execute

    def logged():
        orig()
        log.append({"t": E.num(env.now()), **{a: E.num(getattr(model, a)) for a in attrs}})

    object.__setattr__(model, "execute", logged)
    initial = {a: E.num(getattr(model, a)) for a in attrs}
    env.run() if till is None else env.run(till=till)
    series = {label: E.nums(info["data"]) for label, info in env._plot_metadata.items()}
    return {
        "params": {k: E.num(v) if not isinstance(v, str) else v for k, v in params.items()},
        "environment": {"start_time": start_time, "end_time": end_time},
        "executions": len(log),
        "initial": initial,
        "steps": log,
        "final": {a: E.num(getattr(model, a)) for a in attrs},
        "series": series,
    }


def vector(name, cls_name, equations, attrs, cases, notes, extra=None):
    cls = getattr(M, cls_name)
    out = {
        "model": f"dissmodel_sysdyn.models.{cls_name}",
        "provenance": PROVENANCE,
        "versions": E.versions(),
        "conventions": (
            "Environment(start_time, end_time) with inclusive end_time (DisSModel 0.6.x): "
            "executions at t = start_time, start_time+step, ... <= end_time. 'initial' = attributes "
            "after setup(); steps[k] = clock t and attributes right after the k-th execute(). "
            "'series' = DisSModel's @track_plot buffers after run() (values assigned in setup are "
            "cleared by run()'s reset, so series[i] == steps[i][attr] for one assignment per step)."
        ),
        "update": equations,
        "notes": notes,
        "cases": [],
    }
    for case in cases:
        params = case["params"]
        res = run_case(cls, params, case["end_time"], attrs, case.get("start_time", 0))
        res["name"] = case["name"]
        out["cases"].append(res)
    if extra:
        out.update(extra)
    E.write_json(os.path.join(OUT, f"sysdyn_{name}.json"), out)


def main():
    vector(
        "daisyworld", "Daisyworld",
        "pa = white*wa + black*ba + empty*sa; T = (3668*L*(1-pa)/(4*5.67e-8))**0.25; "
        "Tw = (2.06e9*(pa-wa) + T**4)**0.25; gw = g(Tw)*empty; white += white*(gw-decay); "
        "Tb = (2.06e9*(pa-ba) + T**4)**0.25; gb = g(Tb)*empty (old empty); black += black*(gb-decay); "
        "empty = planet_area - (white+black); g(Tk) = max(0, 1-0.003265*(22.5-(Tk-273))**2) if 5 < Tk-273 < 40 else 0",
        ["white_area", "black_area", "empty_area", "ave_temp"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "luminosity1.0_T40", "params": {"sun_luminosity": 1.0}, "end_time": 40},
            {"name": "luminosity1.4_decay0.2_T25", "params": {"sun_luminosity": 1.4, "decay_rate": 0.2}, "end_time": 25},
        ],
        ["Uses ** 0.25 (pow); JS Math.pow may differ from CPython's pow in the last ulp - compare with a relative tolerance ~1e-12 or check exactness.",
         "ave_temp is also assigned in setup (tracked), but run() clears the series first."],
    )
    vector(
        "mono_lake", "MonoLake",
        "S = surface(W) (scipy CubicSpline over volume [0..8000 step 1000] -> surface [0,24.7,35.3,48.6,54.3,57.2,61.6,66.0,69.9], "
        "not-a-knot, extrapolate=True); W += (S*prec_rate + runoff + other_in) - (S*evap_rate + export + other_out) "
        "(surface evaluated twice, same W); level = elev(W) (CubicSpline to [6224,6335,6369,6392,6412,6430,6447,6463,6477])",
        ["water_in_lake", "level"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "export0_T40", "params": {"export": 0.0}, "end_time": 40},
            {"name": "export300_T20", "params": {"export": 300.0, "water_in_lake": 1500.0}, "end_time": 20},
        ],
        ["Spline evaluation is scipy's PPoly with an ascending power sum (see spline_coefficients.evaluation); the "
         "coefficients come from scipy's not-a-knot solve (scipy 1.10.1 here; the same final values as the spec's "
         "scipy 1.17.1 run). A port can hard-code the coefficients given here; replaying the equations with them "
         "reproduces every step exactly.",
         "The initial 'level' (6375) is a parameter, not elev(2228)."],
        extra={"spline_coefficients": spline_coeffs()},
    )
    vector(
        "yeast", "Yeast",
        "cells += cells*rate*(1 - cells/capacity); if cells > capacity: cells = capacity",
        ["cells"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "rate2.5_overshoot_T20", "params": {"rate": 2.5, "cells": 50.0}, "end_time": 20},
        ],
        ["rate 2.5 overshoots the capacity, so the clamp is exercised."],
    )
    vector(
        "tub", "Tub",
        "_step += 1; water -= out_flow; if water < 0: water = 0; if _step % in_period == 0: water += in_flow",
        ["water", "_step"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "inflow12_period2_T45", "params": {"in_flow": 12.0, "in_period": 2, "out_flow": 4.0}, "end_time": 45},
            {"name": "inflow7_period3_T60", "params": {"water": 10.0, "in_flow": 7.0, "in_period": 3}, "end_time": 60},
        ],
        ["QUIRK: Tub stores its counter in self._step, which is also the scheduler's period (Model._step). "
         "setup sets it to 0 and each execute adds 1 before the scheduler computes next_time = now + _step, "
         "so Tub executes at t = 0, 1, 3, 6, 10, 15, 21, 28, ... (triangular numbers), not every tick. "
         "steps[k].t shows the clock of each execution. _step is logged too."],
    )
    vector(
        "room_temperature", "RoomTemperature",
        "outside = climate(t) with climate(t) = 15.0 - 0.1*(t - 12.0)**2 (t = env.now()); "
        "inflow = thermal_inertia*(temp_set - inside); outflow = loss_to_outside*(inside - outside); inside += inflow - outflow",
        ["inside", "outside", "temp_set"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "set22_inertia0.5_start1_T24", "params": {"temp_set": 22.0, "thermal_inertia": 0.5, "loss_to_outside": 0.2, "inside": 10.0}, "end_time": 24, "start_time": 1},
        ],
        ["outflow uses the outside temperature of the current tick (assigned first).",
         "temp_set is tracked but never assigned during run(), so its series is empty.",
         "(t - 12.0)**2 with integer-valued t is exact in doubles."],
    )
    vector(
        "homeostasis", "Homeostasis",
        "stock += gain + rate*stock",
        ["stock"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "stock10_gain3_rate-0.25_T40", "params": {"stock": 10.0, "gain": 3.0, "rate": -0.25}, "end_time": 40},
        ],
        ["Evaluation order: stock = stock + (gain + rate*stock)."],
    )
    vector(
        "chaotic_growth", "ChaoticGrowth",
        "pop = rate*pop*(1.0 - pop)",
        ["pop"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "rate3.7_pop0.2_T60", "params": {"rate": 3.7, "pop": 0.2}, "end_time": 60},
        ],
        ["Evaluation order (rate*pop)*(1-pop); chaotic, so any reordering diverges within tens of steps."],
    )
    vector(
        "limited_growth", "LimitedGrowth",
        "pop += pop*rate*(1.0 - pop/capacity)",
        ["pop"],
        [
            {"name": "defaults_T30", "params": {}, "end_time": 30},
            {"name": "pop100_rate0.3_cap5000_T40", "params": {"pop": 100.0, "rate": 0.3, "capacity": 5000.0}, "end_time": 40},
        ],
        ["Evaluation order: pop = pop + ((pop*rate)*(1 - pop/capacity))."],
    )
    vector(
        "population_growth", "PopulationGrowth",
        "population *= (1 + growth); growth *= growth_change",
        ["population", "growth"],
        [
            {"name": "defaults_T20", "params": {}, "end_time": 20},
            {"name": "growth0.3_change0.9_T30", "params": {"growth": 0.3, "growth_change": 0.9, "population": 1000.0}, "end_time": 30},
        ],
        ["The growth rate used at step k is the one after k-1 multiplications."],
    )
    # Random walk: Python random.Random(seed) (MT19937, CPython seeding).
    stream = {}
    for seed in (42, 7, 0):
        r = random.Random(seed)
        stream[str(seed)] = E.nums(r.random() for _ in range(64))
    vector(
        "random_walk", "RandomWalk",
        "rng = random.Random(seed) (created in setup); each execute: if rng.random() <= prob: value += 1.0 else value -= 1.0",
        ["value"],
        [
            {"name": "seed42_defaults_T30", "params": {"seed": 42}, "end_time": 30},
            {"name": "seed7_prob0.3_T40", "params": {"seed": 7, "prob": 0.3}, "end_time": 40},
            {"name": "seed0_prob0.7_value5_T25", "params": {"seed": 0, "prob": 0.7, "value": 5.0}, "end_time": 25},
        ],
        ["RNG: Python's random.Random(seed) = MT19937 seeded by init_by_array over the 32-bit words of abs(seed); "
         "random() = ((a>>5)*67108864 + (b>>6)) / 2**53 from two 32-bit outputs. One random() per execute.",
         "The model's default seed is None: random.Random(None) seeds from OS entropy, so the default run is NOT "
         "reproducible in DisSModel. The vectors therefore always pass an explicit seed; a port should require or "
         "default a seed and say so.",
         "Comparison is '<=' (a draw equal to prob steps up)."],
        extra={"rng": {"kind": "python random.Random(seed) MT19937", "call": "random()", "first64_random": stream}},
    )


def spline_coeffs():
    import numpy as np
    from scipy.interpolate import CubicSpline

    vol = np.array([0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000], dtype=float)
    sur = np.array([0, 24.7, 35.3, 48.6, 54.3, 57.2, 61.6, 66.0, 69.9], dtype=float)
    ele = np.array([6224, 6335, 6369, 6392, 6412, 6430, 6447, 6463, 6477], dtype=float)
    out = {"breakpoints": E.nums(vol)}
    for name, y in (("surface", sur), ("elevation", ele)):
        cs = CubicSpline(vol, y, extrapolate=True)
        # c[k, i]: coefficient of (x - x_i)**(3-k) on interval i; below x_0 / above x_8 the end polynomials extend
        out[name] = {"y": E.nums(y), "c": [E.nums(row) for row in cs.c]}
    out["evaluation"] = ("scipy PPoly (evaluate_poly1): i = interval with x_i <= x < x_{i+1}, clamped to the "
                         "first/last interval outside [x_0, x_8] (extrapolate=True); dx = x - x_i; res = 0.0; z = 1.0; "
                         "for k in 3, 2, 1, 0: res = res + c[k][i]*z; z = z*dx. NOT Horner: Horner form differs "
                         "in the last ulp of 'level' (checked: this loop reproduces every step bit for bit)")
    return out


if __name__ == "__main__":
    main()
