"""The layers of checks the engine runs on a return, one module per layer."""
