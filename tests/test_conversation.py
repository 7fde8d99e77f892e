"""Conversations: follow-ups that carry the role or the topic, clarifications, comparisons, and the
state that can be saved and restored."""

from __future__ import annotations

import json

import pytest

from careerbot import Engine, StateError
from careerbot.frontends.cli import main


def turns(engine: Engine, *questions: str):
    chat = engine.conversation()
    return [chat.ask(q) for q in questions]


@pytest.mark.parametrize("follow_up, intent", [
    ("how much do they make?", "salary"),
    ("what skills does it need", "skills"),
    ("how do I become one", "how_to_become"),
    ("what projects would that role involve", "projects"),
    ("is this job in demand", "outlook"),
])
def test_the_role_carries_over_to_a_follow_up(engine, follow_up, intent):
    """"tell me about NLP engineers" → "how much do they make?" answers for NLP engineers."""
    _, answer = turns(engine, "tell me about NLP engineers", follow_up)
    assert (answer.intent, answer.roles) == (intent, ("nlp-engineer",))


def test_explain_says_the_role_came_from_context(engine):
    """The explanation marks a role taken from the conversation."""
    _, answer = turns(engine, "tell me about NLP engineers", "and their salary?")
    assert any(e.from_context and e.value == "nlp-engineer" for e in answer.explain.entities)
    assert "from the conversation" in str(answer.explain)


@pytest.mark.parametrize("follow_up", ["what about data engineers?", "and for data engineers", "data engineers?"])
def test_the_topic_carries_over_to_a_new_role(engine, follow_up):
    """"salary of a CV engineer" → "what about data engineers?" keeps asking about salary."""
    _, answer = turns(engine, "salary of a CV engineer", follow_up)
    assert (answer.intent, answer.roles) == ("salary", ("data-engineer",))


def test_a_role_only_reply_answers_a_pending_clarification(engine):
    """"what salary can I expect?" → "for a data scientist" gives the data scientist's salary."""
    first, second = turns(engine, "what salary can I expect?", "for a data scientist")
    assert first.intent == "salary" and first.roles == ()
    assert (second.intent, second.roles) == ("salary", ("data-scientist",))


def test_a_required_role_is_asked_for_then_filled(engine):
    """A question about duties without a role asks which; the next turn's role answers it."""
    first, second = turns(engine, "what would my responsibilities be", "MLOps")
    assert first.intent == "role_overview" and "Which role" in first.text
    assert (second.intent, second.roles) == ("role_overview", ("mlops-engineer",))


def test_compare_with_the_role_in_context(engine):
    """"how does that stack up against a data scientist" compares the role in context with it, context first."""
    _, answer = turns(engine, "what is an ML engineer's job", "how does that stack up against a data scientist")
    assert (answer.intent, answer.roles) == ("compare_roles", ("ml-engineer", "data-scientist"))


def test_after_a_comparison_follow_ups_apply_to_both_roles(engine):
    """After "DS vs MLE", "how much do they make?" answers for both."""
    _, answer = turns(engine, "data scientist vs ML engineer", "how much do they make?")
    assert (answer.intent, answer.roles) == ("salary", ("data-scientist", "ml-engineer"))


def test_context_survives_small_talk_and_an_out_of_scope_turn(engine):
    """A greeting and an unrelated question in between do not lose the role."""
    *_, answer = turns(engine, "tell me about cloud architects", "thanks!", "what's the weather in Paris",
                       "what do they earn")
    assert (answer.intent, answer.roles) == ("salary", ("cloud-architect",))


def test_a_question_of_its_own_is_not_placed_in_the_field_by_the_roles_in_play(engine):
    """After talk of a role, a question that does not refer back to it and is mostly words careerbot
    does not know ("how does backpropagation work") is not taken as a question about the role."""
    _, answer = turns(engine, "what do MLOps engineers do", "could you walk me through how backpropagation works")
    assert answer.intent == "out_of_scope"
    _, answer = turns(engine, "what do MLOps engineers do", "and what do they earn")
    assert (answer.intent, answer.roles) == ("salary", ("mlops-engineer",))


def test_context_fades_after_several_unrelated_turns(engine):
    """After three turns that do not use it, the role is forgotten."""
    *_, answer = turns(engine, "tell me about cloud architects", "hi", "play some jazz", "set an alarm",
                       "what do they earn")
    assert answer.roles == ()


def test_a_new_explicit_role_replaces_the_old_one(engine):
    """Naming a role moves the conversation to it."""
    *_, answer = turns(engine, "tell me about NLP engineers", "what does a data engineer do", "what do they earn")
    assert answer.roles == ("data-engineer",)


