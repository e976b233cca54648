"""irtis: infrastructure management system of the customs ICT division."""
