"""The demo's data, written by us in Chinese: departments, the responsibility list, SLA
policies, accounts and clues. Every person, phone number and ID number is fictional."""

from __future__ import annotations

from minsheng.demo.data import clues_city, clues_energy, clues_livelihood, clues_water
from minsheng.demo.story import DemoClue

# In loading order: a clue merged into another comes after it.
DEMO_CLUES: tuple[DemoClue, ...] = (
    *clues_water.CLUES,
    *clues_energy.CLUES,
    *clues_city.CLUES,
    *clues_livelihood.CLUES,
)
