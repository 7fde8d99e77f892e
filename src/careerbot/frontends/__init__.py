"""Frontends: the command line, the terminal chat, the HTTP server and web page, the question log.

Owns: `cli` (exit codes are decided there), `repl`, `server` and `connections`, `web/` (the chat
page's static files), `questionlog`, `logstore` and `review`.

May import: only the public `careerbot` package (its `__all__`) and each other. Never a private
module of the engine: what a frontend needs of the knowledge comes from `Engine.catalogue()`, what
it shows of an answer from the answer's blocks, spans and references.
"""
