"""Questions as people really write them: forum titles, chat shorthand, pay slang, several
questions in one line, and career questions the sources do not cover.

Every sentence here is written for this suite; each group pins one way real questions used to go
wrong.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from careerbot import Engine

OUT = "out_of_scope"


def read(engine, question: str) -> tuple[str, tuple[str, ...]]:
    answer = engine.ask(question)
    return answer.intent, answer.roles


def refusal(engine, question: str) -> str:
    """The first line of the answer to a question careerbot must not answer (asserted)."""
    answer = engine.ask(question)
    assert answer.intent == OUT
    return answer.text.splitlines()[0]


# -- 1. a calibrated decision, not "any unknown word means out of scope" -----------------------

@pytest.mark.parametrize("question, intent", [
    ("which degree makes sense for me?", "education"),
    ("is a phd mandatory for research roles", "education"),
    ("which certificate makes sense for me?", "certifications"),
])
def test_questions_with_an_unfamiliar_word_are_still_answered(engine, question, intent):
    """A word careerbot does not know no longer throws away a question it understands."""
    assert engine.ask(question).intent == intent


@pytest.mark.parametrize("question", [
    "set a timer for twenty minutes",
    "book a table near the AI conference",
    "remind me to email the tech recruiter tomorrow",
    # the request first, the field only in a later clause: an aside, not the question
    "set a timer for 10 minutes, my data engineer friend is coming over",
    "what's 17 times 23, it's for my data science worksheet",
    "what's the weather tomorrow, offsite with the data science group",
    "wake me at six thirty, big interview for a data scientist role",
    "pause the podcast, my ML engineer friend is calling",
])
def test_everyday_requests_are_out_of_scope_even_with_a_career_word(engine, question):
    """Assistant requests are refused, also when they mention the field in passing."""
    assert engine.ask(question).intent == OUT


def test_asking_the_bot_what_it_even_does_is_asking_for_help(engine):
    """Chat impatience ("even", "actually") asked of the bot itself is a question about what it can do."""
    assert engine.ask("what do you even cover").intent == "help"


@pytest.mark.parametrize("question", ["what can you do?", "who are you", "what do you know about"])
def test_a_question_of_function_words_alone_is_still_understood(engine, question):
    """Examples are compared only where worth it, mostly those sharing a word of substance with the
    question; a question with no such word ("what can you do?") is compared with the examples
    written in function words too, and asks for help."""
    assert engine.ask(question).intent == "help"


def test_small_talk_in_words_of_its_own_is_still_small_talk(engine):
    """A greeting shares no word of substance with the greetings careerbot knows ("hiya, how are
    things"): small talk is compared by its shape, and answered as small talk."""
    assert engine.ask("hiya, how are things").intent == "greeting"


@pytest.mark.parametrize("question, intent", [
    ("uhh so what is it you can help with", "help"),
    ("uhm is the field growing", "outlook"),
    ("erm bye then", "goodbye"),
])
def test_hesitation_sounds_are_not_unknown_words(engine, question, intent):
    """"umm", "uhh" and "hmm" say nothing: they do not make a question look unfamiliar."""
    assert engine.ask(question).intent == intent


def test_the_field_said_as_the_field_places_a_question_in_machine_learning(engine):
    """Asked of a career adviser for machine learning, "the field" is machine learning."""
    assert engine.ask("what does the field pay at entry level").intent == "salary"


def test_a_question_whose_words_the_best_intent_does_not_use_is_out_of_scope(engine):
    """A role and a question word are not enough: most of the words ("tell", "boss", "sick",
    "today") are used by no example of the intent it would go to, and --explain says how many."""
    answer = engine.ask("how do I tell my data scientist boss I'm sick today")
    assert answer.intent == OUT
    assert dict(answer.explain.features)["explained"] < 0.5


def test_background_before_a_career_question_is_not_a_request(engine):
    """A first clause about the asker ("moved here last month") leaves the question that follows ours."""
    assert engine.ask("moved here last month, how do I find a data science meetup").intent == "job_search"


# -- 2. keywords weigh what they discriminate ---------------------------------------------------

@pytest.mark.parametrize("question, intent", [
    ("how much SQL does a data engineer need", "skills"),
    ("how much python do I need for data science", "skills"),
    ("is an MLOps bootcamp worth it", "education"),
    ("are kaggle comps worth doing as a beginner", "job_search"),
])
def test_a_generic_phrase_does_not_steal_the_question_from_its_topic(engine, question, intent):
    """"how much", "worth it" are weak evidence; the topic noun decides."""
    assert engine.ask(question).intent == intent


@pytest.mark.parametrize("question, intent", [
    ("the tldr on what an MLOps engineer earns", "salary"),
    ("in a nutshell, which skills does a big data engineer need", "skills"),
    ("rundown of project ideas for an NLP engineer", "projects"),
    ("MLOps engineer tldr", "role_overview"),
    ("big data engineers in a nutshell", "role_overview"),
    ("cloud architect, tl;dr", "role_overview"),
    ("NLP engineer, summarized", "role_overview"),
])
def test_asking_for_a_short_form_leaves_the_topic_to_the_question(engine, question, intent):
    """"tldr", "in a nutshell", "rundown" ask for a form of answer: beside a topic (pay, skills,
    projects) the topic is asked; alone with a role they ask what the role is."""
    assert engine.ask(question).intent == intent


@pytest.mark.parametrize("question", ["which role makes bank in machine learning",
                                      "machine learning roles sorted by salary"])
def test_pay_slang_for_the_best_paid_role_asks_for_the_ranking(engine, question):
    """Asking which role pays the most, in chat words ("makes bank") or as a sorted list, is the
    ranking of roles by pay, not the pay of the field."""
    assert engine.ask(question).intent == "highest_paying"


def test_pay_in_dollar_terms_is_asked_outright(engine):
    """"In dollar terms" asks for the pay itself: answered, not met with "did you mean"."""
    answer = engine.ask("in dollar terms what does an MLOps engineer get")
    assert (answer.intent, answer.choosing) == ("salary", False)


def test_whether_a_role_has_to_code_asks_for_its_skills(engine):
    """"got to code", "have to code": whether the job needs programming is a question of its skills."""
    assert read(engine, "ML consultant: got to code or not") == ("skills", ("ml-consultant",))


@pytest.mark.parametrize("question", ["what math do I need for ML? scraped a C in calculus",
                                      "which math do I need for ML, I hated algebra"])
def test_a_skill_that_names_a_topic_asks_for_the_skills(engine, question):
    """"Math" is a skill and a topic: asked what math one needs, the answer is the math the field
    uses, not the roles that use math (though another skill is named beside it)."""
    answer = engine.ask(question)
    assert answer.intent == "skills" and "Linear algebra" in answer.text


def test_keywords_do_not_count_twice_for_the_same_words(engine):
    """"what kind of" counts once, not again as "kind of" and "kind"."""
    for ranked in engine.ask("what kind of math does an NLP engineer use").explain.ranking:
        assert len({"what kind of", "kind of", "kind"} & {keyword for keyword, _ in ranked.keywords}) <= 1


def test_explain_shows_the_weight_of_each_keyword(engine):
    """--explain lists every matched keyword with its learnt weight, and the calibrated decision."""
    explained = engine.ask("what certifications should an NLP engineer get").explain.to_dict()
    best = explained["top_intents"][0]
    assert best["intent"] == "certifications"
    assert best["keywords"] and all(0 < weight <= 1 for weight in best["keywords"].values())
    assert set(explained["features"]) >= {"score", "margin", "negative_pull", "known_share", "anchored"}
    assert 0 <= explained["probability"] <= 1 and explained["cutoff"] is not None


@pytest.mark.parametrize("question", ["honestly no clue what a data engineer does",
                                      "so what does an MLOps engineer do, in plain words"])
def test_a_role_followed_by_do_asks_what_the_role_does(engine, question):
    """"what a data engineer does": a keyword of the role overview holds the place of the role
    ("{role} does"), so it weighs what follows the role, not any "does" in the question."""
    answer = engine.ask(question)
    assert answer.intent == "role_overview"
    assert any(keyword == "{role} does" or keyword == "{role} do"
               for keyword, _ in answer.explain.ranking[0].keywords)

@pytest.mark.parametrize("question, intent, keyword", [
    ("did the AWS ML specialty help anyone get hired", "certifications", "{skill} ml specialty"),
    ("Andrew Ng or fast.ai for a beginner", "learning_resources", "fast ai"),
])
def test_a_keyword_naming_a_skill_or_a_phrase_of_the_field_is_found(engine, question, intent, keyword):
    """A keyword is read the way a question holding it is read: "AWS ML specialty" names a skill
    (AWS), which a question holds as a slot, and "fast.ai" is one phrase of the field."""
    answer = engine.ask(question)
    assert answer.intent == intent
    assert keyword in dict(answer.explain.ranking[0].keywords)

@pytest.mark.parametrize("question", ["cloud architect, do I need to learn Terraform",
                                      "computer vision engineer, do you have to know C++"])
def test_a_keyword_phrase_does_not_run_across_a_clause_boundary(engine, question):
    """"cloud architect, do I need …" opens with a role and goes on with a question of its own: the
    role and the "do" after the comma are no "{role} do" (what the role does)."""
    answer = engine.ask(question)
    assert answer.intent == "skills"
    assert all(keyword != "{role} do" for ranked in answer.explain.ranking for keyword, _ in ranked.keywords)


# -- 3. the register: abbreviations, pay slang, level words ------------------------------------

@pytest.mark.parametrize("question, intent, roles", [
    ("what does a DE do", "role_overview", ("data-engineer",)),
    ("AI eng comp, roughly?", "salary", ("ml-engineer",)),
    ("MLE/DS, which one should I go for", "compare_roles", ("ml-engineer", "data-scientist")),
    ("how do DEs spend their day", "role_overview", ("data-engineer",)),
])
def test_chat_shorthand_names_roles(engine, question, intent, roles):
    """Abbreviations and slash-joined roles are read as the roles they name."""
    assert read(engine, question) == (intent, roles)


@pytest.mark.parametrize("question, intent, roles", [
    ("proj ideas for an NLP eng portfolio pls", "projects", ("nlp-engineer",)),
    ("do I rly need a masters for MLE", "education", ("ml-engineer",)),
    # an abbreviation after a possessive is the asker's own thing ("my CV"), unless a job or pay word follows
    ("how long did ur DS job hunt take", "job_search", ("data-scientist",)),
    ("should I put my Kaggle medals on my CV", "job_search", ()),
    ("3 yoe MLE, what should I be making", "salary", ("ml-engineer",)),
    ("7 yoe, is my DE comp low", "salary", ("data-engineer",)),
    ("CV engineer $$?", "salary", ("computer-vision-engineer",)),
])
def test_chat_shorthand_and_possessives(engine, question, intent, roles):
    assert read(engine, question) == (intent, roles)


@pytest.mark.parametrize("question", ["jr data scientist pay", "fresh grad MLE salary"])
def test_chat_level_words_are_levels(engine, question):
    """"jr", "fresh grad" ask for the entry level."""
    answer = engine.ask(question)
    assert (answer.intent, answer.level) == ("salary", "entry")


def test_a_level_word_used_as_a_verb_is_no_level(engine):
    """"starting" is the entry level in "starting salary", not in "starting to specialise"."""
    assert engine.ask("starting salary for a data scientist").level == "entry"
    assert engine.ask("data scientists starting to specialise in LLMs, what do they earn").level is None


@pytest.mark.parametrize("question, verdict", [
    ("junior ML engineer offer of 95k, is that low?", "below"),
    ("ML engineer at 150 grand, normal?", "within"),
    ("senior MLE making $300,000, is that a lot", "above"),
    ("a new grad ML engineer offered ninety-five thousand, is that fair", "below"),
    ("ML engineer on a hundred and fifty grand, is that normal", "within"),
])
def test_an_amount_is_pay_and_is_set_against_the_sources_figure(engine, question, verdict):
    """"95k", "150 grand", "$300,000", "ninety-five thousand" ask about pay, and the answer says
    where the amount stands."""
    answer = engine.ask(question)
    assert answer.intent == "salary" and answer.roles == ("ml-engineer",)
    assert answer.text.splitlines()[0].split(" is ", 1)[1].startswith(verdict)


@pytest.mark.parametrize("question, level", [
    ("is 105k fine for a junior AI job or am I underpaid", "entry"),
    ("would 170k be overpaid for a senior machine learning job", "senior"),
])
def test_an_amount_called_underpaid_or_overpaid_is_set_against_the_level_s_figure(engine, question, level):
    """"Am I underpaid at …" asks where the amount stands among the level's pay, not which role pays most."""
    answer = engine.ask(question)
    assert (answer.intent, answer.level) == ("salary", level)
    assert answer.text.splitlines()[0].split(" is ", 1)[1].startswith("within")


@pytest.mark.parametrize("question, intent", [
    ("which AI career is the most richly rewarded", "highest_paying"),
    ("what is a data engineer answerable for at work", "role_overview"),
    ("thanks, much obliged", "thanks"),
    ("what does an MLOps engineer's work week consist of", "role_overview"),
])
def test_formal_and_literary_wording_is_understood(engine, question, intent):
    """Not everyone writes in chat shorthand: "richly rewarded" is paid well, "answerable for" is
    responsible for, "much obliged" is thanks, what a work week consists of is what the job is."""
    assert engine.ask(question).intent == intent


@pytest.mark.parametrize("question, role", [("CV person?", "computer-vision-engineer"),
                                            ("data engineering folks?", "data-engineer")])
def test_a_role_said_as_a_kind_of_person_is_the_role_alone(engine, question, role):
    """"CV person?" names a role and nothing else: what the role does."""
    assert read(engine, question) == ("role_overview", (role,))


# -- 4. generic words and level words do not decide the topic ---------------------------------

def test_a_level_word_does_not_pull_a_question_to_salary(engine):
    """"senior" names a level; the question asks what the role does."""
    assert read(engine, "what does a senior cloud architect do") == ("role_overview", ("cloud-architect",))


def test_a_word_inside_a_listed_phrase_is_not_evidence_on_its_own(engine):
    """"pays" in "pays the most" says "which pays most": plain "pay" with a level asks what it pays."""
    assert (engine.ask("senior level pay in AI").intent, engine.ask("senior level pay in AI").level) == (
        "salary", "senior")


def test_a_close_runner_up_that_needs_no_role_wins_over_asking_for_one(engine):
    """"the core roles" names no role: listing the roles beats asking which role is meant."""
    assert read(engine, "so what are the core roles in AI") == ("list_roles", ())


def test_where_the_field_practises_places_a_question_in_it(engine):
    """Kaggle and arXiv are the field's own places: a question about them is not everyday chat."""
    assert engine.ask("is kaggle any use for learning, honestly").intent != OUT


def test_what_a_tool_is_is_not_a_question_about_a_role(engine):
    """"what is PyTorch" asks for a definition, which the sources do not give: no "which role?"."""
    for text in ("explain to me what PyTorch is", "so what exactly is deep learning"):
        assert engine.ask(text).intent == OUT


# -- 5. jobs outside the twelve roles -----------------------------------------------------------

def test_a_job_outside_ml_is_not_given_ml_figures(engine):
    """A business analyst's pay is not the ML salary table."""
    answer = engine.ask("how much does a business analyst make")
    assert answer.intent == OUT
    assert "$" not in answer.text and not answer.sources


def test_a_job_outside_ml_names_the_nearest_role(engine):
    """A job next to one careerbot knows points at it, in one sentence."""
    answer = engine.ask("what do data analysts earn")
    assert answer.intent == OUT
    assert "Data Scientist" in answer.text and len(answer.text.splitlines()) == 1


def test_a_job_at_an_ml_company_is_still_a_job_outside_ml(engine):
    """"At an AI startup" says where the job is, not that the question is about an ML role; a word
    of the field the question asks about still places it in ML ("a nurse … how do I get into ML?")."""
    assert "outside them" in refusal(engine, "what does a UX designer at an AI startup earn")
    assert engine.ask("a nurse at a tech company here: how do I get into ML?").intent == "how_to_become"


@pytest.mark.parametrize("question", ["is dentistry a good career", "future of web development jobs",
                                      "should I go into cybersecurity instead"])
def test_a_line_of_work_named_as_a_field_is_a_job_outside_ml(engine, question):
    """"is dentistry a good career" asks about dentists: no ML outlook for it."""
    assert "outside them" in refusal(engine, question)


@pytest.mark.parametrize("question", ["is pharmacy a decent field to go into", "what's the pay like in the teaching field"])
def test_a_field_that_is_a_job_s_own_is_not_machine_learning(engine, question):
    """To careerbot "the field" is machine learning, but "pharmacy … a field" and "the teaching
    field" are the fields of those jobs."""
    assert "outside them" in refusal(engine, question)


def test_the_field_after_the_asker_s_job_is_still_machine_learning(engine):
    """A job the asker has, then "the field": the question is about getting into machine learning."""
    assert engine.ask("I work as a pharmacist, how would I move into the field").intent == "how_to_become"


def test_an_age_given_in_passing_is_background_not_the_topic(engine):
    """"I'm 41 years old and …" says who asks; "too old" asks about age, which the sources do not cover."""
    assert read(engine, "I'm 41 years old and would like to become a data engineer, how do I begin?") == (
        "how_to_become", ("data-engineer",))
    assert "age" in refusal(engine, "am I too old to switch into data engineering at 52")


def test_a_skill_named_by_a_word_of_its_own_places_a_question_in_the_field(engine):
    """"PyTorch" is no English word: a question about it is ours. "spark" and "pandas" are English
    words, so a question naming only them needs more to be about machine learning."""
    assert engine.ask("fastest way to pick up PyTorch").intent == "learning_resources"
    assert engine.ask("how do I fix the spark plug on my mower").intent == OUT
    assert engine.ask("where do pandas live in the wild").intent == OUT


def test_where_to_learn_something_asks_for_learning_resources(engine):
    """"what should I learn" asks for skills, "where should I learn …" for places to learn it."""
    assert read(engine, "where should i learn spark for big data engineering") == (
        "learning_resources", ("big-data-engineer",))
    assert engine.ask("where do I start learning computer vision, total beginner").intent == "learning_resources"
    assert engine.ask("what should a beginner learn first for computer vision").intent == "skills"


def test_roles_that_make_up_a_team_are_the_list_and_making_up_for_pay_is_pay(engine):
    """"make" is a word of pay ("what do DEs make"); the roles that "make up" a team are the list of
    roles, and a title that "makes up for" a smaller paycheck is pay again."""
    assert engine.ask("who typically makes up a machine learning team at a bank").intent == "list_roles"
    assert engine.ask("which jobs make up the data side of an AI startup").intent == "list_roles"
    assert read(engine, "can a bigger title make up for a smaller paycheck as a data scientist") == (
        "salary", ("data-scientist",))


@pytest.mark.parametrize("question, role", [
    ("NLP engineer... is that even a real job?", "nlp-engineer"),
    ("is computer vision engineer a real job", "computer-vision-engineer"),
])
def test_whether_a_role_is_a_real_job_is_answered_by_what_it_does(engine, question, role):
    """"is X a real job?" asks what the job is: the role's overview, not its pay or its future."""
    assert read(engine, question) == ("role_overview", (role,))


def test_a_question_sentence_that_reads_as_small_talk_asks_about_the_sentences_before_it(engine):
    """"what gives?" after a story of applications asks about the story: it is no greeting, so the
    whole text is read, not the question sentence alone."""
    assert read(engine, "sent out 80 applications for ML engineer roles and heard nothing back. what gives?") == (
        "job_search", ("ml-engineer",))


def test_a_figure_said_to_be_averaged_is_pay(engine):
    """"averaging" is the pay's average: "-ing" of a word ending in "e" stems apart from it."""
    assert read(engine, "are MLOps engineers really averaging that much") == (
        "salary", ("mlops-engineer",))


@pytest.mark.parametrize("question", ["will AI make radiographers obsolete", "are paralegals going to be replaced by AI"])
def test_a_job_outside_ml_that_ai_may_replace_is_that_job_s_outlook(engine, question):
    """"AI" as what happens to a job does not place the question in the field: it asks about the job."""
    assert engine.ask(question).intent == OUT


def test_the_asker_s_own_job_that_ai_may_replace_is_background(engine):
    """"I'm a paralegal": the job is who asks; what is asked is the way into machine learning."""
    assert engine.ask("I'm a paralegal and AI might replace me, how do I get into machine learning").intent == (
        "how_to_become")


@pytest.mark.parametrize("question, role", [
    ("data engineer vs dba pay, which is higher", "data-engineer"),
    ("computer vision engineer vs radiographer pay, which is higher", "computer-vision-engineer"),
])
def test_a_role_set_against_a_job_outside_ml_answers_the_topic_its_words_say_most(engine, question, role):
    """"pay" says pay more than it says which industries pay: the role's salary, after saying the
    job is not one careerbot knows."""
    assert read(engine, question) == ("salary", (role,))


def test_a_job_outside_ml_is_named_as_it_is_written_acronyms_in_capitals(engine):
    """However the question writes it, the answer names the job as the data writes it: "DBAs", "iOS
    developers", not "dbas"."""
    assert "DBAs are outside" in refusal(engine, "how much does a dba make")
    assert "iOS developers are outside" in refusal(engine, "how do i become an IOS DEVELOPER")


def test_tell_me_more_about_a_role_is_its_overview(engine):
    """"tell me more about …" is "tell me about …" with one word more."""
    assert read(engine, "tell me more about NLP engineering") == ("role_overview", ("nlp-engineer",))


def test_eng_is_engineer_after_any_name_of_a_role(engine):
    """"eng" is chat's "engineer", after a role's full name as after its abbreviation ("CV eng")."""
    assert read(engine, "computer vision eng? explain the job") == ("role_overview", ("computer-vision-engineer",))


def test_a_cv_after_a_role_s_name_is_that_role_s_resume(engine):
    """"a data engineer's CV": the possessive is gone once normalised, but "CV" right after a role's
    full name is still a resume; abbreviations one after another are still a list of roles."""
    assert read(engine, "how do I polish a data engineer's CV") == ("job_search", ("data-engineer",))
    assert engine.ask("NLP CV or MLOps, which pays more").roles == (
        "nlp-engineer", "computer-vision-engineer", "mlops-engineer")


def test_a_greeting_word_before_a_job_does_not_make_the_question_small_talk(engine):
    """"yo" opens a greeting, but a question naming a job or a tool asks about it."""
    assert engine.ask("yo, what do actuaries even do").intent == OUT
    assert engine.ask("yo what do the devops folks do").intent == OUT


def test_a_field_outside_ml_in_the_background_leaves_an_ml_question_alone(engine):
    assert engine.ask("after ten years in accounting, how do I become a data scientist").intent == "how_to_become"


# -- 6. honest coverage -------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["how long does it take to become a cloud architect",
                                      "realistic timeline for a teacher to move into data science?",
                                      "how many months to learn enough ML for a first job"])
