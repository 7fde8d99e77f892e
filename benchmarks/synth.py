"""Write a synthetic careerbot knowledge base N times the shipped one, for the scale benchmarks.

    python benchmarks/synth.py --scale 10 --out /tmp/kb-10      # DIR/intents, DIR/knowledge
    careerbot validate --intents /tmp/kb-10/intents --knowledge /tmp/kb-10/knowledge

What grows with --scale N (the shipped files are copied unchanged, so every 1x answer still works):

- roles:   12 shipped + 12*(N-1) synthetic role files ("Fraud Detection Engineer", "RecSys
           Researcher", ...) with unique ids, names and aliases, a summary, responsibilities,
           skills, projects, salary figures and related roles, in the shipped format;
- intents: 19 shipped + 19*(N-1) synthetic intents ("tips about remote work", "red flags of
           offer negotiation", ...) with keywords, a reply and their own example phrasings;
- phrases: about 1,000*N example phrases in all (the issue's "~100k at 100x"; the shipped set
           has 537), built from question patterns x subject and facet wordings x contexts, each
           distinct from every other after careerbot's own normalisation (the validator refuses
           an example listed under two intents);
- topics and sources: 9*(N-1) synthetic topics and 3*(N-1) synthetic sources.

It also writes DIR/heldout.yaml: questions about the synthetic intents phrased in ways that are not
examples (eval format, `careerbot eval` reads it), and DIR/synth.json describing what was made.
The output is deterministic: the same --scale and --seed give the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

GENERATOR_VERSION = 6
REPO = Path(__file__).resolve().parents[1]
SHIPPED = {"roles": 12, "intents": 19, "topics": 9, "sources": 3}
PHRASES_PER_SCALE = 1000

_CONTRACTIONS = {"what's": "what is", "i'd": "i would", "i'm": "i am", "it's": "it is"}


def norm_key(text: str) -> str:
    """What makes two phrases the same for the validator (which refuses an example listed twice), at
    least as coarse as careerbot's own normalisation for the phrases made here."""
    text = text.casefold()
    for short, long in _CONTRACTIONS.items():
        text = text.replace(short, long)
    return " ".join(re.findall(r"[a-z0-9]+(?:\+\+|#)?", text.replace("'", "")))


try:
    _Dumper = yaml.CSafeDumper
except AttributeError:                  # pragma: no cover
    _Dumper = yaml.SafeDumper


# --------------------------------------------------------------------------- word banks

