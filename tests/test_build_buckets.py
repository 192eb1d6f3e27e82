"""The build_buckets command: settings precedence, config files, one-line errors."""


import pytest
import yaml

from holdem.cli import build_buckets as cli


def _settings(*argv):
    return cli.resolve(cli._parser().parse_args(list(argv)))


def test_defaults_preset_config_and_flags_precedence(tmp_path):
    assert _settings().k_flop == 80 and _settings().hands is None
    assert _settings("--preset", "tiny").hands == 20_000
    assert _settings("--preset", "tiny").features == "strength" and _settings().features == "histogram"
    config = tmp_path / "c.yaml"
    config.write_text(yaml.safe_dump({"k-flop": 50, "seed": 7}))
    s = _settings("--preset", "tiny", "--config", str(config), "--seed", "9")
    assert (s.k_flop, s.seed, s.k_turn) == (50, 9, 8)


def test_save_config_round_trips(tmp_path, monkeypatch):
    saved = tmp_path / "s.yaml"
    monkeypatch.setattr(cli, "_run", lambda settings, console: None)
    assert cli.main(["--k-river", "12", "--save-config", str(saved)]) == 0
    assert _settings("--config", str(saved)) == _settings("--k-river", "12")


@pytest.mark.parametrize(("argv", "message"), [
    (["--k-flop", "0"], "--k-flop: must be >= 1, got 0"),
    (["--k-preflop", "170"], "--k-preflop: must be <= 169, got 170"),
    (["--num-players", "11"], "--num-players: must be <= 10, got 11"),
    (["--hands", "5"], "--hands: must be >= 100, got 5"),
    (["--out", "."], "--out . is a directory"),
])
def test_bad_flags_give_one_line_errors(argv, message, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"holdem build_buckets: error: {message}\n"


def test_bad_config_value_blames_the_file_and_key(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("k-turn: 0\n")
    assert cli.main(["--config", str(config)]) == 2
    assert capsys.readouterr().err == f"holdem build_buckets: error: config {config}: k-turn: must be >= 1, got 0\n"


def test_unknown_config_key_named(tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("k_flop: 10\nk_flopp: 3\n")
    assert cli.main(["--config", str(config)]) == 2
    assert "unknown key 'k_flopp'" in capsys.readouterr().err


def test_help_says_the_file_is_not_a_pickle(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert "npz" in capsys.readouterr().out


@pytest.mark.slow
def test_tiny_preset_builds_a_loadable_file(tmp_path):
    from holdem.abstraction import buckets as bk
    out = tmp_path / "precomputed_buckets.pkl"
    assert cli.main(["--preset", "tiny", "--out", str(out)]) == 0
    assert bk.load(out).k == {"preflop": 8, "flop": 8, "turn": 8, "river": 8}



def test_tiny_buckets_is_cached_under_the_preset_fingerprint(tmp_path, monkeypatch):
    import hashlib
    import json

    from holdem.abstraction import presets

    monkeypatch.setenv("HOLDEM_CACHE_DIR", str(tmp_path))
    fingerprint = hashlib.sha256(json.dumps(presets.PRESETS["tiny"], sort_keys=True).encode()).hexdigest()[:12]
    path = tmp_path / f"tiny-buckets-3p-{fingerprint}.npz"
    assert presets.tiny_buckets_path(3) == path
    path.write_bytes(b"cached")
    assert presets.tiny_buckets(3) == path and path.read_bytes() == b"cached"  # not rebuilt
