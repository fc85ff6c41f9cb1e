"""Two-view co-training (message text / government reply) on the few-labels scenario.

    .venv/bin/python bench/triage_cotraining.py

Train on messages_labelled.xlsx (345) + taxonomy hints + the unlabelled pools, where the
messages of messages_with_replies.xlsx also have a second view, the reply (答复意见);
test on messages_labelled_full.xlsx rows whose text is not among the 345 (as in
bench/triage_classifier.py). The final model of every variant is the usual message-only
linear model. Baselines are run in the same process. Nothing is written to disk.

Variants: "co-train" (Blum & Mitchell: 5 rounds, the message view and a reply-view char
1-3-gram SVM in turn label their most confident free reply-file rows, per-class shares
capped by the labelled priors, B pseudo-labels in all) and "agree" (the self-trained
message view labels the reply-file rows, a cross-fitted reply view trained on those labels
must agree; the B most confident agreed rows are kept). Each adds its reply-file rows as
pseudo-labels to the usual self-training on the other pool.

Result (issue 3, measured once, ~12 min on 2 cores): no variant beats the same run's
control without reply-file pseudo-labels (0.804 with the unlabelled pool); every one
lowers macro-F1 by 0.01-0.05, more so the larger B. The reply view is weak on its own
(about a third of the reply-file rows get a different label from the two views) and the
reply-file messages are a different sample from the test messages, so they are not
adopted in minsheng.triage.classifier.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")

from minsheng.testing.shared_data import TEDDY_DIR  # noqa: E402
from minsheng.triage.classifier.baselines import train_char_svm  # noqa: E402
from minsheng.triage.classifier.charngrams import CharNgramTfidf  # noqa: E402
from minsheng.triage.classifier.data import (  # noqa: E402
    join_message,
    read_messages,
    read_taxonomy,
)
from minsheng.triage.classifier.evaluation import score  # noqa: E402
from minsheng.triage.classifier.features import FeatureSpaces, clean_text  # noqa: E402
from minsheng.triage.classifier.model import (  # noqa: E402
    DEFAULT_PARAMS,
    CategoryClassifier,
    fit_linear,
    scores_of,
)
from minsheng.triage.classifier.training import (  # noqa: E402
    TRAINING_DEFAULTS,
    _hint_documents,
    _most_confident,
    train_classifier,
)

SETTINGS: dict[str, Any] = {**TRAINING_DEFAULTS, **DEFAULT_PARAMS}
QUOTED = re.compile(r"“[^”]{0,80}”")


def read_replies(path: Path) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    workbook.close()
    header = [str(cell or "").strip() for cell in rows[0]]
    at = {name: header.index(name) for name in ("留言主题", "留言详情", "答复意见")}

    def cell(row: list[object], name: str) -> str:
        value = row[at[name]] if at[name] < len(row) else None
        return "" if value is None else str(value).strip()

    pairs = []
    for row in rows[1:]:
        text = join_message(title=cell(row, "留言主题"), content=cell(row, "留言详情"))
        if text.strip():
            pairs.append((text, cell(row, "答复意见")))
    return pairs


def clean_reply(reply: str, *, drop_quotes: bool) -> str:
    """One line; quoted spans mostly restate the message's title, so they can be dropped."""
    text = QUOTED.sub(" ", reply) if drop_quotes else reply
    return clean_text(" ".join(text.split()))


