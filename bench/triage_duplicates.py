"""Benchmark `DuplicateIndex` (MinHash LSH) on N synthetic clues, with same-run baselines.

    .venv/bin/python bench/triage_duplicates.py [--n 1000000] [--queries 2000] [--sub 100000]

Synthetic clues are Chinese-like: fixed petition frames ("尊敬的领导…希望有关部门尽快处理"),
a place, and 15–59 phrases drawn Zipf-wise from 20,000 random CJK phrases (median ≈ 220
characters; real bodies: 233), so frames and hot phrases are shared as on real boards.
1% of the indexed clues are planted near-duplicates of other clues. Queries: half are fresh
edits (drop, replace, insert phrases; 5–35% of phrases touched) of an indexed clue, half
fresh random clues.

Reported: build time, index bytes (array accounting) and RSS growth, the time to write and
to load a snapshot of the full index (what a worker does at start instead of building),
query p50/p99 on the full index, recall of the planted originals; then, on the first
`--sub` clues, the same
queries against (a) an LSH index of that subset, (b) brute-force signature agreement over
all rows, (c) sparse TF-IDF (character 1–3-grams) cosine by one sparse product.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from minsheng.triage.duplicates import DuplicateIndex, normalise, shingle_hashes
from minsheng.triage.duplicates.classify import LIKELY_DUPLICATE_SCORE, SIMILAR_SCORE
from minsheng.triage.duplicates.minhash import estimated_jaccard
from minsheng.triage.duplicates.snapshot import load_snapshot, save_snapshot

OPENERS = ["尊敬的领导：", "您好，", "市长您好！", "", "我要反映一个问题，", "各位领导好，"]
CLOSERS = ["希望有关部门尽快处理。", "请政府重视，谢谢！", "望早日解决。", "", "盼复。"]
PLACES = [f"{c}市{c}{i}区" for c in "ABCDEFGHIJK" for i in range(1, 12)] + [
    f"{c}{i}县" for c in "ABCDEFGHIJK" for i in range(1, 12)
]


def rss_bytes() -> int:
    """Resident set size now, from /proc (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


class Generator:
    """Makes synthetic clues and edited near-copies of them."""

    def __init__(self, *, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        chars = 0x4E00 + self.rng.choice(20_000, size=3_500, replace=False)
        lengths = self.rng.integers(2, 7, size=20_000)
        flat = self.rng.choice(chars, size=int(lengths.sum()))
        cuts = np.cumsum(lengths)[:-1]
        self.phrases = ["".join(map(chr, p)) for p in np.split(flat, cuts)]
        weights = 1.0 / np.arange(1, len(self.phrases) + 1) ** 0.8
        self.cdf = np.cumsum(weights / weights.sum())

    def _phrases(self, count: int) -> list[str]:
        picks = np.searchsorted(self.cdf, self.rng.random(count))
        return [self.phrases[min(i, len(self.phrases) - 1)] for i in picks]

    def parts(self) -> list[str]:
        rng = self.rng
        return [
            OPENERS[rng.integers(len(OPENERS))],
            PLACES[rng.integers(len(PLACES))],
            *self._phrases(int(rng.integers(15, 60))),
            CLOSERS[rng.integers(len(CLOSERS))],
        ]

    def edit(self, parts: list[str]) -> list[str]:
        """Drop, replace or insert 5–35% of the phrases; keep the frame."""
        rng = self.rng
        strength = rng.uniform(0.05, 0.35)
        out = [parts[0], parts[1]]
        for phrase in parts[2:-1]:
            roll = rng.random()
            if roll < strength / 3:
                continue
            if roll < 2 * strength / 3:
                out.append(self._phrases(1)[0])
                continue
            out.append(phrase)
            if roll < strength:
                out.append(self._phrases(1)[0])
        out.append(parts[-1] if rng.random() < 0.7 else CLOSERS[rng.integers(len(CLOSERS))])
        return out

    @staticmethod
    def text(parts: list[str]) -> str:
        return parts[0] + parts[1] + "，".join(parts[2:-1]) + "。" + parts[-1]


def jaccard(a: str, b: str) -> float:
    sa = set(shingle_hashes(normalised=normalise(a)).tolist())
    sb = set(shingle_hashes(normalised=normalise(b)).tolist())
    return len(sa & sb) / max(1, len(sa | sb))


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def latency_line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    median, p99, mean = statistics.median(ms), pct(ms, 99), statistics.fmean(ms)
    return f"{name}: p50 {median:.3f} ms, p99 {p99:.3f} ms, mean {mean:.3f} ms"


def make_corpus(gen: Generator, n: int) -> tuple[list[str], list[list[str]]]:
    texts: list[str] = []
    parts_kept: list[list[str]] = []
    for i in range(n):
        if i > 100 and gen.rng.random() < 0.01:
            src = int(gen.rng.integers(i))
            texts.append(
                Generator.text(gen.edit(parts_kept[src])) if parts_kept[src] else texts[src]
            )
            parts_kept.append([])
            continue
        parts = gen.parts()
        texts.append(Generator.text(parts))
        parts_kept.append(parts)
    return texts, parts_kept


def make_queries(
    gen: Generator, parts_kept: list[list[str]], *, count: int, limit: int
) -> list[tuple[str, int | None]]:
    """`count` queries: half edits of clue ids < `limit` (with that id), half fresh clues."""
    queries: list[tuple[str, int | None]] = []
    while len(queries) < count // 2:
        src = int(gen.rng.integers(limit))
        if parts_kept[src]:
            queries.append((Generator.text(gen.edit(parts_kept[src])), src))
    while len(queries) < count:
        queries.append((Generator.text(gen.parts()), None))
    return queries


def run_lsh(
    index: DuplicateIndex, queries: list[tuple[str, int | None]], k: int
) -> tuple[list[float], list[tuple[int | None, list[tuple[int, float]]]]]:
    times, results = [], []
    for text, src in queries:
        t0 = time.perf_counter()
        matches = index.query(text, k=k)
        times.append(time.perf_counter() - t0)
        results.append((src, [(m.clue_id, m.score) for m in matches]))
    return times, results


def recall_report(
    name: str, results: list[tuple[int | None, list[tuple[int, float]]]], truths: dict[int, float]
) -> None:
    buckets = {
        "J<0.4": (0.0, 0.4),
        "0.4≤J<0.6": (0.4, 0.6),
        "0.6≤J<0.8": (0.6, 0.8),
        "J≥0.8": (0.8, 1.01),
    }
    for label, (lo, hi) in buckets.items():
        found = at_sim = at_dup = total = 0
        for qi, (src, hits) in enumerate(results):
            if src is None or not lo <= truths[qi] < hi:
                continue
            total += 1
            score = next((s for i, s in hits if i == src), None)
            found += score is not None
            at_sim += score is not None and score >= SIMILAR_SCORE
            at_dup += score is not None and score >= LIKELY_DUPLICATE_SCORE
        if total:
            print(
                f"  {name} recall {label} (n={total}): top-k {found / total:.3f}, "
                f"score≥{SIMILAR_SCORE} {at_sim / total:.3f}, "
                f"score≥{LIKELY_DUPLICATE_SCORE} {at_dup / total:.3f}"
            )
    fresh = [hits for src, hits in results if src is None]
    false_sim = sum(any(s >= SIMILAR_SCORE for _, s in hits) for hits in fresh)
    print(f"  {name} fresh queries with any match ≥{SIMILAR_SCORE}: {false_sim}/{len(fresh)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--sub", type=int, default=100_000)
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]  # progress in logs
    sub = min(args.sub, args.n)

    gen = Generator(seed=args.seed)
    t0 = time.perf_counter()
    texts, parts_kept = make_corpus(gen, args.n)
    print(
        f"generated {args.n:,} clues in {time.perf_counter() - t0:.1f} s; "
        f"length median {statistics.median(len(t) for t in texts[:10000]):.0f} chars"
    )
    queries = make_queries(gen, parts_kept, count=args.queries, limit=args.n)
    sub_queries = make_queries(gen, parts_kept, count=args.queries // 4, limit=sub)
    truths = {qi: jaccard(t, texts[s]) for qi, (t, s) in enumerate(queries) if s is not None}
    sub_truths = {
        qi: jaccard(t, texts[s]) for qi, (t, s) in enumerate(sub_queries) if s is not None
    }
    print(
        "planted queries: true shingle Jaccard to their original: "
        f"median {statistics.median(truths.values()):.2f}, "
        f"min {min(truths.values()):.2f}, max {max(truths.values()):.2f}"
    )

    # --- full index ---------------------------------------------------------------------
    gc.collect()
    rss0 = rss_bytes()
    t0 = time.perf_counter()
    index = DuplicateIndex()
    index.add_many(list(enumerate(texts)))
    build = time.perf_counter() - t0
    gc.collect()
    rss_delta = rss_bytes() - rss0
    print(
        f"\n== LSH index, N={args.n:,} (num_perm={index.hasher.num_perm}, "
        f"bands={index.hasher.bands}x{index.hasher.rows}, shingles={index.shingle_size}-grams)"
    )
    print(f"build {build:.1f} s ({args.n / build:,.0f} clues/s)")
    print(
        f"index arrays {index.nbytes / 2**20:,.0f} MiB = {index.nbytes / args.n:,.0f} B/clue; "
        f"RSS growth during build {rss_delta / 2**20:,.0f} MiB = {rss_delta / args.n:,.0f} B/clue"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "open-clues.npz"
        t0 = time.perf_counter()
        size = save_snapshot(index, path, up_to_pk=args.n)
        saved = time.perf_counter() - t0
        t0 = time.perf_counter()
        loaded, _ = load_snapshot(path)
        load_s = time.perf_counter() - t0
        same = loaded.query(texts[1], k=args.k) == index.query(texts[1], k=args.k)
        del loaded
    print(
        f"snapshot: {size / 2**20:,.0f} MiB, written in {saved:.1f} s, loaded in {load_s:.1f} s "
        f"(answers {'equal' if same else 'DIFFER'})"
    )
    gc.collect()
    index.query(texts[0])
    times, results = run_lsh(index, queries, args.k)
    print(latency_line(f"LSH query ({len(queries)} queries, k={args.k})", times))
    near_t = [t for t, (_, s) in zip(times, queries, strict=True) if s is not None]
    fresh_t = [t for t, (_, s) in zip(times, queries, strict=True) if s is None]
    print("  " + latency_line("planted", near_t) + "; " + latency_line("fresh", fresh_t))
    recall_report("LSH", results, truths)

    # --- same-run baselines on the first `sub` clues ------------------------------------
    print(f"\n== baselines on the first {sub:,} clues, {len(sub_queries)} queries")
    sub_index = DuplicateIndex()
    sub_index.add_many(list(enumerate(texts[:sub])))
    sub_index.query(texts[0])
    lsh_times, lsh_results = run_lsh(sub_index, sub_queries, args.k)
    print(latency_line("LSH", lsh_times))
    recall_report("LSH", lsh_results, sub_truths)

    sigs = sub_index._cols["signatures"][:sub]
    brute_times, brute_results = [], []
    for text, src in sub_queries:
        t0 = time.perf_counter()
        sig = sub_index.hasher.sign(shingle_hashes(normalised=normalise(text)))
        scores = estimated_jaccard(sig, sigs)  # type: ignore[arg-type]
        top = np.argpartition(-scores, args.k)[: args.k]
        top = top[np.argsort(-scores[top])]
        brute_times.append(time.perf_counter() - t0)
        brute_results.append((src, [(int(i), float(scores[i])) for i in top]))
    print(latency_line("brute-force signature agreement", brute_times))
    recall_report("brute", brute_results, sub_truths)
    print(
        "  speed ratio brute/LSH (median): "
        f"{statistics.median(brute_times) / statistics.median(lsh_times):.0f}x at {sub:,}; "
        f"brute force is linear: ≈{statistics.median(brute_times) * args.n / sub * 1000:.0f} ms "
        f"at {args.n:,} (extrapolated)"
    )

    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    vectorizer = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 3), preprocessor=normalise, dtype=np.float32
    )
    matrix = vectorizer.fit_transform(texts[:sub])
    tfidf_build = time.perf_counter() - t0
    tfidf_bytes = matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes
    print(
        f"TF-IDF build {tfidf_build:.1f} s; matrix {tfidf_bytes / 2**20:,.0f} MiB = "
        f"{tfidf_bytes / sub:,.0f} B/clue (vocabulary dict not counted)"
    )
    matrix_t = matrix.T.tocsr()
    tf_times, tf_results = [], []
    for text, src in sub_queries:
        t0 = time.perf_counter()
        q = vectorizer.transform([text])
        scores = (q @ matrix_t).toarray().ravel()
        top = np.argpartition(-scores, args.k)[: args.k]
        top = top[np.argsort(-scores[top])]
        tf_times.append(time.perf_counter() - t0)
        tf_results.append((src, [(int(i), float(scores[i])) for i in top]))
    print(latency_line("TF-IDF cosine (sparse product)", tf_times))
    hits = sum(src in {i for i, _ in h} for src, h in tf_results if src is not None)
    print(f"  TF-IDF recall top-k of planted: {hits}/{sum(s is not None for s, _ in tf_results)}")
    print(
        "  speed ratio TF-IDF/LSH (median): "
        f"{statistics.median(tf_times) / statistics.median(lsh_times):.0f}x at {sub:,}"
    )


if __name__ == "__main__":
    main()
