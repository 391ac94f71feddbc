"""Pure planning for the inspection week: plain data in, plans and iCalendar bytes out.

Nothing here imports the database or HTTP layers, so every solver can be tested and
benchmarked on its own.
"""