class Setup:
    """Everything shared by the variants: features fitted once on train + all pools."""

    def __init__(self, small, hints, pool_texts, pairs, *, drop_quotes: bool = True):
        labelled = [
            (clean_text(t), lab.strip())
            for t, lab in zip(small.texts, small.labels, strict=True)
            if lab.strip()
        ]
        self.names = sorted({lab for _, lab in labelled})
        index = {n: i for i, n in enumerate(self.names)}
        hint_texts, hint_targets = _hint_documents(hints, index)
        self.hint_texts, self.hint_targets = hint_texts, np.array(hint_targets, dtype=np.int64)
        self.train_texts = [t for t, _ in labelled] + hint_texts
        self.targets = np.array([index[lab] for _, lab in labelled] + hint_targets, np.int64)
        self.n_real = len(labelled)
        self.priors = np.bincount(self.targets[: self.n_real], minlength=len(self.names)) / (
            self.n_real
        )
        self.reply_msgs = [clean_text(m) for m, _ in pairs]
        reply_set = set(self.reply_msgs)
        self.other_pool = [clean_text(t) for t in pool_texts]
        self.other_pool = [t for t in self.other_pool if t not in reply_set]
        self.features = FeatureSpaces.fit(
            self.train_texts + self.other_pool + self.reply_msgs, SETTINGS
        )
        self.X = self.features.transform(self.train_texts)
        self.XR = self.features.transform(self.reply_msgs)
        self.XO = self.features.transform(self.other_pool)
        replies = [clean_reply(r, drop_quotes=drop_quotes) for _, r in pairs]
        self.reply_vec = CharNgramTfidf(ngram_range=(1, 3), min_df=2)
        self.reply_vec.fit(replies + [clean_text(h) for h in hint_texts])
        self.RR = self.reply_vec.transform(replies)
        self.RH = self.reply_vec.transform([clean_text(h) for h in hint_texts])

    def message_model(self, rows, labels, *, self_train_other: float = 0.0):
        """Message-view model: real labels + hints + pseudo-labelled reply-file rows."""
        w = float(SETTINGS["pseudo_weight"])
        base = sp.csr_matrix(sp.vstack([self.X, self.XR[rows]], format="csr"))
        base_t = np.concatenate([self.targets, labels])
        base_w = np.concatenate([np.ones(len(self.targets)), np.full(len(labels), w)])
        extra_m, extra_t = base[:0], np.zeros(0, np.int64)
        if self_train_other > 0 and self.XO.shape[0]:
            rounds = int(SETTINGS["self_training_rounds"])
            for r in range(1, rounds + 1):
                stacked = sp.csr_matrix(sp.vstack([base, extra_m], format="csr"))
                coef, inter = fit_linear(
                    stacked,
                    np.concatenate([base_t, extra_t]),
                    len(self.names),
                    C=SETTINGS["C"],
                    sample_weight=np.concatenate([base_w, np.full(len(extra_t), w)]),
                )
                share = min(1.0, self_train_other / self.XO.shape[0]) * r / rounds
                chosen, extra_t = _most_confident(
                    scores_of(self.XO, coef, inter), share, self.priors
                )
                extra_m = self.XO[chosen]
        stacked = sp.csr_matrix(sp.vstack([base, extra_m], format="csr"))
        coef, inter = fit_linear(
            stacked,
            np.concatenate([base_t, extra_t]),
            len(self.names),
            C=SETTINGS["C"],
            sample_weight=np.concatenate([base_w, np.full(len(extra_t), w)]),
        )
        return coef, inter

    def reply_model(self, rows, labels, *, with_hints: bool = True):
        parts = [self.RR[rows]]
        t = [labels]
        wts = [np.ones(len(labels))]
        if with_hints:
            parts.insert(0, self.RH)
            t.insert(0, self.hint_targets)
            wts.insert(0, np.ones(len(self.hint_targets)))
        return fit_linear(
            sp.csr_matrix(sp.vstack(parts, format="csr")),
            np.concatenate(t),
            len(self.names),
            C=SETTINGS["C"],
            sample_weight=np.concatenate(wts),
        )

    def predictor(self, coef, inter) -> CategoryClassifier:
        return CategoryClassifier(
            labels=self.names,
            features=self.features,
            coef=coef,
            intercept=inter,
            temperature=1.0,
            params=SETTINGS,
        )


def _top_new(scores, free, count_per_class):
    """Most confident free rows of each predicted class (by top-2 margin)."""
    predicted = scores.argmax(axis=1)
    ordered = np.sort(scores, axis=1)
    margins = ordered[:, -1] - ordered[:, -2]
    picked = []
    for label, keep in enumerate(count_per_class):
        rows = np.flatnonzero(free & (predicted == label))
        picked.append(rows[np.argsort(-margins[rows], kind="stable")[:keep]])
    rows = np.concatenate(picked)
    return rows, predicted[rows]


def cotrain(s: Setup, budget: int, rounds: int = 5):
    """Blum & Mitchell: each view in turn labels its most confident free reply-file rows."""
    n = s.XR.shape[0]
    label = np.full(n, -1, np.int64)
    step = budget / (2 * rounds)
    per_class = np.ceil(step * s.priors).astype(int)
    for _ in range(rounds):
        rows = np.flatnonzero(label >= 0)
        coef, inter = s.message_model(rows, label[rows])
        new, lab = _top_new(scores_of(s.XR, coef, inter), label < 0, per_class)
        label[new] = lab
        rows = np.flatnonzero(label >= 0)
        coef, inter = s.reply_model(rows, label[rows])
        new, lab = _top_new(scores_of(s.RR, coef, inter), label < 0, per_class)
        label[new] = lab
    rows = np.flatnonzero(label >= 0)
    return rows, label[rows]


def agree(s: Setup, budget: int, folds: int = 5):
    """Message view (self-trained on all pools) labels the reply-file rows; a reply-view
    model, trained on its confident labels and cross-fitted, must agree."""
    coef, inter = s.message_model(np.zeros(0, np.int64), np.zeros(0, np.int64))
    scores = scores_of(s.XR, coef, inter)
    # Self-train the message view on the reply-file rows first (budget-capped, 3 rounds).
    rows, labs = np.zeros(0, np.int64), np.zeros(0, np.int64)
    for r in range(1, 4):
        rows, labs = _most_confident(scores, budget / s.XR.shape[0] * r / 3, s.priors)
        coef, inter = s.message_model(rows, labs)
        scores = scores_of(s.XR, coef, inter)
    m_pred = scores.argmax(axis=1)
    # Reply view trained on the message view's labels of ALL rows, cross-fitted.
    r_pred = np.zeros_like(m_pred)
    order = np.random.default_rng(0).permutation(len(m_pred))
    for k in range(folds):
        held = order[k::folds]
        fit = np.setdiff1d(order, held)
        c, i = s.reply_model(fit, m_pred[fit])
        r_pred[held] = scores_of(s.RR[held], c, i).argmax(axis=1)
    agreed = np.flatnonzero(m_pred == r_pred)
    ordered = np.sort(scores, axis=1)
    margins = (ordered[:, -1] - ordered[:, -2])[agreed]
    # Keep the most confident agreed rows per class within the budget.
    keep = []
    for label in range(len(s.names)):
        mine = agreed[m_pred[agreed] == label]
        mm = margins[m_pred[agreed] == label]
        keep.append(mine[np.argsort(-mm)[: int(np.ceil(budget * s.priors[label]))]])
    rows = np.sort(np.concatenate(keep))
    return rows, m_pred[rows], len(agreed)