def test_how_long_it_takes_is_admitted_then_the_route(engine, question):
    """The sources give no durations: how long a route into a role takes is admitted first, and
    the answer goes on with what they do say."""
    answer = engine.ask(question)
    assert "no durations" in refusal(engine, question) and answer.sources


@pytest.mark.parametrize("question, words", [
    ("what percentage of data engineers hold a master's degree", "shares"),
    ("are NLP engineers happy in their jobs, what's the job satisfaction like", "job satisfaction"),
    ("is it too late to pivot into MLOps in my forties", "age"),
])
def test_statistics_satisfaction_and_age_are_admitted(engine, question, words):
    """Shares of people, how satisfied they are and whether one is too old: none is in the sources."""
    assert words in refusal(engine, question)


@pytest.mark.parametrize("question", ["what's the worst part of working as a data engineer",
                                      "is being an MLOps engineer tedious"])
def test_the_downsides_of_a_role_are_admitted(engine, question):
    """The sources describe roles; they do not weigh them."""
    assert "downsides" in refusal(engine, question)


def test_the_personality_a_role_needs_is_a_question_of_skills(engine):
    """Personality and traits are what the sources list as soft skills."""
    assert read(engine, "what personality suits a research scientist") == ("skills", ("research-scientist",))
    assert read(engine, "which personality traits fit a cloud architect") == ("skills", ("cloud-architect",))


