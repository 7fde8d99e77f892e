"""`careerbot.validate()`: the problems of a pair of data folders, as data."""

from __future__ import annotations

import os

from ._errors import KnowledgeError, Problem


class Problems(list):
    """The problems found, each with its file and line (`Problem`); empty when the folders are valid.

    `total` counts every problem found, `unlisted` those the list neither shows nor counts in a
    "… and N more in this file" entry (at most 20 are listed a file and 200 in all).
    """

    total: int = 0
    unlisted: int = 0


def validate(intents: str | os.PathLike | None = None, knowledge: str | os.PathLike | None = None) -> Problems:
    """Check the intent and knowledge folders (the shipped ones by default): the shape of every
    file, then the checks across files. Returns the problems, an empty list when there are none.
    Each names its file under the folder as given (`mykb/roles/x.yaml`); the shipped folders' files
    as they stand in the repository (`knowledge/roles/x.yaml`)."""
    from .knowledge.loader import load_knowledge_base
    try:
        load_knowledge_base(intents=intents, knowledge=knowledge)
    except KnowledgeError as error:
        problems = Problems(error.problems)
        problems.total, problems.unlisted = error.total, error.unlisted
        return problems
    return Problems()


__all__ = ["Problem", "Problems", "validate"]
