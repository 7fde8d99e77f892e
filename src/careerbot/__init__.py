"""careerbot: answers questions about machine-learning careers from a structured knowledge base.

    from careerbot import Engine
    engine = Engine.load()
    print(engine.ask("what does an MLOps engineer earn?").text)

The public surface is `__all__`; everything else is private and may change. The package reads as
the flow (ARCHITECTURE.md): `knowledge/` → `reading/` → `dialogue/` → `answers/` → the engine
(`_engine.py`) → `frontends/`, each layer importing only those before it; frontends use only what
is exported here.
"""

__version__ = "0.1.0"

_WHERE = {
    "Catalogue": "_catalogue", "IntentEntry": "_catalogue", "RoleEntry": "_catalogue", "SourceEntry": "_catalogue",
    "Conversation": "_engine", "Engine": "_engine",
    "CareerbotError": "_errors", "KnowledgeError": "_errors", "Problem": "_errors", "StateError": "_errors",
    "EvalFileError": "_evaluate", "Report": "_evaluate", "cross_validate": "_evaluate", "evaluate": "_evaluate",
    "Problems": "_validate", "validate": "_validate",
    "Answer": "answers.answer", "Explanation": "answers.answer",
    "Bar": "answers.blocks", "Chart": "answers.blocks", "Cited": "answers.blocks", "Heading": "answers.blocks",
    "LeftOut": "answers.blocks", "ListBlock": "answers.blocks", "Notice": "answers.blocks", "Paragraph": "answers.blocks", "Table": "answers.blocks",
    "Offer": "dialogue.plan", "Plan": "dialogue.plan",
    "MAX_QUESTION_CHARS": "_text", "clean_echo": "_text",
}
"""Where each public name is defined. Each is imported when first used (PEP 562), so that a
frontend decides what its start costs: `careerbot ask` imports neither YAML nor the evaluation
nor the chat, and the command line can load the engine with the collector paused."""


def __getattr__(name: str):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'careerbot' has no attribute {name!r}")
    value = getattr(__import__(f"{__name__}.{module}", fromlist=(name,)), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "MAX_QUESTION_CHARS",
    "Answer",
    "Bar",
    "CareerbotError",
    "Catalogue",
    "Chart",
    "Cited",
    "Conversation",
    "Engine",
    "EvalFileError",
    "Explanation",
    "Heading",
    "IntentEntry",
    "KnowledgeError",
    "LeftOut",
    "ListBlock",
    "Notice",
    "Offer",
    "Paragraph",
    "Plan",
    "Problem",
    "Problems",
    "Report",
    "RoleEntry",
    "SourceEntry",
    "StateError",
    "Table",
    "__version__",
    "clean_echo",
    "cross_validate",
    "evaluate",
    "validate",
]