@pytest.mark.parametrize("question", ["what comes after senior cloud architect",
                                      "career progression for an NLP engineer?"])
def test_the_ladder_above_a_level_is_admitted(engine, question):
    """The sources give entry, mid and senior pay, not the steps of a career."""
    assert "career ladders" in refusal(engine, question)


def test_years_spent_before_the_question_are_no_question_of_time(engine):
    """Time the asker has spent is background: the question after it is answered."""
    assert engine.ask("I spent many years in logistics, how do I become a data scientist?").intent == "how_to_become"


def test_pay_outside_the_us_says_the_sources_have_no_figure_for_it(engine):
    """Pay in India: no figure for India, said first; the US figures follow as US figures."""
    answer = engine.ask("ML engineer salary in India")
    assert answer.intent == OUT and answer.roles == ("ml-engineer",)
    first = answer.text.splitlines()[0]
    assert "India" in first and "no" in first.lower()


@pytest.mark.parametrize("question", ["how much is a train ticket to Madrid", "what time is it in Vienna"])
def test_a_place_in_an_everyday_question_gets_no_salary_figures(engine, question):
    """A place named in a question outside the field is no question about pay there."""
    answer = engine.ask(question)
    assert answer.intent == OUT
    assert "no figures for" not in answer.text and "$" not in answer.text and not answer.sources