def main() -> None:
    started = time.perf_counter()
    small = read_messages(TEDDY_DIR / "messages_labelled.xlsx")
    full = read_messages(TEDDY_DIR / "messages_labelled_full.xlsx")
    unl = read_messages(TEDDY_DIR / "messages_unlabelled.xlsx").texts
    votes = read_messages(TEDDY_DIR / "messages_with_votes.xlsx").texts
    pairs = read_replies(TEDDY_DIR / "messages_with_replies.xlsx")
    hints = read_taxonomy(TEDDY_DIR / "taxonomy.xlsx")
    seen = {clean_text(t) for t in small.texts}
    test = [(t, lab) for t, lab in zip(full.texts, full.labels, strict=True)]
    test = [(t, lab) for t, lab in test if clean_text(t) not in seen]
    test_texts = [t for t, _ in test]
    test_labels = [lab for _, lab in test]
    full_label = {clean_text(t): lab for t, lab in zip(full.texts, full.labels, strict=True)}
    reply_texts = [m for m, _ in pairs]
    all_pools = unl + votes + reply_texts
    print(f"train 345, test {len(test)}, reply pairs {len(pairs)}")
    overlap = sum(1 for m, _ in pairs if clean_text(m) in full_label)
    print(f"reply-file messages also in the full labelled set: {overlap} (diagnostic only)")

    def report(name, model, extra=""):
        macro, acc, _ = score(test_labels, model.predict(test_texts))
        print(f"{name:<62} {macro:.4f} {acc:.4f} {extra}", flush=True)

    def diag(s: Setup, rows, labs):
        known = [
            (full_label[s.reply_msgs[r]], s.names[lab])
            for r, lab in zip(rows, labs, strict=True)
            if s.reply_msgs[r] in full_label
        ]
        if not known:
            return f"n={len(rows)}"
        right = sum(a == b for a, b in known)
        return f"n={len(rows)} pseudo-acc on {len(known)} known={right / len(known):.3f}"

    print(f"{'model':<62} macroF1   acc")
    report("char-SVM (baseline)", train_char_svm(small.texts, small.labels))
    report("minsheng + hints", train_classifier(small.texts, small.labels, label_hints=hints))
    report(
        "minsheng + hints + self-train, unlabelled (prev best)",
        train_classifier(small.texts, small.labels, unlabelled=unl, label_hints=hints),
    )
    report(
        "minsheng + hints + self-train, all 3 pools",
        train_classifier(small.texts, small.labels, unlabelled=all_pools, label_hints=hints),
    )
    report(
        "minsheng + hints + self-train, replies pool only",
        train_classifier(small.texts, small.labels, unlabelled=reply_texts, label_hints=hints),
    )

    budget = int(float(SETTINGS["pseudo_per_label"]) * 345)  # 862, the existing cap
    none = np.zeros(0, np.int64)
    for other_name, other in [("unlabelled", unl), ("unlabelled+votes", unl + votes)]:
        for drop_quotes in (False, True):
            s = Setup(small, hints, other, pairs, drop_quotes=drop_quotes)
            tag = f"{'no quotes' if drop_quotes else 'raw reply'}; other={other_name}"
            print(f"-- {tag}; every model below self-trains on `other` ({budget}) --")
            report(
                "control: no reply-file pseudo-labels",
                s.predictor(*s.message_model(none, none, self_train_other=budget)),
            )
            coef, inter = s.message_model(none, none)
            rows, labs = none, none
            for r in range(1, 4):
                share = budget / s.XR.shape[0] * r / 3
                rows, labs = _most_confident(scores_of(s.XR, coef, inter), share, s.priors)
                coef, inter = s.message_model(rows, labs)
            report(
                f"control: message-view self-train on reply rows B={budget}",
                s.predictor(*s.message_model(rows, labs, self_train_other=budget)),
                diag(s, rows, labs),
            )
            for b in (budget // 2, budget, 2 * budget):
                rows, labs = cotrain(s, b)
                report(
                    f"co-train B={b}",
                    s.predictor(*s.message_model(rows, labs, self_train_other=budget)),
                    diag(s, rows, labs),
                )
                rows, labs, n_agreed = agree(s, b)
                report(
                    f"agree B={b}",
                    s.predictor(*s.message_model(rows, labs, self_train_other=budget)),
                    diag(s, rows, labs) + f" agreed={n_agreed}",
                )
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
