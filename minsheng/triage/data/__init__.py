"""Word lists and labelled corpora for the rule-based triage steps, written for Minsheng."""