INTENT_SUBJECTS = [
    ("remote work", ["remote work", "working remotely", "working from home"]),
    ("visa sponsorship", ["visa sponsorship", "work visas", "visa support"]),
    ("relocation packages", ["relocation packages", "relocation support"]),
    ("work-life balance", ["work-life balance", "work life balance", "balancing work and life"]),
    ("on-call rotations", ["on-call rotations", "being on call", "pager duty"]),
    ("burnout", ["burnout", "burning out", "exhaustion at work"]),
    ("mentorship programs", ["mentorship programs", "finding a mentor", "mentoring schemes"]),
    ("promotion cycles", ["promotion cycles", "getting promoted", "promotions"]),
    ("performance reviews", ["performance reviews", "annual reviews", "perf reviews"]),
    ("side projects", ["side projects", "weekend projects", "hobby projects"]),
    ("open source contributions", ["open source contributions", "contributing to open source"]),
    ("hackathons", ["hackathons", "hack weeks", "hackathon events"]),
    ("Kaggle competitions", ["Kaggle competitions", "Kaggle", "data science competitions"]),
    ("coding challenges", ["coding challenges", "leetcode style tests", "whiteboard coding"]),
    ("take-home assignments", ["take-home assignments", "take home tasks", "homework assignments"]),
    ("offer negotiation", ["offer negotiation", "negotiating an offer", "haggling over an offer"]),
    ("stock options", ["stock options", "equity grants", "RSUs"]),
    ("signing bonuses", ["signing bonuses", "sign-on bonuses", "joining bonuses"]),
    ("parental leave", ["parental leave", "maternity leave", "paternity leave"]),
    ("health insurance", ["health insurance", "medical cover", "health benefits"]),
    ("retirement plans", ["retirement plans", "pension plans", "401k matching"]),
    ("tuition reimbursement", ["tuition reimbursement", "education stipends", "learning budgets"]),
    ("career breaks", ["career breaks", "taking a gap year", "time off between jobs"]),
    ("layoffs", ["layoffs", "redundancies", "job cuts"]),
    ("counter offers", ["counter offers", "counteroffers", "matching offers"]),
    ("background checks", ["background checks", "employment screening", "pre-employment checks"]),
    ("reference checks", ["reference checks", "references from past managers"]),
    ("non-compete clauses", ["non-compete clauses", "noncompete agreements", "restrictive covenants"]),
    ("contract renewals", ["contract renewals", "renewing a contract", "contract extensions"]),
    ("probation periods", ["probation periods", "probationary periods", "trial periods"]),
    ("notice periods", ["notice periods", "giving notice", "resignation notice"]),
    ("security clearances", ["security clearances", "clearance vetting", "government clearance"]),
    ("government roles", ["government roles", "public sector jobs", "civil service posts"]),
    ("nonprofit work", ["nonprofit work", "working for a charity", "NGO positions"]),
    ("academic positions", ["academic positions", "faculty jobs", "university posts"]),
    ("postdoc positions", ["postdoc positions", "postdoctoral fellowships", "postdocs"]),
    ("research grants", ["research grants", "grant applications", "research funding"]),
    ("conference talks", ["conference talks", "speaking at conferences", "NeurIPS talks"]),
    ("paper publications", ["paper publications", "publishing papers", "getting published"]),
    ("patents", ["patents", "patent filings", "filing a patent"]),
    ("GPU budgets", ["GPU budgets", "compute budgets", "GPU quotas"]),
    ("cloud credits", ["cloud credits", "free compute credits", "startup credits"]),
    ("home office setups", ["home office setups", "desk setups", "home workstations"]),
    ("time zones", ["time zones", "working across time zones", "timezone overlap"]),
    ("four-day weeks", ["four-day weeks", "four day work weeks", "compressed hours"]),
    ("sabbaticals", ["sabbaticals", "sabbatical leave", "extended leave"]),
    ("code reviews", ["code reviews", "reviewing pull requests", "PR reviews"]),
    ("pair programming", ["pair programming", "pairing sessions", "mob programming"]),
    ("technical debt", ["technical debt", "tech debt", "legacy code"]),
    ("documentation habits", ["documentation habits", "writing docs", "internal documentation"]),
    ("model cards", ["model cards", "model documentation", "datasheets for datasets"]),
    ("data privacy rules", ["data privacy rules", "privacy regulations", "data protection law"]),
    ("GDPR compliance", ["GDPR compliance", "GDPR", "EU data rules"]),
    ("export controls", ["export controls", "export restrictions", "chip export rules"]),
    ("accessibility standards", ["accessibility standards", "accessible design", "WCAG rules"]),
    ("hiring freezes", ["hiring freezes", "frozen headcount", "headcount freezes"]),
    ("equity refreshers", ["equity refreshers", "refresh grants", "stock refreshers"]),
    ("working holidays", ["working holidays", "workations", "working while travelling"]),
    ("freelance contracts", ["freelance contracts", "freelancing", "contract gigs"]),
    ("consulting retainers", ["consulting retainers", "retainer agreements", "monthly retainers"]),
    ("startup equity", ["startup equity", "equity at a startup", "founder shares"]),
    ("technical blogs", ["technical blogs", "writing a tech blog", "blogging about code"]),
    ("personal branding", ["personal branding", "building a personal brand", "online presence"]),
    ("public speaking", ["public speaking", "giving talks", "presenting to crowds"]),
    ("community organising", ["community organising", "running a user group", "organising events"]),
    ("study groups", ["study groups", "learning circles", "study buddies"]),
    ("reading groups", ["reading groups", "paper reading clubs", "journal clubs"]),
    ("productivity habits", ["productivity habits", "staying productive", "time management"]),
    ("note taking", ["note taking", "taking notes", "lab notebooks"]),
    ("deep work", ["deep work", "focus time", "uninterrupted work"]),
    ("imposter syndrome", ["imposter syndrome", "feeling like a fraud", "self doubt at work"]),
    ("job hopping", ["job hopping", "changing employers often", "short tenures"]),
    ("the management track", ["the management track", "becoming a manager", "people management"]),
    ("the staff engineer track", ["the staff engineer track", "staff level work", "the IC track"]),
    ("one-on-ones", ["one-on-ones", "1:1 meetings", "one on one meetings"]),
    ("OKRs", ["OKRs", "objectives and key results", "quarterly goals"]),
    ("sprint planning", ["sprint planning", "agile sprints", "planning meetings"]),
    ("incident postmortems", ["incident postmortems", "post-mortems", "blameless retros"]),
    ("ethics review boards", ["ethics review boards", "AI ethics committees", "review boards"]),
    ("diversity programs", ["diversity programs", "inclusion initiatives", "DEI programs"]),
    ("employee resource groups", ["employee resource groups", "ERGs", "affinity groups"]),
    ("volunteering", ["volunteering", "pro bono work", "volunteer projects"]),
    ("dress codes", ["dress codes", "office attire", "what to wear at work"]),
    ("office politics", ["office politics", "workplace politics", "internal politics"]),
    ("commute costs", ["commute costs", "commuting", "travel to the office"]),
]

