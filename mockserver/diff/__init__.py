"""`mockserver diff`: the same seeded request sequences against two implementations, divergences minimised."""
