"""The request pipeline shared by every vendor.

spec (connexion routing) -> security.py (401 auth, 403 scope, 402 plan) -> limits.py (413)
-> validation.py (400/415/422 input) -> idempotency.py (replay) -> vendor handler -> store.py,
with errors.py rendering every failure in the vendor's own envelope and journal.py recording it all.
"""
