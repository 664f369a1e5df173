"""Item calibration from learners' responses (py-irt 2PL); imports torch, so never the web app."""
