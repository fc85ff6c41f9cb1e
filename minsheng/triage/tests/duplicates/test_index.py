from __future__ import annotations

import random

import pytest

from minsheng.triage.duplicates import DuplicateIndex
from minsheng.triage.duplicates.index import FORMAT_VERSION

BASE = (
    "A市A3区某小区门口的垃圾已经三天没人清理了，气味很大，"
    "蚊蝇滋生，居民出行很不方便，请有关部门尽快处理。"
)
REPOST = (
    "A市A3区某小区门口的垃圾已经三天没有人清理了，气味很大，"
    "蚊蝇滋生，居民出行不便，请相关部门尽快处理！"
)
OTHER = "关于J10县教师工资拖欠问题的反映，已经拖欠半年，希望教育局尽快给予答复。"


def _filler(seed: int) -> str:
    rng = random.Random(seed)
    return "".join(chr(0x4E00 + rng.randrange(3000)) for _ in range(80))


@pytest.fixture
def index():
    idx = DuplicateIndex()
    idx.add_many([(100 + i, _filler(i)) for i in range(200)])
    idx.add(1, BASE, complainant_key="u1")
    idx.add(2, OTHER)
    return idx


def test_query_finds_near_duplicate_and_not_unrelated(index):
    # when a lightly edited repost is queried
    matches = index.query(REPOST, k=5)
    # then the original comes first, not exact, with a high score; the unrelated clue is absent
    assert matches[0].clue_id == 1
    assert not matches[0].exact
    assert matches[0].score > 0.5
    assert 2 not in {m.clue_id for m in matches}


def test_exact_match_ignores_punctuation_and_space(index):
    # when the same body is queried with different spacing and punctuation
    matches = index.query(" ".join(BASE.replace("，", ",")))
    # then it is an exact match
    assert matches[0].clue_id == 1
    assert matches[0].exact
    assert matches[0].score == 1.0


def test_same_complainant_is_flagged(index):
    # when the same user queries the repost
    matches = index.query(REPOST, complainant_key="u1")
    # then the match says so; another user's query does not
    assert matches[0].same_complainant
    assert not index.query(REPOST, complainant_key="u2")[0].same_complainant


def test_exclude_id_remove_and_readd(index):
    # given the clue is excluded, then removed
    assert index.query(BASE, exclude_id=1) == []
    assert index.remove(1)
    assert not index.remove(1)
    # then it is no longer found and no longer counted
    assert index.query(BASE) == []
    assert 1 not in index
    assert len(index) == 201
    # when it is added again under the same id with other text
    index.add(1, OTHER)
    # then only the new text is found for it
    assert {m.clue_id for m in index.query(OTHER)} == {1, 2}


def test_group_restricts_matches():
    # given the same text open in one group and closed in another
    index = DuplicateIndex()
    index.add(1, BASE, group="open")
    index.add(2, BASE, group="closed")
    # then a query for open clues finds only the open one
    assert [m.clue_id for m in index.query(BASE, group="open")] == [1]


def test_cluster_follows_chains(index):
    # given a third clue close to the repost
    index.add(3, REPOST)
    index.add(4, REPOST + "已经多次反映。")
    # when the cluster of the original is asked for
    cluster = index.cluster(1, min_score=0.5)
    # then it holds the chain and nothing unrelated
    assert cluster[0] == 1
    assert set(cluster) == {1, 3, 4}


def test_many_single_adds_merge_and_still_match(index):
    # given pending single adds folded into the sorted arrays
    index.add(5, REPOST)
    index.merge()
    # then lookups still work from the merged arrays
    assert {m.clue_id for m in index.query(REPOST)} >= {1, 5}


def test_compact_drops_removed_rows(index):
    # given a removed clue
    index.remove(2)
    size = index.nbytes
    # when compacted
    index.compact()
    # then memory shrinks and the remaining clues are still found
    assert index.nbytes < size
    assert index.query(BASE)[0].clue_id == 1
    assert index.query(OTHER) == []


def test_save_and_load_round_trip(index, tmp_path):
    # given a saved index
    index.remove(2)
    index.save(tmp_path / "idx")
    # when loaded
    loaded = DuplicateIndex.load(tmp_path / "idx")
    # then queries agree, removal survived, and nothing was pickled
    assert loaded.query(REPOST) == index.query(REPOST)
    assert 2 not in loaded
    assert sorted(p.suffix for p in (tmp_path / "idx").iterdir()) == [".json"] + [".npy"] * 12


def test_load_rejects_unknown_format(index, tmp_path):
    index.save(tmp_path / "idx")
    manifest = tmp_path / "idx" / "manifest.json"
    manifest.write_text(manifest.read_text().replace(f'"format": {FORMAT_VERSION}', '"format": 99'))
    with pytest.raises(ValueError, match="format"):
        DuplicateIndex.load(tmp_path / "idx")


