"""Serve stage: the HTTP API and the web pages over the store."""
