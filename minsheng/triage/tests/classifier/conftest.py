"""Tiny synthetic corpora: three topics with their own vocabulary and shared filler."""

from __future__ import annotations

import random

import pytest

TOPICS = {
    "交通运输": ["公交", "线路", "站台", "出租车", "道路拥堵", "地铁"],
    "教育文体": ["学校", "老师", "学生", "幼儿园", "补课", "学费"],
    "环境保护": ["污染", "噪音", "排放", "垃圾焚烧", "臭味", "废水"],
}
FILLER = ["我们", "小区", "附近", "希望", "尽快", "解决", "问题", "反映", "情况", "严重"]


def make_corpus(per_class: int, *, seed: int = 0) -> tuple[list[str], list[str]]:
    """Title + body texts whose topic words reveal the label."""
    rng = random.Random(seed)
    texts, labels = [], []
    for label, words in TOPICS.items():
        for _ in range(per_class):
            title = "".join(rng.sample(words, 2)) + rng.choice(FILLER)
            body = "".join(rng.choice(words + FILLER + FILLER) for _ in range(12))
            texts.append(f"{title}\n{body}")
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="session")
def corpus() -> tuple[list[str], list[str]]:
    return make_corpus(20)


@pytest.fixture(scope="session")
def trained(corpus):
    from minsheng.triage.classifier import train_classifier

    texts, labels = corpus
    return train_classifier(texts, labels)
