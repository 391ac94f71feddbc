"""Monday–Tuesday strategy meeting timetable: a CP-SAT model, explained and re-plannable.

Shape (after the cpsat-primer nurse-rostering example): ``problem`` (data) -> ``options``
(what each meeting could be) -> ``variables`` (one container) -> ``constraints`` (one class
per hard rule) and ``objectives`` (one class per soft goal, each also recomputing its cost
from a plan) -> ``solver``; ``validation`` checks any plan independently.
"""