@pytest.mark.parametrize("question", ["what does a data engineer make in Seattle", "NLP engineer pay in Palo Alto"])
def test_pay_in_a_us_city_says_the_sources_have_no_figure_for_it(engine, question):
    """The sources' figures are national: a city's pay is admitted as not given."""
    assert "no figures for" in refusal(engine, question)


@pytest.mark.parametrize("question", ["salary in Brazil?", "what do they pay in Poland", "pay in Canada"])
def test_pay_in_a_place_without_a_role_still_says_the_sources_have_no_figure_for_it(engine, question):
    assert "no figures for" in refusal(engine, question)

@pytest.mark.parametrize("question, words", [
    ("can a data scientist work fully remote", "remote"),
    ("do ML engineers need a visa sponsor to work in the US", "visa"),
    ("how should I negotiate my data engineer offer", "negotiat"),
    ("how many hours a week do MLOps engineers work", "hours"),
    ("is Stanford worth it for a data scientist", "stanford"),
    ("is freelancing a good living for an NLP engineer", "freelanc"),
    ("is a hoodie fine to wear to an ML engineer interview", "wear"),
    ("they offered me 120k for an MLE job, should I counter", "negotiation"),
    ("is there a union that represents AI researchers", "unions"),
    ("how big is the stipend for a machine learning PhD", "stipends"),
    ("do companies discriminate against data scientists over 50", "age"),
    ("could an NLP engineer get away with three days a week", "working hours"),
    ("is a job as a part-time data engineer realistic", "working hours"),
    ("in which cities do computer vision engineers find the most openings", "cities"),
    ("do research scientists put in 70 hrs/week", "working hours"),
    ("what hours does a data engineer keep", "working hours"),
    ("what does an NLP engineer make per hour", "hourly"),
    ("is being on-call part of a cloud architect's life", "working hours"),
    ("do four-day work weeks exist for MLOps engineers", "working hours"),
    ("how soon is an NLP engineer promoted to senior", "promotions"),
    ("as an applied scientist, should I hold out for L6 instead of L5", "job levels"),
    ("a 3 year gap after caring for my parents, does it hurt for MLE roles", "career gaps"),
    ("unemployed for a year now, can I still get a data science job", "career gaps"),
    ("my company gave me a raise of 3k as an MLOps engineer, is that normal", "raises"),
    ("do recruiters look at QS rankings for research scientist jobs", "school rankings"),
    ("am I too young to specialise in NLP at 17", "age"),
    ("is the pass mark of the AWS ML specialty exam high", "pass mark"),
    ("is 15 too young to apply for data science internships", "age"),
    ("am I too old to retrain as a cloud architect", "age"),
    ("which cert is tougher for a data engineer, AWS or TensorFlow", "difficulty"),
])
def test_uncovered_career_subtopics_are_admitted_in_the_first_sentence(engine, question, words):
    """Subtopics the sources do not cover get "my sources don't cover …", never a silent substitute."""
    assert words in refusal(engine, question).lower()


