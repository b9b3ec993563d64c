"""`python -m bench`: measures the inbound message path against a bare FastAPI endpoint."""
