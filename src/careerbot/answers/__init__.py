"""Answers: plans rendered as typed blocks, their plain-text layout, and the answer object.

Owns: the block types (`blocks`), the templates of each kind of answer (`render`), amounts of
money (`money`), the one plain-text layout (`plain`), the `Answer` and its explanation (`answer`),
and turning a decision into an answer (`compose`).

May import: `careerbot.dialogue`, `careerbot.reading`, `careerbot.knowledge` (and the base
modules). Not the engine or frontends.
"""