@pytest.mark.parametrize("question, words", [
    ("my manager fired me last week; how do I land an ML engineer job now?", "layoffs"),
    ("which outfit for a computer vision engineer interview", "wear"),
    ("is equity part of a data scientist's comp?", "equity"),
    ("my boss keeps dodging when I bring up a raise for my ML engineer work", "raises"),
    ("two of my papers were rejected at CVPR; can I still get a research scientist job?", "peer review"),
    ("what do freelance data engineers charge their clients", "freelancing"),
    ("can an MLOps engineer do the job fully from home", "remote"),
    ("how big a bonus, as a percentage, does a cloud architect get", "bonuses"),
    ("where does the bootcamp I picked for data engineering sit in the rankings", "rankings"),
    ("top-ranked bootcamps for data engineering", "rankings"),
    ("do ML engineers who work entirely from home get paid less", "remote"),
])
def test_subtopic_words_with_an_everyday_sense_need_a_word_of_the_subtopic_beside_them(engine, question, words):
    """"fired", "wear", "equity", "raise", "papers", "freelance", "home" and "bonus" are a dismissal,
    interview clothes, shares, a rise in pay, peer review, freelancing as a living, remote work and
    pay on top of a salary beside a boss, an interview, pay, a rejection, clients or a word of work,
    and "rankings" are school rankings beside a school..."""
    assert words in refusal(engine, question).lower()


def test_subtopic_words_in_their_everyday_sense_leave_the_question_alone(engine):
    """...and nothing of the kind in "fired off applications", "the hats a role wears", the
    fairness and equity of models, raising a concern, the papers research scientists publish,
    freelance projects as experience, being back home or a stay-at-home parent, a skill that is
    a bonus, or jobs ranked by pay."""
    text = "I fired off forty applications for data scientist jobs and got nothing, what am I doing wrong?"
    assert read(engine, text) == ("job_search", ("data-scientist",))
    assert engine.ask("how many hats does an ML consultant wear?").intent != OUT
    assert engine.ask("do AI ethics specialists work on fairness and equity in models?").intent != OUT
    assert "raises" not in engine.ask("how does an AI ethics specialist raise concerns about a model").text
    assert engine.ask("do research scientists write papers as part of the job?").intent != OUT
    assert engine.ask("do freelance projects help a data scientist get hired?").intent != OUT
    assert engine.ask("is knowing Spark a bonus for a data engineer?").intent != OUT
    assert engine.ask("in the rankings of ML jobs by pay, where does a data engineer come?").intent != OUT
    assert engine.ask("what does a cloud architect take home in a year").intent == "salary"
    assert read(engine, "back home after my degree, how do I become a data engineer?") == ("how_to_become",
                                                                                           ("data-engineer",))
    assert read(engine, "stay-at-home dad going back to work: how do I become a data scientist?") == (
        "how_to_become", ("data-scientist",))


@pytest.mark.parametrize("question, words", [
    ("which podcasts should a computer vision engineer listen to", "podcasts"),
    ("recommend me a textbook for NLP", "books"),
])
def test_resources_the_sources_name_none_of_are_admitted_then_the_ones_they_name(engine, question, words):
    """Books and podcasts are learning resources the sources name none of: the first sentence says
    so, and the answer goes on with the courses they do name, not courses in place of books."""
    answer = engine.ask(question)
    assert answer.intent == OUT
    lines = answer.text.splitlines()
    assert words in lines[0].lower() and "courses" not in lines[0].lower()
    assert "Coursera" in answer.text


@pytest.mark.parametrize("question", ["is Spotify hiring data engineers right now",
                                      "did Intel cut ML engineers in its last round of layoffs",
                                      "what's the interview process like for MLEs at Stripe",
                                      "how many NLP engineers does Anthropic employ",
                                      "is Meta a better place to work than Google for a data scientist",
                                      "is Google scaling back its research scientist teams"])
def test_hiring_at_a_named_company_is_admitted_as_uncovered(engine, question):
    """A company named with hiring, interviews, headcount or its cuts asks what the sources do not cover."""
    assert "particular companies" in refusal(engine, question)


@pytest.mark.parametrize("question", ["is it better to work at Nvidia or Intel as an ML engineer",
                                      "Stripe or Airbnb, which is better for a data engineer to work at"])
def test_two_companies_set_side_by_side_are_no_comparison_of_roles(engine, question):
    """A comparison's keyword that happens to hold a company's name ("apples and oranges") covers
    that phrase only: choosing between two employers is still a subtopic the sources do not cover."""
    assert "particular companies" in refusal(engine, question)


def test_a_company_named_with_pay_still_gets_the_sources_figures(engine):
    """What top companies like Google and Meta pay is in the sources: naming one with pay is a
    salary question..."""
    answer = engine.ask("what do ML engineers at Google earn")
    assert answer.intent == "salary" and answer.roles == ("ml-engineer",)
    assert "$126,000" in answer.text


@pytest.mark.parametrize("question", ["what does an NLP engineer at Anthropic make?", "Nvidia MLE comp?"])
def test_what_another_company_pays_is_admitted_as_uncovered(engine, question):
    """...while the sources give no figure of any other company's: its pay is not the role's."""
    assert "Google and Meta" in refusal(engine, question)


@pytest.mark.parametrize("question", ["Hadoop vs Spark, what's the difference", "difference between SQL and Spark?",
                                      "AI or ML, what's the difference"])
def test_comparing_skills_or_tools_is_no_comparison_of_roles(engine, question):
    """The sources compare roles; two techniques set against each other get no "which two roles?"."""
    assert engine.ask(question).intent == OUT


def test_pay_the_sources_do_not_cover_is_admitted_then_the_salary_they_give(engine):
    """Stock, bonuses and hourly rates are not in the sources, but a role's salary is: the admission
    goes on with the salary figures, not with the topic other words of the question lean to (an
    offer, a job search)."""
    answer = engine.ask("how are RSUs handled in a research scientist's job offer?")
    assert answer.intent == OUT
    assert "equity" in answer.text.splitlines()[0]
    assert "$115,000" in answer.text


def test_prices_of_certificates_are_admitted_as_uncovered(engine):
    answer = engine.ask("how much does the TensorFlow developer certificate cost")
    assert answer.intent == OUT and "prices" in answer.text.splitlines()[0]


def test_an_uncovered_resource_beside_a_covered_one_gets_the_covered_one_after_the_gap(engine):
    """"textbooks or online courses": the sources name courses, so the question is answered, and the
    first sentence still says they name no books."""
    answer = engine.ask("textbooks or online courses for computer vision?")
    assert answer.intent == "learning_resources"
    assert "books" in answer.text.splitlines()[0] and "Coursera" in answer.text


def test_gear_is_no_career_topic_the_sources_cover(engine):
    answer = engine.ask("what laptop should a data scientist buy")
    assert answer.intent == OUT and "laptops" in answer.text.splitlines()[0]


def test_layoffs_asked_about_are_admitted_and_layoffs_around_an_outlook_question_are_not(engine):
    """The outlook lists layoffs among its words, as the setting of a question about the field's
    future; a question asking about the layoffs themselves, with nothing else for the outlook, gets
    the sources' silence on them."""
    asked = engine.ask("are layoffs common in data science")
    assert asked.intent == OUT and "layoffs" in asked.text.splitlines()[0]
    assert engine.ask("with all these layoffs, is NLP still a good career to aim for?").intent == "outlook"


