"""Training code for the models watchfloor ships as package data (run by `make train`)."""