def test_a_question_naming_its_own_role_ignores_context(engine):
    """A question with its own role is answered for that role."""
    _, answer = turns(engine, "tell me about NLP engineers", "skills for a cloud architect")
    assert answer.roles == ("cloud-architect",)


def test_a_general_question_does_not_take_the_role_in_context(engine):
    """"...for machine learning jobs" is about the field, not the role discussed before."""
    _, answer = turns(engine, "tell me about NLP engineers", "which skills do machine learning jobs call for")
    assert (answer.intent, answer.roles) == ("skills", ())


def test_reset_clears_the_context(engine):
    """`reset()` forgets the role."""
    chat = engine.conversation()
    chat.ask("tell me about NLP engineers")
    chat.reset()
    assert chat.ask("how much do they make?").roles == ()


def test_a_number_asks_the_previous_suggestion(engine):
    """Typing "1" asks the first suggestion of the previous answer."""
    chat = engine.conversation()
    first = chat.ask("tell me about NLP engineers")
    picked = chat.ask("1")
    assert picked.intent == engine.ask(first.suggestions[0]).intent and picked.roles == ("nlp-engineer",)


def test_suggestions_come_from_the_knowledge_about_the_current_role(engine):
    """Suggestions name the role and skip topics the knowledge base has nothing on."""
    answer = engine.ask("what does an MLOps engineer do")
    assert 2 <= len(answer.suggestions) <= 3
    assert all("MLOps Engineer" in s for s in answer.suggestions)
    assert not any("projects" in s.lower() for s in answer.suggestions)   # no MLOps projects in the sources


def test_state_round_trips_through_json(engine):
    """A saved state, restored in a new conversation, keeps the context."""
    chat = engine.conversation()
    chat.ask("tell me about NLP engineers")
    restored = engine.conversation(json.loads(json.dumps(chat.state)))
    assert restored.ask("how much do they make?").roles == ("nlp-engineer",)
    assert chat.state["version"] == 2


@pytest.mark.parametrize("state, message", [
    ("not a dict", "JSON object"),
    ({"version": 99}, "version"),
    ({"version": 1, "roles": ["astronaut"]}, "roles"),
    ({"version": 1, "roles": ["ml-engineer"] * 3}, "roles"),
    ({"version": 1, "topic": "rm -rf"}, "topic"),
    ({"version": 1, "idle": -1}, "idle"),
    ({"version": 1, "suggestions": ["x" * 10_000]}, "suggestions"),
    ({"version": 1, "evil": True}, "unknown fields"),
])
def test_bad_state_is_refused_with_a_clear_error(engine, state, message):
    """State from outside is validated; a bad one raises StateError (a ValueError)."""
    with pytest.raises(StateError, match=message):
        engine.conversation(state)
    assert issubclass(StateError, ValueError)


def test_conversations_do_not_share_context(engine):
    """Two conversations on one engine keep their own roles."""
    a, b = engine.conversation(), engine.conversation()
    a.ask("tell me about NLP engineers")
    b.ask("tell me about cloud architects")
    assert a.ask("what do they earn").roles == ("nlp-engineer",)
    assert b.ask("what do they earn").roles == ("cloud-architect",)


def test_a_question_asked_again_in_the_same_context_is_answered_from_memory(engine):
    """Unit test of internals: the engine keeps its latest replies, so the same question in the same
    context gets the very same (immutable) answer without being read and decided again; in another
    context it is answered afresh."""
    question = "which skills does a data engineer need, and what do they earn?"
    assert engine.ask(question) is engine.ask(question)
    chat = engine.conversation()
    chat.ask("tell me about NLP engineers")
    assert chat.ask("what do they earn") is not engine.conversation().ask("what do they earn")


def test_piped_lines_are_one_conversation(capsys, monkeypatch):
    """`careerbot` with piped input answers each line in one conversation (--json: a line each)."""
    import io
    stdin = io.StringIO("tell me about NLP engineers\n\nhow much do they make?\n")
    out = io.StringIO()
    assert main(["--json"], stdin=stdin, stdout=out) == 0
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(a["intent"], a["entities"]["roles"]) for a in lines] == [
        ("role_overview", ["nlp-engineer"]), ("salary", ["nlp-engineer"])]
    assert "$123,000" in lines[1]["text"]


