"""Floor 4: the frame around every page — the shell, the sidebar, the strip above the
title, restoring and saving a browser's work. Nothing in studio imports it but itself."""