def test_a_knowledge_base_that_covers_a_subtopic_answers_it(data_copy):
    """Remote work is uncovered in the shipped sources; an intent of one's own about it takes it."""
    intents, knowledge = data_copy
    (intents / "remote_tips.yaml").write_text(textwrap.dedent("""\
        id: remote_tips
        description: Working remotely in machine learning.
        slots: {role: none, level: none, skill: none}
        keywords: [remote work, working remotely]
        reply: Our handbook's remote work section answers this.
        examples:
          - tips for remote work in ML
          - how do I do remote work well as a data scientist
          - working remotely as an ML engineer, any advice
        """), encoding="utf-8")
    engine = Engine.load(intents=intents, knowledge=knowledge)
    answer = engine.ask("any advice on remote work for a data engineer?")
    assert answer.intent == "remote_tips" and "handbook" in answer.text
    assert engine.ask("how do I stay focused when working remotely as an ML engineer?").intent == "remote_tips"
    assert Engine.load().ask("any advice on remote work for a data engineer?").intent == OUT


# -- 7. typo correction ---------------------------------------------------------------------------

@pytest.mark.parametrize("question, corrected", [
    ("slaary of a data scientist", ("slaary", "salary")),
    ("what does a cloud architect earn, and their skils?", ("skils", "skills")),
])
def test_a_swapped_or_dropped_letter_is_one_typo(engine, question, corrected):
    """Transpositions count as one edit."""
    assert corrected in engine.ask(question).explain.corrections


@pytest.mark.parametrize("question, corrected, intent", [
    ("how would I becme an MLOps engineer", ("becme", "become"), "how_to_become"),
    ("wat certs do data engineers need for their cerds", ("cerds", "certs"), "certifications"),
])
def test_a_typo_as_close_to_two_words_reads_as_the_one_the_examples_use_more(engine, question, corrected, intent):
    """"becme" is one letter from "become" and from "became": the question is read with the word
    the intents' examples use more."""
    answer = engine.ask(question)
    assert corrected in answer.explain.corrections and answer.intent == intent


@pytest.mark.parametrize("question, intent", [("hiii", "greeting"), ("byeee!!", "goodbye")])
def test_a_stretched_word_reads_as_the_word(engine, question, intent):
    """Letters typed over and over ("hiii", "byeee") stand for the word itself."""
    assert engine.ask(question).intent == intent


def test_a_misspelt_question_word_is_corrected_and_the_question_answered(engine):
    """Stopwords are no targets of typo correction ("clould" is cloud, not could), but the question
    words are: a misspelt "which" no longer leaves the question unread."""
    answer = engine.ask("whcih jobs require Kafka")
    assert ("whcih", "which") in answer.explain.corrections and answer.intent == "roles_by_skill"
    assert ("clould", "cloud") in engine.ask("clould architect salary").explain.corrections


@pytest.mark.parametrize("word", ["protect", "employees", "contract", "lunch", "spinning", "electives"])
def test_english_words_are_never_corrected(engine, word):
    """A real word a letter away from a known one ("protect" / "project") is left alone, and so is
    a long one two slips from a short one ("spinning" / "signing"), or an inflection of a real word
    ("electives" / "executives")."""
    corrections = dict(engine.ask(f"do data scientists {word} things").explain.corrections)
    assert word not in corrections


SEED_PROBE = textwrap.dedent("""
    import json, sys
    from careerbot import Engine
    matcher = Engine.load()._matcher
    words = sorted(w for targets in matcher.spelling_targets.values() for w in targets)
    vowels = "aeiouy"
    typos = set()
    for w in words:
        for i in range(len(w)):
            typos.add(w[:i] + w[i + 1:])                                   # a letter dropped
            if i + 1 < len(w):
                typos.add(w[:i] + w[i + 1] + w[i] + w[i + 2:])             # two letters swapped
            if w[i] in vowels:
                typos.update(w[:i] + v + w[i + 1:] for v in vowels)       # a vowel mistaken
        typos.add(w + w[-1])                                               # the last letter doubled
    typos = sorted(typos)
    json.dump([len(typos), matcher.correct(tuple(typos))[1]], sys.stdout)
""")