INTENT_FACETS = [
    ("tips", ["tips", "advice", "pointers"]),
    ("common mistakes", ["common mistakes", "typical pitfalls", "usual blunders"]),
    ("pros and cons", ["pros and cons", "upsides and downsides", "advantages and drawbacks"]),
    ("best practices", ["best practices", "good habits", "recommended practices"]),
    ("rules", ["rules", "regulations", "ground rules"]),
    ("timeline", ["timeline", "usual timeline", "time frame"]),
    ("checklist", ["checklist", "to-do list", "step by step checklist"]),
    ("red flags", ["red flags", "warning signs", "danger signs"]),
    ("expectations", ["expectations", "what to expect", "realistic expectations"]),
    ("etiquette", ["etiquette", "manners", "unspoken etiquette"]),
    ("policies", ["policies", "company policies", "employer policies"]),
    ("hidden costs", ["hidden costs", "hidden expenses", "unexpected costs"]),
    ("benefits", ["benefits", "perks", "upsides"]),
    ("risks", ["risks", "dangers", "downside risks"]),
    ("first steps", ["first steps", "where to begin", "initial steps"]),
    ("questions to ask", ["questions to ask", "smart questions", "questions worth asking"]),
    ("trade-offs", ["trade-offs", "tradeoffs", "compromises"]),
    ("myths", ["myths", "misconceptions", "false beliefs"]),
    ("success stories", ["success stories", "good outcomes", "happy endings"]),
    ("horror stories", ["horror stories", "bad experiences", "nightmare stories"]),
    ("unwritten rules", ["unwritten rules", "hidden norms", "tacit rules"]),
    ("legal basics", ["legal basics", "legal side", "legal essentials"]),
    ("deadlines", ["deadlines", "due dates", "cut-off dates"]),
    ("paperwork", ["paperwork", "forms to fill in", "admin paperwork"]),
    ("negotiation points", ["negotiation points", "things to negotiate", "bargaining points"]),
    ("metrics", ["metrics", "measures of success", "numbers to track"]),
    ("templates", ["templates", "example templates", "ready-made templates"]),
    ("software options", ["software options", "apps", "software choices"]),
    ("alternatives", ["alternatives", "other options", "substitutes"]),
    ("long-term effects", ["long-term effects", "long term impact", "lasting effects"]),
]

QUESTION_PATTERNS = [
    "what are the {F} for {S}{C}",
    "{S} {F}{C}",
    "any {F} on {S}{C}?",
    "tell me about {S} {F}{C}",
    "I'd like to know the {F} of {S}{C}",
    "can you explain {S} {F}{C}",
    "where can I find {F} for {S}{C}",
    "{F} regarding {S}{C}?",
    "quick question about {S} {F}{C}",
    "what should I know about {S} {F}{C}",
    "is there a guide to {S} {F}{C}",
    "do you have {F} for {S}{C}",
    "explain the {F} around {S}{C}",
    "give me the {F} on {S}{C}",
    "{S}: what are the {F}{C}",
    "I need help with {S} {F}{C}",
    "what's typical for {S} {F}{C}",
    "looking for {S} {F}{C}",
    "could you summarise the {F} of {S}{C}",
    "my question is about {S} {F}{C}",
    "what do people say about {S} {F}{C}",
    "how should I think about {S} {F}{C}",
    "help me understand the {F} for {S}{C}",
    "I keep wondering about {S} {F}{C}",
]

HELDOUT_PATTERNS = [
    "honestly, what {F} would you share about {S}{C}",
    "I'm confused about {S} - {F}{C}?",
    "so what are the main {F} when it comes to {S}{C}",
    "could I get some {F} about {S}{C} please",
]

CONTEXTS = [
    "", "", "", " for ML jobs", " in machine learning", " in AI", " at a startup", " at big tech",
    " in Europe", " in the US", " in Canada", " in India", " for beginners", " for senior people",
    " for career changers", " as a new grad", " this year", " for remote roles", " in tech",
    " in data science", " for a {ROLE}", " as a {ROLE}", " for someone who is a {ROLE}",
]
HELDOUT_CONTEXTS = [" for ML jobs", " in AI", " in machine learning", " for AI jobs"]
"""Held-out questions name the field, as people asking a careers bot do (careerbot reads an
unanchored question full of words it does not know as out of scope)."""