def test_query_id_of_unknown_clue_raises(index):
    with pytest.raises(KeyError):
        index.query_id(999)


def test_query_many_answers_as_query_does_one_by_one(index) -> None:
    texts = [REPOST, OTHER, BASE, _filler(3)]
    excluded = [None, None, 1, 103]
    keys = ["u1", None, None, "u9"]
    one_by_one = [
        index.query(text, k=5, exclude_id=exclude, complainant_key=key)
        for text, exclude, key in zip(texts, excluded, keys, strict=True)
    ]
    assert index.query_many(texts, k=5, exclude_ids=excluded, complainant_keys=keys) == one_by_one
    assert index.query_many([]) == []


def _reference_query(index, text, *, k, exclude_id=None, complainant_key=None, group=None):
    """The ranking `query` promises, computed row by row in Python: LSH candidates (a band
    key or the exact key shared, oversized buckets skipped), scored on their signatures."""
    from minsheng.triage.duplicates.index import MAX_BUCKET
    from minsheng.triage.duplicates.text import exact_key, normalise, stable_key

    signature = index._sign([text])[0][0]
    cols, size = index._cols, index._size
    all_band_keys = index.hasher.band_keys(cols["signatures"][:size])
    mine = index.hasher.band_keys(signature).tolist()
    bucket_sizes = {key: int((all_band_keys == key).sum()) for key in mine}
    exact = exact_key(normalised=normalise(text))
    found = []
    for row in range(size):
        shares_band = any(
            all_band_keys[row][band] == key and bucket_sizes[key] <= MAX_BUCKET
            for band, key in enumerate(mine)
        )
        is_exact = int(cols["exact_keys"][row]) == exact
        if not (shares_band or is_exact) or not cols["alive"][row]:
            continue
        clue_id = int(cols["ids"][row])
        if clue_id == exclude_id or (group and int(cols["groups"][row]) != stable_key(group)):
            continue
        score = 1.0 if is_exact else float((cols["signatures"][row] == signature).mean())
        same = complainant_key is not None and int(cols["complainants"][row]) == stable_key(
            complainant_key
        )
        found.append((-score, not is_exact, row, clue_id, score, is_exact, same))
    found.sort()
    return [(c, s, e, same) for *_, c, s, e, same in found[:k]]


def test_query_many_ranks_as_a_row_by_row_reference_does() -> None:
    # given an index of reposts with small edits, some in the "open" group, a removed clue,
    # a pending single add and an exact copy
    rng = random.Random(7)
    idx = DuplicateIndex()
    variants = []
    for _ in range(60):
        chars = list(BASE + OTHER)
        for _edit in range(rng.randrange(0, 12)):
            chars[rng.randrange(len(chars))] = chr(0x4E00 + rng.randrange(3000))
        variants.append("".join(chars))
    idx.add_many(
        [(500 + i, text) for i, text in enumerate(variants)],
        groups=["open" if i % 3 else None for i in range(60)],
        complainant_keys=[f"u{i % 4}" for i in range(60)],
    )
    idx.add_many([(100 + i, _filler(i)) for i in range(100)])
    idx.remove(503)
    idx.add(999, variants[5], complainant_key="u2")
    queries = [variants[5], BASE + OTHER, _filler(7), OTHER]
    excluded = [505, None, 107, None]
    keys = ["u2", None, None, "u1"]
    # when they are queried in one batch
    batch = idx.query_many(queries, k=8, exclude_ids=excluded, complainant_keys=keys)
    # then each answer is the reference ranking, and single queries agree
    for text, exclude, key, answer in zip(queries, excluded, keys, batch, strict=True):
        expected = _reference_query(idx, text, k=8, exclude_id=exclude, complainant_key=key)
        got = [(m.clue_id, m.score, m.exact, m.same_complainant) for m in answer]
        assert got == expected
    assert len(batch[0]) == 8
    assert batch[0][0].exact
    grouped = idx.query(BASE + OTHER, k=50, group="open")
    assert grouped
    expected = _reference_query(idx, BASE + OTHER, k=50, group="open")
    assert [m.clue_id for m in grouped] == [clue_id for clue_id, *_ in expected]


def test_candidates_beyond_the_cap_keep_those_sharing_most_bands(monkeypatch) -> None:
    # given one text indexed exactly and many partial copies, and a cap of three candidates
    import minsheng.triage.duplicates.index as index_module

    idx = DuplicateIndex()
    idx.add_many([(1, BASE)] + [(10 + i, BASE + _filler(i)[: 2 + i]) for i in range(10)])
    assert len(idx.query(BASE, k=20)) == 11
    monkeypatch.setattr(index_module, "_MAX_CANDIDATES", 3)
    # when queried with the full text
    matches = idx.query(BASE, k=10)
    # then only three candidates were scored, and the exact copy is among them
    assert len(matches) == 3
    assert matches[0].clue_id == 1
    assert matches[0].exact
