"""The formats the field already uses: XLSForm (ODK Collect, KoboToolbox) for questions and
offline answers, and SPSS, Stata and wide CSV files for researchers."""
