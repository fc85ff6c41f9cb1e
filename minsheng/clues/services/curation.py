"""Curation of clues: links to similar clues, tags such as typical case, public visibility."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minsheng.accounts.actors import Actor
from minsheng.clues.choices import LinkKind
from minsheng.clues.errors import ClueValidationError
from minsheng.clues.models import Clue, ClueEvent, ClueLink, Tag
from minsheng.clues.services.lifecycle import TransitionContext, clue_transition
from minsheng.clues.workflow import Action


def clue_link(
    *,
    clue_id: int,
    actor: Actor,
    other_clue_id: int,
    kind: LinkKind | str = LinkKind.SIMILAR,
    score: float | None = None,
) -> ClueEvent:
    """Record that another clue is a likely duplicate of, or similar to, this one."""
    if kind not in LinkKind.values:
        raise ClueValidationError(_("关联类型无效。"), field="kind")
    if other_clue_id == clue_id:
        raise ClueValidationError(_("不能关联自身。"), field="other_clue")

    def step(context: TransitionContext) -> None:
        other = Clue.objects.filter(pk=other_clue_id).first()
        if other is None:
            raise ClueValidationError(_("被关联的线索不存在。"), field="other_clue")
        _link, created = ClueLink.objects.update_or_create(
            from_clue=context.clue,
            to_clue=other,
            defaults={"kind": kind, "score": score, "created_by": actor.user},
        )
        context.payload.update(
            other=other.pk,
            other_code=other.tracking_code,
            kind=str(kind),
            score=score,
            created=created,
        )

    return clue_transition(clue_id=clue_id, action=Action.LINK, actor=actor, step=step)


def clue_set_tags(
    *, clue_id: int, actor: Actor, tags: Iterable[str], reason: str = ""
) -> ClueEvent:
    """Replace the clue's tags (by slug); unknown slugs are an error, not silently created."""
    slugs = sorted({slug.strip() for slug in tags if slug.strip()})
    known = {tag.slug: tag for tag in Tag.objects.filter(slug__in=slugs)}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        raise ClueValidationError(
            _("未知标签：%(tags)s") % {"tags": _("、").join(unknown)}, field="tags"
        )

    def step(context: TransitionContext) -> None:
        before = sorted(context.clue.tags.values_list("slug", flat=True))
        context.clue.tags.set(known.values())
        context.payload.update(tags={"from": before, "to": slugs})

    return clue_transition(
        clue_id=clue_id, action=Action.SET_TAGS, actor=actor, reason=reason, step=step
    )


def clue_mark_typical(*, clue_id: int, actor: Actor, typical: bool, reason: str = "") -> ClueEvent:
    """Mark (or unmark) an important typical clue (典型案例).

    The tag is shared data, so its name is stored in the source language whatever language
    the request is in; pages translate it when they show it.
    """
    Tag.objects.get_or_create(slug=Tag.TYPICAL, defaults={"name": gettext_noop("典型案例")})
    current = set(Clue.objects.get(pk=clue_id).tags.values_list("slug", flat=True))
    wanted = current | {Tag.TYPICAL} if typical else current - {Tag.TYPICAL}
    return clue_set_tags(clue_id=clue_id, actor=actor, tags=wanted, reason=reason)


def clue_set_public(*, clue_id: int, actor: Actor, public: bool, reason: str) -> ClueEvent:
    """Publish an answered clue (identity is never published) or withdraw publication."""

    def step(context: TransitionContext) -> None:
        context.payload["public"] = {"from": context.clue.is_public, "to": public}
        context.set(is_public=public)

    return clue_transition(
        clue_id=clue_id, action=Action.SET_PUBLIC, actor=actor, reason=reason, step=step
    )
