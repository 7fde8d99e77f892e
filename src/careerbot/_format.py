"""Plain-text presentation of an answer, shared by the command line and the chat."""

from __future__ import annotations

from ._answer import Answer
from ._model import KnowledgeBase


def source_lines(answer: Answer, knowledge: KnowledgeBase) -> list[str]:
    """`[1] Title (file)` for each source, numbered as the answer text cites them."""
    lines = []
    for number, source_id in enumerate(answer.sources, 1):
        source = knowledge.sources.get(source_id)
        title = f"{source.title} ({source.file})" if source else source_id
        lines.append(f"[{number}] {title}" if len(answer.sources) > 1 else title)
    return lines


def format_answer(answer: Answer, knowledge: KnowledgeBase, *, explain: bool = False) -> str:
    parts = [answer.text]
    sources = source_lines(answer, knowledge)
    if sources:
        label = "Sources:" if len(sources) > 1 else "Source:"
        parts.append(label + "\n" + "\n".join(f"  {line}" for line in sources))
    if answer.suggestions:
        parts.append("You could ask next:\n" + "\n".join(f"  {i}. {s}" for i, s in enumerate(answer.suggestions, 1)))
    if explain and answer.explain is not None:
        parts.append("Why this answer:\n" + "\n".join(f"  {line}" for line in str(answer.explain).splitlines()))
    return "\n\n".join(parts)


def answer_json(answer: Answer, *, explain: bool = False, state: dict | None = None, ascii_only: bool = False) -> str:
    """The answer object as one line of JSON; `ascii_only` escapes every other character (for an
    output whose encoding is not UTF-8: the escapes lose nothing, a replaced character would)."""
    import json
    data = answer.to_dict(explain=explain)
    if state is not None:
        data["state"] = state
    return json.dumps(data, ensure_ascii=ascii_only)
