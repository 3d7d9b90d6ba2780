"""Demo content (placeholder until the demo writer lands)."""


def load_demo_content():
    return 0
