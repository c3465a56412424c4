"""`mockserver fuzz`: schemathesis with every built-in check, the stateful phase and our behaviour
checks, against any implementation of one of the three APIs."""
