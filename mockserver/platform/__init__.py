"""The request pipeline shared by every vendor (pipeline.py holds it, in order):

route → limits.py (414, 431, 413, 408) → security.py (401 auth, 403 scope, 402 plan, once)
→ validation.py (400/415/422 input) → the fault stage (faults.py) → idempotency.py (replay)
→ the vendor's handler → store.py (commit) → the vendor's envelope (errors.py),
with journal.py recording every call and cors.py answering browser preflights.
"""
