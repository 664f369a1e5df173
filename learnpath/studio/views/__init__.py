"""The studio's views, one module per subject; each attaches its routes to the blueprint."""
