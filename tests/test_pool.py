"""Pooling independent runs: ``holdem.eval.stats.pooled`` and ``python -m holdem.cli.pool``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from holdem.cli import pool
from holdem.eval.stats import Z95, Estimate, mbb_estimate, pooled


def test_pooled_equal_runs_average_and_narrow_by_root_two():
    est = pooled([Estimate(100.0, (0.0, 200.0), 10), Estimate(300.0, (200.0, 400.0), 10)])
    assert est.mbb_per_hand == pytest.approx(200.0)
    assert est.half_width == pytest.approx(100.0 / math.sqrt(2))
    assert est.units == 20


def test_pooled_weights_by_inverse_variance():
    # standard errors 1 and 2 (half widths Z95 and 2 * Z95): weights 1 and 1/4
    est = pooled([Estimate(10.0, (10.0 - Z95, 10.0 + Z95), 5), Estimate(20.0, (20.0 - 2 * Z95, 20.0 + 2 * Z95), 5)])
    assert est.mbb_per_hand == pytest.approx((10.0 + 20.0 / 4) / 1.25)
    assert est.half_width == pytest.approx(Z95 / math.sqrt(1.25))


def test_pooled_runs_of_one_spread_match_their_units_as_one_sample():
    rng = np.random.default_rng(3)
    runs = [rng.normal(50.0, 900.0, 4000) for _ in range(3)]
    whole = mbb_estimate(np.concatenate(runs), big_blind=100)
    est = pooled([mbb_estimate(r, big_blind=100) for r in runs])
    assert est.mbb_per_hand == pytest.approx(whole.mbb_per_hand, abs=0.02 * whole.half_width)
    assert est.half_width == pytest.approx(whole.half_width, rel=0.02)


@pytest.mark.parametrize("bad", [[], [Estimate(1.0, (-math.inf, math.inf), 1)], [Estimate(1.0, (1.0, 1.0), 9)]])
def test_pooled_refuses_what_has_no_standard_error(bad):
    with pytest.raises(ValueError):
        pooled(bad)


def _report(path, seed, mean, half, policy="search:runs/x?budget=0.5"):
    rows = [{"opponent": "lbr", "hands": 2000, "mbb_per_hand": -mean, "ci95": [-mean - half, -mean + half],
             "lbr_mbb_per_hand": mean, "lbr_ci95": [mean - half, mean + half], "lbr_variant": "fc-1234"},
            {"opponent": "vs:runs/x", "hands": 5000, "mbb_per_hand": mean, "ci95": [mean - half, mean + half],
             "estimate": "paired", "river_mbb_per_hand": mean, "river_ci95": [mean - half / 2, mean + half / 2]}]
    path.write_text(json.dumps({"policy": policy, "seed": seed, "results": rows}))
    return str(path)


def test_pool_cli_pools_rows_by_policy_opponent_and_variant(tmp_path, capsys):
    a, b = _report(tmp_path / "a.json", 5, 100.0, 50.0), _report(tmp_path / "b.json", 6, 300.0, 50.0)
    assert pool.main([a, b, "--out", str(tmp_path / "pooled.json")]) == 0
    rows = json.loads((tmp_path / "pooled.json").read_text())["pooled"]
    lbr, paired = rows
    assert (lbr["opponent"], lbr["lbr_variant"], lbr["seeds"], lbr["hands"]) == ("lbr", "fc-1234", [5, 6], 4000)
    assert lbr["lbr_mbb_per_hand"] == pytest.approx(200.0) and lbr["mbb_per_hand"] == pytest.approx(-200.0)
    assert lbr["lbr_ci95"] == pytest.approx([200 - 50 / math.sqrt(2), 200 + 50 / math.sqrt(2)], abs=1e-3)
    assert paired["estimate"] == "paired" and paired["hands"] == 10000
    assert paired["river_ci95"] == pytest.approx([200 - 25 / math.sqrt(2), 200 + 25 / math.sqrt(2)], abs=1e-3)
    assert "adjusted_mbb_per_hand" not in paired  # no run carried it
    out = capsys.readouterr().out
    assert "fc-1234" in out and "+200.0" in out


def test_pool_cli_keeps_other_policies_apart(tmp_path):
    a = _report(tmp_path / "a.json", 5, 100.0, 50.0)
    b = _report(tmp_path / "b.json", 6, 300.0, 50.0, policy="runs/x")
    assert pool.main([a, b, "--out", str(tmp_path / "pooled.json")]) == 0
    rows = json.loads((tmp_path / "pooled.json").read_text())["pooled"]
    assert [(r["policy"], r["hands"]) for r in rows if r["opponent"] == "lbr"] == \
        [("search:runs/x?budget=0.5", 2000), ("runs/x", 2000)]


def test_pool_cli_refuses_a_run_given_twice_or_not_a_report(tmp_path, capsys):
    a, b = _report(tmp_path / "a.json", 5, 100.0, 50.0), _report(tmp_path / "b.json", 5, 300.0, 50.0)
    assert pool.main([a, b]) == 2
    assert "same run" in capsys.readouterr().err
    (tmp_path / "d.json").write_text(json.dumps({"policy": "runs/x", "seed": 7, "results": [1]}))
    assert pool.main([a, str(tmp_path / "d.json")]) == 2
    assert "d.json is not an eval_blueprint report" in capsys.readouterr().err
    (tmp_path / "e.json").write_text(json.dumps({"policy": "runs/x", "seed": 7, "results": [{"opponent": "call"}]}))
    assert pool.main([a, str(tmp_path / "e.json")]) == 2
    assert "e.json is not an eval_blueprint report" in capsys.readouterr().err
    (tmp_path / "c.json").write_text("[1, 2]")
    assert pool.main([a, str(tmp_path / "c.json")]) == 2
    err = capsys.readouterr().err
    assert "c.json is not an eval_blueprint report" in err and len(err.strip().splitlines()) == 1
    assert pool.main([a]) == 2
    assert "two reports or more" in capsys.readouterr().err