def test_close_intents_ask_did_you_mean_and_a_number_picks(data_copy):
    """Two intents scoring within the margin get "did you mean …?"; "2" answers the second."""
    intents, knowledge = data_copy
    for name, word in (("zebra_facts", "facts"), ("zebra_fact", "fact")):
        (intents / f"{name}.yaml").write_text(
            f"id: {name}\ndescription: test\nkeywords: [zebra]\nreply: {name} reply\nexamples:\n"
            + "".join(f"  - tell me zebra {word} number {n}\n" for n in range(15)))
    engine = Engine.load(intents=intents, knowledge=knowledge)
    chat = engine.conversation()
    question = chat.ask("tell me zebra fact number 3 for ml")
    assert question.choosing and len(question.suggestions) == 2
    assert chat.ask("2").text in {"zebra_facts reply", "zebra_fact reply"}


def test_a_role_matching_two_roles_equally_asks_which(data_copy):
    """Words that fit two roles almost equally get "did you mean" with both roles."""
    intents, knowledge = data_copy
    path = knowledge / "roles" / "cloud-architect.yaml"
    path.write_text(path.read_text().replace("aliases:\n", "aliases:\n  - data engineir\n", 1))
    chat = Engine.load(intents=intents, knowledge=knowledge).conversation()
    answer = chat.ask("what does a dataenginer do")
    assert answer.choosing
    assert {"Data Engineer" in s or "Cloud Architect" in s for s in answer.suggestions} == {True}
    picked = chat.ask("2")
    assert picked.intent == "role_overview" and len(picked.roles) == 1


def test_the_state_keeps_each_suggestion_as_a_plan_with_its_text(engine):
    """What an answer offers is saved as the plan it asks for (intent and roles) beside the text shown."""
    chat = engine.conversation()
    answer = chat.ask("tell me about NLP engineers")
    offers = chat.state["offers"]
    assert [offer["text"] for offer in offers] == list(answer.suggestions) and chat.state["choosing"] is False
    assert offers[0]["intent"] == "salary" and offers[0]["roles"] == ["nlp-engineer"]


def test_picking_a_suggestion_answers_its_plan_never_its_text_again(engine):
    """A number picks the plan of that offer: the text shown is never read again (here it says
    something else entirely), and the answer is that of the plan, with full confidence."""
    state = {"version": 2, "roles": [], "topic": None, "level": None, "idle": 0, "choosing": False,
             "offers": [{"text": "Sing me a lullaby", "intent": "salary", "roles": ["nlp-engineer"]}]}
    answer = engine.conversation(state).ask("1")
    assert answer.intent == "salary" and answer.roles == ("nlp-engineer",) and answer.confidence == 1.0
    assert answer.text == engine.ask("what does an NLP engineer earn").text
    assert answer.explain.decision == "answer: picked suggestion 1 of the previous answer"


def test_picking_a_did_you_mean_choice_by_its_words_answers_its_plan(engine):
    """The words of a "did you mean …?" choice pick it, as its number does."""
    chat = engine.conversation()
    first = chat.ask("MLOps courses or certs?")
    assert first.choosing and chat.state["choosing"] is True
    by_words = engine.conversation(chat.state).ask(first.suggestions[1])
    by_number = engine.conversation(chat.state).ask("2")
    assert by_words.to_dict() == by_number.to_dict() and by_number.confidence == 1.0


def test_a_version_1_state_still_restores(engine):
    """A state saved by the previous version restores: its suggestions, kept as text only, are
    asked as their text when picked; its did-you-mean choices are picked as plans; what it exports
    is the current version."""
    suggestions = {"version": 1, "roles": ["nlp-engineer"], "topic": "role_overview", "level": None, "idle": 0,
                   "suggestions": ["What does an NLP Engineer earn?"], "choices": []}
    chat = engine.conversation(suggestions)
    assert chat.state["version"] == 2 and chat.state["offers"] == [{"text": "What does an NLP Engineer earn?"}]
    answer = chat.ask("1")
    assert answer.intent == "salary" and answer.text == engine.ask("What does an NLP Engineer earn?").text
    choices = {"version": 1, "roles": ["data-engineer"], "topic": None, "level": None, "idle": 0,
               "suggestions": ["What does a Data Engineer earn?", "What skills does a Data Engineer need?"],
               "choices": [{"intent": "salary", "roles": ["data-engineer"]}, {"intent": "skills", "roles": ["data-engineer"]}]}
    picked = engine.conversation(choices).ask("2")
    assert picked.intent == "skills" and picked.roles == ("data-engineer",) and picked.confidence == 1.0


def test_a_topic_in_progress_places_a_short_follow_up_in_the_field(engine):
    """After how to get into ML, "how do I start?" continues it: the conversation is about the field,
    as if the question had said "ML". An everyday request right after is still out of scope."""
    chat = engine.conversation()
    chat.ask("how can a teacher get into machine learning")
    assert chat.ask("how do I start").intent == "how_to_become"
    assert chat.ask("what's the forecast for the weekend").intent == "out_of_scope"
