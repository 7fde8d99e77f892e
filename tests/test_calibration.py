"""The fitted decision: the script that fits it, and the table it writes (unit tests of internals: the
table is read from the engine's knowledge base)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from careerbot import Engine
from conftest import REPO

QUERIES = """\
# everyday queries for the test, in the file's format
domain\tintent\tquery
home\talarm\tset an alarm for six tomorrow
home\tweather\twhat is the weather going to be on friday
food\trecipe\thow do I make a loaf of rye bread
banking\tbalance\thow much money is left in my savings account
"""


def test_the_fit_script_writes_a_table_the_engine_loads(tmp_path):
    """scripts/fit_decision.py reads the intents and a file of everyday queries and writes a
    decision table of numbers, with the attribution, that validates and drives the engine."""
    intents = tmp_path / "intents"
    shutil.copytree(REPO / "intents", intents)
    (intents / "decision.yaml").unlink()
    queries = tmp_path / "queries.tsv"
    queries.write_text(QUERIES, encoding="utf-8")
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "fit_decision.py"), str(queries),
                          "--intents", str(intents), "--folds", "2"], capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    table = (intents / "decision.yaml").read_text(encoding="utf-8")
    assert "CC BY 3.0" in table and "set an alarm" not in table
    decision = Engine.load(intents=intents, knowledge=REPO / "knowledge")._knowledge.decision
    assert 0 < decision.cutoff < 1 and set(decision.coefficients) >= {"score", "negative_pull", "anchored"}
    assert decision.negative_rate.get("how much") == 0.25      # one query of four says "how much"


def test_the_shipped_table_fits_the_shipped_intents():
    """The shipped decision table was fitted on the shipped intents' features (run the script
    again after changing the intents): it names every feature the engine weighs."""
    from careerbot.reading.calibrate import FEATURES
    decision = Engine.load()._knowledge.decision
    assert set(decision.coefficients) == set(FEATURES)
