"""Floor 3: the sections pages are built from, and the live runs they start. Imports the
session and display floors, never the frame or pages."""