ROLE_DOMAINS = [
    ("fraud detection", "fraud"), ("recommender systems", "recsys"), ("speech recognition", "ASR"),
    ("autonomous driving", "self-driving"), ("medical imaging", "med imaging"), ("search ranking", "search"),
    ("ad targeting", "ads"), ("time series forecasting", "forecasting"), ("robotics", None),
    ("drug discovery", None), ("climate modeling", "climate"), ("supply chain optimization", "supply chain"),
    ("credit risk", None), ("computational biology", "comp bio"), ("geospatial analytics", "geospatial"),
    ("document understanding", "document AI"), ("conversational AI", "chatbot"),
    ("reinforcement learning", "RL"), ("graph learning", "graph ML"), ("edge AI", "on-device ML"),
    ("federated learning", None), ("privacy-preserving ML", "privacy ML"), ("anomaly detection", None),
    ("demand forecasting", None), ("churn prediction", "churn"), ("pricing optimization", "pricing"),
    ("music information retrieval", "music AI"), ("video understanding", "video ML"), ("3D vision", None),
    ("satellite imagery", "remote sensing"), ("precision agriculture", "agritech"),
    ("energy forecasting", "energy ML"), ("predictive maintenance", None), ("quality inspection", None),
    ("legal AI", "legal tech"), ("insurance analytics", "insurtech"), ("sports analytics", None),
    ("game AI", None), ("audio synthesis", None), ("text-to-speech", "TTS"), ("machine translation", "MT"),
    ("information extraction", None), ("knowledge graphs", None), ("causal inference", None),
    ("experimentation platform", "A/B testing"), ("feature store", None), ("model serving", None),
    ("ML infrastructure", "ML infra"), ("data quality", None), ("data labeling", "annotation"),
    ("synthetic data", None), ("AI safety", None), ("model evaluation", "evals"),
    ("LLM fine-tuning", "LLM"), ("retrieval augmented generation", "RAG"), ("multimodal learning", "multimodal"),
    ("generative design", None), ("materials science ML", None), ("quantitative trading", "quant"),
    ("cybersecurity ML", "security ML"), ("network optimization", None), ("smart cities", None),
    ("clinical decision support", None), ("bioinformatics", None), ("genomics", None),
    ("protein design", None), ("customer analytics", None), ("marketing mix modeling", "MMM"),
    ("operations research", "OR"), ("search relevance", None), ("content moderation", "trust and safety"),
    ("optical character recognition", "OCR"),
]

ROLE_TITLES = [
    ("Engineer", "eng"), ("Scientist", None), ("Research Engineer", None), ("Researcher", None),
    ("Analyst", None), ("Architect", None), ("Lead", None), ("Specialist", None), ("Consultant", None),
    ("Developer", "dev"), ("Platform Engineer", None), ("Infrastructure Engineer", "infra engineer"),
    ("Product Manager", "PM"), ("Program Manager", None), ("Strategist", None), ("Auditor", None),
    ("QA Engineer", "test engineer"), ("Technical Writer", None), ("Solutions Engineer", None),
    ("Evangelist", "advocate"), ("Team Manager", "manager"), ("Data Engineer", None),
]

LANGUAGES = ["Python", "SQL", "R", "Java", "C++", "Scala", "Go", "Julia", "Rust", "TypeScript", "Kotlin",
             "MATLAB"]
MATH = ["Statistics", "Probability", "Linear algebra", "Calculus", "Optimization", "Bayesian statistics",
        "Information theory", "Graph theory", "Numerical methods", "Signal processing"]
SOFT = ["Communication", "Teamwork", "Problem-solving", "Stakeholder management", "Mentoring",
        "Technical writing", "Presenting", "Critical thinking", "Negotiation", "Prioritisation"]
OTHER = ["Deep learning", "Data cleaning", "Feature engineering", "A/B testing", "Experiment design",
         "Causal inference", "Data modeling", "Model monitoring", "Data visualization", "MLOps practices",
         "Software engineering best practices", "Distributed systems", "Information retrieval"]
SHIPPED_TOOLS = ["TensorFlow", "PyTorch", "Scikit-learn", "Pandas", "OpenCV", "NLTK", "spaCy", "Transformers",
                 "Docker", "Kubernetes", "CI/CD pipelines", "MLflow", "Hadoop", "Spark", "Kafka", "AWS", "Azure",
                 "GCP"]
REAL_TOOLS = ["Airflow", "dbt", "Snowflake", "BigQuery", "Dask", "ONNX", "TensorRT", "Kubeflow", "DVC",
              "Great Expectations", "Dagster", "LangChain", "JAX", "XGBoost", "LightGBM", "CatBoost", "Polars",
              "DuckDB", "Terraform", "Flink", "Databricks", "Redshift", "Tableau", "Power BI", "Elasticsearch",
              "Redis", "FAISS", "Milvus", "Weaviate", "Weights & Biases", "Optuna", "Streamlit", "FastAPI",
              "Celery", "Prometheus", "Grafana", "Seldon", "BentoML", "SageMaker", "Vertex AI", "Label Studio",
              "OpenVINO", "Core ML", "TFLite", "ROS", "Gazebo", "GDAL", "QGIS", "Biopython", "RDKit", "Stan",
              "PyMC", "statsmodels", "Prophet", "NetworkX", "Neo4j"]
BRAND_PREFIXES = ["Data", "Model", "Feature", "Vector", "Graph", "Stream", "Flow", "Tensor", "Deep", "Auto",
                  "Hyper", "Neuro", "Quant", "Cloud", "Edge", "Sky", "Lake", "Stack"]
BRAND_SUFFIXES = ["Forge", "Hub", "Lab", "Kit", "Base", "Mesh", "Pipe", "Scope", "Sense", "Store", "Works",
                  "Grid", "Bench", "Craft", "Pilot", "Vault"]

