"""The public surface of `careerbot` is `__all__`, pinned here: adding or removing a name is a
decision, made in this file too (as httpx does)."""

import careerbot

PUBLIC = [
    "MAX_QUESTION_CHARS", "Answer", "Bar", "CareerbotError", "Catalogue", "Chart", "Cited", "Conversation", "Engine",
    "EvalFileError", "Explanation", "Heading", "IntentEntry", "KnowledgeError", "LeftOut", "ListBlock", "Notice", "Offer",
    "Paragraph", "Plan", "Problem", "Problems", "Report", "RoleEntry", "SourceEntry", "StateError", "Table",
    "__version__", "clean_echo", "cross_validate", "evaluate", "validate",
]


def test_all_is_pinned_and_sorted():
    """`careerbot.__all__` is exactly the names above, sorted: constants, then classes, then the rest."""
    def order(name: str) -> tuple:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)
    assert careerbot.__all__ == PUBLIC == sorted(PUBLIC, key=order)


def test_every_exported_name_exists():
    """Every name of `__all__` can be imported from `careerbot`, the lazy ones included."""
    for name in careerbot.__all__:
        assert getattr(careerbot, name) is not None, name


def test_the_engine_has_four_public_verbs():
    """`Engine` offers `load`, `ask`, `conversation` and `catalogue`; everything else is private."""
    public = {name for name in dir(careerbot.Engine) if not name.startswith("_")}
    assert public == {"load", "ask", "conversation", "catalogue"}
