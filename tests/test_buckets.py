"""Buckets: preflop ordering, numba lookup, the buckets file and its error cases."""

import itertools
import json
import pickle
import zipfile

import numba as nb
import numpy as np
import pytest

from holdem.abstraction import buckets as bk
from holdem.abstraction import isomorphism as iso
from holdem.cards import parse_cards


@pytest.fixture(scope="module")
def synthetic():
    """Buckets with arrays of the right sizes: bucket = canonical index mod k."""
    k = {"preflop": 169, "flop": 50, "turn": 200, "river": 7}
    arrays = tuple((np.arange(iso.size(s)) % k[name]).astype(np.uint8)
                   for s, name in enumerate(bk.STREETS))
    manifest = {"k": k, "num_players": 2,
                "seed": 0, "mode": "exact", "features": {}, "created": "now"}
    return bk.Buckets(arrays, manifest)


@pytest.fixture(scope="module")
def saved(synthetic, tmp_path_factory):
    path = tmp_path_factory.mktemp("b") / "precomputed_buckets.pkl"
    bk.save(synthetic, path)
    return path


def test_file_round_trip_is_npz_not_pickle(synthetic, saved):
    assert saved.read_bytes()[:4] == b"PK\x03\x04"
    loaded = bk.load(saved)
    assert loaded.k == synthetic.k
    for a, b in zip(loaded.arrays, synthetic.arrays):
        np.testing.assert_array_equal(a, b)
    assert set(loaded.manifest["sha256"]) == set(bk.STREETS)


@nb.njit(cache=True)
def _lookup_all(arrays, hands, n_board):
    out = np.empty(hands.shape[0], dtype=np.int64)
    for i in range(hands.shape[0]):
        out[i] = bk.lookup(arrays[0], arrays[1], arrays[2], arrays[3], hands[i, 0], hands[i, 1], hands[i, 2:], n_board)
    return out


def test_numba_lookup_matches_python_and_suit_permutations(synthetic):
    rng = np.random.default_rng(3)
    hands = np.argsort(rng.random((300, 52)), axis=1)[:, :7].astype(np.int64)
    for street, n_board in enumerate((0, 3, 4, 5)):
        got = _lookup_all(synthetic.arrays, hands, n_board)
        for h, g in zip(hands.tolist(), got):
            assert g == synthetic.bucket(street, h[:2], h[2:2 + n_board])
        for perm in itertools.permutations(range(4)):
            moved = hands - (hands & 3) + np.array(perm)[hands & 3]
            np.testing.assert_array_equal(_lookup_all(synthetic.arrays, moved, n_board), got)


@nb.njit(cache=True)
def _deal_all(arrays, hands):
    out = np.empty((hands.shape[0], 4), dtype=np.int64)
    for i in range(hands.shape[0]):
        out[i, 0], out[i, 1], out[i, 2], out[i, 3] = bk.lookup_deal(
            arrays[0], arrays[1], arrays[2], arrays[3], hands[i, 0], hands[i, 1], hands[i, 2:])
    return out


def test_lookup_deal_equals_lookup_on_every_street(synthetic):
    rng = np.random.default_rng(4)
    hands = np.argsort(rng.random((3000, 52)), axis=1)[:, :7].astype(np.int64)
    got = _deal_all(synthetic.arrays, hands)
    for street, n_board in enumerate((0, 3, 4, 5)):
        np.testing.assert_array_equal(got[:, street], _lookup_all(synthetic.arrays, hands, n_board))


@nb.njit(cache=True)
def _players_all(arrays, deals, players):
    out = np.empty((deals.shape[0], players, 4), dtype=np.int64)
    for i in range(deals.shape[0]):
        bk.lookup_players(arrays[0], arrays[1], arrays[2], arrays[3], deals[i, :2 * players].reshape((players, 2)),
                          deals[i, 2 * players:], out[i])
    return out


@pytest.mark.parametrize("players", [2, 6])
def test_lookup_players_equals_lookup_deal_per_player(synthetic, players):
    rng = np.random.default_rng(5)
    deals = np.argsort(rng.random((500, 52)), axis=1)[:, :2 * players + 5].astype(np.int64)
    got = _players_all(synthetic.arrays, deals, players)
    for p in range(players):
        hands = np.concatenate([deals[:, 2 * p:2 * p + 2], deals[:, 2 * players:]], axis=1)
        np.testing.assert_array_equal(got[:, p], _deal_all(synthetic.arrays, hands))


