"""AI triage of clues: text normalisation, category, place, urgency, duplicates, personal data
and routing suggestions, with models trained on the deployment's own history."""
