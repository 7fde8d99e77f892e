"""careerbot: answers questions about machine-learning careers from a structured knowledge base.

    from careerbot import Engine
    engine = Engine.load()
    print(engine.ask("what does an MLOps engineer earn?").text)
"""

from ._answer import Answer, Explanation
from ._conversation import Conversation
from ._engine import MAX_QUESTION_CHARS, Engine
from ._errors import CareerbotError, KnowledgeError, Problem, StateError

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
