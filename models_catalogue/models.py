"""The catalogue of organisational forms and the method settings, in published versions."""