SUMMARY_TEMPLATES = [
    "{Names} apply machine learning to {domain}. They turn data into {outcome} and work closely with "
    "{partner} to put models into production.",
    "{Names} specialise in {domain}: they design, test and improve the systems behind {outcome}, and "
    "explain the results to {partner}.",
    "As {a_name}, you focus on {domain}, from the first prototype to a system in production that delivers "
    "{outcome}. The role sits between research and {partner}.",
]
OUTCOMES = ["better decisions", "reliable predictions", "measurable savings", "safer products",
            "faster processes", "new product features", "clearer insights", "lower risk"]
PARTNERS = ["product teams", "software engineers", "domain experts", "business stakeholders",
            "data engineers", "researchers", "operations teams", "leadership"]
RESPONSIBILITIES = [
    "Build {domain} models that meet accuracy and latency targets",
    "Maintain the data pipelines that feed {domain} systems",
    "Evaluate {domain} systems against business metrics",
    "Partner with product teams on {domain} features",
    "Monitor {domain} models in production and fix regressions",
    "Write design documents for {domain} projects",
    "Mentor colleagues on {domain} methods",
    "Run experiments to improve {domain} results",
    "Clean, label and version the data used for {domain}",
    "Present {domain} results to stakeholders",
    "Keep up with research in {domain} and bring useful ideas into the team",
    "Estimate the cost and impact of new {domain} work",
]
PROJECTS = [
    "A {domain} prototype for a new market", "An end-to-end {domain} pipeline",
    "A dashboard that tracks {domain} model quality", "A benchmark suite for {domain}",
    "Migrating {domain} models to a new serving platform", "A {domain} system for a large customer",
]
SECTION_HEADINGS = ["Getting started", "What employers look for", "Common paths", "Costs", "Where to learn more",
                    "Mistakes to avoid", "How long it takes", "What changes with seniority"]
SECTION_ITEMS = [
    "Start with a small, well-defined goal related to {subject}",
    "Ask people who have done it how {subject} worked for them",
    "Budget time every week for {subject}",
    "Write down what you learn about {subject} as you go",
    "Compare at least two options before committing to {subject}",
    "Revisit your approach to {subject} every few months",
    "Check your employer's written policy on {subject}",
    "Most people underestimate the time {subject} takes",
]


# --------------------------------------------------------------------------- helpers

def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def title_case(phrase: str) -> str:
    """ "fraud detection" -> "Fraud Detection"; "LLM fine-tuning" keeps its capitals."""
    return " ".join(w[:1].upper() + w[1:] for w in phrase.split(" "))


def article(phrase: str) -> str:
    return ("an " if phrase[:1].casefold() in "aeiou" else "a ") + phrase


def plural(name: str) -> str:
    if name.endswith(("s", "x", "ch", "sh")):
        return name + "es"
    if name.endswith("y") and name[-2:-1] not in "aeiou":
        return name[:-1] + "ies"
    return name + "s"


def dump(path: Path, data: object) -> None:
    path.write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110,
                              default_flow_style=None), encoding="utf-8")


def skill_pool() -> dict[str, list[str]]:
    brands = [p + s for p in BRAND_PREFIXES for s in BRAND_SUFFIXES]
    return {"languages": LANGUAGES, "frameworks_and_tools": SHIPPED_TOOLS + REAL_TOOLS + brands, "math": MATH,
            "soft_skills": SOFT, "other": OTHER}


def shipped_examples(intents_dir: Path) -> tuple[list[str], set[str]]:
    """The shipped example phrases and shipped keywords (keywords, normalised)."""
    examples, keywords = [], set()
    for path in sorted(intents_dir.glob("*.yaml")):
        if path.name == "entities.yaml":
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        examples += [str(e) for e in doc.get("examples") or ()]
        keywords |= {norm_key(str(k)) for k in doc.get("keywords") or ()}
    return examples, keywords


def shipped_occupations(src_intents: Path) -> set[str]:
    """The jobs outside machine learning the shipped data names (intents/occupations.yaml), normalised."""
    path = src_intents / "occupations.yaml"
    if not path.exists():
        return set()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {norm_key(str(job)) for job in [*(data.get("near") or {}), *(data.get("other") or [])]}


