"""The dialogue: what to do with a reading in a conversation, and the conversation's state.

Owns: plans and offers (`plan`), the per-user state and its validation (`state`), the decision
policy and the state update after an answer (`policy`).

May import: `careerbot.reading`, `careerbot.knowledge` (and the base modules). Not answers or
frontends: where a decision needs to know how a plan is answered, the engine passes that in.
"""
