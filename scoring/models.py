# Scoring models arrive with the scoring issue (school years, rubric, credit ledger).