def shipped_aliases(knowledge_dir: Path) -> tuple[list[str], set[str]]:
    """The shipped role ids and every name/alias key they claim."""
    ids, claimed = [], set()
    for path in sorted((knowledge_dir / "roles").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        ids.append(doc["id"])
        for alias in [doc["name"], doc.get("short_name") or "", doc["id"].replace("-", " "), *(doc.get("aliases") or ())]:
            if alias:
                claimed.add(norm_key(alias))
    return ids, claimed


def digest(*folders: Path) -> str:
    h = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*.yaml")):
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- the generator

class Synth:
    def __init__(self, scale: float, seed: int, phrases: int | None, src_intents: Path, src_knowledge: Path):
        self.scale, self.seed = scale, seed
        self.rng = random.Random(seed)
        self.src_intents, self.src_knowledge = src_intents, src_knowledge
        extra = max(0.0, scale - 1.0)
        self.n_roles = round(SHIPPED["roles"] * extra)
        self.n_intents = round(SHIPPED["intents"] * extra)
        self.n_topics = round(SHIPPED["topics"] * extra)
        self.n_sources = max(1, round(SHIPPED["sources"] * extra)) if extra else 0
        self.phrase_target = phrases if phrases is not None else round(PHRASES_PER_SCALE * scale)
        examples, self.shipped_keywords = shipped_examples(src_intents)
        self.seen_examples: set[str] = {norm_key(e) for e in examples}
        self.shipped_example_count = len(examples)
        self.shipped_role_ids, self.claimed_aliases = shipped_aliases(src_knowledge)
        self.claimed_aliases |= shipped_occupations(src_intents)    # a job outside ML cannot be a role too
        self.roles: list[dict] = []
        self.intents: list[dict] = []
        self.heldout: list[dict] = []

    # -- sources -------------------------------------------------------------

    def sources(self) -> list[dict]:
        return [{"id": f"synth-{i:04d}", "title": f"Synthetic benchmark source {i}",
                 "file": f"synthetic_{i:04d}.txt"} for i in range(1, self.n_sources + 1)]

    def pick_sources(self, k: int = 1) -> list[str]:
        return [f"synth-{i:04d}" for i in sorted(self.rng.sample(range(1, self.n_sources + 1),
                                                                   min(k, self.n_sources)))]

    # -- roles ---------------------------------------------------------------

    def make_roles(self) -> None:
        combos = [(d, t) for d in ROLE_DOMAINS for t in ROLE_TITLES]
        if self.n_roles > len(combos):
            raise SystemExit(f"at most {len(combos)} synthetic roles can be made (scale {self.scale} asks for "
                             f"{self.n_roles})")
        self.rng.shuffle(combos)
        pool = skill_pool()
        taken_ids = set(self.shipped_role_ids)
        made = 0
        for (domain, domain_short), (title, title_short) in combos:
            if made == self.n_roles:
                break
            name = f"{title_case(domain)} {title}"
            role_id = slug(name)
            key = norm_key(name)
            if role_id in taken_ids or key in self.claimed_aliases or norm_key(role_id.replace("-", " ")) in self.claimed_aliases:
                continue
            taken_ids.add(role_id)
            self.claimed_aliases.add(key)
            self.claimed_aliases.add(norm_key(role_id.replace("-", " ")))
            aliases = []
            candidates = [f"{domain} {title.lower()}"]
            if domain_short:
                candidates.append(f"{domain_short} {title.lower()}")
            if title_short:
                candidates.append(f"{domain} {title_short}")
            candidates.append(f"{title.lower()} for {domain}")
            for alias in candidates:
                alias_key = norm_key(alias)
                if alias_key == key:
                    continue
                if alias_key and alias_key not in self.claimed_aliases:
                    self.claimed_aliases.add(alias_key)
                    aliases.append(alias)
            self.roles.append(self.role_doc(role_id, name, aliases, domain, pool))
            made += 1
        if made < self.n_roles:
            raise SystemExit(f"only {made} distinct synthetic roles could be made, {self.n_roles} asked")

    def role_doc(self, role_id: str, name: str, aliases: list[str], domain: str, pool: dict) -> dict:
        rng = self.rng
        summary = rng.choice(SUMMARY_TEMPLATES).format(
            Names=plural(name), domain=domain, outcome=rng.choice(OUTCOMES), partner=rng.choice(PARTNERS),
            a_name=article(name))
        doc: dict = {"id": role_id, "name": name, "aliases": aliases,
                     "summary": {"text": summary, "sources": self.pick_sources(rng.randint(1, 2))}}
        doc["responsibilities"] = [{"text": t.format(domain=domain), "source": self.pick_sources()[0]}
                                   for t in rng.sample(RESPONSIBILITIES, rng.randint(3, 6))]
        skills: dict[str, list] = {}
        wanted = {"languages": rng.randint(1, 3), "frameworks_and_tools": rng.randint(2, 6),
                  "math": rng.randint(0, 2), "soft_skills": rng.randint(0, 2), "other": rng.randint(0, 3)}
        for group, count in wanted.items():
            if count:
                skills[group] = [{"name": n, "source": self.pick_sources()[0]}
                                 for n in rng.sample(pool[group], count)]
        doc["skills"] = skills
        doc["projects"] = [{"text": t.format(domain=domain), "source": self.pick_sources()[0]}
                           for t in rng.sample(PROJECTS, rng.randint(0, 3))]
        salary = []
        if rng.random() < 0.7:
            low = rng.randrange(80, 180) * 1000
            high = low + rng.randrange(20, 120) * 1000
            salary.append({"describes": "range", "low": low, "high": high, "currency": "USD", "period": "year",
                           "source": self.pick_sources()[0]})
            if rng.random() < 0.3:
                salary.append({"describes": "top_companies", "low": high + rng.randrange(20, 80) * 1000,
                               "open_ended": True, "currency": "USD", "period": "year",
                               "note": "top companies", "source": self.pick_sources()[0]})
            if rng.random() < 0.3:
                salary.append({"describes": "level", "level": "entry", "low": low, "currency": "USD",
                               "period": "year", "source": self.pick_sources()[0]})
                salary.append({"describes": "level", "level": "senior", "low": high,
                               "high": high + rng.randrange(10, 60) * 1000, "currency": "USD", "period": "year",
                               "source": self.pick_sources()[0]})
        elif rng.random() < 0.5:
            salary.append({"describes": "average", "average": rng.randrange(90, 200) * 1000, "currency": "USD",
                           "period": "year", "source": self.pick_sources()[0]})
        if salary:
            doc["salary"] = salary
        others = self.shipped_role_ids + [r["id"] for r in self.roles[-50:]]
        doc["related_roles"] = rng.sample(others, rng.randint(1, 3))
        return doc

    # -- intents -------------------------------------------------------------

    def phrase(self, pattern: str, subject: str, facet: str, context: str) -> str:
        if "{ROLE}" in context:
            role = self.rng.choice(self.roles)["name"] if self.roles and self.rng.random() < 0.8 else \
                self.rng.choice(["data scientist", "ML engineer", "data engineer", "MLOps engineer"])
            context = context.replace("{ROLE}", role if self.rng.random() < 0.5 else role.lower())
        text = pattern.format(S=subject, F=facet, C=context)
        return text[:1].upper() + text[1:] if self.rng.random() < 0.3 else text

    def make_intents(self) -> None:
        combos = [(s, f) for s in INTENT_SUBJECTS for f in INTENT_FACETS]
        if self.n_intents > len(combos):
            raise SystemExit(f"at most {len(combos)} synthetic intents can be made")
        self.rng.shuffle(combos)
        combos = combos[:self.n_intents]
        budget = max(0, self.phrase_target - self.shipped_example_count)
        base, spare = divmod(budget, max(1, self.n_intents))
        for index, ((subject, subject_words), (facet, facet_words)) in enumerate(combos):
            quota = base + (1 if index < spare else 0)
            intent_id = f"x-{slug(facet)}-{slug(subject)}"
            examples = []
            attempts = 0
            while len(examples) < quota and attempts < quota * 40:
                attempts += 1
                text = self.phrase(self.rng.choice(QUESTION_PATTERNS), self.rng.choice(subject_words),
                                   self.rng.choice(facet_words), self.rng.choice(CONTEXTS))
                key = norm_key(text)
                if key and key not in self.seen_examples:
                    self.seen_examples.add(key)
                    examples.append(text)
            keywords = []
            for word in dict.fromkeys(subject_words[:2] + facet_words[:2]):
                if norm_key(word) not in self.shipped_keywords:
                    keywords.append(word)
            slots = {"role": "optional" if self.rng.random() < 0.3 else "none", "level": "none", "skill": "none"}
            reply = (f"{facet[0].upper()}{facet[1:]} about {subject} (a synthetic benchmark answer): "
                     f"{self.rng.choice(SECTION_ITEMS).format(subject=subject)}. "
                     f"{self.rng.choice(SECTION_ITEMS).format(subject=subject)}.")
            self.intents.append({"id": intent_id, "description": f"Synthetic benchmark intent: {facet} about {subject}.",
                                 "slots": slots, "keywords": keywords, "examples": examples, "reply": reply})
            # held-out phrasings: patterns never used for examples, no role names
            for _ in range(2 if index % 4 == 0 else 0):
                for _try in range(20):
                    text = self.phrase(self.rng.choice(HELDOUT_PATTERNS), self.rng.choice(subject_words),
                                       self.rng.choice(facet_words), self.rng.choice(HELDOUT_CONTEXTS))
                    key = norm_key(text)
                    if key not in self.seen_examples:
                        self.seen_examples.add(key)
                        self.heldout.append({"q": text, "intent": intent_id, "roles": []})
                        break

    # -- topics --------------------------------------------------------------

    def topics(self) -> list[dict]:
        result = []
        synthetic_ids = [r["id"] for r in self.roles]
        for i in range(1, self.n_topics + 1):
            subject = INTENT_SUBJECTS[(i - 1) % len(INTENT_SUBJECTS)][0]
            sections = []
            for heading in self.rng.sample(SECTION_HEADINGS, self.rng.randint(2, 4)):
                sections.append({"heading": heading, "items": [
                    {"text": t.format(subject=subject), "source": self.pick_sources()[0]}
                    for t in self.rng.sample(SECTION_ITEMS, self.rng.randint(2, 4))]})
            # each topic is answered by a synthetic intent of the same id, as the shipped topics are
            intent = self.intents[(i - 1) % len(self.intents)] if self.intents else None
            topic_id = intent["id"] if intent and "reply" in intent else f"x-topic-{i:04d}"
            if intent and "reply" in intent:
                del intent["reply"]
                intent["answer"] = "topic"
            doc = {"id": topic_id, "title": f"{subject[0].upper()}{subject[1:]} in machine learning careers",
                   "summary": {"text": f"What people in machine learning careers should know about {subject}.",
                               "sources": self.pick_sources()},
                   "sections": sections}
            if synthetic_ids and self.rng.random() < 0.3:
                doc["roles"] = {rid: [{"heading": "For this role", "items": [
                    {"text": self.rng.choice(SECTION_ITEMS).format(subject=subject), "source": self.pick_sources()[0]}]}]
                    for rid in self.rng.sample(synthetic_ids, min(2, len(synthetic_ids)))}
            result.append(doc)
        return result

    # -- writing -------------------------------------------------------------

    def write(self, out: Path) -> dict:
        intents_dir, knowledge_dir = out / "intents", out / "knowledge"
        shutil.copytree(self.src_intents, intents_dir)
        shutil.copytree(self.src_knowledge, knowledge_dir)
        self.make_roles()
        self.make_intents()
        topics = self.topics()
        if self.n_sources:
            sources_path = knowledge_dir / "sources.yaml"
            text = sources_path.read_text(encoding="utf-8").rstrip("\n") + "\n"
            extra = yaml.dump(self.sources(), Dumper=_Dumper, sort_keys=False, default_flow_style=False, width=110)
            sources_path.write_text(text + "".join("  " + line + "\n" for line in extra.splitlines()),
                                    encoding="utf-8")
        for role in self.roles:
            dump(knowledge_dir / "roles" / f"{role['id']}.yaml", role)
        for topic in topics:
            dump(knowledge_dir / "topics" / f"{topic['id']}.yaml", topic)
        for intent in self.intents:
            dump(intents_dir / f"{intent['id']}.yaml", intent)
        dump(out / "heldout.yaml", {"questions": self.heldout})
        examples = self.shipped_example_count + sum(len(i["examples"]) for i in self.intents)
        meta = {
            "generator": GENERATOR_VERSION, "scale": self.scale, "seed": self.seed,
            "shipped_digest": digest(self.src_intents, self.src_knowledge),
            "roles": SHIPPED["roles"] + len(self.roles), "intents": SHIPPED["intents"] + len(self.intents),
            "topics": SHIPPED["topics"] + len(topics), "sources": SHIPPED["sources"] + self.n_sources,
            "examples": examples, "heldout_questions": len(self.heldout),
            "yaml_bytes": sum(p.stat().st_size for p in out.rglob("*.yaml") if p.name != "heldout.yaml"),
        }
        (out / "synth.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return meta


def is_current(out: Path, scale: float, seed: int, src_intents: Path, src_knowledge: Path) -> bool:
    """Whether `out` already holds what this generator would write (so a benchmark can reuse it)."""
    try:
        meta = json.loads((out / "synth.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (meta.get("generator") == GENERATOR_VERSION and meta.get("scale") == scale and meta.get("seed") == seed
            and meta.get("shipped_digest") == digest(src_intents, src_knowledge)
            and (out / "intents").is_dir() and (out / "knowledge").is_dir())


def generate(out: Path, scale: float, seed: int = 5, phrases: int | None = None,
             src_intents: Path = REPO / "intents", src_knowledge: Path = REPO / "knowledge") -> dict:
    out = Path(out)
    if out.exists():
        leftovers = [p.name for p in out.iterdir() if p.name not in ("intents", "knowledge", "synth.json",
                                                                      "heldout.yaml")]
        if leftovers or ((out / "intents").exists() and not (out / "synth.json").exists()):
            raise SystemExit(f"{out} holds other files ({', '.join(leftovers) or 'intents/'}); "
                             "choose an empty or synth-made folder")
        for name in ("intents", "knowledge"):
            shutil.rmtree(out / name, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    return Synth(scale, seed, phrases, Path(src_intents), Path(src_knowledge)).write(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, required=True, help="size relative to the shipped knowledge base (>= 1)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write intents/ and knowledge/ into")
    parser.add_argument("--seed", type=int, default=5, help="random seed (default: 5)")
    parser.add_argument("--phrases", type=int, help=f"total example phrases (default: {PHRASES_PER_SCALE} x scale)")
    parser.add_argument("--validate", action="store_true", help="run `careerbot validate` on the result")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    started = time.perf_counter()
    meta = generate(args.out, args.scale, args.seed, args.phrases)
    print(f"wrote {args.out}: {meta['roles']} roles, {meta['intents']} intents, {meta['examples']} example phrases, "
          f"{meta['topics']} topics, {meta['sources']} sources, {meta['yaml_bytes'] / 1e6:.1f} MB of YAML, "
          f"{meta['heldout_questions']} held-out questions ({time.perf_counter() - started:.1f} s)")
    if args.validate:
        # careerbot's validation budget is for about ten times the shipped data: scale it with this one
        budget = {**os.environ, "CAREERBOT_DATA_BUDGET": str(max(1.0, args.scale / 5))}
        done = subprocess.run([sys.executable, "-m", "careerbot", "validate", "--intents", str(args.out / "intents"),
                               "--knowledge", str(args.out / "knowledge")], env=budget)
        return done.returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
