"""Use cases: plain functions taking a DB session; they never commit nor import flask.

Grouped by subject: `catalog` (content and programs), `learning` (the learner's loop),
`integration` (the HR API and xAPI), `accounts` (people).
"""
