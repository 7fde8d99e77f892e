"""Frontends: the command line, the terminal chat, the HTTP server and web page, the question log.

Owns: `cli` (exit codes are decided there), `repl`, `server` and `connections`, `web/` (the chat
page's static files), `questionlog`, `logstore` and `review`; here, `kept_engine`, the engine of a
process that keeps it to its end (a command, a server's worker).

May import: only the public `careerbot` package (its `__all__`) and each other. Never a private
module of the engine: what a frontend needs of the knowledge comes from `Engine.catalogue()`, what
it shows of an answer from the answer's blocks, spans and references.
"""

_kept: list = []
_kept.append(_kept)
"""The engine a frontend process loaded last, kept to the end of the process, so that its tables
are not freed object by object when a command returns (the command line then ends its process,
which gives its memory back at once), nor at exit where the process exits as usual: a list that
holds itself, frozen with the engine, is left alone by the clearing of modules and by the collector.
Freeing them took 2% of a cold `careerbot ask`. Loading another replaces it."""


def kept_engine(intents=None, knowledge=None):
    """`Engine.load(intents, knowledge)` for a process that keeps the engine to its end (a command,
    a server's worker). Everything imported and built here lives as long as the process, so the
    collector is paused meanwhile (it would only walk objects that stay: 7% of building a knowledge
    base 100 times the shipped one), then the engine is frozen out of its sight: a full collection
    would walk its tables again, 14 to 17 ms in the middle of some answer once every few hundred
    questions of a server."""
    import gc
    collecting = gc.isenabled()
    gc.disable()
    try:
        from .. import Engine
        engine = Engine.load(intents=intents, knowledge=knowledge)
        _kept[1:] = [engine]
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    return engine
