"""Reading a question: text → normalised words → entities → ranked intents (a `Reading`).

Owns: roles, levels, skills and other entities (`entities`), typo correction and intent scores
(`matcher`), the learnt keyword weights and out-of-scope evidence (`calibrate`). Normalising text
(`careerbot._text`) sits below every layer: validation needs it too.

May import: `careerbot.knowledge` and the base modules (`_errors`, `_record`, `_text`). Not dialogue,
answers or frontends.
"""
