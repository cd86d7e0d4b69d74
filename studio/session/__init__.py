"""Floor 1: a session and what it keeps — its state, its language, the browser's saved
work on disk, the class files, turns and budgets for work. Imports nothing else of studio."""
