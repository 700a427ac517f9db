"""The desk (SPEC §14): server-rendered pages for the coordinator and officers — a face, like `cli/`.

Pages call the same domain functions as the command line (cases, rules, letters, records, intake);
nothing here decides a case on its own. `docgen serve` starts it (`docgen.cli.desk`).
"""
