"""Evaluation stage: scorers for public benchmarks, each a pure function over parsed data."""
