"""The conversation's jobs, one module each: questions and answers, escalation, reporting."""
