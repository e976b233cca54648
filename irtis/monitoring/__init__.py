"""Monitoring (stebėsena, statute 1.1, 2.19): checks of objects, their state changes, the state and
availability (prieinamumas) of information systems through the dependency graph, and incidents."""
