"""careerbot: answers questions about machine-learning careers from a structured knowledge base.

    from careerbot import Engine
    engine = Engine.load()
    print(engine.ask("what does an MLOps engineer earn?").text)
"""

import gc as _gc

# Importing creates long-lived objects only: a collection during it is work for nothing (and a
# cold `careerbot ask` is a few milliseconds of Python start-up).
_collecting = _gc.isenabled()
_gc.disable()
try:
    from ._answer import Answer, Explanation
    from ._conversation import Conversation
    from ._engine import MAX_QUESTION_CHARS, Engine
    from ._errors import CareerbotError, KnowledgeError, Problem, StateError
finally:
    if _collecting:
        _gc.enable()
    del _gc, _collecting

__version__ = "0.1.0"

__all__ = [
    "MAX_QUESTION_CHARS",
    "Answer",
    "CareerbotError",
    "Conversation",
    "Engine",
    "Explanation",
    "KnowledgeError",
    "Problem",
    "StateError",
    "__version__",
]
