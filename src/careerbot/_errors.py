"""The exceptions careerbot raises.

    CareerbotError
    ├── KnowledgeError (ValueError)  a knowledge or intent file is broken
    └── StateError (ValueError)      conversation state from outside does not validate

Every error knows the exit code a command line should end with, so that exit codes are decided
in one place (the CLI) and never deep inside the library.
"""

from ._record import Record


class CareerbotError(Exception):
    """Root of every error careerbot raises on purpose."""

    exit_code = 1


class Problem(Record):
    """One thing wrong in a data file: where it is and a plain sentence saying what."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class KnowledgeError(CareerbotError, ValueError):
    """The knowledge or intent files are invalid; `problems` lists each problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], total: int | None = None, unlisted: int = 0):
        self.problems = tuple(problems)
        self.total = len(self.problems) if total is None else total
        """How many problems were found: more than `problems` lists when there were very many."""
        self.unlisted = unlisted
        """How many of them `problems` neither lists nor counts in a "… and N more in this file"."""
        count = self.total
        head = f"{count:,} problem{'s' if count != 1 else ''} in the knowledge or intent files"
        lines = [f"  {p}" for p in self.problems] + ([f"  … and {unlisted:,} more"] if unlisted else [])
        super().__init__(head + ":\n" + "\n".join(lines))


class StateError(CareerbotError, ValueError):
    """Conversation state handed in from outside is not a state this version can trust."""
