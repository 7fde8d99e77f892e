"""Suggestions and context that follow the conversation (issue 13)."""

import pytest

from careerbot import Engine


def test_a_question_already_asked_is_not_suggested_again(engine: Engine):
    """After a comparison, no suggestion repeats a question answered earlier in the conversation."""
    chat = engine.conversation()
    chat.ask("what does an ML engineer earn")
    chat.ask("what skills does an ML engineer need")
    answer = chat.ask("how does an ML engineer compare to a data scientist")
    assert answer.suggestions
    assert "What does an ML Engineer earn?" not in answer.suggestions
    assert "What skills does an ML Engineer need?" not in answer.suggestions


def test_what_careerbot_cannot_answer_is_not_suggested(engine: Engine):
    """A role whose salary careerbot says it has no figure for is never offered "What does … earn?"."""
    assert "won't guess" in engine.ask("what does a data engineer earn").text
    for question in ("what does a data engineer do", "what skills does a data engineer need",
                     "how do I become a data engineer"):
        assert "What does a Data Engineer earn?" not in engine.ask(question).suggestions, question


def test_a_pick_beyond_the_suggestions_says_how_many_there_are(engine: Engine):
    """"7" after three suggestions says there are only three, offers the same ones again, and a
    valid number then still picks."""
    chat = engine.conversation()
    first = chat.ask("tell me about NLP engineers")
    assert len(first.suggestions) == 3
    beyond = chat.ask("7")
    assert "only 3 suggestions" in beyond.text and beyond.suggestions == first.suggestions
    assert chat.ask("1").text == engine.ask(first.suggestions[0]).text


@pytest.mark.parametrize("first, second, question, roles", [
    ("what does an mlops engineer do", "and for computer vision?", "which one pays more",
     ("mlops-engineer", "computer-vision-engineer")),
    # not which roles need maths in general
    ("what do data engineers earn", "and NLP engineers?", "which one needs more maths?",
     ("data-engineer", "nlp-engineer")),
])
def test_which_one_compares_the_roles_of_the_last_turns(engine: Engine, first, second, question, roles):
    """One role, then another, then "which one pays more" (or needs more of a skill) compares the
    two, in the order they were named."""
    chat = engine.conversation()
    chat.ask(first)
    chat.ask(second)
    answer = chat.ask(question)
    assert answer.intent == "compare_roles"
    assert answer.roles == roles


def test_filler_words_weigh_for_no_intent(engine: Engine):
    """ "even" ("what does X even do") says nothing of the topic: no keyword weighs it (it once did,
    as the stem of the greeting's "evening")."""
    answer = engine.ask("what does an MLOps engineer even do all day")
    assert answer.intent == "role_overview"
    assert not any(keyword == "even" for ranked in answer.explain.ranking for keyword, _ in ranked.keywords)


def test_did_you_mean_lists_its_choices_once(engine: Engine):
    """A "did you mean …?" shows its choices once: as the numbered choices, not also in its text."""
    answer = engine.ask("MLOps courses or certs?")
    assert answer.choosing and answer.to_dict()["choices"] is True and len(answer.suggestions) == 2
    shown = answer.display()
    assert all(shown.count(choice) == 1 for choice in answer.suggestions)
    assert "Did you mean:" in shown and "You could ask next" not in shown


def test_the_former_or_the_second_one_picks_one_of_the_two_roles_in_play(engine: Engine):
    """After two roles are set side by side, "the former", "the latter", "the first one" and "the
    second one" name one of them, also once a later answer was about only one."""
    chat = engine.conversation()
    chat.ask("MLOps engineer or cloud architect?")
    answer = chat.ask("what skills does the latter need?")
    assert (answer.intent, answer.roles) == ("skills", ("cloud-architect",))
    answer = chat.ask("and the first one?")
    assert (answer.intent, answer.roles) == ("skills", ("mlops-engineer",))


def test_an_ordinal_alone_after_a_comparison_or_two_questions_names_that_role(engine: Engine):
    """Right after a comparison, "and the second one?" asks what that role is; after questions about
    one role and then another, "the first one" is the one asked about first."""
    chat = engine.conversation()
    chat.ask("data engineer vs NLP engineer")
    answer = chat.ask("and the second one?")
    assert (answer.intent, answer.roles) == ("role_overview", ("nlp-engineer",))
    chat = engine.conversation()
    chat.ask("what does a cloud architect earn")
    chat.ask("and an MLOps engineer?")
    answer = chat.ask("and the first one?")
    assert (answer.intent, answer.roles) == ("salary", ("cloud-architect",))


def test_which_industries_hire_them_asks_about_the_role_in_play(engine: Engine):
    """"which industries hire them" after a role is asked of that role, as it is when the question
    names it; a question that names the whole field ("ML people") widens to it."""
    chat = engine.conversation()
    chat.ask("what does an NLP engineer do")
    answer = chat.ask("which industries hire them")
    assert (answer.intent, answer.roles) == ("industries", ("nlp-engineer",))
    assert chat.ask("which industries pay ML people the most").roles == ()


def test_a_role_pointed_at_by_a_word_of_its_name_is_that_role(engine: Engine):
    """After the list of roles, "the product one" is the AI product manager and the next
    questions are about it; "the cloud role" names the cloud architect anywhere."""
    chat = engine.conversation()
    chat.ask("which ML roles are there")
    assert chat.ask("the product one, what does it involve").roles == ("ai-product-manager",)
    assert chat.ask("how much does it pay").roles == ("ai-product-manager",)
    assert engine.ask("what does the cloud role involve").roles == ("cloud-architect",)


@pytest.mark.parametrize("question", ["tell me about careers in big data engineering",
                                      "any thoughts on AI ethics as a career path"])
def test_a_question_naming_a_role_is_no_request_for_the_list_of_roles(engine: Engine, question):
    """"careers in big data engineering" reads almost as much like a question about the role as like
    one about the roles there are: the role it names decides, and the answer is about it."""
    answer = engine.ask(question)
    assert answer.intent != "list_roles" and len(answer.roles) == 1


def test_the_roles_besides_one_are_still_the_list(engine: Engine):
    assert engine.ask("what roles are there besides data science").intent == "list_roles"
