"""Use cases: each one applies the domain's rules and calls the integration layer to carry them out."""
