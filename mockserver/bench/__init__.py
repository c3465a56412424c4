"""`make bench`: the fakes against a bare Starlette ceiling, side by side in one run."""
