"""HR integration: API clients and tokens, enrollment records, incremental sync, xAPI statements."""