def test_corrections_do_not_depend_on_the_hash_seed(tmp_path):
    """Engines built under two hash seeds, each with its own fresh cache, correct every dropped,
    swapped, doubled letter and mistaken vowel of every vocabulary word the same way (tens of
    thousands of typos; a unit test of the matcher's tables)."""
    runs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, XDG_CACHE_HOME=str(tmp_path / seed))
        runs.append(subprocess.Popen([sys.executable, "-c", SEED_PROBE], env=env, stdout=subprocess.PIPE, text=True))
    results = [json.loads(run.communicate(timeout=240)[0]) for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert results[0][0] > 10_000 and len(results[0][1]) > 10_000
    assert results[0] == results[1]


# -- 8. several questions in one line -----------------------------------------------------------

def test_each_part_of_a_multi_part_question_is_answered_in_order(engine):
    """"…earn and what do they do": both parts, in order, the second about the same role."""
    answer = engine.ask("how much does a cloud architect earn and what do they do")
    assert answer.intent == "salary" and answer.roles == ("cloud-architect",)
    parts = answer.to_dict()["parts"]
    assert [p["intent"] for p in parts] == ["salary", "role_overview"]
    assert all(p["entities"]["roles"] == ["cloud-architect"] for p in parts)
    assert "218,000" in answer.text and "scalab" in answer.text.lower()


def test_a_part_that_cannot_be_answered_is_named(engine):
    """An unanswerable part is said to be so, and the answerable one is still answered."""
    answer = engine.ask("what does an NLP engineer do? also can I do it remotely?")
    assert [p["intent"] for p in answer.to_dict()["parts"]] == ["role_overview", OUT]
    assert "remote" in answer.text.lower() and "language" in answer.text.lower()


def test_a_message_of_more_than_three_questions_answers_three_and_says_so(engine):
    """Five questions in one message: the first three are answered in order, and the answer says
    the others were not read, rather than answering one of them silently."""
    answer = engine.ask("what does a cloud architect do? how much do NLP engineers make? which skills does "
                        "MLOps need? is a PhD required for research? which industries hire data engineers?")
    assert [(p["intent"], p["entities"]["roles"]) for p in answer.to_dict()["parts"]] == [
        ("role_overview", ["cloud-architect"]), ("salary", ["nlp-engineer"]), ("skills", ["mlops-engineer"])]
    assert "first 3 questions" in answer.text and answer.blocks[-1].type == "notice"
    assert "first 3" not in engine.ask("what does a cloud architect do? how much do NLP engineers make?").text


def test_topics_joined_by_a_plus_are_parts_of_their_own(engine):
    """"MLOps skills + projects": a "+" before a topic at the end parts two questions, though the
    second is one word; one inside a longer question joins its words, and "C++" keeps its pluses."""
    answer = engine.ask("MLOps skills + projects")
    assert [(p["intent"], p["entities"]["roles"]) for p in answer.to_dict()["parts"]] == [
        ("skills", ["mlops-engineer"]), ("projects", ["mlops-engineer"])]
    assert len(engine.ask("are kaggle + github enough to get hired as a data scientist").to_dict()["parts"]) == 1
    assert len(engine.ask("know Python + Spark, which role").to_dict()["parts"]) == 1
    assert len(engine.ask("which roles use C++").to_dict()["parts"]) == 1


def test_numbered_questions_are_parts(engine):
    """"first …, and second …" asks two questions, each answered."""
    answer = engine.ask("first off, what does a big data engineer do, and secondly, what do they earn?")
    assert [p["intent"] for p in answer.to_dict()["parts"]] == ["role_overview", "salary"]


def test_a_question_after_a_colon_is_parted_too(engine):
    """"topic: question and question": both are asked, the topic before the colon read with the
    first; a longer stretch before the colon is the asker's background, read apart from the question."""
    parts = engine.ask("cloud architects: what do they do and how much are they paid?").to_dict()["parts"]
    assert [(p["intent"], p["entities"]["roles"]) for p in parts] == [
        ("role_overview", ["cloud-architect"]), ("salary", ["cloud-architect"])]
    answer = engine.ask("Just finished my physics masters degree: what does an MLOps engineer earn, and what "
                        "tools do they use?")
    assert [(p["intent"], p["entities"]["roles"]) for p in answer.to_dict()["parts"]] == [
        ("salary", ["mlops-engineer"]), ("skills", ["mlops-engineer"])]


def test_background_is_not_a_part(engine):
    """A sentence that asks nothing is the context of the question after it, not a part."""
    answer = engine.ask("I'm an accountant with a stats minor. How do I become a data scientist?")
    assert len(answer.to_dict()["parts"]) == 1
    assert (answer.intent, answer.roles) == ("how_to_become", ("data-scientist",))


def test_the_question_sentence_decides_what_background_sentences_do_not(engine):
    """Sentences of background around a question give roles and context; what is asked is the
    question's: a plant that sells to several sectors does not make this a question about industries."""
    text = ("Twenty years on a factory floor, now in quality control. My plant sells parts to "
            "carmakers, farms and hospitals, and is hiring for a camera inspection line. What does a "
            "computer vision engineer do all day?")
    assert read(engine, text) == ("role_overview", ("computer-vision-engineer",))
    assert "background" in str(engine.ask(text).explain)


def test_a_chat_introduction_before_a_comma_is_background(engine):
    """"bootcamp grad here, …" says who asks, as a sentence of background would: the bootcamp does
    not make the question one about education."""
    answer = engine.ask("bootcamp grad here, how do I get my first MLOps role")
    assert answer.intent in ("job_search", "how_to_become") and answer.roles == ("mlops-engineer",)
    assert answer.explain.background == 3


def test_the_first_of_two_parts_keeps_its_background_apart(engine):
    """Split from "…, and how would I start?", the first part has lost its question mark: opening
    with a question word, its last sentence is still the question, read apart from the background."""
    answer = engine.ask("I spent a decade teaching high school biology. I'm ready for a change. "
                        "Is moving into data engineering at 38 realistic, and how would I start?")
    assert (answer.intent, answer.roles) == ("how_to_become", ("data-engineer",))
    assert "background" in str(answer.explain)


def test_a_question_pointing_back_at_the_sentence_before_asks_about_it(engine):
    """"Does that …?" asks about what was just said: the sentence before it is no background to
    set aside but what the question is about (a degree never finished)."""
    text = "I dropped out of university. Does that rule out a career as a data engineer?"
    assert read(engine, text) == ("education", ("data-engineer",))


def test_a_statement_before_a_semicolon_is_background(engine):
    """"…; which roles …?" asks only after the semicolon; what comes before it is the asker's
    experience, however much its words ("projects", "under my belt") sound like another topic."""
    assert read(engine, "I have projects on GitHub in PyTorch; which roles call for it?") == ("roles_by_skill", ())
    assert read(engine, "Five years of SQL under my belt; which ML career suits that?") == ("roles_by_skill", ())
    answer = engine.ask("what does a DS do; what do they earn?")
    assert [p["intent"] for p in answer.to_dict()["parts"]] == ["role_overview", "salary"]


def test_asking_which_role_is_answered_with_roles(engine):
    """A question naming no role that asks which one ("which positions …", "what kind of AI job …",
    "positions where …") is answered with roles: those using the skill, the best paid, all of them. Asked of a role in
    the conversation, "what about that job?" still means that role."""
    assert read(engine, "OpenCV is my strongest tool. Which positions would want that?") == ("roles_by_skill", ())
    assert read(engine, "I know Kubernetes inside out, what kind of AI job suits me?") == ("roles_by_skill", ())
    assert read(engine, "positions where Kubernetes is a must?") == ("roles_by_skill", ())
    assert read(engine, "Really good at public speaking, is there an AI job that needs it?") == ("roles_by_skill", ())
    assert read(engine, "which positions could a complete beginner get into") == ("list_roles", ())
    chat = engine.conversation()
    chat.ask("how much does a data engineer make?")
    answer = chat.ask("what about that job's skills?")
    assert (answer.intent, answer.roles) == ("skills", ("data-engineer",))


def test_a_request_for_help_naming_a_role_is_about_the_role(engine):
    """"Where do I begin?" asks careerbot how to use it; after "I want to be an MLOps engineer." it
    asks how to become one."""
    assert read(engine, "I want to be an MLOps engineer. Where do I begin?") == ("how_to_become", ("mlops-engineer",))
    assert engine.ask("where do I begin with you").intent == "help"


@pytest.mark.parametrize("question", ["which machine learning profession pays best",
                                      "what artificial intelligence vocation suits a statistician"])
def test_a_field_named_between_which_and_the_job_still_asks_for_a_role(engine, question):
    """"Which machine learning profession …" asks for a role as "which profession …" does; --explain
    shows it among the features of the decision."""
    assert dict(engine.ask(question).explain.features)["asks_role"] == 1.0


def test_who_opening_a_question_asks_for_a_role(engine):
    """"Who …?" asks for people, so for a role: "who relies on Kafka" asks which roles use it."""
    assert read(engine, "who relies on Kafka day to day") == ("roles_by_skill", ())


def test_asking_which_role_keeps_the_skill_it_names(engine):
    """A question asking which role that names a skill is answered with the roles using it, not
    with every role: the list of roles would drop the skill."""
    assert read(engine, "which role is all about Kafka") == ("roles_by_skill", ())
    assert read(engine, "Docker is my thing; what lines of work prize it?") == ("roles_by_skill", ())
    assert read(engine, "what kinds of AI jobs are there") == ("list_roles", ())


def test_a_question_tag_after_the_question_leaves_it_whole(engine):
    """A short tag that asks ("realistic?") says too little alone: the sentence before it is the question."""
    answer = engine.ask("Forty, a baker, planning to move into machine learning engineering. Realistic?")
    assert answer.intent != OUT


# -- answers that carry the asked fact ----------------------------------------------------------

def test_an_overview_shows_the_duties_the_question_asks_about(engine):
    """Asked about databases, the data engineer overview shows that duty and counts the rest."""
    answer = engine.ask("what does a data engineer do with databases?")
    assert answer.intent == "role_overview"
    assert "Manage databases" in answer.text
    assert "Design data pipelines" not in answer.text and "more." in answer.text


def test_a_role_without_listed_projects_falls_back_to_its_duties(engine):
    """No example projects in the sources: said, then what the role does instead."""
    answer = engine.ask("example projects for an MLOps engineer")
    assert answer.intent == "projects"
    assert "no example projects" in answer.text and "deployment" in answer.text


def test_a_job_the_asker_comes_from_is_background(engine):
    """"…from a teacher job" says where the asker starts; the question is still about the role."""
    chat = engine.conversation()
    chat.ask("tell me about MLOps engineers")
    answer = chat.ask("how do I get into it from a teacher job")
    assert (answer.intent, answer.roles) == ("how_to_become", ("mlops-engineer",))


def _with_examples(data_copy, intent: str, examples: list[str]) -> Engine:
    """An engine over a copy of the shipped data with `examples` added to `intent`'s file."""
    import yaml
    intents, knowledge = data_copy
    path = intents / f"{intent}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["examples"] += examples
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return Engine.load(intents=intents, knowledge=knowledge)


def test_a_question_listed_as_out_of_scope_is_answered_out_of_scope(data_copy):
    """Whatever its career words weigh, a question that (nearly) repeats one careerbot lists among
    the questions it cannot answer is answered out of scope."""
    listed = "what should I buy my data scientist sister for her graduation"
    engine = _with_examples(data_copy, OUT, [listed])
    assert engine.ask(listed + "?").intent == OUT
    assert engine.ask("what should i buy my data scientist sister for his graduation").intent == OUT
    assert engine.ask("what does a data scientist actually do").intent == "role_overview"


def test_a_question_that_repeats_an_intents_example_gets_that_intent(data_copy):
    """An example is what its intent means: asked again, it is answered by that intent even where
    another intent's keywords weigh more."""
    engine = _with_examples(data_copy, "how_to_become", ["data engineer to ML engineer, how"])
    assert engine.ask("Data engineer to ML engineer: how?").intent == "how_to_become"


def test_a_skill_named_with_a_role_is_what_is_asked_about(engine):
    """A role with a skill is no role on its own: the skill is the topic."""
    assert read(engine, "coding skills for a cloud architect") == ("skills", ("cloud-architect",))


@pytest.mark.parametrize("question, intent, role, job", [
    # no comparison with a job careerbot does not know can be made, and none is asked back for
    ("cloud architect or solutions architect, what's the difference", "role_overview", "cloud-architect",
     "solutions architects"),
    ("nlp engineer vs translator salary", "salary", "nlp-engineer", "translators"),
    ("research scientist vs professor pay", "salary", "research-scientist", "professors"),
    # the "analyst" of "data analyst" is the job's own word, and "vs" says "comparison", not a
    # topic: neither is what is asked of the role
    ("data scientist or data analyst, which one earns more", "role_overview", "data-scientist", "data analysts"),
    ("actuary vs data scientist", "role_overview", "data-scientist", "actuaries"),
    # a word that some examples use beside "vs" ("self-taught vs degree") asks nothing either
    ("big data engineer vs database administrator, how would they compare", "role_overview", "big-data-engineer",
     "database administrators"),
])
def test_a_role_set_against_a_job_outside_ml_gets_what_is_asked_of_the_role(engine, question, intent, role, job):
    """The answer first says the job is outside the field, then answers the question's own topic
    for the role (what the role does when the question names none)."""
    answer = engine.ask(question)
    assert answer.intent == intent and answer.roles == (role,)
    assert f"{job} are outside them" in answer.text.splitlines()[0]


@pytest.mark.parametrize("question, role", [("mlops engineer pay compared with a plain backend developer", "mlops-engineer"),
                                            ("data engineer salary next to a regular web developer", "data-engineer")])
def test_the_words_of_a_job_outside_ml_are_no_evidence_of_a_topic(engine, question, role):
    """A job outside ML is held as a slot, like a role: "developer", which examples about moving
    from software into ML use, does not make a question about pay one about becoming the role."""
    assert (engine.ask(question).intent, engine.ask(question).roles) == ("salary", (role,))


def test_a_part_setting_a_role_against_a_job_outside_ml_names_the_job_too(engine):
    answer = engine.ask("cloud architect or solutions architect? and what do cloud architects earn")
    assert "solutions architects are outside them" in answer.text.splitlines()[0]


@pytest.mark.parametrize("question, keyword", [("how would I get good at designing a neural network", "network"),
                                               ("is the tech industry still hiring for AI", "industry")])
def test_a_keyword_inside_a_phrase_of_the_field_is_no_evidence(engine, question, keyword):
    """"neural network" and "the tech industry" name the field: the "network" of networking and the
    "industry" of which industries hire are not in them."""
    for ranked in engine.ask(question).explain.ranking:
        assert keyword not in {k for k, _ in ranked.keywords}


def test_still_needing_a_skill_asks_about_skills_and_still_needing_a_role_about_the_outlook(engine):
    """"Does a data engineer still need Scala?" asks which skills the role needs; "are MLOps engineers
    still needed?" asks whether the role has a future."""
    assert read(engine, "does a data engineer still need Scala, or is Python enough") == ("skills", ("data-engineer",))
    assert read(engine, "are MLOps engineers still needed") == ("outlook", ("mlops-engineer",))


@pytest.mark.parametrize("question, intent, role", [
    # "typically" is no sign of projects: what a role typically makes is its pay
    ("what do NLP engineers typically make", "salary", "nlp-engineer"),
    ("what does a cloud architect typically take home", "salary", "cloud-architect"),
    ("what has a data engineer typically built", "projects", "data-engineer"),
    ("are research scientists going to be replaced by AI", "outlook", "research-scientist"),
    # whether a skill is enough to get hired asks which skills the role needs; without a skill named,
    # getting hired is the job search still
    ("is SQL enough to get hired as a data engineer", "skills", "data-engineer"),
    ("is R enough to land a job as a data scientist", "skills", "data-scientist"),
    ("is a portfolio enough to get hired as an ML engineer", "job_search", "ml-engineer"),
    # whether a role is worth switching into asks if it is a good career; how to switch, the way in;
    # whether a certificate is worth it, about certifications
    ("is data engineering worth switching into", "outlook", "data-engineer"),
    ("is MLOps worth moving into", "outlook", "mlops-engineer"),
    ("how do I switch into data engineering", "how_to_become", "data-engineer"),
    ("is the AWS cert worth it for MLOps", "certifications", "mlops-engineer"),
    # whether anyone still hires a role, or its jobs still exist, is its outlook; which industries
    # hire it stays industries, and whether I can still become one the way in
    ("does anyone still hire junior computer vision engineers", "outlook", "computer-vision-engineer"),
    ("do junior data engineer jobs even exist anymore", "outlook", "data-engineer"),
    ("which industries hire data scientists", "industries", "data-scientist"),
    ("can I still become an ML engineer", "how_to_become", "ml-engineer"),
])
def test_a_generic_word_leaves_the_topic_to_the_rest_of_the_question(engine, question, intent, role):
    """Words that many kinds of question use ("typically", "enough", "worth", "still", "hire") do
    not decide the topic on their own: the rest of the question does."""
    assert read(engine, question) == (intent, (role,))


@pytest.mark.parametrize("question, level", [
    ("lead ML engineer salary", "senior"),
    ("what does a lead data engineer earn", "senior"),
    ("does a master's lead to higher pay for data scientists", None),
    ("marketing lead here, what could I earn as a data scientist", None),
])
def test_lead_is_a_level_only_in_a_title(engine, question, level):
    """"Lead" before a role is a senior title; "lead to" and a lead of another trade say no level."""
    assert engine.ask(question).level == level


@pytest.mark.parametrize("question, intent, roles", [
    ("which new specialties are popping up in machine learning", "outlook", ()),
    ("is the AWS machine learning specialty worth it", "certifications", ()),
    ("what do computer vision engineers work on day to day", "role_overview", ("computer-vision-engineer",)),
    ("what do computer vision engineers work on", "projects", ("computer-vision-engineer",)),
])
def test_new_specialties_are_the_outlook_and_the_day_to_day_is_the_role(engine, question, intent, roles):
    """New specialties emerging are the field's outlook, the AWS specialty a certification; what a
    role works on day to day is the role itself, what it works on its projects."""
    assert read(engine, question) == (intent, roles)
