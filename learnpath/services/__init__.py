"""Use cases: plain functions taking a DB session; they never commit nor import flask."""
