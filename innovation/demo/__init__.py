"""Demo ideas for ``seed_demo``: a few hundred ideas across organisations and every workflow state."""

from innovation.demo.seed import InnovationSeedResult, seed

__all__ = ["InnovationSeedResult", "seed"]