def _rewrite(src, dst, change):
    with zipfile.ZipFile(src) as z:
        members = {n: z.read(n) for n in z.namelist()}
    change(members)
    with zipfile.ZipFile(dst, "w") as z:
        for n, data in members.items():
            z.writestr(n, data)


def _manifest_edit(edit):
    def change(members):
        raw = members["manifest.npy"]
        header_end = raw.index(b"\n") + 1
        m = json.loads(raw[header_end:].decode())
        edit(m)
        body = json.dumps(m).encode()
        members["manifest.npy"] = _npy_bytes(np.frombuffer(body, dtype=np.uint8))
    return change


def _npy_bytes(a):
    import io
    f = io.BytesIO()
    np.save(f, a)
    return f.getvalue()


def test_bad_files_give_clear_errors(saved, tmp_path):
    raw = saved.read_bytes()
    cases = {}
    (tmp_path / "truncated.pkl").write_bytes(raw[: len(raw) // 2])
    cases["truncated.pkl"] = "corrupt or truncated"
    tampered = bytearray(raw)
    tampered[len(raw) // 3] ^= 0xFF
    (tmp_path / "tampered.pkl").write_bytes(bytes(tampered))
    cases["tampered.pkl"] = "corrupt or truncated|sha256"
    (tmp_path / "pickled.pkl").write_bytes(pickle.dumps({"river": [1, 2, 3]}))
    cases["pickled.pkl"] = "pickle"
    np.savez(tmp_path / "foreign.npz", weights=np.zeros(3))
    cases["foreign.npz"] = "no manifest"
    _rewrite(saved, tmp_path / "version.pkl", _manifest_edit(lambda m: m.update(format_version=99)))
    cases["version.pkl"] = "format version 99"
    _rewrite(saved, tmp_path / "hashes.pkl", _manifest_edit(lambda m: m["sha256"].update(river="0" * 64)))
    cases["hashes.pkl"] = "sha256 of array 'river'"
    (tmp_path / "text.pkl").write_text("hello")
    cases["text.pkl"] = "not a buckets file"
    for name, message in cases.items():
        with pytest.raises(bk.BucketsFileError, match=message) as err:
            bk.load(tmp_path / name)
        assert name in str(err.value)
    with pytest.raises(bk.BucketsFileError, match="cannot read"):
        bk.load(tmp_path / "missing.pkl")


@pytest.fixture(scope="module")
def preflop_features():
    return bk.street_features(iso.PREFLOP, bk.equity_tables())


def test_preflop_buckets_separate_aa_and_72o_and_follow_equity(preflop_features):
    table, report = bk.cluster_street(iso.PREFLOP, 24, preflop_features, seed=1, hands=None, n_init=3, max_iter=30)
    aa = iso.canonical_index(parse_cards("As Ah"))
    seven_two = iso.canonical_index(parse_cards("7c 2d"))
    assert table[aa] != table[seven_two]
    assert table[aa] == 23 and table[seven_two] <= 2
    eq = preflop_features.equity
    means = [eq[table == b].mean() for b in range(24)]
    assert means == sorted(means)
    assert report.k == 24 and report.max_spread < 0.1


def test_preflop_lossless_at_169(preflop_features):
    table, report = bk.cluster_street(iso.PREFLOP, 169, preflop_features, seed=1, hands=None, n_init=1, max_iter=1)
    assert sorted(table.tolist()) == list(range(169)) and report.max_spread == 0.0
    assert preflop_features.equity[iso.canonical_index(parse_cards("As Ah"))] == preflop_features.equity.max()


def test_strength_features_preflop_ranks_aa_top_and_72o_low():
    from holdem.abstraction import equity
    table, mass = equity.strength_table(3)
    feats = bk.street_features(iso.PREFLOP, {"flop_strength": table, "flop_strength_mass": mass}, "strength")
    eq = feats.equity
    assert eq.argmax() == iso.canonical_index(parse_cards("As Ah"))
    assert (eq < eq[iso.canonical_index(parse_cards("7c 2d"))]).sum() < 169 // 5
    assert feats.cumulative and feats.expand is None and feats.weights.sum() == 1326
