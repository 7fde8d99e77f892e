"""The knowledge base: the data folders, read safely and validated, as an immutable model.

Owns: where the shipped `intents/` and `knowledge/` folders are (`folders`), safe YAML with line
numbers (`yaml`), each file's shape and the checks across files (`loader`), the model of roles,
topics, intents and what they declare (`model`).

May import: `careerbot._errors`, `careerbot._record`. Nothing above it: it knows nothing of
reading questions, dialogue, answers or frontends.
"""
