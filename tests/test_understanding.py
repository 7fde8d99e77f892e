"""Normalisation, entity extraction and intent matching: what the engine understands (the normalisation
cases are unit tests of internals: `careerbot._text`)."""

from __future__ import annotations

import pytest

from careerbot._text import normalise


@pytest.mark.parametrize("text, words", [
    ("How’s the PAY for NLP engineers?", "how is the pay for nlp engineers"),
    ("an engineer's salary", "an engineer salary"),
    ("I'm new; don't know C++ or C#", "i am new do not know c++ or c#"),
    ("scikit-learn / CI/CD", "scikit learn ci cd"),
    ("Résumé tips!!!", "resume tips"),
    ("is $$ fair, like $120,000?", "is money fair like $120000"),
    ("", ""),
])
def test_normalise_folds_case_contractions_possessives_and_punctuation(text, words):
    """Spelling variants reduce to the same words, keeping symbols that belong to skills."""
    assert normalise(text).text == words


def test_what_a_question_becomes_under_normalisation_stays_within_the_length_read():
    """Compatibility forms that expand ("\ufb03" is "ffi") do not make a question of 1,000
    characters several times longer to read."""
    from careerbot._text import MAX_QUESTION_CHARS
    assert len(normalise("\ufb03 " * (MAX_QUESTION_CHARS // 2)).text) <= MAX_QUESTION_CHARS
    assert normalise("e\ufb03cient").text == "efficient"


@pytest.mark.parametrize("question, roles", [
    ("machin lerning enginer salary", ("ml-engineer",)),
    ("what does an MLE do", ("ml-engineer",)),
    ("DS skills", ("data-scientist",)),
    ("tips for a CV engineer", ("computer-vision-engineer",)),
    ("AI researcher pay", ("research-scientist",)),
    ("is a big data engineer a data engineer", ("big-data-engineer", "data-engineer")),
    ("data scientist vs ML eng", ("data-scientist", "ml-engineer")),
    ("what does a PM for AI do", ("ai-product-manager",)),
    ("do jobs in language processing pay well", ("nlp-engineer",)),
    ("which degree suits ethics in AI", ("ai-ethics-specialist",)),
    ("how much maths does research in ML take", ("research-scientist",)),
    ("skills for the product side of AI", ("ai-product-manager",)),
    ("what do people in speech recognition earn", ("nlp-engineer",)),
    ("which skills does image recognition work call for", ("computer-vision-engineer",)),
])
def test_roles_are_found_through_aliases_abbreviations_and_typos(engine, question, roles):
    """Roles come out in the order the question names them, whatever the spelling."""
    assert engine.ask(question).roles == roles


@pytest.mark.parametrize("question", ["is it good to do ML", "what is the future of machine learning people",
                                      "how much do mid-level machine learning people make", "i do data stuff"])
def test_short_common_words_and_the_field_itself_are_not_roles(engine, question):
    """"it", "do", "machine learning" alone or "machine learning people" are not a role."""
    assert engine.ask(question).roles == ()


def test_levels_and_skills_are_extracted(engine):
    """Career levels and skills are entities with canonical values."""
    assert engine.ask("junior ML salary").level == "entry"
    assert engine.ask("what do principal machine learning people earn").level == "senior"
    # the level asked about is the last named: the first is often the asker's own
    assert engine.ask("junior ML engineer here: what will I earn once I'm senior?").level == "senior"
    assert engine.ask("which roles use k8s").skill == "Kubernetes"
    assert engine.ask("jobs for people who know pyspark").skill == "Spark"


@pytest.mark.parametrize("question, intent", [
    ("what does a cloud architect actually do", "role_overview"),
    ("pay of an nlp engineer", "salary"),
    ("what tech should a data engineer master", "skills"),
    ("typical work an ML consultant delivers", "projects"),
    ("how would I go about becoming an AI researcher", "how_to_become"),
    ("is a masters degree required for ML", "education"),
    ("is getting certified worth it", "certifications"),
    ("good tutorials to learn machine learning", "learning_resources"),
    ("how should I prepare my resume for ML jobs", "job_search"),
    ("what sectors hire ML people", "industries"),
    ("which AI job pays best", "highest_paying"),
    ("MLOps engineer or data engineer, which is better", "compare_roles"),
    ("what roles are there in ML", "list_roles"),
    ("I'm good at SQL, what job suits me", "roles_by_skill"),
    ("will there still be ML jobs in ten years", "outlook"),
    ("hey!", "greeting"), ("cheers, that helped", "thanks"), ("see you later", "goodbye"),
    ("what may I ask you about", "help"),
])
def test_intents_are_recognised_in_unseen_phrasings(engine, question, intent):
    """Phrasings not in the examples still reach the right intent."""
    assert engine.ask(question).intent == intent


def test_a_role_on_its_own_is_an_overview(engine):
    """"data scientist?" asks what the role is."""
    answer = engine.ask("data scientist?")
    assert (answer.intent, answer.roles) == ("role_overview", ("data-scientist",))


@pytest.mark.parametrize("question", [
    "how much does a nurse earn", "how do I become a pilot", "what's the weather in Paris",
    "how do I make a loaf of rye bread", "translate hello into german", "asdf qwerty zxcv",
    "are you a robot",
])
def test_questions_outside_ml_careers_are_out_of_scope(engine, question):
    """Jobs outside ML and unrelated requests are out of scope, never an answer about an ML role."""
    answer = engine.ask(question)
    assert answer.intent == "out_of_scope" and answer.roles == ()
    assert 2 <= len(answer.suggestions) <= 3


def test_confidence_is_a_probability_like_number(engine):
    """Confidence is in [0, 1] for answers and out-of-scope alike."""
    for question in ("what does an MLOps engineer earn", "play some jazz", ""):
        assert 0.0 <= engine.ask(question).confidence <= 1.0


def test_explain_shows_top_intents_entities_and_decision(engine):
    """`Answer.explain` says why: scored intents with the matching example, entities, the decision."""
    explain = engine.ask("what does an MLOps enginer earn").explain
    assert [r.intent for r in explain.ranking][0] == "salary" and len(explain.ranking) == 3
    assert explain.ranking[0].example
    assert ("role", "mlops-engineer") in {(e.kind, e.value) for e in explain.entities}
    text = str(explain)
    assert "answerable: probability" in text and "enginer → engineer" in text


def test_two_roles_set_side_by_side_ask_for_a_comparison(engine):
    """"Should I become a DS or a data engineer?" compares them; a topic named with both keeps it."""
    answer = engine.ask("should I become a DS or a data engineer")
    assert (answer.intent, answer.roles) == ("compare_roles", ("data-scientist", "data-engineer"))
    assert engine.ask("NLP engineer or CV engineer?").intent == "compare_roles"
    assert engine.ask("how much does a data scientist or a data engineer make").intent == "salary"


def test_small_talk_survives_one_unfamiliar_word(engine):
    """"hey there buddy" is a greeting although careerbot does not know "buddy"."""
    assert engine.ask("hey there buddy").intent == "greeting"
    assert engine.ask("translate hello into german").intent == "out_of_scope"


def test_a_reply_is_given_only_to_what_reads_more_like_small_talk_than_an_everyday_request(engine):
    """Asking for the time is no goodbye, though "time" is a word of "see you next time"; asking what
    careerbot can do is help, however close it comes to questions about the bot."""
    assert engine.ask("have you got the time").intent == "out_of_scope"
    assert engine.ask("what should I be asking you").intent == "help"
    assert engine.ask("cheers, that cleared it up").intent == "thanks"


def test_internal_one_sentence_read_the_short_way_reads_as_the_long_way():
    """Unit test of internals: a question known to be one sentence (one clause) is read without the
    regular expressions that split longer texts; over random texts of words and punctuation, it is
    read exactly as they would read it."""
    import random
    import re

    from careerbot.reading.sentences import CLAUSE_END, _one_sentence, _split_parts, one_clause, split_parts

    def clauses(pieces):
        return [tokens for tokens in (normalise(piece).tokens for piece in pieces) if tokens]

    rng = random.Random(7)
    words = ["what", "is", "a", "data", "and", "also", "plus", "how", "do", "I", "e.g.", "5k", "DS?", " ", "?", "!",
             ".", ";", ",", ":", "+", "&", "-", "\u2014", "\n", "..."]
    short = {"sentence": 0, "clause": 0}
    for _ in range(20_000):
        text = "".join(rng.choice(words) + rng.choice(["", " ", " "]) for _ in range(rng.randint(0, 8)))
        if _one_sentence(text):
            short["sentence"] += 1
            assert split_parts(text) == _split_parts(text), text
        if one_clause(text):
            short["clause"] += 1
            assert clauses([text]) == clauses(re.split(CLAUSE_END, text)), text
    assert min(short.values()) > 1_000          # the short ways were tried often


def test_internal_normalisation_skips_only_the_patterns_a_text_cannot_match():
    """Unit test of an internal: `normalise` runs its slang and "r" patterns only on a text that
    may hold a match; over random texts of slang, "r", skill names, wide letters and punctuation,
    it gives what running every pattern on every text gives."""
    import random
    import re

    import careerbot._text as text_module

    def every_pattern(text: str) -> tuple[str, ...]:
        folded = text_module.fold(text, 1000)
        if "'" in folded:
            folded = re.sub(text_module._APOSTROPHE_WORD, lambda m: text_module._expand(m.group()), folded)
        folded = re.sub(text_module._SLANG, lambda m: text_module._IRREGULAR[m.group()], folded)
        folded = re.sub(text_module._ARE, "are", folded)
        return tuple(re.findall(text_module._TOKEN, folded))

    rng = random.Random(11)
    pieces = ["r", "the", "you", "u", "ur", "wanna", "gonna", "c++", "c#", "_", "\u00e9", "R", "ya", "bc", "plz",
              "'s", "don't", ",", "(", "\uff55", "thx", "ur#", "u++", "for", "career", "?", "-", ".", "/", "\t"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 8)))
        assert normalise(text).tokens == every_pattern(text), text
